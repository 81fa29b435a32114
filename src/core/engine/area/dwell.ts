/**
 * Dwell: an engineering unit that stays within the dwell radius near a zone for the dwell time
 * may be building a position; reported once per stop.
 */
import { sphereDistanceLL } from '../../geo/geodesic.js';
import { BAND } from '../areas.js';
import { edgeNow } from '../measure.js';
import { reasons } from '../reasons.js';
import type { World } from '../world.js';

/** Dwell of unit u at time t: re-anchor where it stopped, or report it once it has stayed long enough. */
export function dwell(w: World, u: number, t: number): void {
  const unit = w.scenario.units[u];
  if (!(unit.composition.engineering ?? 0)) return;
  const st = w.units[u];
  const near = st.pairs.find((p) => p.area >= BAND);
  const lon = w.cur[u * 2];
  const lat = w.cur[u * 2 + 1];
  if (!near || st.struck) {
    st.dwellLon = NaN;
    return;
  }
  const doc = w.scenario.doctrine;
  if (Number.isNaN(st.dwellLon) || sphereDistanceLL(st.dwellLon, st.dwellLat, lon, lat) > doc.dwellRadius) {
    st.dwellLon = lon;
    st.dwellLat = lat;
    st.dwellT = t;
    st.dwellFired = false;
    return;
  }
  if (!st.dwellFired && t - st.dwellT >= doc.dwellTime) {
    st.dwellFired = true;
    const zone = w.zones[near.zone];
    const edge = edgeNow(w, u, near);
    w.emit({
      t,
      type: 'dwell',
      unit: unit.id,
      zone: zone.id,
      rung: near.rung,
      at: [lon, lat],
      edge_m: edge,
      site_m: w.siteDistance(zone, lon, lat),
      reason: reasons.dwell(unit.name, unit.composition, doc.dwellRadius, t - st.dwellT, edge, zone),
    });
  }
}
