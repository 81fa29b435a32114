/**
 * CSV fixes (spreadsheets, tracking exports), parsed with csv-parse: one fix per row, a header
 * row naming the columns. The unit, time, latitude and longitude columns are found by their usual
 * names or given explicitly (`columns`); rows of one unit form one track, sorted by time. The
 * delimiter (comma, semicolon, tab or bar) is taken from the header row.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { emptyGeoData, timedColumnsTrack, timedTrack, type Fix, type FixColumns, type GeoData, type Where } from './geodata.js';
import { ScenarioError } from '../core/errors.js';
import { brief, fileError, parseFixTime, quickUtcAt } from './source.js';
import type { CsvColumns } from '../core/scenario/files.js';

export type { CsvColumns };

const ALIASES: Record<keyof CsvColumns, string[]> = {
  unit: ['unit', 'unit_id', 'id', 'callsign', 'track', 'name', 'uid'],
  time: ['time', 'timestamp', 't', 'datetime', 'date_time', 'utc', 'dtg', 'when'],
  lat: ['lat', 'latitude', 'y'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x'],
};

export function detectDelimiter(text: string): string {
  // The first line, found without splitting the whole text (a split with a limit still cuts every line).
  const nl = text.indexOf('\n');
  const first = (nl < 0 ? text : text.slice(0, nl)).replace(/\r$/, '');
  let best = ',';
  let bestN = 0;
  for (const d of [',', ';', '\t', '|']) {
    let n = 0;
    let quoted = false;
    for (const ch of first) {
      if (ch === '"') quoted = !quoted;
      else if (ch === d && !quoted) n++;
    }
    if (n > bestN) {
      best = d;
      bestN = n;
    }
  }
  return best;
}

/**
 * Text the quick reader reads exactly as csv-parse does with the options below: no quotes, no
 * comments, no carriage returns, no control characters (and no tabs unless they delimit), so that
 * a row is a line split at the delimiter with spaces trimmed. Anything else goes to csv-parse.
 */
function quickSafe(text: string, delimiter: string): boolean {
  return !/["#\r\x00-\x08\x0b-\x1f\x7f]/.test(text) && (delimiter === '\t' || !text.includes('\t'));
}

/** Spaces (only) cut from both ends, as csv-parse's trim does for the text quickSafe lets through. */
function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 32) a++;
  while (b > a && s.charCodeAt(b - 1) === 32) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

/** The quick reader could not tell; csv-parse reads the file and says what is wrong. */
export class Unsure extends Error {}

/** A unit met in the file: where its first row is, and the other columns of that row. */
export interface UnitRows {
  index: number;
  /** Its rows so far. */
  rows: number;
  at: Where;
  props: Record<string, unknown>;
}

/** What a unit's track says of itself: its name, where its first row is, and that row's other columns. */
function rowsTrack(name: string, u: UnitRows): { name: string; what: string; at: Where; props?: Record<string, unknown> } {
  return { name, what: 'CSV rows', at: u.at, props: Object.keys(u.props).length ? u.props : undefined };
}

/**
 * The rows of a file as they are read: growing columns of time, longitude and latitude and the
 * unit of each row, for the whole file (a unit's own arrays would cost more than its rows: files
 * have thousands of units of a few dozen rows). No object per row.
 */
export class RowStore {
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  unit: Int32Array;
  n = 0;
  readonly units = new Map<string, UnitRows>();
  /** Whether each unit's rows come together, units in the order they first come (so far). */
  private grouped = true;
  private lastIndex = 0;

  /** `rows`: how many rows the file can hold at most (its lines), so that the columns never grow. */
  constructor(rows = 1024) {
    const size = Math.max(16, rows);
    this.t = new Float64Array(size);
    this.lon = new Float64Array(size);
    this.lat = new Float64Array(size);
    this.unit = new Int32Array(size);
  }

  push(u: UnitRows, t: number, lon: number, lat: number): void {
    if (this.n === this.t.length) {
      const size = this.n * 2;
      const grow = <A extends Float64Array | Int32Array>(a: A, b: A) => (b.set(a), b);
      this.t = grow(this.t, new Float64Array(size));
      this.lon = grow(this.lon, new Float64Array(size));
      this.lat = grow(this.lat, new Float64Array(size));
      this.unit = grow(this.unit, new Int32Array(size));
    }
    this.t[this.n] = t;
    this.lon[this.n] = lon;
    this.lat[this.n] = lat;
    this.unit[this.n] = u.index;
    this.n++;
    u.rows++;
    if (u.index < this.lastIndex) this.grouped = false;
    this.lastIndex = u.index;
  }

  /** The unit of this key (made at its first row: `at` and `props` are asked for only then). */
  unitOf(key: string, first: () => { at: Where; props: Record<string, unknown> }): UnitRows {
    let u = this.units.get(key);
    if (!u) {
      const f = first();
      this.units.set(key, (u = { index: this.units.size, at: f.at, props: f.props, rows: 0 }));
    }
    return u;
  }

  /** Each unit's rows (in the file's order) as a track, in the order the units first came; one buffer holds them all. */
  tracks(data: GeoData): void {
    const count = new Int32Array(this.units.size);
    for (const u of this.units.values()) count[u.index] = u.rows;
    if (this.grouped) {
      // Each unit's rows together, units in the order they first come (the usual file): its track
      // is a view of the columns as read, no copy.
      let o = 0;
      for (const [name, u] of this.units) {
        const c = count[u.index];
        const cols = { t: this.t.subarray(o, o + c), lon: this.lon.subarray(o, o + c), lat: this.lat.subarray(o, o + c) };
        o += c;
        data.tracks.push(timedColumnsTrack(cols, rowsTrack(name, u)));
      }
      return;
    }
    const offset = new Int32Array(this.units.size);
    for (let u = 1; u < count.length; u++) offset[u] = offset[u - 1] + count[u - 1];
    const all = new Float64Array(3 * this.n);
    const cols: FixColumns[] = [];
    for (let u = 0; u < count.length; u++) {
      const o = 3 * offset[u];
      const c = count[u];
      cols.push({ t: all.subarray(o, o + c), lon: all.subarray(o + c, o + 2 * c), lat: all.subarray(o + 2 * c, o + 3 * c) });
    }
    const fill = new Int32Array(this.units.size);
    for (let i = 0; i < this.n; i++) {
      const u = this.unit[i];
      const k = fill[u]++;
      cols[u].t[k] = this.t[i];
      cols[u].lon[k] = this.lon[i];
      cols[u].lat[k] = this.lat[i];
    }
    for (const [name, u] of this.units) data.tracks.push(timedColumnsTrack(cols[u.index], rowsTrack(name, u)));
  }
}

/** The number of lines of a text (its line breaks, plus one). */
function lineCount(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Powers of ten that are exact doubles. */
export const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/**
 * The number at text[a..b) when it is written as plain decimal digits (a sign, one point, at most
 * 15 digits), computed where it lies; NaN to leave the field to Number(). It is the value Number()
 * gives: the digits make an integer below 2^53 (exact), divided by an exact power of ten, and one
 * IEEE division rounds correctly (Clinger's fast path). Checked against Number() by a property test.
 */
export function decimalAt(text: string, a: number, b: number): number {
  let i = a;
  let neg = false;
  const c0 = text.charCodeAt(i);
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < b; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return NaN;
  }
  if (digits === 0 || digits > 15) return NaN;
  const v = frac > 0 ? m / POW10[frac] : m;
  return neg ? -v : v;
}

/**
 * Rows one at a time, in one pass over the text: the quick reader for plain files (the common case,
 * and most of the time of a large load), else csv-parse. Measured on a 9.1 MiB file of 200,000
 * rows, csv-parse took about 2 s where splitting lines takes a tenth of that.
 */
function eachRow(text: string, delimiter: string, file: string, quick: boolean, row: (record: string[], line: number) => void): void {
  if (quick) {
    let line = 0;
    for (let i = 0; i <= text.length;) {
      let j = text.indexOf('\n', i);
      if (j < 0) j = text.length;
      line++;
      const s = text.slice(i, j);
      i = j + 1;
      if (trimSpaces(s) === '') continue;
      const record = s.split(delimiter);
      for (let k = 0; k < record.length; k++) record[k] = trimSpaces(record[k]);
      row(record, line);
    }
    return;
  }
  let width = -1;
  try {
    parse(text, {
      delimiter,
      skip_empty_lines: true,
      trim: true,
      relax_quotes: false,
      comment: '#',
      on_record: (record: string[], ctx: { lines: number }) => {
        if (width < 0) width = record.length;
        row(record, ctx.lines);
        return null;
      },
    });
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const err = e as Error & { lines?: number; line?: number; column?: number };
    throw fileError(
      file,
      err.lines ?? err.line ?? 1,
      1,
      `malformed CSV: ${err.message.replace(/^Invalid Record Length: /, '').replace(/,? ?at line \d+\.?$/, '')}`,
    );
  }
}

/**
 * OpenTracks (and others) write the header as a comment: `#time,trackpoint_type,latitude,...`.
 * A first line that starts with '#' and names a time and a latitude column is the header; the
 * '#' is blanked (a space keeps the columns where they are for messages; cells are trimmed).
 */
function commentedHeader(text: string): string {
  const m = /^(\s*)#([^\r\n]*)/.exec(text);
  if (!m) return text;
  const names = m[2].split(/[,;\t|]/).map((h) => h.trim().replace(/^"|"$/g, '').toLowerCase());
  if (!names.some((h) => ALIASES.time.includes(h)) || !names.some((h) => ALIASES.lat.includes(h))) return text;
  return `${m[1]} ${text.slice(m[0].length - m[2].length)}`;
}

/**
 * A unit column with a different value on every row (QGIS writes a per-row `id` or `fid`) numbers
 * rows, not units: its "units" are one fix each. Then the fixes are grouped by the next column with
 * a unit's usual name whose values repeat, else the whole file is one track; a note says so. Done
 * after reading, as the rows stream past the header that chose the column.
 */
export function rowNumbers(data: GeoData, columns: CsvColumns, layout: CsvLayout | undefined): GeoData {
  const tracks = data.tracks;
  if (columns.unit !== undefined || !layout || layout.col.unit < 0 || tracks.length < 3 || tracks.some((t) => t.fixes.length !== 1)) return data;
  const lower = layout.names.map((n) => n.toLowerCase());
  const other = ALIASES.unit
    .map((a) => lower.indexOf(a))
    .filter((i) => i >= 0 && i !== layout.col.unit)
    .map((i) => layout.names[i])
    .find((name) => tracks.every((t) => t.props?.[name] !== undefined) && new Set(tracks.map((t) => String(t.props![name]))).size < tracks.length);
  const fallback = basename(data.file, extname(data.file));
  const groups = new Map<string, { fixes: Fix[]; at: Where; props: Record<string, unknown> }>();
  for (const t of tracks) {
    const key = other ? String(t.props![other]) : fallback;
    let g = groups.get(key);
    if (!g) {
      const props = { ...t.props };
      if (other) delete props[other];
      groups.set(key, (g = { fixes: [], at: t.at, props }));
    }
    g.fixes.push(...t.fixes);
  }
  const out = emptyGeoData(data.file, 'csv');
  out.notes.push(
    ...data.notes,
    `${data.file}: column '${layout.names[layout.col.unit]}' has a different value on every row, so it names rows, not units; ${other ? `the units are in column '${other}'` : 'the file is read as one track'} (say which with columns: {unit: NAME})`,
  );
  for (const [name, g] of groups)
    out.tracks.push(timedTrack(g.fixes, { name, what: 'CSV rows', at: g.at, props: Object.keys(g.props).length ? g.props : undefined }));
  return out;
}

export function readCsv(text: string, file: string, columns: CsvColumns = {}): GeoData {
  text = commentedHeader(text);
  const delimiter = detectDelimiter(text);
  if (quickSafe(text, delimiter)) {
    try {
      const data = readQuick(text, delimiter, file, columns);
      return rowNumbers(data, columns, lastLayout);
    } catch (e) {
      if (!(e instanceof Unsure) && !(e instanceof ScenarioError)) throw e;
      // csv-parse reads it again and gives the message.
    }
  }
  const data = readRows(text, delimiter, file, columns, false);
  return rowNumbers(data, columns, lastLayout);
}

/**
 * The quick reader's pass: the header as readRows reads it, then each row cut at its delimiters
 * into just the four fields needed (all of them only for a unit's first row, for its properties).
 * Anything out of the ordinary (a field count, a value that is not a number or a time) is left to
 * csv-parse and readRows, which say what is wrong and where.
 */
function readQuick(text: string, delimiter: string, file: string, columns: CsvColumns): GeoData {
  const n = text.length;
  const spaces = text.includes(' ');
  let i = 0;
  let line = 0;
  // The header: the first line that is not blank, read by readRows's own rules.
  let header: GeoData | undefined;
  let layout: CsvLayout | undefined;
  for (; i <= n && !layout;) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    line++;
    const s = text.slice(i, j);
    i = j + 1;
    if (trimSpaces(s) === '') continue;
    header = readRows(s, delimiter, file, columns, true);
    layout = lastLayout!;
  }
  if (!layout || !header) throw fileError(file, 1, 1, 'the file has no rows');
  const { col, width, extra, names } = layout;
  const data = emptyGeoData(file, 'csv');
  const rows = new RowStore(lineCount(text));
  const fallback = basename(file, extname(file));
  const cut = new Int32Array(width + 1);
  let lastKey = '';
  let lastUnit: UnitRows | undefined;
  const field = (k: number) => (spaces ? trimSpaces(text.slice(cut[k] + 1, cut[k + 1])) : text.slice(cut[k] + 1, cut[k + 1]));
  // A number or time is read where it lies in the line; only one that is not written plainly is cut out and read by Number() or parseFixTime.
  const number = (k: number) => {
    const v = decimalAt(text, cut[k] + 1, cut[k + 1]);
    if (v === v) return v;
    const s = field(k);
    return s === '' ? NaN : Number(s);
  };
  for (; i <= n;) {
    let j = text.indexOf('\n', i);
    if (j < 0) j = n;
    line++;
    const start = i;
    i = j + 1;
    // Cut points: the field k is text[cut[k]+1 .. cut[k+1]).
    cut[0] = start - 1;
    let f = 1;
    for (let p = text.indexOf(delimiter, start); p >= 0 && p < j; p = text.indexOf(delimiter, p + 1)) {
      if (f >= width) throw new Unsure();
      cut[f++] = p;
    }
    cut[f] = j;
    if (f === 1 && (spaces ? trimSpaces(text.slice(start, j)) : text.slice(start, j)) === '') continue;
    if (f !== width) throw new Unsure();
    const lat = number(col.lat);
    const lon = number(col.lon);
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) throw new Unsure();
    const t = quickUtcAt(text, cut[col.time] + 1, cut[col.time + 1]) ?? parseFixTime(field(col.time));
    if (t === undefined) throw new Unsure();
    // Rows of one unit come together: the previous row's key, when this row's field is the same text, is not cut out again.
    let key: string;
    if (col.unit < 0) key = fallback;
    else if (!spaces && lastKey !== '' && cut[col.unit + 1] - cut[col.unit] - 1 === lastKey.length && text.startsWith(lastKey, cut[col.unit] + 1))
      key = lastKey;
    else key = field(col.unit);
    if (key === '') throw new Unsure();
    if (key === lastKey && lastUnit) {
      rows.push(lastUnit, t, lon, lat);
      continue;
    }
    lastKey = key;
    lastUnit = rows.unitOf(key, () => {
      const props: Record<string, unknown> = {};
      for (const k of extra) {
        const v = field(k);
        if (v !== '') props[names[k]] = v;
      }
      return { at: { line, column: 1 }, props };
    });
    rows.push(lastUnit, t, lon, lat);
  }
  rows.tracks(data);
  return data;
}

/** The column layout readRows found in the header it was last given (for the quick reader). */
let lastLayout: CsvLayout | undefined;

/** Where the columns are: the unit's, time's, latitude's and longitude's (-1: none), how many there are, the others, and their names. */
export interface CsvLayout {
  col: Record<keyof CsvColumns, number>;
  width: number;
  extra: number[];
  names: string[];
}

/** The layout of a header line, read by readRows's own rules (a ScenarioError when it names no time or position column). */
export function headerLayout(line: string, delimiter: string, file: string, columns: CsvColumns): CsvLayout {
  readRows(line, delimiter, file, columns, true);
  return lastLayout!;
}

/** The same, always read by csv-parse (what the quick reader must agree with; for tests). */
export function readCsvByCsvParse(text: string, file: string, columns: CsvColumns = {}): GeoData {
  text = commentedHeader(text);
  const data = readRows(text, detectDelimiter(text), file, columns, false);
  return rowNumbers(data, columns, lastLayout);
}

function readRows(text: string, delimiter: string, file: string, columns: CsvColumns, quick: boolean): GeoData {
  let header: string[] | undefined;
  let headerLine = 1;
  const col = {} as Record<keyof CsvColumns, number>;
  const data = emptyGeoData(file, 'csv');
  const rows = new RowStore();
  const fallback = basename(file, extname(file));
  let extra: number[] = [];
  const start = (record: string[], line: number) => {
    const h = record.map((x) => x.trim());
    header = h;
    headerLine = line;
    const lower = h.map((x) => x.toLowerCase());
    for (const k of ['unit', 'time', 'lat', 'lon'] as const) {
      const want = columns[k];
      const found =
        want !== undefined
          ? lower.map((x, i) => (x === want.toLowerCase() ? i : -1)).filter((i) => i >= 0)
          : lower.map((x, i) => (ALIASES[k].includes(x) ? i : -1)).filter((i) => i >= 0);
      if (want !== undefined && !found.length)
        throw fileError(file, line, 1, `there is no column '${want}' (named for ${k})`, `the header has: ${h.join(', ')}`);
      // Two columns that could each be this one: taking the first silently could read the wrong one.
      const named = found.filter((i) => want !== undefined || lower[i] === lower[found[0]]);
      if (named.length > 1) {
        throw fileError(
          file,
          line,
          1,
          `the header names the ${k === 'time' ? 'time' : k === 'lat' ? 'latitude' : k === 'lon' ? 'longitude' : 'unit'} column '${h[named[1]]}' twice (columns ${named[0] + 1} and ${named[1] + 1})`,
          'rename one of them, so that it is clear which to read',
        );
      }
      col[k] = found.length ? found[0] : -1;
      if (col[k] < 0 && k !== 'unit') {
        throw fileError(
          file,
          line,
          1,
          `no ${k === 'time' ? 'time' : k === 'lat' ? 'latitude' : 'longitude'} column in the header (${h.join(', ')})`,
          `name it ${ALIASES[k].slice(0, 3).join(', ')}, or say which column it is: columns: {${k}: NAME}`,
        );
      }
    }
    extra = h.map((_, i) => i).filter((i) => !Object.values(col).includes(i));
    lastLayout = { col: { ...col }, width: h.length, extra, names: h };
  };
  eachRow(text, delimiter, file, quick, (record, line) => {
    if (!header) return start(record, line);
    const cell = (k: keyof CsvColumns) => record[col[k]];
    if (record.length !== header.length) {
      if (quick) throw new Unsure();
      throw fileError(file, line, 1, `this row has ${record.length} fields; the header has ${header.length}`, 'check the delimiter and the quoting');
    }
    const lat = Number(cell('lat'));
    const lon = Number(cell('lon'));
    const column = (k: keyof CsvColumns) => record.slice(0, col[k]).reduce((n, s) => n + s.length + 1, 1);
    const key = col.unit >= 0 ? cell('unit') : fallback;
    // The row's unit goes with a fault in it: of the units referring to this file, the message names the one whose track it is.
    const owner = key === '' ? undefined : key;
    if (cell('lat') === '' || !Number.isFinite(lat) || Math.abs(lat) > 90)
      throw fileError(file, line, column('lat'), `${brief(cell('lat'))} is not a latitude (-90..90)`, 'decimal degrees, e.g. 33.50583', header[col.lat], owner);
    if (cell('lon') === '' || !Number.isFinite(lon) || Math.abs(lon) > 180)
      throw fileError(
        file,
        line,
        column('lon'),
        `${brief(cell('lon'))} is not a longitude (-180..180)`,
        'decimal degrees, e.g. 38.61778',
        header[col.lon],
        owner,
      );
    const t = parseFixTime(cell('time'));
    if (t === undefined)
      throw fileError(
        file,
        line,
        column('time'),
        `${brief(cell('time'))} is not a time`,
        'ISO 8601 (2017-05-18T06:00:00Z; without a zone it is UTC) or seconds since 1970',
        header[col.time],
        owner,
      );
    if (key === '') throw fileError(file, line, column('unit'), 'the unit is empty', 'every row names its unit', header[col.unit]);
    const u = rows.unitOf(key, () => {
      const props: Record<string, unknown> = {};
      for (const i of extra) if (record[i] !== '') props[header![i]] = record[i];
      return { at: { line, column: 1 }, props };
    });
    rows.push(u, t, lon, lat);
  });
  if (!header) throw fileError(file, headerLine, 1, 'the file has no rows');
  rows.tracks(data);
  return data;
}
