/**
 * Crossings of a zone's levels (the edge, the hysteresis, the approach band and its hysteresis)
 * along a unit's true path within a tick: a chain of straight lon/lat legs, one per part of the
 * track between the two ticks (a waypoint, or the point where a halt or a diversion took effect,
 * starts a new leg). Every leg is searched with `sweepLevels`, so a dip into a level and back out
 * between two ticks is found, for every kind of zone.
 */
import { geodesicDistanceLL, normalizeLon } from './geodesic.js';
import { legLipschitz, legMetres, sweepLevels, type SweepOut } from './sweep.js';
import type { CircleZone, ZoneShape } from './zones.js';

/** One crossing: where along the path (leg, parameter), its time, point, level and direction. */
export interface PathCrossing {
  leg: number;
  s: number;
  t: number;
  lon: number;
  lat: number;
  level: number;
  down: boolean;
}

/** Position resolution of a crossing (metres) and time resolution (ms). */
const POS_RES = 1e-5;
const TIME_RES = 1e-3;
/** Largest change of latitude (degrees) of a leg searched in one piece. */
const MAX_LEG_LAT = 0.5;

/**
 * A unit's path within a tick, as vertices: time (ms), longitude (unwrapped: consecutive ones
 * differ by less than 180°) and latitude, `count` of them, the first at the tick before and the
 * last at this tick.
 */
export interface Path {
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  count: number;
}

/**
 * A path's buffers (a class: its fields are declared before the constructor assigns them, so V8
 * knows them from the first path as fields of any value that change — code compiled for one
 * path's buffers stays valid for every other path, and when they grow).
 */
class PathBuffers implements Path {
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
  count = 0;
  constructor(n: number) {
    this.t = new Float64Array(n);
    this.lon = new Float64Array(n);
    this.lat = new Float64Array(n);
  }
}

export function newPath(n = 8): Path {
  return new PathBuffers(n);
}

/** Append a vertex to a path (its longitude unwrapped against the last one's). */
export function pushVertex(p: Path, t: number, lon: number, lat: number): void {
  if (p.count === p.t.length) {
    const grow = (a: Float64Array) => {
      const b = new Float64Array(a.length * 2);
      b.set(a);
      return b;
    };
    p.t = grow(p.t);
    p.lon = grow(p.lon);
    p.lat = grow(p.lat);
  }
  const i = p.count++;
  if (i > 0) {
    const prev = p.lon[i - 1];
    let d = lon - prev;
    d -= Math.round(d / 360) * 360;
    lon = prev + d;
  }
  p.t[i] = t;
  p.lon[i] = lon;
  p.lat[i] = lat;
}

/** The exact signed distance to a shape's edge: geodesic (geographiclib) for a circle. */
export function exactEdge(shape: ZoneShape, lon: number, lat: number): number {
  if (shape.kind === 'circle') {
    const c = shape as CircleZone;
    return geodesicDistanceLL(c.center[0], c.center[1], lon, lat) - c.radius;
  }
  return shape.signedDistance(lon, lat);
}

const out: SweepOut = { s: [], level: [], down: [] };
const bounds = new Float64Array(2);

/**
 * The distance to a shape's edge with an error bound, for the sweep: polygons and lines exactly;
 * circles by their chord bounds (well under a metre wide at the distances of a theatre), or
 * exactly where a level lies within them.
 */
function evaluate(shape: ZoneShape, levels: readonly number[], lon: number, lat: number, res: Float64Array): void {
  if (shape.kind !== 'circle') {
    res[0] = shape.signedDistance(normalizeLon(lon), lat);
    res[1] = 0;
    return;
  }
  const c = shape as CircleZone;
  const x = normalizeLon(lon);
  c.geodesicBounds(x, lat, bounds);
  const lo = bounds[0] - c.radius;
  const hi = bounds[1] - c.radius;
  for (let i = 0; i < levels.length; i++) {
    if (levels[i] >= lo - 1e-6 && levels[i] <= hi + 1e-6) {
      res[0] = exactEdge(shape, x, lat);
      res[1] = 0;
      return;
    }
  }
  res[0] = (lo + hi) / 2;
  res[1] = (hi - lo) / 2 + 1e-9;
}

/**
 * The piece of a leg being swept, and the distance along it: module state rather than a closure
 * made for every piece (pathCrossings is not reentrant).
 */
let pShape: ZoneShape | undefined;
let pLevels: readonly number[] = [];
let pX0 = 0;
let pY0 = 0;
let pDx = 0;
let pDy = 0;
function alongPiece(s: number, res: Float64Array): void {
  evaluate(pShape!, pLevels, pX0 + pDx * s, pY0 + pDy * s, res);
}

const endA = new Float64Array(2);
const endB = new Float64Array(2);
const piece = new Float64Array(2);

/**
 * Every crossing of `levels` by the distance to `shape` along `path`, appended to `found` in
 * path order (several at one point in the order the levels are given). Returns how many.
 */
export function pathCrossings(shape: ZoneShape, levels: readonly number[], path: Path, found: PathCrossing[]): number {
  const before = found.length;
  const plane = shape.kind !== 'circle';
  if (path.count < 2) return 0;
  evaluate(shape, levels, path.lon[0], path.lat[0], endA);
  for (let j = 0; j + 1 < path.count; j++) {
    const x0 = path.lon[j];
    const y0 = path.lat[j];
    const x1 = path.lon[j + 1];
    const y1 = path.lat[j + 1];
    const ta = path.t[j];
    const tb = path.t[j + 1];
    evaluate(shape, levels, x1, y1, endB);
    // A leg spanning much latitude is searched in pieces (the metric's change bound needs it).
    const pieces = Math.max(1, Math.ceil(Math.abs(y1 - y0) / MAX_LEG_LAT));
    let fa = endA[0];
    let ea = endA[1];
    for (let q = 0; q < pieces; q++) {
      const s0 = q / pieces;
      const s1 = (q + 1) / pieces;
      const px0 = x0 + (x1 - x0) * s0;
      const py0 = y0 + (y1 - y0) * s0;
      const px1 = q === pieces - 1 ? x1 : x0 + (x1 - x0) * s1;
      const py1 = q === pieces - 1 ? y1 : y0 + (y1 - y0) * s1;
      let fb: number;
      let eb: number;
      if (q === pieces - 1) {
        fb = endB[0];
        eb = endB[1];
      } else {
        evaluate(shape, levels, px1, py1, piece);
        fb = piece[0];
        eb = piece[1];
      }
      if (px0 === px1 && py0 === py1 && fa === fb) {
        fa = fb;
        ea = eb;
        continue;
      }
      const absD = Math.max(Math.abs(fa) + ea, Math.abs(fb) + eb);
      const lip = legLipschitz(px0, py0, px1, py1, plane, absD);
      const m = legMetres(px0, py0, px1, py1);
      const dt = (tb - ta) * (s1 - s0);
      const minW = Math.max(1e-15, Math.min(m > 0 ? POS_RES / m : 1, dt > 0 ? TIME_RES / dt : 1, 1 / 1024));
      out.s.length = out.level.length = out.down.length = 0;
      pShape = shape;
      pLevels = levels;
      pX0 = px0;
      pY0 = py0;
      pDx = px1 - px0;
      pDy = py1 - py0;
      sweepLevels(alongPiece, fa, ea, fb, eb, lip, levels, minW, out);
      pShape = undefined;
      for (let i = 0; i < out.s.length; i++) {
        const s = s0 + (s1 - s0) * out.s[i];
        const onEnd = s >= 1;
        found.push({
          leg: j,
          s,
          t: onEnd ? tb : Math.round(ta + (tb - ta) * s),
          lon: normalizeLon(onEnd ? x1 : x0 + (x1 - x0) * s),
          lat: onEnd ? y1 : y0 + (y1 - y0) * s,
          level: levels[out.level[i]],
          down: out.down[i],
        });
      }
      fa = fb;
      ea = eb;
    }
    endA[0] = endB[0];
    endA[1] = endB[1];
  }
  return found.length - before;
}
