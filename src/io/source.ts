/**
 * Reading the files other tools write: size limit, text decoding, format detection, times,
 * and errors that name the file, line and column (ScenarioError, so the CLI prints one line
 * and exits 2).
 */
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { ScenarioError } from '../core/errors.js';

/** The formats deconflict reads tracks and zones from. */
export const TRACK_FORMATS = ['gpx', 'kml', 'geojson', 'csv'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

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
  const limit = MAX_FORMAT_BYTES[format];
  if (bytes <= limit) return;
  const xml = format === 'gpx' || format === 'kml';
  throw fileError(
    name,
    1,
    1,
    `the file is ${(bytes / 1048576).toFixed(1)} MiB, over the ${limit / 1048576} MiB limit for ${format.toUpperCase()} files`,
    xml ? 'split the recording, or convert it to CSV (unit,time,lat,lon), which is read up to 50 MiB in a fraction of the memory' : undefined,
  );
}

/** An error in a file deconflict reads (not the scenario): file:line:column, what is wrong, and a hint. */
export function fileError(file: string, line: number, column: number, message: string, hint?: string, field = ''): ScenarioError {
  // Messages quote names and values from the file: their control characters are shown, not sent to the terminal.
  return new ScenarioError({ file, line: Math.max(1, line), column: Math.max(1, column), field: printable(field), message: printable(message), hint: hint === undefined ? undefined : printable(hint) });
}

/**
 * Read a file as UTF-8 text; any problem is a ScenarioError naming it. `format`, when known
 * before reading: its own size limit is checked before a byte is read (else the general one).
 */
export function readText(path: string, name = path, format?: TrackFormat): string {
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw fileError(name, 1, 1, 'this is a folder, not a file');
    size = st.size;
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw fileError(name, 1, 1, code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})`);
  }
  if (format) checkFormatSize(size, format, name);
  else if (size > MAX_IMPORT_BYTES) throw fileError(name, 1, 1, `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_IMPORT_BYTES / 1048576} MiB limit for track and zone files`);
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw fileError(name, 1, 1, `cannot read the file (${(e as NodeJS.ErrnoException).code})`);
  }
  return decodeText(buf, name);
}

/** Decode bytes as UTF-8 text (a BOM is dropped); binary data is refused. */
export function decodeText(buf: Uint8Array, name: string): string {
  if (buf.length >= 2 && buf[0] === 0x50 && buf[1] === 0x4b) throw fileError(name, 1, 1, 'this is a zip archive (a KMZ?), not a text file', 'unzip it and use the doc.kml inside');
  if (buf.includes(0)) throw fileError(name, 1, 1, 'this is not a text file (it contains NUL bytes)');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw fileError(name, 1, 1, 'the file is not valid UTF-8 text', 'save it as UTF-8');
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw fileError(name, 1, 1, 'the file is empty');
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
  return String(v);
}

/**
 * Text from a file made safe for a terminal line: control characters (C0, DEL, C1 — escape
 * sequences, newlines) shown as \xNN instead of acting on the terminal.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
