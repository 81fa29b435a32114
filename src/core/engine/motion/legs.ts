/**
 * The leg cache: per unit, the leg of its track in force at the last tick it was moved, so that
 * most ticks place a unit with one interpolation instead of a search of its track. Seven numbers
 * per unit (LEG): start and end time, duration, start longitude, longitude change, start
 * latitude, latitude change. A NaN longitude change is a standing leg (at a fix, before the first
 * fix or after the last); a start time of Infinity means none is cached.
 */
import { lonDelta, normalizeLon } from '../../geo/geodesic.js';
import { LEG } from '../state/records.js';

/**
 * Cache unit u's leg from fix a (time t0, position lon0, lat0) to fix b (t1, lon1, lat1); a
 * standing leg (before the first fix or after the last) when lon1 is NaN, from t0 to t1.
 */
export function cacheLeg(leg: Float64Array, u: number, t0: number, t1: number, lon0: number, lat0: number, lon1: number, lat1: number): void {
  const c = u * LEG;
  leg[c] = t0;
  leg[c + 1] = t1;
  leg[c + 2] = t1 - t0;
  leg[c + 3] = lon0;
  leg[c + 4] = lon1 !== lon1 ? NaN : lonDelta(lon0, lon1);
  leg[c + 5] = lat0;
  leg[c + 6] = lat1 - lat0;
}

/**
 * Unit u's position at time t on its cached leg into arr (lon, lat at u * 2), with the arithmetic
 * of track.ts positionAt; false, and arr untouched, when t is not on the cached leg.
 */
export function onLeg(leg: Float64Array, u: number, t: number, arr: Float64Array): boolean {
  const c = u * LEG;
  if (!(t >= leg[c] && t < leg[c + 1])) return false;
  const dl = leg[c + 4];
  if (dl !== dl) {
    arr[u * 2] = leg[c + 3];
    arr[u * 2 + 1] = leg[c + 5];
  } else {
    const f = (t - leg[c]) / leg[c + 2];
    const lon = leg[c + 3] + dl * f;
    arr[u * 2] = lon >= -180 && lon < 180 ? lon : normalizeLon(lon);
    arr[u * 2 + 1] = leg[c + 5] + leg[c + 6] * f;
  }
  return true;
}
