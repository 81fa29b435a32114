/**
 * A pair changes area (approaches, enters, exits the zone, leaves the band): its event, and the
 * stand-down an exit brings.
 */
import type { LonLat } from '../../model.js';
import { BAND, FAR, INSIDE } from '../areas.js';
import { standDown } from '../ladder/climb.js';
import { reasons } from '../reasons.js';
import { rungAt, type PairState } from '../state/records.js';
import type { World } from '../world.js';

export type TransitionKind = 'approach' | 'enter' | 'exit' | 'exit_band';

/** The pair makes transition `kind` at time t at (lon, lat), d metres from the edge there. */
export function transition(w: World, u: number, p: PairState, kind: TransitionKind, t: number, lon: number, lat: number, d: number): void {
  const zone = w.scenario.zones[p.zone];
  const unit = w.scenario.units[u];
  const base = { t, unit: unit.id, zone: zone.id, at: [lon, lat] as LonLat, edge_m: d, site_m: w.siteDistance(zone, lon, lat) };
  const rungNow = rungAt(p, t);
  if (kind === 'approach') {
    p.area = BAND;
    w.emit({ ...base, type: 'approach', rung: rungNow, reason: reasons.approach(zone) });
  } else if (kind === 'enter') {
    p.area = INSIDE;
    w.emit({ ...base, type: 'enter', rung: rungNow, reason: reasons.enter(zone) });
  } else if (kind === 'exit') {
    p.area = BAND;
    w.emit({ ...base, type: 'exit', area: 'zone', rung: rungNow, reason: reasons.exit(zone) });
    if (p.rung !== null && !w.units[u].struck) {
      const monitor = w.monitorPos;
      standDown(w, u, p, t, monitor, reasons.standDownOnExit(zone, monitor >= 0), reasons.left(zone), base);
    }
  } else {
    p.area = FAR;
    w.emit({ ...base, type: 'exit', area: 'band', rung: rungNow, reason: reasons.exitBand(zone) });
    if (p.rung !== null && !w.units[u].struck) standDown(w, u, p, t, -1, reasons.standDownOnExitBand(zone), reasons.movedAwayFacts(zone), base);
  }
}
