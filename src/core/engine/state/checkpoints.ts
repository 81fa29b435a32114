/**
 * Checkpoints: the state at the end of a tick, taken every `checkpointEvery` ticks so that going
 * back in time restores the nearest one and plays forward (seeking back equals playing forward).
 */
import { fillPositions } from '../motion/positions.js';
import type { Snapshot } from '../types.js';
import type { World } from '../world.js';

/** The state now, as a snapshot (unchanged units share the last snapshot's copy). */
export function takeSnapshot(w: World): Snapshot {
  fillPositions(w);
  // Snapshots are never changed, so a unit unchanged since the last one shares its copy. (Not
  // while distances are kept eagerly: a copy holds the distance of when it was made.)
  const last = w.ledger.lazy ? w.lastSnapUnits : null;
  const dirty = w.ledger.dirty;
  const units = w.units.map((st, u) => (last && !dirty[u] ? last[u] : st.clone()));
  w.lastSnapUnits = units;
  dirty.fill(0);
  return {
    index: w.k,
    cur: w.cur.slice(),
    prev: w.prev.slice(),
    units,
    massing: w.massing.slice(),
    injCursor: w.injCursor,
    armed: w.armed.slice(),
    seq: w.seq,
    eventCount: w.events.length,
  };
}

/** Back to a snapshot's state (every proof of quiet is forgotten). */
export function restoreSnapshot(w: World, s: Snapshot): void {
  w.k = s.index;
  w.cur.set(s.cur);
  w.prev.set(s.prev);
  w.units = s.units.map((st) => st.clone());
  w.curTick.fill(s.index);
  w.prevTick.fill(s.index === 0 ? -1 : s.index - 1);
  w.ledger.tick = s.index;
  w.forgetSkips();
  w.lastSnapUnits = s.units;
  w.ledger.dirty.fill(0);
  w.massing.set(s.massing);
  w.injCursor = s.injCursor;
  w.armed = s.armed.slice();
  w.seq = s.seq;
  w.events.length = s.eventCount;
}

/** After tick k: keep a checkpoint if one is due. */
export function keepCheckpoint(w: World, k: number): void {
  if (w.checkpointEvery !== Infinity && k % w.checkpointEvery === 0 && !w.checkpoints.has(k)) w.checkpoints.set(k, takeSnapshot(w));
}

/** The latest checkpoint at or before tick k, if any. */
export function checkpointBefore(w: World, k: number): Snapshot | undefined {
  let best = -1;
  for (const c of w.checkpoints.keys()) if (c <= k && c > best) best = c;
  return best < 0 ? undefined : w.checkpoints.get(best);
}
