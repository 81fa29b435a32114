/**
 * When could a distance first reach a value: the bounds the ladder's planner (conditions'
 * earliest ticks) rests on. Each is a tick by which the unit cannot have moved far enough.
 */
import { CHANGE_ESTIMATE, CHANGE_PLANE, CHANGE_SPHERE, type MotionBound } from '../../geo/motion.js';
import type { CircleZone } from '../../geo/zones.js';
import { refDistance } from '../measure.js';
import type { PairState } from '../state/records.js';
import type { World } from '../world.js';

/** How long (ms) the pair's edge distance, as `d` gives it (now at d), surely changes by less than gap. */
function edgeTime(w: World, z: number, mb: MotionBound, gap: number, d: number): number {
  const shape = w.zones[z].shape;
  // A circle's `d` is the spherical estimate (within 1 %) or the exact distance.
  if (shape.kind === 'circle') return mb.maxTime(gap, CHANGE_ESTIMATE, (shape as CircleZone).radius, Math.abs(d));
  return mb.maxTime(gap, CHANGE_PLANE, Math.abs(d));
}

/** First tick at which the pair could be deep inside (d ≤ -edgeMargin). */
export function deepTick(w: World, p: PairState, mb: MotionBound, k: number, t: number): number {
  const d = p.d;
  const x = -w.scenario.doctrine.edgeMargin;
  if (d <= x) return k + 1;
  const T = edgeTime(w, p.zone, mb, d - x, d);
  return T < 0 ? k + 1 : w.lastTickBy(t + T, k) + 1;
}

/** First tick at which the reference distance could be ≤ x (`orEqual`) or < x. */
export function refTick(w: World, u: number, p: PairState, mb: MotionBound, k: number, t: number, x: number, orEqual: boolean): number {
  const zone = w.zones[p.zone];
  const r = refDistance(w, u, p);
  if (orEqual ? r <= x : r < x) return k + 1;
  const T = zone.protects >= 0 ? mb.maxTime(r - x, CHANGE_SPHERE) : edgeTime(w, p.zone, mb, r - x, r);
  return T < 0 ? k + 1 : w.lastTickBy(t + T, k) + 1;
}
