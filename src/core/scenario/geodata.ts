/**
 * What deconflict takes from another tool's file: timed tracks, shapes (polygons and lines, for
 * zones) and untimed points (for sites). Every item remembers where it is in its file, so that
 * messages can point there.
 */
import type { ScenarioError } from '../errors.js';
import { geodesicDistance } from '../geo/geodesic.js';
import type { LonLat } from '../position.js';

/** The formats deconflict reads tracks and zones from. */
export const TRACK_FORMATS = ['gpx', 'kml', 'geojson', 'csv'] as const;
export type TrackFormat = (typeof TRACK_FORMATS)[number];

/** A timed fix: epoch ms, degrees. */
export interface Fix {
  t: number;
  lon: number;
  lat: number;
}

/**
 * Timed fixes as columns (epoch ms, degrees; one buffer for the three, as a compiled Track keeps
 * them): what the CSV reader gives, without an object per fix. A file of 20,000 units and
 * 700,000 rows made 700,000 fix objects, then as many points again, most of a load's garbage.
 */
export interface FixColumns {
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
}

/** Columns for n fixes, in one buffer. */
export function fixColumns(n: number): FixColumns {
  const buf = new Float64Array(3 * n);
  return { t: buf.subarray(0, n), lon: buf.subarray(n, 2 * n), lat: buf.subarray(2 * n) };
}

/** Columns as fix objects (for the readers and commands that work with Fix). */
export function fixesOf(c: FixColumns): Fix[] {
  const out: Fix[] = new Array<Fix>(c.t.length);
  for (let i = 0; i < c.t.length; i++) out[i] = { t: c.t[i], lon: c.lon[i], lat: c.lat[i] };
  return out;
}

/** Fix objects as columns. */
export function columnsOf(fixes: readonly Fix[]): FixColumns {
  const c = fixColumns(fixes.length);
  for (let i = 0; i < fixes.length; i++) {
    c.t[i] = fixes[i].t;
    c.lon[i] = fixes[i].lon;
    c.lat[i] = fixes[i].lat;
  }
  return c;
}

export interface Where {
  line: number;
  column: number;
}

/**
 * A track found in a file. `timed` tracks have a time on every fix; a `timestamp` track (a KML
 * LineString with one TimeStamp) knows only when it starts; an `untimed` one is a path with no
 * times at all. The last two need a speed (and an untimed one a start time) to become a track.
 */
export interface ImportedTrack {
  name: string;
  id?: string;
  kind: 'timed' | 'timestamp' | 'untimed';
  /** Fixes in time order (timed tracks); for a track read as columns, made from them when first read. */
  fixes: Fix[];
  /** The same fixes as columns, when the reader gave them so (CSV); the loader reads these. */
  columns?: FixColumns;
  /** The path (timestamp and untimed tracks). */
  coords: LonLat[];
  /** Start time (timestamp tracks). */
  begin?: number;
  /** How the file wrote it, for messages: "GPX track", "KML gx:Track"... */
  what: string;
  at: Where;
  /** Extra properties that tell about the unit (GeoJSON/KML properties, CSV columns). */
  props?: Record<string, unknown>;
  /** Recorded fixes that were out of time order (sorted) or at a time already recorded (dropped). */
  tidied?: { unordered: number; duplicates: number };
  /**
   * A fault in this track (a point without a time...), thrown when the track is used: one bad
   * track does not keep the others of its file from being used.
   */
  problem?: ScenarioError;
}

export interface ImportedShape {
  name: string;
  id?: string;
  kind: 'polygon' | 'line';
  /** Polygon rings (outer first, then holes), closed. */
  rings?: LonLat[][];
  /** Line points in order. */
  line?: LonLat[];
  what: string;
  at: Where;
  /** Whether the line carries times (then it is a track, not a zone). */
  timed?: boolean;
}

export interface ImportedPoint {
  name: string;
  id?: string;
  pos: LonLat;
  what: string;
  at: Where;
}

export interface GeoData {
  file: string;
  format: TrackFormat;
  tracks: ImportedTrack[];
  shapes: ImportedShape[];
  points: ImportedPoint[];
  /** What the reader left out or changed, for the user (e.g. start and end markers beside a track). */
  notes: string[];
}

export function emptyGeoData(file: string, format: TrackFormat): GeoData {
  return { file, format, tracks: [], shapes: [], points: [], notes: [] };
}

/** Drop a third (altitude) coordinate and check the range; undefined if not a position. */
export function lonLat(c: unknown): LonLat | undefined {
  if (!Array.isArray(c) || c.length < 2) return undefined;
  const lon = c[0];
  const lat = c[1];
  if (typeof lon !== 'number' || typeof lat !== 'number' || !Number.isFinite(lon) || !Number.isFinite(lat)) return undefined;
  if (lat < -90 || lat > 90 || lon < -180 || lon > 180) return undefined;
  return [lon, lat];
}

/** Times along a path at a constant speed (m/s) from `begin`. */
export function timesAtSpeed(coords: LonLat[], begin: number, speed: number): number[] {
  const out = [begin];
  let t = begin;
  for (let i = 1; i < coords.length; i++) {
    t += Math.max(1, Math.round((geodesicDistance(coords[i - 1], coords[i]) / speed) * 1000));
    out.push(t);
  }
  return out;
}

/** Times along a path spread between begin and end in proportion to distance (a KML TimeSpan). */
export function timesBetween(coords: LonLat[], begin: number, end: number): number[] {
  const cum = [0];
  for (let i = 1; i < coords.length; i++) cum.push(cum[i - 1] + geodesicDistance(coords[i - 1], coords[i]));
  const total = cum[cum.length - 1];
  const n = coords.length;
  return coords.map((_, i) => Math.round(begin + (end - begin) * (total > 0 ? cum[i] / total : n > 1 ? i / (n - 1) : 0)));
}

/** A short id from a name: letters, digits, "_", "-" and "." only. */
export function slug(name: string, fallback: string): string {
  const s = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return s || fallback;
}

/**
 * Recorded fixes in time order for the engine: sorted stably, and of fixes at the same time the
 * first is kept. Says how many were out of order or dropped, for the loader's warning.
 */
export function tidyFixes(fixes: Fix[]): { fixes: Fix[]; unordered: number; duplicates: number } {
  let unordered = 0;
  for (let i = 1; i < fixes.length; i++) if (fixes[i].t < fixes[i - 1].t) unordered++;
  const sorted = unordered
    ? fixes
        .map((f, i) => ({ f, i }))
        .sort((a, b) => a.f.t - b.f.t || a.i - b.i)
        .map((x) => x.f)
    : fixes;
  const out: Fix[] = [];
  let duplicates = 0;
  for (const f of sorted) {
    if (out.length && out[out.length - 1].t === f.t) duplicates++;
    else out.push(f);
  }
  return { fixes: out, unordered, duplicates };
}

/** A timed track from recorded fixes, tidied, remembering what tidying did. */
export function timedTrack(fixes: Fix[], track: Omit<ImportedTrack, 'kind' | 'fixes' | 'coords' | 'tidied'>): ImportedTrack {
  const t = tidyFixes(fixes);
  return {
    ...track,
    kind: 'timed',
    fixes: t.fixes,
    coords: [],
    ...(t.unordered || t.duplicates ? { tidied: { unordered: t.unordered, duplicates: t.duplicates } } : {}),
  };
}

/**
 * Columns tidied as tidyFixes tidies fixes: sorted stably by time, and of fixes at the same time
 * the first kept. The columns themselves when there is nothing to tidy.
 */
export function tidyColumns(c: FixColumns): { columns: FixColumns; unordered: number; duplicates: number } {
  const n = c.t.length;
  let unordered = 0;
  let equal = 0;
  for (let i = 1; i < n; i++) {
    if (c.t[i] < c.t[i - 1]) unordered++;
    else if (c.t[i] === c.t[i - 1]) equal++;
  }
  // In order without two fixes at one time (the usual recording): nothing to tidy.
  if (!unordered && !equal) return { columns: c, unordered, duplicates: 0 };
  let order: number[] | undefined;
  if (unordered) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => c.t[a] - c.t[b] || a - b);
  }
  const at = (k: number) => (order ? order[k] : k);
  let kept = 0;
  for (let k = 0; k < n; k++) if (k === 0 || c.t[at(k)] !== c.t[at(k - 1)]) kept++;
  const duplicates = n - kept;
  if (!unordered && !duplicates) return { columns: c, unordered, duplicates };
  const out = fixColumns(kept);
  let j = 0;
  for (let k = 0; k < n; k++) {
    const i = at(k);
    if (j > 0 && out.t[j - 1] === c.t[i]) continue;
    out.t[j] = c.t[i];
    out.lon[j] = c.lon[i];
    out.lat[j] = c.lat[i];
    j++;
  }
  return { columns: out, unordered, duplicates };
}

/**
 * A timed track read as columns (tidied): its `fixes` are made from the columns only if something
 * reads them (the loader reads the columns). A class, so that the getter costs nothing per track.
 */
class ColumnsTrack implements ImportedTrack {
  readonly kind = 'timed' as const;
  readonly coords: LonLat[] = [];
  name: string;
  id?: string;
  what: string;
  at: Where;
  props?: Record<string, unknown>;
  tidied?: { unordered: number; duplicates: number };
  problem?: ScenarioError;
  columns?: FixColumns;
  private made?: Fix[];

  constructor(columns: FixColumns, track: Omit<ImportedTrack, 'kind' | 'fixes' | 'coords' | 'tidied' | 'columns'>) {
    const t = tidyColumns(columns);
    this.name = track.name;
    if (track.id !== undefined) this.id = track.id;
    this.what = track.what;
    this.at = track.at;
    if (track.props !== undefined) this.props = track.props;
    if (track.problem !== undefined) this.problem = track.problem;
    if (t.unordered || t.duplicates) this.tidied = { unordered: t.unordered, duplicates: t.duplicates };
    this.columns = t.columns;
  }

  get fixes(): Fix[] {
    return (this.made ??= this.columns ? fixesOf(this.columns) : []);
  }

  /** Fixes set in place of the read ones replace the columns too. */
  set fixes(v: Fix[]) {
    this.made = v;
    this.columns = undefined;
  }
}

/** A timed track from recorded fixes given as columns (tidied); its `fixes` are made from the columns only if something reads them. */
export function timedColumnsTrack(columns: FixColumns, track: Omit<ImportedTrack, 'kind' | 'fixes' | 'coords' | 'tidied' | 'columns'>): ImportedTrack {
  return new ColumnsTrack(columns, track);
}

/**
 * My Tracks, OpenTracks and others put start and end markers beside a recorded track: timed
 * points at the track's first and last fix. Read as they are they would become units of a single
 * fix; a track made only of fixes at another track's ends (within 5 s and 100 m) is such a
 * marker, and is left out with a note.
 */
export function dropEndMarkers(data: GeoData): void {
  // A track's first and last fix, from its columns when it has them (its fixes are then not made).
  const count = (t: ImportedTrack) => (t.columns ? t.columns.t.length : t.fixes.length);
  const fixAt = (t: ImportedTrack, i: number): Fix => (t.columns ? { t: t.columns.t[i], lon: t.columns.lon[i], lat: t.columns.lat[i] } : t.fixes[i]);
  // Only a track of a single fix can be a marker: without one, no track's ends are looked at.
  if (!data.tracks.some((t) => t.kind === 'timed' && count(t) === 1)) return;
  const ends: Fix[] = [];
  for (const t of data.tracks) if (t.kind === 'timed' && count(t) >= 2) ends.push(fixAt(t, 0), fixAt(t, count(t) - 1));
  if (!ends.length) return;
  const atEnd = (f: Fix) => ends.some((e) => Math.abs(e.t - f.t) <= 5000 && geodesicDistance([e.lon, e.lat], [f.lon, f.lat]) <= 100);
  // A marker is a track of a single fix (a track of two has ends of its own, which it would match).
  const markers = data.tracks.filter((t) => t.kind === 'timed' && count(t) === 1 && !t.problem && atEnd(fixAt(t, 0)));
  if (!markers.length) return;
  data.tracks = data.tracks.filter((t) => !markers.includes(t));
  data.notes.push(
    `${data.file}: ${markers.map((m) => `'${m.name}'`).join(', ')} ${markers.length === 1 ? 'is a start or end marker' : 'are start and end markers'} of a track (at its first or last fix); left out`,
  );
}
