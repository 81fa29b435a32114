/** Bounding boxes in degrees: a margin in metres as degrees, and boxes split at the antimeridian. */
import { metresPerDegree } from './geodesic.js';
import type { BBox } from './shape.js';

/** Degrees of longitude and latitude that hold at least `margin` metres anywhere between minLat and maxLat (polar: every longitude). */
export function degreeMargins(margin: number, minLat: number, maxLat: number): { dlon: number; dlat: number; polar: boolean } {
  const dlat = (margin / 110_500) * 1.02;
  const topLat = Math.max(Math.abs(minLat - dlat), Math.abs(maxLat + dlat));
  if (topLat >= 89) return { dlon: 360, dlat, polar: true };
  const mx = metresPerDegree(topLat).x;
  return { dlon: (margin / mx) * 1.02, dlat, polar: false };
}

/** Split a box whose longitudes run past ±180 into boxes inside [-180, 180]. */
export function wrapBox(minLon: number, minLat: number, maxLon: number, maxLat: number): BBox[] {
  minLat = Math.max(-90, minLat);
  maxLat = Math.min(90, maxLat);
  if (maxLon - minLon >= 360) return [[-180, minLat, 180, maxLat]];
  const out: BBox[] = [];
  let a = minLon;
  let b = maxLon;
  while (a < -180) {
    a += 360;
    b += 360;
  }
  while (a >= 180) {
    a -= 360;
    b -= 360;
  }
  if (b <= 180) out.push([a, minLat, b, maxLat]);
  else {
    out.push([a, minLat, 180, maxLat]);
    out.push([-180, minLat, b - 360, maxLat]);
  }
  return out;
}
