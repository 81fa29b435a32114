/**
 * The timing wheels at work: each tick looks only at the units that are due (a proof of quiet ran
 * out, or something about them changed), judges them, and plans when to look again. `judgeDue`
 * and `climbDue` are the skipping twins of judgeEvery (judge/judge-unit.ts) and `climbEvery`;
 * the equivalence tests hold them to the same events.
 */
import type { MotionBound } from '../../geo/motion.js';
import { dwell } from '../area/dwell.js';
import { judgePair } from '../judge/judge-pair.js';
import { climb } from '../ladder/climb.js';
import { ensureCur, ensurePrev } from '../motion/positions.js';
import { pairQuiet, planClimb, planDwell, planPair } from './plan.js';
import { motionOf } from './proofs.js';
import { judgeWatch, rearmWatch } from './watch.js';
import { KEY_CLIMB, KEY_JUDGE } from '../types.js';
import { Wheel } from '../wheel.js';
import type { World } from '../world.js';

/** Judge every unit whose proofs of quiet have run out (or changed). */
export function judgeDue(w: World, t: number, k: number): void {
  const v = w.ledger;
  const due = v.due;
  if (!v.judgeWheel) {
    // Wheels are (re)built by a full pass after anything that did not keep them.
    const n = w.scenario.units.length;
    v.judgeWheel = new Wheel(n);
    for (let u = 0; u < n; u++) {
      if (k > due[u]) judgeUnitFast(w, u, t, k);
      else v.judgeWheel.add(u, due[u] + 1, k);
    }
    return;
  }
  const count = v.judgeWheel.take(k, w.judgeDueAt);
  const items = v.judgeWheel.items;
  for (let i = 0; i < count; i++) judgeUnitFast(w, items[i], t, k);
}

/** Judge unit u at tick k: the pairs whose proofs ran out, then the zones it watches; then when it is due again. */
function judgeUnitFast(w: World, u: number, t1: number, k: number): void {
  w.key = KEY_JUDGE + u;
  ensureCur(w, u);
  ensurePrev(w, u);
  const st = w.units[u];
  const pairs = st.pairs;
  const epoch = w.ledger.epoch[u];
  let mb: MotionBound | undefined;
  let dropped: number[] | undefined;
  for (let i = 0; i < pairs.length;) {
    const p = pairs[i];
    if (k <= p.until && p.ver === p.jVer && epoch === p.jEpoch) {
      i++;
      continue;
    }
    mb ??= motionOf(w, u);
    if (pairQuiet(w, u, p, mb, k, t1)) {
      i++;
      continue;
    }
    w.ledger.judging = p;
    judgePair(w, u, p.zone, p, w.prev[u * 2], w.prev[u * 2 + 1], w.cur[u * 2], w.cur[u * 2 + 1], t1, false);
    w.ledger.judging = null;
    w.ledger.dirty[u] = 1;
    if (pairs[i] === p) {
      planPair(w, u, p, mb, k, t1);
      i++;
    } else {
      rearmWatch(w, u, p.zone);
      (dropped ??= []).push(p.zone);
    }
  }
  // Through which tick no pair of the unit needs judging.
  let next = Infinity;
  for (let i = 0; i < pairs.length; i++) if (pairs[i].until < next) next = pairs[i].until;
  if (epoch !== w.motionEpoch[u]) mb = motionOf(w, u);
  if (k > w.watchMin[u]) {
    // The zones that had a pair at the start of the tick are not visited (as in judgeUnit).
    const stamp = ++w.stamp;
    const zs = w.zoneStamp;
    for (let i = 0; i < pairs.length; i++) zs[pairs[i].zone] = stamp;
    if (dropped) for (const z of dropped) zs[z] = stamp;
    judgeWatch(w, u, mb ?? motionOf(w, u), stamp, k, t1);
  }
  const due = Math.min(next, w.watchMin[u]);
  w.ledger.due[u] = due;
  w.ledger.judgeWheel?.add(u, due < k ? k + 1 : due + 1, k);
}

/** The ladder and dwell of every unit, in unit order (pairs in zone order), every one of them. */
export function climbEvery(w: World, t: number): void {
  const n = w.scenario.units.length;
  const v = w.ledger;
  v.judgeWheel = v.climbWheel = null;
  for (let u = 0; u < n; u++) {
    w.key = KEY_CLIMB + u;
    ensureCur(w, u);
    const st = w.units[u];
    if (v.pairCount[u] !== 0 && !st.struck) for (let i = 0; i < st.pairs.length; i++) climb(w, u, st.pairs[i], t);
    if (w.engineering[u]) {
      dwell(w, u, t);
      v.dirty[u] = 1;
    }
  }
}

/** The ladder and dwell of the units due at tick k, in unit order; each plans when it is due next. */
export function climbDue(w: World, t: number, k: number): void {
  const n = w.scenario.units.length;
  const v = w.ledger;
  if (!v.climbWheel) {
    v.climbWheel = new Wheel(n);
    for (let u = 0; u < n; u++) {
      if (k < v.next[u]) v.climbWheel.add(u, v.next[u], k);
      else climbUnitDue(w, u, t, k);
    }
    return;
  }
  const count = v.climbWheel.take(k, w.climbDueAt);
  const items = v.climbWheel.items;
  for (let i = 0; i < count; i++) climbUnitDue(w, items[i], t, k);
}

/** The ladder and dwell of one unit: only what may act, and when to look again. */
function climbUnitDue(w: World, u: number, t: number, k: number): void {
  w.key = KEY_CLIMB + u;
  ensureCur(w, u);
  const v = w.ledger;
  const pairCount = v.pairCount;
  const engineering = w.engineering;
  if (pairCount[u] !== 0 && !(k < v.climbAt[u])) climbPairsDue(w, u, t, k);
  if (engineering[u] && !(k < v.dwellAt[u])) {
    dwell(w, u, t);
    v.dirty[u] = 1;
    planDwell(w, u, k, t);
  }
  const next = Math.min(pairCount[u] !== 0 ? v.climbAt[u] : Infinity, engineering[u] ? v.dwellAt[u] : Infinity);
  v.next[u] = next;
  v.climbWheel!.add(u, next <= k ? k + 1 : next, k);
}

/** Climb the pairs of unit u whose ladder may move at tick k; then the next tick any of them may. */
function climbPairsDue(w: World, u: number, t: number, k: number): void {
  const st = w.units[u];
  const pairs = st.pairs;
  const epoch = w.ledger.epoch[u];
  if (!st.struck) {
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      if (k < p.climbAt && p.ver === p.cVer && epoch === p.cEpoch) continue;
      climb(w, u, p, t);
      planClimb(w, u, p, k, t);
    }
  }
  // The next tick any pair of this unit may climb (a struck unit climbs no more).
  let next = Infinity;
  if (!st.struck) {
    const e = w.ledger.epoch[u];
    for (let i = 0; i < pairs.length; i++) {
      const p = pairs[i];
      const at = p.ver === p.cVer && e === p.cEpoch ? p.climbAt : -1;
      if (at < next) next = at;
    }
  }
  w.ledger.climbAt[u] = next;
}
