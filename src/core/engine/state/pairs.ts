/** Pairs (a unit and a zone it is in or near) come and go as units approach zones and move away. */
import { PairState } from './records.js';
import type { World } from '../world.js';

/** A new pair of unit u with zone z, at signed distance d, in zone order among the unit's pairs. */
export function addPair(w: World, u: number, z: number, d: number): PairState {
  const p = new PairState(w.ledger, u, z, d);
  w.ledger.pairCount[u]++;
  w.ledger.touch(u);
  const pairs = w.units[u].pairs;
  // Keep pairs in zone order so that event order never depends on discovery order.
  let i = pairs.length;
  while (i > 0 && pairs[i - 1].zone > z) i--;
  pairs.splice(i, 0, p);
  return p;
}

/** The pair is over (far, no rung): the unit no longer carries it. */
export function dropPair(w: World, u: number, p: PairState): void {
  const pairs = w.units[u].pairs;
  const i = pairs.indexOf(p);
  if (i >= 0) {
    pairs.splice(i, 1);
    w.ledger.pairCount[u]--;
    w.ledger.dirty[u] = 1;
  }
}
