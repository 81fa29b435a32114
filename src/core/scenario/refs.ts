/**
 * Scenario references to other tools' files: a unit's `track: {file: convoy.gpx, ...}` and a
 * zone's `file: zones.kml` (with `feature:`). Paths are resolved relative to the scenario's
 * folder; a path leading outside it is refused unless the loader allows it. Problems with the
 * reference itself are reported at the scenario's field; problems inside the referenced file
 * name that file, its line and column, and the scenario field that refers to it.
 */
import { didYouMean, ScenarioError } from '../errors.js';
import type { LonLat } from '../position.js';
import { formatTime, parseSpeed, parseTime } from '../units.js';
import type { CsvColumns, ResolvedFile, ScenarioFiles, TrackFormat } from './files.js';
import { columnsOf, fixColumns, timesAtSpeed, type FixColumns, type GeoData, type ImportedShape, type ImportedTrack } from './geodata.js';

export interface TrackRef {
  file: string;
  format?: TrackFormat;
  /** Which track: by name (GPX/KML name, GeoJSON name property, CSV unit value). */
  name?: string;
  /** Which track: by id (KML placemark id, GeoJSON feature id, CSV unit value). */
  id?: string;
  columns?: CsvColumns;
  /** Start time for a track without times (or to move a timed track so that it starts then). */
  starts?: string;
  /** Speed for a track without times on every point. */
  speed?: string;
}

export interface ShapeRef {
  file: string;
  format?: TrackFormat;
  /** Which polygon or line: its name or id. */
  feature?: string;
}

type Sub = (string | number)[];

export interface RefContext {
  /** How files are read (undefined: the scenario came as text and cannot refer to files). */
  files?: ScenarioFiles;
  /** The scenario's folder, or undefined when the scenario came as text with no folder. */
  baseDir?: string;
  /** The folder as shown in messages (the scenario's display path's folder). */
  displayDir: string;
  /** Allow paths that lead outside the scenario's folder. */
  allowOutside?: boolean;
  /** Files already read during this load. */
  cache: Map<string, GeoData>;
  /** An error at a field under the reference (e.g. ['name']). */
  fail(sub: Sub, message: string, hint?: string): ScenarioError;
  /** The scenario field holding the reference, e.g. `units[0].track`. */
  field: string;
  /** Where the reference is, e.g. `scenario.yaml:30:12`. */
  from: string;
}

/** Paths already resolved during a load, by scenario folder and reference (thousands of units refer to one file). */
const resolved = new WeakMap<Map<string, GeoData>, Map<string, ResolvedFile>>();

/** Resolve a referenced path (through the files port); refuse a missing file or one outside the scenario's folder. */
function resolvePath(file: string, ctx: RefContext): { files: ScenarioFiles; at: ResolvedFile } {
  if (ctx.baseDir === undefined || !ctx.files)
    throw ctx.fail(['file'], 'a scenario read from text cannot refer to files', 'load it from a file so that paths resolve relative to it');
  let byFile = resolved.get(ctx.cache);
  if (!byFile) resolved.set(ctx.cache, (byFile = new Map<string, ResolvedFile>()));
  const key = `${ctx.baseDir}\0${ctx.displayDir}\0${ctx.allowOutside ? 1 : 0}\0${file}`;
  let r = byFile.get(key);
  if (!r) byFile.set(key, (r = ctx.files.resolve(file, { baseDir: ctx.baseDir, displayDir: ctx.displayDir, allowOutside: ctx.allowOutside, fail: ctx.fail })));
  return { files: ctx.files, at: r };
}

/**
 * A fault in a referenced file: it names the file, and the scenario field that refers to it. Every
 * field referring to a file that could not be read gets the fault (the loader says it once); when
 * the reader knows the track it lies in (a CSV row's unit), the error of the field that selects
 * that track (`selects`: its id: or name:, or none) is marked as its own, and the loader names
 * that field, not the first to refer to the file.
 */
function inFile(e: ScenarioError, ctx: RefContext, selects?: string): ScenarioError {
  const own = e.track !== undefined && (selects === undefined || selects.toLowerCase() === e.track.toLowerCase());
  return new ScenarioError({
    file: e.file,
    line: e.line,
    column: e.column,
    field: `${ctx.field}${e.field ? ` → ${e.field}` : ''}`,
    message: e.detail,
    hint: `${e.hint ? `${e.hint}; ` : ''}referred to from ${ctx.from}`,
    ownTrack: own,
  });
}

/** CSV column names as the reader matches them (case does not matter), so that one file is read once however its columns are written. */
function columnsKey(columns: CsvColumns | undefined): string {
  if (!columns) return '';
  return (['unit', 'time', 'lat', 'lon'] as const).map((k) => (columns[k] === undefined ? '\u0001' : columns[k].toLowerCase())).join('\0');
}

/** Files that could not be read during a load: their error, so that a second reference does not read them again. */
const failed = new WeakMap<Map<string, GeoData>, Map<string, ScenarioError>>();

function read(ref: { file: string; format?: TrackFormat; columns?: CsvColumns; id?: string; name?: string }, ctx: RefContext): GeoData {
  const {
    files,
    at: { path, display, real },
  } = resolvePath(ref.file, ctx);
  const key = `${real}\0${ref.format ?? ''}\0${columnsKey(ref.columns)}`;
  let data = ctx.cache.get(key);
  if (!data) {
    let errors = failed.get(ctx.cache);
    if (!errors) failed.set(ctx.cache, (errors = new Map<string, ScenarioError>()));
    try {
      const before = errors.get(key);
      if (before) throw before;
      data = files.readGeo(path, { format: ref.format, columns: ref.columns, displayName: display });
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      errors.set(key, e);
      throw inFile(e, ctx, ref.id ?? ref.name);
    }
    ctx.cache.set(key, data);
  }
  return data;
}

/** A file's tracks by id and by name (the first of each), built once per file: scenarios with thousands of units refer to one file. */
const trackIndexes = new WeakMap<GeoData, { byId: Map<string, ImportedTrack>; byName: Map<string, ImportedTrack>; byLowerName: Map<string, ImportedTrack> }>();
function trackIndex(data: GeoData) {
  let ix = trackIndexes.get(data);
  if (!ix) {
    ix = { byId: new Map(), byName: new Map(), byLowerName: new Map() };
    for (const t of data.tracks) {
      if (t.id !== undefined && !ix.byId.has(t.id)) ix.byId.set(t.id, t);
      if (!ix.byName.has(t.name)) ix.byName.set(t.name, t);
      if (!ix.byLowerName.has(t.name.toLowerCase())) ix.byLowerName.set(t.name.toLowerCase(), t);
    }
    trackIndexes.set(data, ix);
  }
  return ix;
}

function list(names: string[]): string {
  const shown = names
    .slice(0, 8)
    .map((n) => `'${n}'`)
    .join(', ');
  return names.length > 8 ? `${shown} and ${names.length - 8} more` : shown;
}

function describeContents(d: GeoData): string {
  const parts = [];
  if (d.tracks.length) parts.push(`${d.tracks.length} track${d.tracks.length === 1 ? '' : 's'}`);
  if (d.shapes.length) parts.push(`${d.shapes.length} polygon${d.shapes.length === 1 ? '' : 's'} or line${d.shapes.length === 1 ? '' : 's'}`);
  if (d.points.length) parts.push(`${d.points.length} untimed point${d.points.length === 1 ? '' : 's'}`);
  return parts.length ? parts.join(', ') : 'nothing deconflict can use';
}

/**
 * The timed fixes of a unit's track from a file, as columns, ready for the track compiler
 * (recordedColumns in ./values.ts): a CSV track's own columns, not copied unless starts: moves
 * them, and no object per fix.
 */
export function trackFromRef(ref: TrackRef, ctx: RefContext, window: { start: number; end: number }): { fixes: FixColumns; tidied?: ImportedTrack['tidied'] } {
  const data = read(ref, ctx);
  const display = data.file;
  let track: ImportedTrack | undefined;
  if (ref.name !== undefined || ref.id !== undefined) {
    const key = ref.id ?? ref.name!;
    const sub = ref.id !== undefined ? 'id' : 'name';
    const ix = trackIndex(data);
    track = (sub === 'id' ? (ix.byId.get(key) ?? ix.byName.get(key)) : ix.byName.get(key)) ?? ix.byLowerName.get(key.toLowerCase());
    if (!track) {
      const names = data.tracks.map((t) => (sub === 'id' ? (t.id ?? t.name) : t.name));
      const guess = didYouMean(key, names);
      throw ctx.fail(
        [sub],
        `${display} has no track ${sub === 'id' ? 'with id' : 'named'} '${key}'`,
        guess ? `did you mean '${guess}'?` : names.length ? `its tracks: ${list(names)}` : `it has ${describeContents(data)}`,
      );
    }
  } else {
    const timed = data.tracks.filter((t) => t.kind !== 'untimed');
    const candidates = timed.length ? timed : data.tracks;
    if (candidates.length === 0) throw ctx.fail(['file'], `${display} has no tracks`, `it has ${describeContents(data)}`);
    if (candidates.length > 1)
      throw ctx.fail(['file'], `${display} has ${candidates.length} tracks: ${list(candidates.map((t) => t.name))}`, 'say which with name: (or id:)');
    track = candidates[0];
  }

  if (track.problem) throw inFile(track.problem, ctx);

  const start = window.start;
  const starts = ref.starts !== undefined ? parseTime(ref.starts, start) : undefined;
  if (ref.starts !== undefined && starts === undefined) throw ctx.fail(['starts'], `'${ref.starts}' is not a time`, 'e.g. 2017-05-18T06:00:00Z or +30m');
  const speed = ref.speed !== undefined ? parseSpeed(ref.speed) : undefined;
  if (ref.speed !== undefined && !(speed !== undefined && speed > 0)) throw ctx.fail(['speed'], `'${ref.speed}' is not a speed`, 'e.g. 30km/h');

  let cols: FixColumns;
  if (track.kind === 'timed') {
    if (speed !== undefined)
      throw ctx.fail(
        ['speed'],
        `'${track.name}' is a ${track.what} with its own times; speed: is for tracks without them`,
        'remove speed: (use starts: to move the track in time)',
      );
    const own = track.columns ?? columnsOf(track.fixes);
    const shift = starts !== undefined ? starts - own.t[0] : 0;
    if (shift === 0) cols = own;
    else {
      // The file's columns are shared by every unit that refers to the track: moved in a copy.
      cols = fixColumns(own.t.length);
      for (let i = 0; i < own.t.length; i++) cols.t[i] = own.t[i] + shift;
      cols.lon.set(own.lon);
      cols.lat.set(own.lat);
    }
  } else {
    const begin = starts ?? track.begin;
    if (begin === undefined)
      throw ctx.fail(['starts'], `'${track.name}' is a ${track.what} without times`, 'give starts: (when the unit sets off) and speed: (e.g. 30km/h)');
    if (speed === undefined)
      throw ctx.fail(['speed'], `'${track.name}' is a ${track.what}: it says when the unit sets off but not how fast it goes`, 'give speed:, e.g. 30km/h');
    const ts = timesAtSpeed(track.coords, begin, speed);
    cols = fixColumns(ts.length);
    for (let i = 0; i < ts.length; i++) {
      cols.t[i] = ts[i];
      cols.lon[i] = track.coords[i][0];
      cols.lat[i] = track.coords[i][1];
    }
  }
  const first = cols.t[0];
  const last = cols.t[cols.t.length - 1];
  if (last < window.start || first > window.end) {
    throw ctx.fail(
      ['file'],
      `the track '${track.name}' runs from ${formatTime(first)} to ${formatTime(last)}, outside the scenario (${formatTime(window.start)} to ${formatTime(window.end)})`,
      'move it with starts: (e.g. starts: +0s puts its first fix at the scenario start), or change start and end',
    );
  }
  return { fixes: cols, tidied: track.tidied };
}

/** A zone's rings (polygon) or points (line) from a file. */
export function shapeFromRef(ref: ShapeRef, kind: 'polygon' | 'line', ctx: RefContext): LonLat[][] {
  const data = read(ref, ctx);
  const display = data.file;
  const shapes = data.shapes.filter((s) => s.kind === kind);
  const what = kind === 'polygon' ? 'polygon' : 'line';
  let shape: ImportedShape | undefined;
  if (ref.feature !== undefined) {
    const f = ref.feature;
    shape = shapes.find((s) => s.name === f || s.id === f) ?? shapes.find((s) => s.name.toLowerCase() === f.toLowerCase());
    if (!shape) {
      const names = shapes.map((s) => s.name);
      const guess = didYouMean(f, names);
      throw ctx.fail(
        ['feature'],
        `${display} has no ${what} named '${f}'`,
        guess ? `did you mean '${guess}'?` : names.length ? `its ${what}s: ${list(names)}` : `it has ${describeContents(data)}`,
      );
    }
  } else {
    const untimed = shapes.filter((s) => !s.timed);
    const candidates = untimed.length ? untimed : shapes;
    if (candidates.length === 0) throw ctx.fail(['file'], `${display} has no ${what}s`, `it has ${describeContents(data)}`);
    if (candidates.length > 1)
      throw ctx.fail(['file'], `${display} has ${candidates.length} ${what}s: ${list(candidates.map((s) => s.name))}`, 'say which with feature: NAME');
    shape = candidates[0];
  }
  return kind === 'polygon' ? shape.rings! : [shape.line!];
}
