/** Massing, the engine's side: the band counts kept by the ledger, checked once a tick (see core/massing.ts). */
import { massingCheck } from '../../massing.js';
import { BAND } from '../areas.js';
import { KEY_MASSING } from '../types.js';
import type { PairState } from '../state/records.js';
import type { World } from '../world.js';

/** The massing check of the tick at time t. */
export function checkMassing(w: World, t: number): void {
  w.key = KEY_MASSING;
  const units = w.units;
  // Counts are kept up to date as pairs change area and units are struck (Ledger.countBand);
  // the units of a zone's band, in unit order, are only needed when massing is reported.
  const members = (z: number) => {
    const out: number[] = [];
    for (let u = 0; u < units.length; u++) if (!units[u].struck && inBand(units[u].pairs, z)) out.push(u);
    return out;
  };
  massingCheck(w.scenario, w.massing, w.ledger.band, w.ledger.people, members, t, (e) => w.emit(e));
}

function inBand(pairs: readonly PairState[], z: number): boolean {
  for (let i = 0; i < pairs.length; i++) if (pairs[i].zone === z && pairs[i].area === BAND) return true;
  return false;
}
