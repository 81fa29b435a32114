/**
 * Position noise: a deterministic hash of (seed, unit, tick, axis), so that the same scenario and
 * seed give the same positions at every tick, in any order the ticks are worked out.
 */
import { metresPerDegree, normalizeLon } from '../../geo/geodesic.js';

/** Deterministic hash noise in [-1, 1) for (seed, unit, tick, axis). */
export function noise01(seed: number, u: number, k: number, axis: number): number {
  let h = (seed | 0) ^ Math.imul(u + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca77) ^ Math.imul(axis + 1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2147483648 - 1;
}

/**
 * The position (lon, lat) moved by unit `whole`'s noise of amplitude `amp` metres at tick k, into
 * arr at u * 2 (`whole` is the unit's index in the whole scenario, `u` its place in arr).
 */
export function jitter(seed: number, whole: number, k: number, amp: number, lon: number, lat: number, arr: Float64Array, u: number): void {
  if (amp > 0) {
    const m = metresPerDegree(lat);
    lon = normalizeLon(lon + (noise01(seed, whole, k, 0) * amp) / m.x);
    lat = Math.max(-90, Math.min(90, lat + (noise01(seed, whole, k, 1) * amp) / m.y));
  }
  arr[u * 2] = lon;
  arr[u * 2 + 1] = lat;
}
