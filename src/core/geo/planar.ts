/**
 * Straight lon/lat geometry (RFC 7946): a point along a movement, bisection for a level, paths
 * unwrapped across the antimeridian, and point-segment distance and segment intersection in a
 * local plane.
 */
import { lonDelta, type LonLat } from './geodesic.js';

/** Point on the straight lon/lat movement from a to b at parameter s (handles the antimeridian). */
export function lerpLonLat(lon0: number, lat0: number, lon1: number, lat1: number, s: number): LonLat {
  let lon = lon0 + lonDelta(lon0, lon1) * s;
  if (lon >= 180) lon -= 360;
  else if (lon < -180) lon += 360;
  return [lon, lat0 + (lat1 - lat0) * s];
}

/** Bisection for the parameter in (s0, s1] where f crosses `level`; f(s0) and f(s1) straddle it. */
export function bisect(f: (s: number) => number, s0: number, s1: number, level: number, f0 = f(s0)): number {
  let lo = s0;
  let hi = s1;
  const below0 = f0 <= level;
  for (let i = 0; i < 48 && hi - lo > 1e-12; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) <= level === below0) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Unwrap a list of positions so that consecutive longitudes differ by at most 180°. */
export function unwrap(points: LonLat[]): LonLat[] {
  const out: LonLat[] = [];
  let prev: number | undefined;
  for (const [lon, lat] of points) {
    const l = prev === undefined ? lon : prev + lonDelta(prev, lon);
    out.push([l, lat]);
    prev = l;
  }
  return out;
}

/** Distance in metres from a point to a segment, in a local plane at the point's latitude. */
export function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
  kx: number,
  ky: number,
): { d: number; t: number; cross: number } {
  const x1 = (ax - px) * kx;
  const y1 = (ay - py) * ky;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : 0;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  const cx = x1 + dx * t;
  const cy = y1 + dy * t;
  // cross > 0: the point is left of the segment's direction.
  const cross = dx * -y1 - dy * -x1;
  return { d: Math.sqrt(cx * cx + cy * cy), t, cross };
}

/** Parameter along segment p0→p1 where it meets segment a→b (planar), or -1. */
export function segIntersect(p0x: number, p0y: number, p1x: number, p1y: number, ax: number, ay: number, bx: number, by: number): number {
  const rx = p1x - p0x;
  const ry = p1y - p0y;
  const sx = bx - ax;
  const sy = by - ay;
  const den = rx * sy - ry * sx;
  if (den === 0) return -1;
  const qx = ax - p0x;
  const qy = ay - p0y;
  const t = (qx * sy - qy * sx) / den;
  const u = (qx * ry - qy * rx) / den;
  if (t > 0 && t <= 1 && u >= 0 && u < 1) return t;
  return -1;
}
