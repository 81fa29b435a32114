/**
 * A pair changes area (approaches, enters, exits the zone, leaves the band): its event, and the
 * stand-down an exit brings.
 */
import type { SimEvent } from '../../events.js';
import type { Rung } from '../../model.js';
import { PairBase } from '../measure.js';
import { BAND, FAR, INSIDE } from '../areas.js';
import { standDown } from '../ladder/climb.js';
import { reasons } from '../reasons.js';
import { rungAt, type PairState } from '../state/records.js';
import type { World } from '../world.js';

export type TransitionKind = 'approach' | 'enter' | 'exit' | 'exit_band';

/** The pair makes transition `kind` at time t at (lon, lat), d metres from the edge there. */
export function transition(w: World, u: number, p: PairState, kind: TransitionKind, t: number, lon: number, lat: number, d: number): void {
  const zone = w.zones[p.zone];
  const unit = w.scenario.units[u];
  const base = new PairBase(t, unit.id, zone.id, [lon, lat], d, w.siteDistance(zone, lon, lat));
  const rungNow = rungAt(p, t);
  // Each event written out whole, its fields in the order of { seq, ...base, type, (area), rung, reason }.
  if (kind === 'approach') {
    p.area = BAND;
    w.emitEvent(pairEvent(base, 'approach', undefined, rungNow, reasons.approach(zone)));
  } else if (kind === 'enter') {
    p.area = INSIDE;
    w.emitEvent(pairEvent(base, 'enter', undefined, rungNow, reasons.enter(zone)));
  } else if (kind === 'exit') {
    p.area = BAND;
    w.emitEvent(pairEvent(base, 'exit', 'zone', rungNow, reasons.exit(zone)));
    if (p.rung !== null && !w.units[u].struck) {
      const monitor = w.monitorPos;
      standDown(w, u, p, t, monitor, reasons.standDownOnExit(zone, monitor >= 0), reasons.left(zone), base);
    }
  } else {
    p.area = FAR;
    w.emitEvent(pairEvent(base, 'exit', 'band', rungNow, reasons.exitBand(zone)));
    if (p.rung !== null && !w.units[u].struck) standDown(w, u, p, t, -1, reasons.standDownOnExitBand(zone), reasons.movedAwayFacts(zone), base);
  }
}

/** An approach, enter or exit event on `base` (an exit says which area it left). */
function pairEvent(base: PairBase, type: 'approach' | 'enter' | 'exit', area: 'zone' | 'band' | undefined, rung: Rung | null, reason: string): SimEvent {
  if (area === undefined) {
    return { seq: 0, t: base.t, unit: base.unit, zone: base.zone, at: base.at, edge_m: base.edge_m, site_m: base.site_m, type, rung, reason };
  }
  return { seq: 0, t: base.t, unit: base.unit, zone: base.zone, at: base.at, edge_m: base.edge_m, site_m: base.site_m, type, area, rung, reason };
}
