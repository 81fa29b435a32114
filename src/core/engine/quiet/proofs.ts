/**
 * Proofs of quiet. A straightforward engine judges every unit against every zone near it at
 * every tick, and climbs every ladder. Most of that work finds nothing. Here each unit carries
 * proofs of quiet: "this pair cannot cross a level before tick N", "this zone is out of reach
 * before tick N", "no rung can fire before tick N". A proof rests on how far the unit can move
 * (geo/motion.ts) and on how fast a distance can change with it; when it runs out, or anything it
 * assumed changes, the full work is done again. Nothing is skipped unless the full work would
 * have produced no event and no change of state, so the events are the same to the byte
 * (test/bench/equivalence.test.ts compares both ways on generated workloads).
 */
import { lonDelta } from '../../geo/geodesic.js';
import { CHANGE_GEODESIC, CHANGE_PLANE, type MotionBound } from '../../geo/motion.js';
import type { CircleZone, LineZone, PolygonZone } from '../../geo/zones.js';
import { BAND, FAR, INSIDE } from '../areas.js';
import { splitLon } from '../judge/zone-index.js';
import { pathExtent } from '../motion/path.js';
import type { PairState } from '../state/records.js';
import type { World } from '../world.js';

/** Margin (m) kept between a proved distance range and a level. */
const LEVEL_MARGIN = 1e-3;

const lonRanges = new Float64Array(4);

/** The motion bound of unit u now (recomputed when its track or leg changes). */
export function motionOf(w: World, u: number): MotionBound {
  const st = w.units[u];
  const mb = w.motion[u];
  const epoch = w.ledger.epoch[u];
  if (w.motionEpoch[u] !== epoch || w.motionLeg[u] !== st.hint) {
    if (w.motionEpoch[u] !== epoch) {
      // A new track (halt, withdrawal, strike): earlier proofs assumed the old one.
      w.watchEnd[u] = -1;
      w.watchMin[u] = -1;
      w.watchUntil[u].fill(-1);
    }
    mb.set(st.track, st.hint, w.scenario.units[u].noise);
    w.motionEpoch[u] = epoch;
    w.motionLeg[u] = st.hint;
  }
  return mb;
}

/**
 * Where the pair's distance lies now: [lo, hi] written to `bounds`, exact for polygons and lines
 * (lo = hi = d, which is also cached as the pair's distance) and the chord interval of the exact
 * geodesic for circles. Returns how far the distance can change along the movement of this
 * tick, given the movement's length.
 */
export function pairBounds(w: World, u: number, z: number, mb: MotionBound, p: PairState | undefined, k: number): number {
  const shape = w.zones[z].shape;
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  // The whole path of the tick, not only its chord.
  const ext = pathExtent(w, u, mb);
  const dLat = ext[5];
  const m = ext[4];
  const b = w.bounds;
  if (shape.kind === 'circle') {
    (shape as CircleZone).geodesicBounds(lon1, lat1, b);
    const r = (shape as CircleZone).radius;
    b[0] -= r;
    b[1] -= r;
    return m;
  }
  const d = shape.signedDistance(lon1, lat1);
  if (p) {
    p._d = d;
    p._dTick = k;
  }
  b[0] = d;
  b[1] = d;
  return mb.planeChange(m, dLat, Math.abs(d));
}

/**
 * For a polygon without a pair: if the unit's distance to its bounding box (a lower bound of the
 * distance to its edge) keeps this movement beyond the approach band, how long it surely stays
 * so (ms); else -1.
 */
export function farFromPolygon(w: World, u: number, z: number, mb: MotionBound): number {
  const zone = w.zones[z];
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  const lb = (zone.shape as PolygonZone).boxDistance(lon1, lat1);
  if (!(lb > 0)) return -1;
  const ext = pathExtent(w, u, mb);
  const move = mb.planeChange(ext[4], ext[5], lb);
  if (!(lb - move - LEVEL_MARGIN > zone.approach)) return -1;
  return mb.maxTime(lb - zone.approach, CHANGE_PLANE, lb);
}

/**
 * The open interval of distances within which judgePair leaves the pair as it is (no event, no
 * change of state but the distance kept), written to bounds[0], bounds[1]; false if there is
 * none. It follows from judgePair: inside, only going out past the hysteresis acts; in the band,
 * only entering (0) or going out past band + hysteresis; far, only coming within the band. A
 * line also reports every crossing of itself, so its interval never holds 0. A far pair without
 * a rung is dropped, so it is never left as it is.
 */
export function quietInterval(w: World, z: number, p: PairState | undefined, d: number): boolean {
  const zone = w.zones[z];
  let a: number;
  let b: number;
  const area = p ? p.area : FAR;
  if (p && area === FAR && p.pos < 0 && p.rung === null) return false;
  if (zone.type === 'line' && p && p.lineSide !== (area === INSIDE ? (p.lineSide === 'back' ? 'back' : 'in') : 'out')) return false; // judgePair moves lineSide on
  if (area === INSIDE) {
    a = -Infinity;
    b = zone.hysteresis;
    if (zone.type === 'line') {
      if (d < 0) b = 0;
      else a = 0;
      // Crossed back: going deeper than the hysteresis on the forbidden side is reported again.
      if (p && p.lineSide === 'back' && d < 0) a = -zone.hysteresis;
    }
  } else if (area === BAND) {
    a = 0;
    b = zone.approach + zone.hysteresis;
  } else {
    a = zone.approach;
    b = Infinity;
  }
  w.bounds[0] = a;
  w.bounds[1] = b;
  return true;
}

/** How long (ms) a distance at [lo, hi] stays inside (a, b): a circle's exact distance or a plane distance. */
export function quietTime(w: World, z: number, mb: MotionBound, lo: number, hi: number, a: number, b: number): number {
  const gap = Math.min(lo - a, b - hi);
  if (w.zones[z].shape.kind === 'circle') return mb.maxTime(gap, CHANGE_GEODESIC);
  const absD = Math.max(Math.abs(lo), Math.abs(hi));
  return mb.maxTime(gap, CHANGE_PLANE, absD);
}

/**
 * If judging zone z for unit u at this tick would do nothing (no event, no change of state but
 * the distance kept), the last tick through which that stays so; else -1. For a pair: its
 * distance stays between the same two levels over the whole movement and its state agrees with
 * them. For a zone without a pair: the movement misses the zone's index boxes, or stays beyond
 * the approach band plus hysteresis. For a line, whose side can flip without crossing it, the
 * side must also be proved constant over where the unit can be.
 */
export function quietUntil(w: World, u: number, z: number, p: PairState | undefined, mb: MotionBound, k: number, t: number): number {
  if (!mb.usable) return -1;
  if (!p) {
    const boxT = boxClearTime(w, u, z, mb);
    if (boxT >= 0) return w.lastTickBy(t + boxT, k);
  }
  const zone = w.zones[z];
  if (!p && zone.type === 'polygon') {
    // Far from a polygon, its bounding box proves enough and needs no edge at all.
    const T = farFromPolygon(w, u, z, mb);
    if (T >= 0) return w.lastTickBy(t + T, k);
  }
  const move = pairBounds(w, u, z, mb, p, k);
  const lo = w.bounds[0];
  const hi = w.bounds[1];
  if (!quietInterval(w, z, p, lo)) return -1;
  const a = w.bounds[0];
  const b = w.bounds[1];
  if (!(lo - move - LEVEL_MARGIN > a && hi + move + LEVEL_MARGIN < b)) return -1;
  let T = quietTime(w, z, mb, lo, hi, a, b);
  if (zone.type === 'line') {
    const sideT = lineSideTime(w, u, z, mb, Math.max(0, T), lo);
    if (sideT < 0) return -1;
    if (sideT < T) T = sideT;
  }
  return T < 0 ? k : w.lastTickBy(t + T, k);
}

/**
 * How long (ms, at most `maxT`) unit u surely stays on its present side of line z (as `side()`
 * decides it), this tick's movement included; -1 if not even this movement is sure.
 */
export function lineSideTime(w: World, u: number, z: number, mb: MotionBound, maxT: number, sd: number): number {
  const absD = Math.abs(sd);
  const line = w.zones[z].shape as LineZone;
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  // The box of the whole path of the tick, in the line's longitudes.
  const ext = pathExtent(w, u, mb);
  const x1 = line.unwrapLon(lon1);
  const shift = x1 - (w.prev[u * 2] + lonDelta(w.prev[u * 2], lon1));
  const x0 = ext[0] + shift;
  const xb = ext[2] + shift;
  const lat0 = ext[1];
  const latb = ext[3];
  const side = sd < 0 ? line.forbiddenSign : (-line.forbiddenSign as 1 | -1);
  // Where the unit can be within maxT: this movement, grown by the distance covered since.
  // (A unit that cannot move on has maxT = Infinity: no 0 × Infinity.)
  const eyMax = (mb.vLat > 0 ? mb.dLat(maxT) : mb.nLat) * 1.01 + 1e-9;
  // The nearest segment of a point within `reach` metres lies within (|d| + 2 reach)(1 + δ)² of
  // here (δ: the change of metres per degree over the latitudes covered); reach grows with T.
  const delta = Math.expm1((eyMax + (latb - lat0)) * (Math.PI / 180) * mb.dLogK);
  const f = (1 + delta) * (1 + delta);
  const r0 = (absD + 2 * (mb.nM + Math.max(ext[4], mb.segmentMetres(xb - x0, latb - lat0)))) * f + 1;
  const r1 = 2 * mb.vM * f;
  const n0x = mb.nLon * 1.01 + 1e-9;
  const n0y = mb.nLat * 1.01 + 1e-9;
  const T = line.sideClearTime(lon1, lat1, r0, r1, maxT, side, x0 - n0x, lat0 - n0y, xb + n0x, latb + n0y, mb.vLon * 1.01, mb.vLat * 1.01);
  return T < 0 ? -1 : Math.min(T, maxT);
}

/**
 * If this tick's movement misses every index box of zone z (as the index search would find),
 * how long (ms) the unit surely stays clear of them; else -1.
 */
export function boxClearTime(w: World, u: number, z: number, mb: MotionBound): number {
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  const e = pathExtent(w, u);
  const minY = e[1];
  const maxY = e[3];
  // The same query boxes as visitIndex.
  const s = lonRanges;
  const two = splitLon(e[0], e[2], s) === 2;
  const minX = s[0];
  const maxX = s[1];
  const minX2 = two ? s[2] : NaN;
  const maxX2 = two ? s[3] : NaN;
  const boxes = w.zoneBoxes[z];
  let clear = Infinity;
  for (let i = 0; i < boxes.length; i += 4) {
    const bx0 = boxes[i];
    const by0 = boxes[i + 1];
    const bx1 = boxes[i + 2];
    const by1 = boxes[i + 3];
    const yMiss = maxY < by0 || minY > by1;
    if (!yMiss && !(maxX < bx0 || minX > bx1)) return -1;
    if (!yMiss && minX2 === minX2 && !(maxX2 < bx0 || minX2 > bx1)) return -1;
    // Time until the unit could reach the box in both longitude and latitude.
    const gx = lonGap(lon1, bx0, bx1);
    const gy = lat1 < by0 ? by0 - lat1 : lat1 > by1 ? lat1 - by1 : 0;
    const tx = reachTime(gx, mb.vLon, mb.nLon);
    const ty = reachTime(gy, mb.vLat, mb.nLat);
    const tb = Math.max(tx, ty);
    if (tb < clear) clear = tb;
  }
  return clear;
}

/** Degrees of longitude from x to the interval [a, b] (0 inside), the short way round. */
function lonGap(x: number, a: number, b: number): number {
  if (x >= a && x <= b) return 0;
  const da = (((a - x) % 360) + 360) % 360;
  const db = (((x - b) % 360) + 360) % 360;
  return Math.min(da, db);
}

/** Time (ms) before a unit moving at `v` degrees per ms (plus `noise` degrees) can cover `gap` degrees. */
function reachTime(gap: number, v: number, noise: number): number {
  const g = gap * (1 - 1e-9) - 1e-12 - noise;
  if (g <= 0) return 0;
  if (v === 0) return Infinity;
  return (g / v) * 0.999;
}
