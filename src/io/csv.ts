/**
 * CSV fixes (spreadsheets, tracking exports), parsed with csv-parse: one fix per row, a header
 * row naming the columns. The unit, time, latitude and longitude columns are found by their usual
 * names or given explicitly (`columns`); rows of one unit form one track, sorted by time. The
 * delimiter (comma, semicolon, tab or bar) is taken from the header row.
 */
import { parse } from 'csv-parse/sync';
import { basename, extname } from 'node:path';
import { emptyGeoData, timedTrack, type Fix, type GeoData, type Where } from './geodata.js';
import { brief, fileError, parseFixTime } from './source.js';

export interface CsvColumns {
  unit?: string;
  time?: string;
  lat?: string;
  lon?: string;
}

const ALIASES: Record<keyof CsvColumns, string[]> = {
  unit: ['unit', 'unit_id', 'id', 'callsign', 'track', 'name', 'uid'],
  time: ['time', 'timestamp', 't', 'datetime', 'date_time', 'utc', 'dtg', 'when'],
  lat: ['lat', 'latitude', 'y'],
  lon: ['lon', 'lng', 'long', 'longitude', 'x'],
};

function detectDelimiter(text: string): string {
  const first = text.split(/\r?\n/, 1)[0];
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
 * The unit column among those with a usual name: the first whose values repeat. A column with a
 * different value on every row (QGIS writes a per-row `id`, `fid` or row number) names rows, not
 * units; then the whole file is one track. A file of a single row takes the first named column.
 */
function unitColumn(lower: string[], rows: { record: string[] }[]): number {
  const named = ALIASES.unit.map((a) => lower.indexOf(a)).filter((i) => i >= 0);
  if (rows.length <= 2) return named[0] ?? -1;
  for (const i of named) {
    const seen = new Set<string>();
    for (let r = 1; r < rows.length; r++) seen.add(rows[r].record[i]);
    if (seen.size < rows.length - 1) return i;
  }
  return -1;
}

export function readCsv(text: string, file: string, columns: CsvColumns = {}): GeoData {
  text = commentedHeader(text);
  const delimiter = detectDelimiter(text);
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, { delimiter, info: true, skip_empty_lines: true, trim: true, relax_quotes: false, comment: '#' }) as unknown as typeof rows;
  } catch (e) {
    const err = e as Error & { lines?: number; line?: number; column?: number };
    throw fileError(file, err.lines ?? err.line ?? 1, 1, `malformed CSV: ${err.message.replace(/^Invalid Record Length: /, '').replace(/,? ?at line \d+\.?$/, '')}`);
  }
  if (!rows.length) throw fileError(file, 1, 1, 'the file has no rows');
  const header = rows[0].record.map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const col = {} as Record<keyof CsvColumns, number>;
  for (const k of ['unit', 'time', 'lat', 'lon'] as const) {
    const want = columns[k];
    if (want !== undefined) {
      const i = lower.indexOf(want.toLowerCase());
      if (i < 0) throw fileError(file, rows[0].info.lines, 1, `there is no column '${want}' (named for ${k})`, `the header has: ${header.join(', ')}`);
      col[k] = i;
    } else if (k === 'unit') {
      col[k] = unitColumn(lower, rows);
    } else {
      col[k] = lower.findIndex((h) => ALIASES[k].includes(h));
      if (col[k] < 0) {
        throw fileError(file, rows[0].info.lines, 1, `no ${k === 'time' ? 'time' : k === 'lat' ? 'latitude' : 'longitude'} column in the header (${header.join(', ')})`, `name it ${ALIASES[k].slice(0, 3).join(', ')}, or say which column it is: columns: {${k}: NAME}`);
      }
    }
  }
  const data = emptyGeoData(file, 'csv');
  const namedUnit = ALIASES.unit.map((a) => lower.indexOf(a)).find((i) => i >= 0);
  if (columns.unit === undefined && namedUnit !== undefined && col.unit !== namedUnit) {
    data.notes.push(`${file}: column '${header[namedUnit]}' has a different value on every row, so it names rows, not units; ${col.unit >= 0 ? `the units are in column '${header[col.unit]}'` : 'the file is read as one track'} (say which with columns: {unit: NAME})`);
  }
  const groups = new Map<string, { fixes: Fix[]; at: Where; props: Record<string, unknown> }>();
  const fallback = basename(file, extname(file));
  const extra = header.map((h, i) => i).filter((i) => !Object.values(col).includes(i));
  for (let r = 1; r < rows.length; r++) {
    const { record, info } = rows[r];
    const line = info.lines;
    const cell = (k: keyof CsvColumns) => record[col[k]];
    if (record.length !== header.length) throw fileError(file, line, 1, `this row has ${record.length} fields; the header has ${header.length}`, 'check the delimiter and the quoting');
    const lat = Number(cell('lat'));
    const lon = Number(cell('lon'));
    const column = (k: keyof CsvColumns) => record.slice(0, col[k]).reduce((n, s) => n + s.length + 1, 1);
    if (cell('lat') === '' || !Number.isFinite(lat) || Math.abs(lat) > 90) throw fileError(file, line, column('lat'), `${brief(cell('lat'))} is not a latitude (-90..90)`, 'decimal degrees, e.g. 33.50583', header[col.lat]);
    if (cell('lon') === '' || !Number.isFinite(lon) || Math.abs(lon) > 180) throw fileError(file, line, column('lon'), `${brief(cell('lon'))} is not a longitude (-180..180)`, 'decimal degrees, e.g. 38.61778', header[col.lon]);
    const t = parseFixTime(cell('time'));
    if (t === undefined) throw fileError(file, line, column('time'), `${brief(cell('time'))} is not a time`, 'ISO 8601 (2017-05-18T06:00:00Z; without a zone it is UTC) or seconds since 1970', header[col.time]);
    const key = col.unit >= 0 ? cell('unit') : fallback;
    if (key === '') throw fileError(file, line, column('unit'), 'the unit is empty', 'every row names its unit', header[col.unit]);
    let g = groups.get(key);
    if (!g) {
      const props: Record<string, unknown> = {};
      for (const i of extra) if (record[i] !== '') props[header[i]] = record[i];
      groups.set(key, (g = { fixes: [], at: { line, column: 1 }, props }));
    }
    g.fixes.push({ t, lon, lat });
  }
  for (const [name, g] of groups) {
    data.tracks.push(timedTrack(g.fixes, { name, what: 'CSV rows', at: g.at, props: Object.keys(g.props).length ? g.props : undefined }));
  }
  return data;
}
