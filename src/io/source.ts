/**
 * Reading the files other tools write: size limit, text decoding, format detection, times,
 * and errors that name the file, line and column (ScenarioError, so the CLI prints one line
 * and exits 2).
 */
import { isAscii, isUtf8 } from 'node:buffer';
import { terminalLine } from '../core/text/safe.js';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { extname } from 'node:path';
import { ScenarioError } from '../core/errors.js';
import { TRACK_FORMATS, type TrackFormat } from '../core/scenario/files.js';

export { TRACK_FORMATS, type TrackFormat };

/** Largest track or zone file read, in bytes. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/**
 * Largest file per format. GPX and KML are read as a whole XML document, which takes about a
 * hundred times the file's size in memory and grows worse than linearly in time (measured: 9.5 MiB
 * of GPX, 0.9 GB and 7 s; 15.9 MiB, 2.0 GB and 15 s), so they stop at 8 MiB. GeoJSON and CSV are
 * lighter (46.5 MiB of GeoJSON, 1 M points: 0.8 GB and 3 s; 30 MiB of CSV: 0.7 GB and 6 s).
 */
export const MAX_FORMAT_BYTES: Record<TrackFormat, number> = {
  gpx: 8 * 1024 * 1024,
  kml: 8 * 1024 * 1024,
  geojson: MAX_IMPORT_BYTES,
  csv: MAX_IMPORT_BYTES,
};

/** The file is too large for its format: the message, with a way out for recordings in XML. */
export function checkFormatSize(bytes: number, format: TrackFormat, name: string): void {
  if (bytes <= MAX_FORMAT_BYTES[format]) return;
  const o = formatSizeMessage(bytes, format);
  throw fileError(name, 1, 1, o.message, o.hint);
}

function formatSizeMessage(bytes: number, format: TrackFormat): { message: string; hint?: string } {
  const xml = format === 'gpx' || format === 'kml';
  return {
    message: `the file is ${(bytes / 1048576).toFixed(1)} MiB, over the ${MAX_FORMAT_BYTES[format] / 1048576} MiB limit for ${format.toUpperCase()} files`,
    hint: xml ? 'split the recording, or convert it to CSV (unit,time,lat,lon), which is read up to 50 MiB in a fraction of the memory' : undefined,
  };
}

/** An error in a file deconflict reads (not the scenario): file:line:column, what is wrong, and a hint. */
export function fileError(file: string, line: number, column: number, message: string, hint?: string, field = '', track?: string): ScenarioError {
  // Messages quote names and values from the file: their control characters are shown, not sent to the terminal.
  return new ScenarioError({
    file,
    line: Math.max(1, line),
    column: Math.max(1, column),
    field: terminalLine(field),
    message: terminalLine(message),
    hint: hint === undefined ? undefined : terminalLine(hint),
    track,
  });
}

/** What a file is, when it is not a regular file. */
function notRegular(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'this is a folder, not a file';
  const what = st.isFIFO()
    ? 'a named pipe (FIFO)'
    : st.isCharacterDevice() || st.isBlockDevice()
      ? 'a device'
      : st.isSocket()
        ? 'a socket'
        : 'not a regular file';
  return `this is ${what}, not a regular file`;
}

export interface ReadLimit {
  /** Most bytes read. */
  limit: number;
  /** The message (and hint) for a file of `size` bytes over the limit. */
  over(size: number): { message: string; hint?: string };
}

/**
 * The one way deconflict reads an input file: opened without waiting (a named pipe does not block
 * the open), refused unless it is a regular file (a pipe, device or socket never ends or never
 * starts), and read up to the limit, counted on the bytes actually read (a file that grows while
 * it is read is refused all the same). Any problem is a ScenarioError naming the file.
 */
export function readInput(path: string, name: string, lim: ReadLimit): Uint8Array {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw fileError(name, 1, 1, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'this is a folder, not a file' : `cannot read the file (${code})`);
  }
  try {
    const st = fstatSync(fd);
    const bad = notRegular(st);
    if (bad) throw fileError(name, 1, 1, bad, 'deconflict reads files from disk');
    if (st.size > lim.limit) {
      const o = lim.over(st.size);
      throw fileError(name, 1, 1, o.message, o.hint);
    }
    // One byte more than the limit, to tell a file that grew past it.
    const buf = Buffer.allocUnsafe(Math.min(lim.limit + 1, Math.max(st.size + 1, 64 * 1024)));
    let n = 0;
    let into = buf;
    for (;;) {
      if (n === into.length) {
        if (into.length > lim.limit) break;
        const bigger = Buffer.allocUnsafe(Math.min(lim.limit + 1, into.length * 2));
        into.copy(bigger, 0, 0, n);
        into = bigger;
      }
      const got = readSync(fd, into, n, into.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > lim.limit) {
      const o = lim.over(n);
      throw fileError(name, 1, 1, o.message, o.hint);
    }
    return into.subarray(0, n);
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw fileError(name, 1, 1, `cannot read the file (${(e as NodeJS.ErrnoException).code})`);
  } finally {
    closeSync(fd);
  }
}

/**
 * Read a file as UTF-8 text; any problem is a ScenarioError naming it. `format`, when known
 * before reading: its own size limit applies (else the general one).
 */
export function readText(path: string, name = path, format?: TrackFormat): string {
  return decodeText(readFileBytes(path, name, format), name);
}

/** The bytes readText decodes (the same checks of the file and its size). */
export function readFileBytes(path: string, name = path, format?: TrackFormat): Uint8Array {
  const limit = format ? MAX_FORMAT_BYTES[format] : MAX_IMPORT_BYTES;
  return readInput(path, name, {
    limit,
    over: (size) =>
      format
        ? formatSizeMessage(size, format)
        : { message: `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_IMPORT_BYTES / 1048576} MiB limit for track and zone files` },
  });
}

/** Decode bytes as UTF-8 text (a BOM is dropped); binary data is refused. */
export function decodeText(buf: Uint8Array, name: string): string {
  if (buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x4b)
    throw fileError(name, 1, 1, 'this is a zip archive (a KMZ?), not a text file', 'unzip it and use the doc.kml inside');
  if (buf.includes(0)) throw fileError(name, 1, 1, 'this is not a text file (it contains NUL bytes)');
  // Node's native check, then its native decoder: a tenth of a fatal TextDecoder's time on large files.
  // Text that is all ASCII (most track files) is the same read as Latin-1, which copies the bytes
  // as they are: several times faster than decoding UTF-8 on a file of tens of megabytes.
  const ascii = isAscii(buf);
  if (!ascii && !isUtf8(buf)) throw fileError(name, 1, 1, 'the file is not valid UTF-8 text', 'save it as UTF-8');
  let text = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength).toString(ascii ? 'latin1' : 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Whether anything but white space is there, found without trim()'s copy of the whole text.
  if (!/\S/.test(text)) throw fileError(name, 1, 1, 'the file is empty');
  return text;
}

/** The format of a file, from its extension, else from its first characters. */
export function detectFormat(path: string, text: string): TrackFormat | undefined {
  const ext = extname(path).toLowerCase();
  if (ext === '.gpx') return 'gpx';
  if (ext === '.kml') return 'kml';
  if (ext === '.geojson' || ext === '.json') return 'geojson';
  if (ext === '.csv' || ext === '.tsv' || ext === '.txt') return 'csv';
  const head = text.slice(0, 2000).trimStart();
  if (head.startsWith('{')) return 'geojson';
  if (head.startsWith('<')) {
    if (/<gpx[\s>]/.test(head)) return 'gpx';
    if (/<kml[\s>]/.test(head)) return 'kml';
    return undefined;
  }
  if (/^[^\n]*[,;\t]/.test(head)) return 'csv';
  return undefined;
}

/** Line and column (from 1) of a character offset. */
export function lineColAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  }
  return { line, column: end - last };
}

const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|z|UTC|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A fix time as other tools write it: ISO 8601 (a time without a zone is UTC), or a number of
 * seconds (below 1e11) or milliseconds since 1970. Returns epoch ms, or undefined.
 */
export function parseFixTime(v: unknown): number | undefined {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    return Math.round(Math.abs(v) < 1e11 ? v * 1000 : v);
  }
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const quick = quickUtc(s);
  if (quick !== undefined) return quick;
  if (/^-?\d+(\.\d+)?$/.test(s)) return parseFixTime(Number(s));
  const m = ISO_RE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', frac = '', zone = 'Z'] = m;
  let z = zone === 'z' || zone === 'UTC' ? 'Z' : zone;
  if (z !== 'Z') {
    const zm = /^([+-]\d{2}):?(\d{2})?$/.exec(z)!;
    z = `${zm[1]}:${zm[2] ?? '00'}`;
  }
  const ms = frac ? `.${frac.slice(1, 4).padEnd(3, '0')}` : '';
  const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${sec}${ms}${z}`);
  if (Number.isNaN(t)) return undefined;
  // Date.parse rolls over impossible dates (Feb 30); refuse them.
  const check = new Date(t + (z === 'Z' ? 0 : zoneOffsetMs(z)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() + 1 !== Number(mo)) return undefined;
  return t;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
/** Start of each day met so far (epoch ms), by y*10000+m*100+d: recordings repeat their days. */
const dayStart = new Map<number, number>();
let lastDayKey = -1;
let lastDayStart = 0;

/** The digits at s[i..i+n) as a number, or -1 when one is not a digit. */
function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = i; k < i + n; k++) {
    const c = s.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/**
 * The form nearly every recording writes (2017-05-18T06:00:00Z), computed directly: the same
 * value parseFixTime's general path gives (checked by a property test), or undefined to leave the
 * text to that path.
 */
function quickUtc(s: string): number | undefined {
  return quickUtcAt(s, 0, s.length);
}

/**
 * The same for the text at s[a..b) (a CSV reader's field, read where it lies without cutting it
 * out of the line): epoch ms, or undefined to leave the field to parseFixTime.
 */
export function quickUtcAt(s: string, a: number, b: number): number | undefined {
  if (
    b - a !== 20 ||
    s.charCodeAt(a + 4) !== 45 ||
    s.charCodeAt(a + 7) !== 45 ||
    s.charCodeAt(a + 10) !== 84 ||
    s.charCodeAt(a + 13) !== 58 ||
    s.charCodeAt(a + 16) !== 58 ||
    s.charCodeAt(a + 19) !== 90
  )
    return undefined;
  const y = digits(s, a, 4);
  const mo = digits(s, a + 5, 2);
  const d = digits(s, a + 8, 2);
  const h = digits(s, a + 11, 2);
  const mi = digits(s, a + 14, 2);
  const sec = digits(s, a + 17, 2);
  return utcOf(y, mo, d, h, mi, sec);
}

/**
 * Epoch ms of the UTC time with these fields (-1: not digits), or undefined when they are not a
 * time quickUtcAt reads (a year before 100, a day the month does not have): Date.UTC's value,
 * each day's start computed once. The CSV reader of bytes (csv-bytes.ts) reads its digits itself.
 */
export function utcOf(y: number, mo: number, d: number, h: number, mi: number, sec: number): number | undefined {
  if (y < 100 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 59) return undefined;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (d > (mo === 2 && leap ? 29 : DAYS_IN_MONTH[mo - 1])) return undefined;
  const key = y * 10000 + mo * 100 + d;
  // Rows in a row are mostly of one day: the last day's start is kept aside from the map.
  if (key === lastDayKey) return lastDayStart + ((h * 60 + mi) * 60 + sec) * 1000;
  let day = dayStart.get(key);
  if (day === undefined) {
    day = Date.UTC(y, mo - 1, d);
    if (dayStart.size < 100_000) dayStart.set(key, day);
  }
  lastDayKey = key;
  lastDayStart = day;
  return day + ((h * 60 + mi) * 60 + sec) * 1000;
}

function zoneOffsetMs(z: string): number {
  const m = /^([+-])(\d{2}):(\d{2})$/.exec(z)!;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000;
}

/** Describe a value briefly for messages. */
export function brief(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'object') return Array.isArray(v) ? 'a list' : 'an object';
  // A primitive (a number, a boolean): String() says it as the file has it.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return String(v);
}
