/**
 * The quick reader of track CSVs (csv.ts) straight from the file's bytes: a file all of ASCII
 * read in one pass over its bytes, with no string made of the file (9 MiB for 10,000 units) and
 * none per field: a number or a time is read where its bytes lie, and a unit's name is decoded
 * once, at its first row. The rules are readQuick's, to the byte: what it would leave to csv-parse
 * (quotes, comments, carriage returns, control characters, a field count that is not the
 * header's, a value that is not a number or a time, a comment for a header) gives undefined here,
 * and the text is read as before (readCsv). test/io/csv-bytes.test.ts holds the two to the same
 * tracks on generated and mangled files.
 */
import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { ScenarioError } from '../core/errors.js';
import { emptyGeoData, type GeoData } from './geodata.js';
import { parseFixTime, utcOf } from './source.js';
import { detectDelimiter, headerLayout, POW10, RowStore, rowNumbers, Unsure, type CsvColumns, type UnitRows } from './csv.js';

/** What a byte is to the reader: part of a field, the delimiter, a line's end, or a byte it leaves to csv-parse. */
const FIELD = 0;
const DELIMITER = 1;
const NEWLINE = 2;
const OTHER = 3;

/** The classes of the 128 ASCII bytes for a delimiter (as csv.ts's quickSafe: tabs only as the delimiter). */
function classes(delimiter: number): Uint8Array {
  const c = new Uint8Array(128);
  for (let b = 0; b < 32; b++) c[b] = OTHER;
  c[127] = OTHER;
  c[34] = OTHER; // "
  c[35] = OTHER; // #
  c[10] = NEWLINE;
  c[delimiter] = DELIMITER;
  return c;
}

const UNSURE = new Unsure();
const SP = 32;

/** The number in buf[a..b) (spaces around it aside) when written as plain decimal digits (see csv.ts decimalAt), else NaN. */
function decimalIn(buf: Uint8Array, a: number, b: number): number {
  let i = a;
  let neg = false;
  const c0 = buf[i];
  if (c0 === 45) {
    neg = true;
    i++;
  } else if (c0 === 43) i++;
  let m = 0;
  let digits = 0;
  let frac = -1;
  for (; i < b; i++) {
    const c = buf[i];
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

/** The digits at buf[i..i+n) as a number, or -1 when one is not a digit. */
function digitsAt(buf: Uint8Array, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = buf[k] - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** quickUtcAt (source.ts) on bytes: 2017-05-18T06:00:00Z in buf[a..b), epoch ms, else undefined. */
function utcIn(buf: Uint8Array, a: number, b: number): number | undefined {
  if (b - a !== 20 || buf[a + 4] !== 45 || buf[a + 7] !== 45 || buf[a + 10] !== 84 || buf[a + 13] !== 58 || buf[a + 16] !== 58 || buf[a + 19] !== 90)
    return undefined;
  return utcOf(
    digitsAt(buf, a, 4),
    digitsAt(buf, a + 5, 2),
    digitsAt(buf, a + 8, 2),
    digitsAt(buf, a + 11, 2),
    digitsAt(buf, a + 14, 2),
    digitsAt(buf, a + 17, 2),
  );
}

/** Fills buf[at..at+length) with the next bytes of the file; how many (0 at its end). */
export type ReadInto = (buf: Buffer, at: number, length: number) => number;

/** Bytes read at a time: a buffer used again and again stays in the processor's cache (a whole 9 MiB file read at once is written to fresh memory, then read again). */
const CHUNK = 1 << 20;

/**
 * The tracks of a CSV file from its bytes, as readCsv reads its text; undefined when the file is
 * not of the plain kind this reader reads (readCsv then reads the text, and says what is wrong).
 * `size`: the file's size, when known (to size the columns); `chunk`: bytes read at a time.
 */
export function readCsvFrom(read: ReadInto, file: string, columns: CsvColumns = {}, size = 0, chunk = CHUNK): GeoData | undefined {
  try {
    return readChunks(read, file, columns, size, chunk);
  } catch (e) {
    if (e instanceof Unsure || e instanceof ScenarioError) return undefined;
    throw e;
  }
}

/**
 * The same, from a file on disk, read a chunk at a time; undefined also when the file cannot be
 * read or is over `limit` bytes (the text's reading says why).
 */
export function readCsvFile(path: string, file: string, columns: CsvColumns = {}, limit = Infinity): GeoData | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    let size: number;
    try {
      const st = fstatSync(fd);
      if (!st.isFile() || st.size > limit) return undefined;
      size = st.size;
    } catch {
      return undefined;
    }
    let total = 0;
    const read: ReadInto = (buf, at, length) => {
      let got: number;
      try {
        got = readSync(fd, buf, at, length, null);
      } catch {
        throw UNSURE;
      }
      total += got;
      if (total > limit) throw UNSURE;
      return got;
    };
    return readCsvFrom(read, file, columns, size);
  } finally {
    closeSync(fd);
  }
}

/** The same, from bytes in memory. */
export function readCsvBytes(bytes: Uint8Array, file: string, columns: CsvColumns = {}, chunk = CHUNK): GeoData | undefined {
  let at = 0;
  const read: ReadInto = (buf, to, length) => {
    const k = Math.min(length, bytes.length - at);
    buf.set(bytes.subarray(at, at + k), to);
    at += k;
    return k;
  };
  return readCsvFrom(read, file, columns, bytes.length, chunk);
}

/** The bytes read so far and not yet parsed, in a buffer that grows when a line does not fit it. */
class Window {
  buf: Buffer;
  /** Where the unparsed bytes start, and end. */
  pos = 0;
  have = 0;
  eof = false;
  /** Bytes read so far, and the file's first two (to tell a zip archive). */
  private total = 0;
  private b0 = -1;
  private b1 = -1;

  constructor(
    private readonly read: ReadInto,
    chunk: number,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, chunk));
  }

  /** Reads more (the unparsed bytes moved to the start first); false at the file's end. Throws Unsure for bytes that are not ASCII, or a zip archive. */
  more(): boolean {
    if (this.eof) return false;
    const { pos, have } = this;
    if (pos > 0) {
      this.buf.copy(this.buf, 0, pos, have);
      this.have -= pos;
      this.pos = 0;
    }
    if (this.have === this.buf.length) {
      const bigger = Buffer.allocUnsafe(2 * this.buf.length);
      this.buf.copy(bigger, 0, 0, this.have);
      this.buf = bigger;
    }
    const got = this.read(this.buf, this.have, this.buf.length - this.have);
    if (got === 0) {
      this.eof = true;
      return false;
    }
    // Not text, or a zip archive: the text's reading says so.
    if (!isAscii(this.buf.subarray(this.have, this.have + got))) throw UNSURE;
    if (this.total === 0) this.b0 = this.buf[this.have];
    if (this.total <= 1 && this.total + got >= 2) this.b1 = this.buf[this.have + 1 - this.total];
    if (this.b0 === 0x50 && this.b1 === 0x4b) throw UNSURE;
    this.total += got;
    this.have += got;
    return true;
  }

  /** The end of the line starting at pos (its line break, or the file's end: then `have`), reading more as needed; pos may move. */
  lineEnd(): number {
    let from = this.pos;
    for (;;) {
      const j = this.buf.indexOf(10, from);
      if (j >= 0 && j < this.have) return j;
      const scanned = this.have - this.pos;
      if (!this.more()) return this.have;
      from = this.pos + scanned;
    }
  }
}

function readChunks(read: ReadInto, file: string, columns: CsvColumns, size: number, chunk: number): GeoData | undefined {
  const w = new Window(read, chunk);
  // The delimiter, from the first line as csv.ts finds it.
  const nl = w.lineEnd();
  const delimiter = detectDelimiter(w.buf.toString('latin1', 0, nl));
  const cls = classes(delimiter.charCodeAt(0));
  // The header: the first line that is not blank (spaces only), read by readRows's rules.
  let line = 0;
  let layout: ReturnType<typeof headerLayout> | undefined;
  for (;;) {
    const j = w.lineEnd();
    const { buf, pos } = w;
    line++;
    let blank = true;
    for (let p = pos; p < j; p++) {
      const c = buf[p];
      if (cls[c] === OTHER) throw UNSURE;
      if (c !== SP) blank = false;
    }
    if (!blank) layout = headerLayout(buf.toString('latin1', pos, j), delimiter, file, columns);
    w.pos = j + 1;
    if (layout) break;
    // The file's end: no header, and the text says what is wrong.
    if (j >= w.have && w.eof) return undefined;
  }
  const { col, width, extra, names } = layout;
  const data = emptyGeoData(file, 'csv');
  // Rows fit the columns at the first row's length (and the file's size); they grow if rows are shorter.
  const firstEnd = w.lineEnd();
  const firstLength = Math.max(8, firstEnd - w.pos + 1);
  const rows = new RowStore(Math.ceil((Math.max(size, w.have) / firstLength) * 1.25) + 16);
  const fallback = basename(file, extname(file));
  const cut = new Int32Array(width + 1);
  // The last row's unit, and where its name lies in the buffer (-1: not there any more).
  let lastUnit: UnitRows | undefined;
  let lastA = -1;
  let lastB = -1;
  // The last line (after the last line break) is read too, as the text's reading reads it, empty or not.
  while (w.pos <= w.have) {
    let buf = w.buf;
    let start = w.pos;
    let p = scanLine(buf, start, w.have, cls, cut, width);
    // A line the bytes read do not hold to its end: read more, and scan it again where it moved to
    // (moved also when the file turns out to end there).
    while (p === w.have && !w.eof) {
      w.more();
      lastA = lastB = -1;
      buf = w.buf;
      start = w.pos;
      p = scanLine(buf, start, w.have, cls, cut, width);
    }
    if (p < 0) throw UNSURE;
    line++;
    w.pos = p + 1;
    if (fields === 1) {
      let q = start;
      while (q < p && buf[q] === SP) q++;
      if (q === p) continue;
    }
    if (fields !== width) throw UNSURE;
    const lat = numberAt(buf, cut, col.lat);
    const lon = numberAt(buf, cut, col.lon);
    if (!(Math.abs(lat) <= 90) || !(Math.abs(lon) <= 180)) throw UNSURE;
    fieldAt(buf, cut, col.time);
    const t = utcIn(buf, fa, fb) ?? parseFixTime(buf.toString('latin1', fa, fb));
    if (t === undefined) throw UNSURE;
    let u: UnitRows;
    if (col.unit < 0) u = rows.unitOf(fallback, () => firstRow(buf, cut, extra, names, line));
    else {
      fieldAt(buf, cut, col.unit);
      if (fa === fb) throw UNSURE;
      // Rows of one unit come together: the same bytes as the last row's name are the same unit.
      if (lastUnit && lastA >= 0 && sameBytes(buf, fa, fb, lastA, lastB)) u = lastUnit;
      else u = rows.unitOf(buf.toString('latin1', fa, fb), () => firstRow(buf, cut, extra, names, line));
      lastA = fa;
      lastB = fb;
    }
    lastUnit = u;
    rows.push(u, t, lon, lat);
  }
  rows.tracks(data);
  return rowNumbers(data, columns, layout);
}

/** The fields scanLine found on its line. */
let fields = 0;

/**
 * One line from `start`: its delimiters' offsets in cut[1..] (cut[0] before its start, cut[fields]
 * its end), their count in `fields`; the offset of its end (its line break, or the file's end),
 * or -1 for a byte the reader leaves to csv-parse or more fields than `width`. A function of its
 * own, called for each line, so that it is compiled early.
 */
function scanLine(buf: Uint8Array, start: number, n: number, cls: Uint8Array, cut: Int32Array, width: number): number {
  cut[0] = start - 1;
  let f = 1;
  let p = start;
  for (; p < n; p++) {
    const k = cls[buf[p]];
    if (k === FIELD) continue;
    if (k === NEWLINE) break;
    if (k === OTHER || f >= width) return -1;
    cut[f++] = p;
  }
  cut[f] = p;
  fields = f;
  return p;
}

/** Field k's bytes, spaces around them aside: buf[fa..fb). */
let fa = 0;
let fb = 0;

function fieldAt(buf: Uint8Array, cut: Int32Array, k: number): void {
  let a = cut[k] + 1;
  let b = cut[k + 1];
  while (a < b && buf[a] === SP) a++;
  while (b > a && buf[b - 1] === SP) b--;
  fa = a;
  fb = b;
}

/** Field k as a number: read where it lies when written plainly, else by Number() (NaN when empty). */
function numberAt(buf: Buffer, cut: Int32Array, k: number): number {
  fieldAt(buf, cut, k);
  const v = decimalIn(buf, fa, fb);
  if (v === v) return v;
  return fa === fb ? NaN : Number(buf.toString('latin1', fa, fb));
}

/** Whether buf[a..b) and buf[c..d) hold the same bytes. */
function sameBytes(buf: Uint8Array, a: number, b: number, c: number, d: number): boolean {
  if (b - a !== d - c) return false;
  for (let k = 0; k < b - a; k++) if (buf[a + k] !== buf[c + k]) return false;
  return true;
}

/** A unit's first row: where it is, and its other columns (those not empty), as csv.ts keeps them. */
function firstRow(
  buf: Buffer,
  cut: Int32Array,
  extra: number[],
  names: string[],
  line: number,
): { at: { line: number; column: number }; props: Record<string, unknown> } {
  const props: Record<string, unknown> = {};
  for (const k of extra) {
    fieldAt(buf, cut, k);
    if (fa < fb) props[names[k]] = buf.toString('latin1', fa, fb);
  }
  return { at: { line, column: 1 }, props };
}
