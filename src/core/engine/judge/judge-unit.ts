/**
 * Judging a unit over one tick: its pairs first, then the zones the index finds along its
 * movement; `judgeEvery` does so for every unit (the first tick, live input, exhaustive mode).
 */
import { pathExtent } from '../motion/path.js';
import { KEY_JUDGE } from '../types.js';
import type { World } from '../world.js';
import { judgePair } from './judge-pair.js';
import { splitLon } from './zone-index.js';

const lonRanges = new Float64Array(4);

/** Judge unit u over the tick that ends at t1: its pairs, then the zones the index finds. */
export function judgeUnit(w: World, u: number, t1: number, first: boolean): void {
  w.key = KEY_JUDGE + u;
  const lon0 = w.prev[u * 2];
  const lat0 = w.prev[u * 2 + 1];
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  const stamp = ++w.stamp;
  const st = w.units[u];
  const zs = w.zoneStamp;
  // Zones already tracked for this unit are judged whatever the index says.
  for (let i = 0; i < st.pairs.length; i++) {
    const p = st.pairs[i];
    zs[p.zone] = stamp;
  }
  const active = st.pairs.slice();
  for (const p of active) {
    w.ledger.judging = p;
    judgePair(w, u, p.zone, p, lon0, lat0, lon1, lat1, t1, first);
  }
  w.ledger.judging = null;
  visitIndex(w, u, stamp, t1, first);
}

/** Judge the zones the index finds along the unit's movement (the box of its path), except those stamped `stamp`. */
export function visitIndex(w: World, u: number, stamp: number, t1: number, first: boolean): void {
  const e = first ? null : pathExtent(w, u);
  const minX = e ? e[0] : w.cur[u * 2];
  const minY = e ? e[1] : w.cur[u * 2 + 1];
  const maxX = e ? e[2] : w.cur[u * 2];
  const maxY = e ? e[3] : w.cur[u * 2 + 1];
  const s = lonRanges;
  const n = splitLon(minX, maxX, s);
  const x2 = s[2];
  const x3 = s[3];
  visitBox(w, u, stamp, s[0], minY, s[1], maxY, t1, first);
  if (n === 2) visitBox(w, u, stamp, x2, minY, x3, maxY, t1, first);
}

function visitBox(w: World, u: number, stamp: number, minX: number, minY: number, maxX: number, maxY: number, t1: number, first: boolean): void {
  const applies = w.applies[u];
  const zs = w.zoneStamp;
  const hits = w.index.search(minX, minY, maxX, maxY);
  for (let h = 0; h < hits.length; h++) {
    const z = w.boxZone[hits[h]];
    if (zs[z] === stamp || !applies[z]) continue;
    zs[z] = stamp;
    if (w.quietStamp[z] === w.quietNow) continue;
    judgePair(w, u, z, undefined, w.prev[u * 2], w.prev[u * 2 + 1], w.cur[u * 2], w.cur[u * 2 + 1], t1, first);
  }
}

/** Judge every unit at tick k (time t), none skipped. */
export function judgeEvery(w: World, t: number, k: number): void {
  const n = w.scenario.units.length;
  for (let u = 0; u < n; u++) {
    // A unit placed from outside is judged from the tick it first has a position.
    if (w.extMode && Number.isNaN(w.cur[u * 2])) continue;
    judgeUnit(w, u, t, k === 0 || (w.extMode !== undefined && Number.isNaN(w.prev[u * 2])));
  }
  if (k === 0) w.forgetSkips();
  w.ledger.judgeWheel = w.ledger.climbWheel = null;
}
