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

/**
 * The tracks of a CSV file from its bytes, as readCsv reads its text; undefined when the file is
 * not of the plain kind this reader reads (readCsv then reads the text, and says what is wrong).
 */
export function readCsvBytes(bytes: Uint8Array, file: string, columns: CsvColumns = {}): GeoData | undefined {
  // Not text, or a zip archive: the text's reading says so.
  if (!isAscii(bytes) || (bytes[0] === 0x50 && bytes[1] === 0x4b)) return undefined;
  try {
    return readBytes(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), file, columns);
  } catch (e) {
    if (e instanceof Unsure || e instanceof ScenarioError) return undefined;
    throw e;
  }
}

function readBytes(buf: Buffer, file: string, columns: CsvColumns): GeoData | undefined {
  const n = buf.length;
  // The delimiter, from the first line as csv.ts finds it.
  const nl = buf.indexOf(10);
  const delimiter = detectDelimiter(buf.toString('latin1', 0, nl < 0 ? n : nl));
  const cls = classes(delimiter.charCodeAt(0));
  // The header: the first line that is not blank (spaces only), read by readRows's rules.
  let i = 0;
  let line = 0;
  let layout: ReturnType<typeof headerLayout> | undefined;
  while (i <= n && !layout) {
    let j = buf.indexOf(10, i);
    if (j < 0) j = n;
    line++;
    let blank = true;
    for (let p = i; p < j; p++) {
      const c = buf[p];
      if (cls[c] === OTHER) throw UNSURE;
      if (c !== SP) blank = false;
    }
    if (!blank) layout = headerLayout(buf.toString('latin1', i, j), delimiter, file, columns);
    i = j + 1;
  }
  // No header: the text says what is wrong.
  if (!layout) return undefined;
  const { col, width, extra, names } = layout;
  const data = emptyGeoData(file, 'csv');
  // Rows fit the columns at the first row's length; they grow if rows are shorter.
  const firstEnd = buf.indexOf(10, i);
  const firstLength = Math.max(8, (firstEnd < 0 ? n : firstEnd) - i + 1);
  const rows = new RowStore(Math.ceil(((n - i) / firstLength) * 1.25) + 16);
  const fallback = basename(file, extname(file));
  const cut = new Int32Array(width + 1);
  // The last row's unit, and where its name lies.
  let lastUnit: UnitRows | undefined;
  let lastA = 0;
  let lastB = 0;
  while (i <= n) {
    const start = i;
    const p = scanLine(buf, start, n, cls, cut, width);
    if (p < 0) throw UNSURE;
    line++;
    i = p + 1;
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
      if (lastUnit && sameBytes(buf, fa, fb, lastA, lastB)) u = lastUnit;
      else {
        u = rows.unitOf(buf.toString('latin1', fa, fb), () => firstRow(buf, cut, extra, names, line));
        lastA = fa;
        lastB = fb;
      }
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
    let a = cut[k] + 1;
    let b = cut[k + 1];
    while (a < b && buf[a] === SP) a++;
    while (b > a && buf[b - 1] === SP) b--;
    if (a < b) props[names[k]] = buf.toString('latin1', a, b);
  }
  return { at: { line, column: 1 }, props };
}
