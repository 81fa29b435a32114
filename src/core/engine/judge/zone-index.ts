/**
 * The zone index, queried: which zones' index boxes (each zone's box grown by its approach band
 * and hysteresis, and the whole world for a line's forbidden side) a box of the unit's movement
 * meets. Query boxes come with longitudes unwrapped from the unit's own, so they may run past
 * ±180°: `splitLon` is the one place that cuts them at the antimeridian.
 */
import type { World } from '../world.js';

/** Below this many zones, a scan of their boxes is cheaper than the index (and allocates nothing). */
export const SCAN_BELOW = 65;

/**
 * Longitudes [minX, maxX] (unwrapped, less than a turn apart) as ranges within [-180, 180], into
 * out as (min, max) pairs, in the order the index is searched; returns how many (1 or 2).
 */
export function splitLon(minX: number, maxX: number, out: Float64Array): number {
  if (minX < -180) {
    out[0] = -180;
    out[1] = maxX;
    out[2] = minX + 360;
    out[3] = 180;
    return 2;
  }
  if (maxX > 180) {
    out[0] = minX;
    out[1] = 180;
    out[2] = -180;
    out[3] = maxX - 360;
    return 2;
  }
  out[0] = minX;
  out[1] = maxX;
  return 1;
}

/** The applicable zones of unit u (not yet in `zones`, by stamp ws) whose index boxes meet a box. */
export function collectZones(w: World, u: number, ws: number, zones: number[], minX: number, minY: number, maxX: number, maxY: number): void {
  const applies = w.applies[u];
  const nz = w.scenario.zones.length;
  if (nz < SCAN_BELOW) {
    for (let z = 0; z < nz; z++) {
      if (!applies[z] || w.watchStamp[z] === ws) continue;
      const b = w.zoneBoxes[z];
      for (let i = 0; i < b.length; i += 4) {
        if (maxX < b[i] || maxY < b[i + 1] || minX > b[i + 2] || minY > b[i + 3]) continue;
        w.watchStamp[z] = ws;
        zones.push(z);
        break;
      }
    }
    return;
  }
  const hits = w.index.search(minX, minY, maxX, maxY);
  for (let h = 0; h < hits.length; h++) {
    const z = w.boxZone[hits[h]];
    if (!applies[z] || w.watchStamp[z] === ws) continue;
    w.watchStamp[z] = ws;
    zones.push(z);
  }
}
