/**
 * Planning: after a pair is judged or climbed, when it next needs looking at. A judged pair is
 * quiet through the tick its proof reaches; a ladder sleeps until the first tick one of the next
 * rung's conditions could hold (ladder/conditions.ts); dwell until the unit could leave the dwell
 * radius or the dwell time comes.
 */
import { sphereDistanceLL } from '../../geo/geodesic.js';
import { CHANGE_SPHERE, type MotionBound } from '../../geo/motion.js';
import { BAND } from '../areas.js';
import { earliestTick, type PlanFacts } from '../ladder/conditions.js';
import type { PairState, UnitState } from '../state/records.js';
import type { World } from '../world.js';
import { motionOf, quietUntil } from './proofs.js';

export function markPair(w: World, p: PairState, st: UnitState, until: number): void {
  p.until = until;
  p.jVer = p.ver;
  p.jEpoch = w.ledger.epoch[st.u];
}

export function pairQuiet(w: World, u: number, p: PairState, mb: MotionBound, k: number, t: number): boolean {
  const until = quietUntil(w, u, p.zone, p, mb, k, t);
  if (until < 0) return false;
  markPair(w, p, w.units[u], until);
  return true;
}

/** After judgePair: when to look at the pair next. */
export function planPair(w: World, u: number, p: PairState, mb: MotionBound, k: number, t: number): void {
  const until = quietUntil(w, u, p.zone, p, mb, k, t);
  markPair(w, p, w.units[u], until < 0 ? k : until);
}

/**
 * After climbing a pair at tick k: the first tick at which one of the next rung's conditions
 * could hold (ladder/conditions.ts), with the state it assumed. Conditions on time wait for their
 * time; conditions on distance wait until the unit could have moved far enough.
 */
export function planClimb(w: World, u: number, p: PairState, k: number, t: number): void {
  p.cVer = p.ver;
  p.cEpoch = w.ledger.epoch[u];
  p.climbAt = k + 1;
  // (Not read past the end: an out-of-bounds read costs a recompilation the first time.)
  const next = p.pos + 1 < w.ladder.length ? w.ladder[p.pos + 1] : undefined;
  if (!next) {
    p.climbAt = Infinity;
    return;
  }
  const mb = motionOf(w, u);
  if (!mb.usable) return;
  const gate = w.firstTickAt(Math.max(p.holdUntil, p.rung !== null ? p.rungT + next.wait : -Infinity), k + 1);
  let q = w.planFacts as PlanFacts | undefined;
  if (!q) w.planFacts = q = { w, u, p, mb, k, t, gate };
  else {
    q.u = u;
    q.p = p;
    q.mb = mb;
    q.k = k;
    q.t = t;
    q.gate = gate;
  }
  p.climbAt = earliestTick(next, q);
}

/**
 * After dwell ran for unit u at tick k: the first tick at which it could do anything but look
 * (see `dwell`). Without a pair in or near a zone, or struck, it only forgets where the unit
 * stopped, until something changes (which touches the unit). Otherwise it re-anchors once the
 * unit is farther than the dwell radius from where it stopped, and fires once the dwell time has
 * passed: neither can happen before the unit could move the rest of the radius, or the time comes.
 */
export function planDwell(w: World, u: number, k: number, t: number): void {
  const st = w.units[u];
  const at = w.ledger.dwellAt;
  let near = false;
  for (const p of st.pairs) if (p.area >= BAND) near = true;
  if (!near || st.struck) {
    at[u] = Infinity;
    return;
  }
  const mb = motionOf(w, u);
  const doc = w.scenario.doctrine;
  let next = st.dwellFired ? Infinity : w.firstTickAt(st.dwellT + doc.dwellTime, k + 1);
  if (mb.usable) {
    const r = sphereDistanceLL(st.dwellLon, st.dwellLat, w.cur[u * 2], w.cur[u * 2 + 1]);
    const T = mb.maxTime(doc.dwellRadius - r, CHANGE_SPHERE);
    next = Math.min(next, T < 0 ? k + 1 : w.lastTickBy(t + T, k) + 1);
  } else next = k + 1;
  at[u] = next;
}
