/**
 * A part of a split run (src/core/split.ts) as plain data, to send to the thread that runs it:
 * the thread that loaded the scenario sends each worker only its own units, instead of every
 * thread loading the whole file again. What a structured clone cannot carry is written out: the
 * zones' shapes (classes) become their defining numbers, and the tracks of all units go in one
 * buffer that can be transferred rather than copied. The copy rebuilt from it gives the same
 * events, byte for byte: the shapes are rebuilt from the very numbers they hold (unwrapped
 * geometry is not unwrapped again), and the tracks hold the same numbers.
 */
import { CircleZone, LineZone, PolygonZone, type Shape } from './geo/zones.js';
import type { LonLat, Scenario, Track, Unit, Zone } from './model.js';
import type { Part } from './split.js';

/** A zone's shape by its defining numbers. */
export type ShapeData =
  | { kind: 'circle'; center: LonLat; radius: number; levels: readonly number[] }
  | { kind: 'polygon'; rings: LonLat[][] }
  | { kind: 'line'; points: LonLat[]; forbidden: 'left' | 'right' };

/** A part of a split run, as data (see partData). */
export interface PartData {
  /** The part's scenario without its zones' shapes and its units' tracks. */
  scenario: Omit<Scenario, 'zones' | 'units' | 'warnings'> & {
    zones: (Omit<Zone, 'shape'> & { shape: ShapeData })[];
    units: Omit<Unit, 'track'>[];
  };
  /** Every unit's track: times, longitudes, latitudes, unit after unit; unit i's fixes start at trackAt[i] and number trackAt[i + 1] - trackAt[i]. */
  tracks: Float64Array;
  trackAt: Int32Array;
  /** The part's units' indices in the whole scenario, ascending. */
  units: number[];
  /** Per inject of the part's scenario, its place in the whole scenario's. */
  injectPlace: Int32Array;
}

function shapeData(shape: Shape, zone: Zone): ShapeData {
  if (shape.kind === 'circle') return { kind: 'circle', center: shape.center, radius: shape.radius, levels: shape.levels };
  if (shape.kind === 'polygon') return { kind: 'polygon', rings: shape.rings };
  return { kind: 'line', points: shape.points, forbidden: zone.forbidden ?? (shape.forbiddenSign === 1 ? 'left' : 'right') };
}

function shapeOf(d: ShapeData): Shape {
  if (d.kind === 'circle') return new CircleZone(d.center, d.radius, d.levels);
  if (d.kind === 'polygon') return new PolygonZone(d.rings, true);
  return new LineZone(d.points, d.forbidden, true);
}

/**
 * A part as data, and the buffers to transfer with it (postMessage's transfer list: they are
 * the part's own copies, made here).
 */
export function partData(part: Part): { data: PartData; transfer: ArrayBuffer[] } {
  const sc = part.scenario;
  let fixes = 0;
  for (const u of sc.units) fixes += u.track.t.length;
  const tracks = new Float64Array(fixes * 3);
  const trackAt = new Int32Array(sc.units.length + 1);
  let at = 0;
  sc.units.forEach((u, i) => {
    const n = u.track.t.length;
    trackAt[i] = at / 3;
    tracks.set(u.track.t, at);
    tracks.set(u.track.lon, at + n);
    tracks.set(u.track.lat, at + 2 * n);
    at += 3 * n;
  });
  trackAt[sc.units.length] = at / 3;
  const { zones, units, warnings: _warnings, ...rest } = sc;
  const data: PartData = {
    scenario: {
      ...rest,
      zones: zones.map((z) => ({ ...z, shape: shapeData(z.shape as Shape, z) })),
      units: units.map(({ track: _track, ...u }) => u),
    },
    tracks,
    trackAt,
    units: part.units,
    injectPlace: part.injectPlace.slice(),
  };
  return { data, transfer: [tracks.buffer, trackAt.buffer, data.injectPlace.buffer as ArrayBuffer] };
}

/** The part again, from its data. */
export function partFromData(d: PartData): Part {
  const { zones, units, ...rest } = d.scenario;
  const tracks = d.tracks;
  const scenario: Scenario = {
    ...rest,
    zones: zones.map((z) => ({ ...z, shape: shapeOf(z.shape) })),
    units: units.map((u, i) => {
      const at = d.trackAt[i] * 3;
      const n = d.trackAt[i + 1] - d.trackAt[i];
      const track: Track = { t: tracks.subarray(at, at + n), lon: tracks.subarray(at + n, at + 2 * n), lat: tracks.subarray(at + 2 * n, at + 3 * n) };
      return { ...u, track };
    }),
  };
  return { scenario, units: d.units, injectPlace: d.injectPlace };
}
