/** Where a straight movement crosses a level of a zone's signed distance. */
import { circleLevelCrossings, type CircleZone } from './circle.js';
import { bisect, lerpLonLat } from './planar.js';
import type { ZoneShape } from './shape.js';

/**
 * Every parameter s in (0, 1] at which the movement's signed distance crosses `level`, in order.
 * Level 0 of a polygon or line uses the exact edge intersections; other levels bisect where the
 * endpoints straddle the level (and, for circles, where the movement dips through it).
 */
export function levelCrossings(shape: ZoneShape, lon0: number, lat0: number, lon1: number, lat1: number, level: number, d0: number, d1: number): number[] {
  if (shape.kind === 'circle') {
    const c = shape as CircleZone;
    const f = (s: number) => {
      if (s === 0) return d0;
      if (s === 1) return d1;
      const p = lerpLonLat(lon0, lat0, lon1, lat1, s);
      return c.signedDistance(p[0], p[1]);
    };
    return circleLevelCrossings(f, c, lon0, lat0, lon1, lat1, level);
  }
  if (level === 0) {
    const xs = shape.edgeCrossings(lon0, lat0, lon1, lat1);
    // The parity of exact crossings must agree with the endpoints; beyond a line's ends the side
    // can change without crossing the line itself, which bisection finds.
    if (xs.length % 2 === (d0 > 0 !== d1 > 0 ? 1 : 0)) return xs;
  }
  if (d0 > level !== d1 > level) {
    const f = (s: number) => {
      if (s === 0) return d0;
      if (s === 1) return d1;
      const p = lerpLonLat(lon0, lat0, lon1, lat1, s);
      return shape.signedDistance(p[0], p[1]);
    };
    return [bisect(f, 0, 1, level, d0)];
  }
  return [];
}
