/** Circular zones, judged by WGS84 geodesic distance from the centre. */
import {
  geodesicDestination,
  geodesicDistanceLL,
  lonDelta,
  metresPerDegree,
  SPHERE_REL_ERROR,
  sphereDistanceLL,
  WGS84_A,
  WGS84_E2,
  type LonLat,
} from './geodesic.js';
import { degreeMargins, wrapBox } from './bbox.js';
import { bisect, lerpLonLat } from './planar.js';
import type { BBox, ZoneShape } from './shape.js';

const RAD = Math.PI / 180;
/** Smallest radius of curvature of WGS84 (meridional, at the equator), slightly rounded down. */
const MIN_CURVATURE_RADIUS = 6_335_000;

/** Earth-centred, earth-fixed coordinates (metres) of a point on the WGS84 ellipsoid. */
function ecef(lon: number, lat: number): [number, number, number] {
  const phi = lat * RAD;
  const lam = lon * RAD;
  const sp = Math.sin(phi);
  const cp = Math.cos(phi);
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sp * sp);
  return [n * cp * Math.cos(lam), n * cp * Math.sin(lam), n * (1 - WGS84_E2) * sp];
}

export class CircleZone implements ZoneShape {
  readonly kind = 'circle' as const;
  /** Signed-distance levels at which the answer must be exact (0 and the band edges), ascending. */
  readonly levels: readonly number[];

  constructor(
    readonly center: LonLat,
    readonly radius: number,
    levels: readonly number[] = [0],
  ) {
    this.levels = [...new Set([0, ...levels])].sort((a, b) => a - b);
    const e = ecef(center[0], center[1]);
    this.cx = e[0];
    this.cy = e[1];
    this.cz = e[2];
  }

  /** Earth-centred coordinates of the centre (metres). */
  private readonly cx: number;
  private readonly cy: number;
  private readonly cz: number;

  /**
   * Bounds on the exact WGS84 geodesic distance g from the centre, written to out[0] (lower) and
   * out[1] (upper), without solving the geodesic. With c the straight-line (chord) distance
   * between the two points in space: g ≥ c; and, the geodesic being a space curve whose
   * curvature never exceeds the ellipsoid's largest normal curvature 1/R0 (R0 = a(1 − e²), the
   * meridional radius at the equator), Schur's comparison theorem gives c ≥ 2·R0·sin(g / 2R0),
   * so g ≤ 2·R0·asin(c / 2R0). The interval is about c³/(24·R0²) wide: 0.3 m at 65 km. Beyond
   * 1,000 km the exact distance is used.
   */
  geodesicBounds(lon: number, lat: number, out: Float64Array): void {
    const phi = lat * RAD;
    const lam = lon * RAD;
    const sp = Math.sin(phi);
    const cp = Math.cos(phi);
    const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sp * sp);
    const dx = n * cp * Math.cos(lam) - this.cx;
    const dy = n * cp * Math.sin(lam) - this.cy;
    const dz = n * (1 - WGS84_E2) * sp - this.cz;
    const c = Math.sqrt(dx * dx + dy * dy + dz * dz);
    if (c > 1_000_000) {
      const g = geodesicDistanceLL(this.center[0], this.center[1], lon, lat);
      out[0] = g;
      out[1] = g;
      return;
    }
    // Rounding in the chord is below 1e-7 m; 1e-6 m covers it.
    out[0] = c - 1e-6;
    out[1] = 2 * MIN_CURVATURE_RADIUS * Math.asin(c / (2 * MIN_CURVATURE_RADIUS)) * (1 + 1e-12) + 1e-6;
  }

  signedDistance(lon: number, lat: number): number {
    const c = this.center;
    const approx = sphereDistanceLL(c[0], c[1], lon, lat);
    const err = approx * SPHERE_REL_ERROR + 0.05;
    const r = this.radius;
    const levels = this.levels;
    for (let i = 0; i < levels.length; i++) {
      if (Math.abs(approx - r - levels[i]) <= err) return geodesicDistanceLL(c[0], c[1], lon, lat) - r;
    }
    return approx - r;
  }

  /** Exact geodesic distance from the centre. */
  exactDistance(lon: number, lat: number): number {
    return geodesicDistanceLL(this.center[0], this.center[1], lon, lat);
  }

  bboxes(margin: number): BBox[] {
    const [lon, lat] = this.center;
    const reach = this.radius + margin;
    const { dlon, dlat } = degreeMargins(reach, lat, lat);
    return wrapBox(lon - dlon, lat - dlat, lon + dlon, lat + dlat);
  }

  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[] {
    const f = (s: number) => {
      const p = lerpLonLat(lon0, lat0, lon1, lat1, s);
      return this.exactDistance(p[0], p[1]) - this.radius;
    };
    return circleLevelCrossings(f, this, lon0, lat0, lon1, lat1, 0);
  }

  /** Parameter of the point of the movement closest to the centre (local plane), clamped to [0, 1]. */
  closestParam(lon0: number, lat0: number, lon1: number, lat1: number): number {
    const k = metresPerDegree(this.center[1]);
    const ax = lonDelta(this.center[0], lon0) * k.x;
    const ay = (lat0 - this.center[1]) * k.y;
    const dx = lonDelta(lon0, lon1) * k.x;
    const dy = (lat1 - lat0) * k.y;
    const len2 = dx * dx + dy * dy;
    if (len2 === 0) return 0;
    return Math.min(1, Math.max(0, -(ax * dx + ay * dy) / len2));
  }

  /** The circle as a closed geodesic ring of `steps` sides (see geodesicCircle). */
  outline(steps = 72): LonLat[][] {
    return [geodesicCircle(this.center, this.radius, steps)];
  }
}

/**
 * Crossings of `level` (signed distance) along a movement for a circle, including a movement
 * that dips below the level and comes out again between two fixes.
 */
export function circleLevelCrossings(f: (s: number) => number, c: CircleZone, lon0: number, lat0: number, lon1: number, lat1: number, level: number): number[] {
  const f0 = f(0);
  const f1 = f(1);
  if (f0 > level !== f1 > level) return [bisect(f, 0, 1, level, f0)];
  // Distance along a movement changes no faster than the movement itself: a dip below the
  // level between two fixes needs the nearer fix within half the movement's length of it.
  if (f0 > level && f1 > level && Math.min(f0, f1) - level <= sphereDistanceLL(lon0, lat0, lon1, lat1) * 0.51 + 0.01) {
    const sm = c.closestParam(lon0, lat0, lon1, lat1);
    if (sm > 0 && sm < 1) {
      const fm = f(sm);
      if (fm <= level) return [bisect(f, 0, sm, level, f0), bisect(f, sm, 1, level, fm)];
    }
  }
  return [];
}

/**
 * The geodesic circle of `radius` metres around `center` as a closed ring: `steps` points at the
 * azimuths k·360/steps from north, then the first again (GeoJSON's closed ring). What the
 * exports (72 sides), the terminal map (360) and the report (90) draw of a circle.
 */
export function geodesicCircle(center: LonLat, radius: number, steps = 72): LonLat[] {
  const ring: LonLat[] = [];
  for (let k = 0; k < steps; k++) ring.push(geodesicDestination(center, (k * 360) / steps, radius));
  ring.push(ring[0]);
  return ring;
}
