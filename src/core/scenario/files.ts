/**
 * The port through which the loader reads the files a scenario refers to (a unit's
 * `track: {file: convoy.gpx}`, a zone's `file: zones.kml`). The core only says what it needs;
 * src/io/node/files.ts answers for Node (the disk, the GPX, KML, GeoJSON and CSV readers). A
 * scenario parsed without one cannot refer to files.
 */
import type { ScenarioError } from '../errors.js';
import type { GeoData, TrackFormat } from './geodata.js';

export { TRACK_FORMATS, type TrackFormat } from './geodata.js';

/** CSV column names, when a file does not use the usual ones. */
export interface CsvColumns {
  unit?: string;
  time?: string;
  lat?: string;
  lon?: string;
}

/** A referenced file, resolved: its path, the name messages show, and its real path (for caching). */
export interface ResolvedFile {
  path: string;
  display: string;
  real: string;
}

/** Where a reference is resolved from, and how a problem with it is reported. */
export interface ResolveContext {
  /** The scenario's folder (defined: the scenario came from a file). */
  baseDir: string;
  /** The folder as shown in messages (the scenario's display path's folder). */
  displayDir: string;
  /** Allow paths that lead outside the scenario's folder. */
  allowOutside?: boolean;
  /** An error at a field under the reference (e.g. ['file']). */
  fail(sub: (string | number)[], message: string, hint?: string): ScenarioError;
}

export interface ScenarioFiles {
  /** Resolve a `file:` reference against the scenario's folder; a missing file, a folder, or a path outside the folder (unless allowed) is `ctx.fail(['file'], …)`. */
  resolve(file: string, ctx: ResolveContext): ResolvedFile;
  /** Read a GPX, KML, GeoJSON or CSV file; its problems are ScenarioErrors naming it (`displayName`), line and column. */
  readGeo(path: string, o: { format?: TrackFormat; columns?: CsvColumns; displayName: string }): GeoData;
}
