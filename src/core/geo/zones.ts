/**
 * Zone geometry. Every zone answers one question exactly where it decides — how far is this
 * point from the edge, negative inside (or on the forbidden side of a line) — and finds where a
 * straight movement between two fixes crosses a given distance from the edge.
 *
 * - Circles are judged by WGS84 geodesic distance. A spherical fast path is used only when it
 *   is farther than its error bound from every level that matters, so no point is misclassified.
 * - Polygons and lines follow RFC 7946: edges are straight in longitude/latitude. Polygons
 *   and lines that cross the antimeridian are unwrapped into one continuous longitude range.
 */
import type { LonLat } from '../position.js';
import { EdgeIndex, segmentDistanceM } from './edgeindex.js';
import { geodesicDistanceLL, lonDelta, metresPerDegree, metresPerDegreeInto, SPHERE_REL_ERROR, sphereDistanceLL, WGS84_A, WGS84_E2 } from './geodesic.js';
import { maxOf, minOf } from '../extent.js';

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface ZoneShape {
  readonly kind: 'circle' | 'polygon' | 'line';
  /**
   * Signed distance in metres from the edge: negative inside the zone (for a line: on the
   * forbidden side). Exact within 1 cm wherever the result is close to one of `levels`.
   */
  signedDistance(lon: number, lat: number): number;
  /** Bounding boxes (more than one when split at the antimeridian) grown by `margin` metres. */
  bboxes(margin: number): BBox[];
  /**
   * Parameters s in (0, 1], sorted, where the movement from (lon0, lat0) to (lon1, lat1) crosses
   * the edge itself, found exactly for polygons and lines and by bisection for circles.
   */
  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[];
  /** Sample points of the outline for drawing (rings, or the line). */
  outline(): LonLat[][];
  /**
   * Optional hint: queries will mostly come within `margin` metres of the edge (the engine passes
   * the approach band plus hysteresis). Only speed depends on it, never a result.
   */
  prepare?(margin: number): void;
}

const RAD = Math.PI / 180;
/** Smallest radius of curvature of WGS84 (meridional, at the equator), slightly rounded down. */
const MIN_CURVATURE_RADIUS = 6_335_000;
/** Scratch for metres per degree. */
const K = new Float64Array(2);

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

function degreeMargins(margin: number, minLat: number, maxLat: number): { dlon: number; dlat: number; polar: boolean } {
  const dlat = (margin / 110_500) * 1.02;
  const topLat = Math.max(Math.abs(minLat - dlat), Math.abs(maxLat + dlat));
  if (topLat >= 89) return { dlon: 360, dlat, polar: true };
  const mx = metresPerDegree(topLat).x;
  return { dlon: (margin / mx) * 1.02, dlat, polar: false };
}

/** Split a box whose longitudes run past ±180 into boxes inside [-180, 180]. */
function wrapBox(minLon: number, minLat: number, maxLon: number, maxLat: number): BBox[] {
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
  /** Signed-distance levels at which the answer must be exact (0 and the band edges). */
  private readonly levels: number[];

  constructor(
    readonly center: LonLat,
    readonly radius: number,
    levels: number[] = [0],
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

  outline(): LonLat[][] {
    return [];
  }
}

/**
 * Crossings of `level` (signed distance) along a movement for a circle, including a movement
 * that dips below the level and comes out again between two fixes.
 */
function circleLevelCrossings(
  f: (s: number) => number,
  c: CircleZone,
  lon0: number,
  lat0: number,
  lon1: number,
  lat1: number,
  level: number,
): number[] {
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

/** Unwrap a list of positions so that consecutive longitudes differ by at most 180°. */
function unwrap(points: LonLat[]): LonLat[] {
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
function segmentDistance(px: number, py: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): { d: number; t: number; cross: number } {
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
function segIntersect(p0x: number, p0y: number, p1x: number, p1y: number, ax: number, ay: number, bx: number, by: number): number {
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

export class PolygonZone implements ZoneShape {
  readonly kind = 'polygon' as const;
  /** Rings unwrapped into one continuous longitude range. */
  readonly rings: LonLat[][];
  private readonly minLon: number;
  private readonly maxLon: number;
  private readonly minLat: number;
  private readonly maxLat: number;
  /** Flat edge list: ax, ay, bx, by per edge. */
  private readonly edges: Float64Array;

  constructor(rings: LonLat[][]) {
    this.rings = rings.map(unwrap);
    // Keep holes in the same longitude range as the outer ring.
    const ref = this.rings[0][0][0];
    for (let r = 1; r < this.rings.length; r++) {
      const shift = Math.round((ref - this.rings[r][0][0]) / 360) * 360;
      if (shift) this.rings[r] = this.rings[r].map(([x, y]) => [x + shift, y] as LonLat);
    }
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    let n = 0;
    for (const ring of this.rings) n += ring.length - 1;
    this.edges = new Float64Array(n * 4);
    let e = 0;
    for (const ring of this.rings) {
      for (let i = 0; i < ring.length; i++) {
        const [x, y] = ring[i];
        minLon = Math.min(minLon, x);
        maxLon = Math.max(maxLon, x);
        minLat = Math.min(minLat, y);
        maxLat = Math.max(maxLat, y);
        if (i < ring.length - 1) {
          this.edges[e++] = x;
          this.edges[e++] = y;
          this.edges[e++] = ring[i + 1][0];
          this.edges[e++] = ring[i + 1][1];
        }
      }
    }
    this.minLon = minLon;
    this.maxLon = maxLon;
    this.minLat = minLat;
    this.maxLat = maxLat;
    this.index = new EdgeIndex(this.edges);
  }

  /** Index over the edges (strips and a lazy nearest-edge grid). */
  private readonly index: EdgeIndex;

  /** Shift a longitude into this polygon's unwrapped range. */
  private shiftLon(lon: number): number {
    const mid = (this.minLon + this.maxLon) / 2;
    return mid + lonDelta(mid, lon);
  }

  /** Even-odd point in polygon, exact in lon/lat (RFC 7946 straight edges). */
  contains(lon: number, lat: number): boolean {
    const x = this.shiftLon(lon);
    if (x < this.minLon || x > this.maxLon || lat < this.minLat || lat > this.maxLat) return false;
    // Only edges whose latitude range holds `lat` can toggle; they all sit in lat's strip.
    const idx = this.index;
    const s = idx.strip(lat);
    const items = idx.stripItems;
    const e = this.edges;
    let inside = false;
    for (let j = idx.stripStart(s), end = idx.stripEnd(s); j < end; j++) {
      const i = items[j] * 4;
      const ay = e[i + 1];
      const by = e[i + 3];
      if (ay > lat !== by > lat) {
        const ax = e[i];
        const bx = e[i + 2];
        if (x < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
      }
    }
    return inside;
  }

  /** `contains` by a scan of every edge (the reference the index must agree with). */
  containsByScan(lon: number, lat: number): boolean {
    const x = this.shiftLon(lon);
    if (x < this.minLon || x > this.maxLon || lat < this.minLat || lat > this.maxLat) return false;
    const e = this.edges;
    let inside = false;
    for (let i = 0; i < e.length; i += 4) {
      const ay = e[i + 1];
      const by = e[i + 3];
      if (ay > lat !== by > lat) {
        const ax = e[i];
        const bx = e[i + 2];
        if (x < ((bx - ax) * (lat - ay)) / (by - ay) + ax) inside = !inside;
      }
    }
    return inside;
  }

  /** Distance in metres to the nearest edge. */
  boundaryDistance(lon: number, lat: number): number {
    const x = this.shiftLon(lon);
    const cand = this.index.candidates(x, lat);
    if (!cand) return this.boundaryDistanceByScan(lon, lat);
    const lows = this.index.lastLows;
    metresPerDegreeInto(lat, K);
    const kx = K[0];
    const ky = K[1];
    const e = this.edges;
    let best = Infinity;
    for (let j = 0, n = cand.length; j < n; j++) {
      // Candidates come nearest first: once one cannot beat the best, none of the rest can.
      // (Leaving by the loop's own test rather than `break` keeps the doubles unboxed in V8.)
      if (lows[j] > best) {
        j = n;
        continue;
      }
      const i = cand[j] * 4;
      // segmentDistanceM, written out (the same arithmetic, without a call in the loop).
      const ax = e[i];
      const ay = e[i + 1];
      const x1 = (ax - x) * kx;
      const y1 = (ay - lat) * ky;
      const dx = (e[i + 2] - ax) * kx;
      const dy = (e[i + 3] - ay) * ky;
      const len2 = dx * dx + dy * dy;
      let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : -0;
      if (t < 0) t = -0;
      else if (t > 1) t = len2 / len2;
      const cx = x1 + dx * t;
      const cy = y1 + dy * t;
      const d = Math.sqrt(cx * cx + cy * cy);
      if (d < best) best = d;
    }
    return best;
  }

  /** `boundaryDistance` by a scan of every edge (the reference the index must agree with). */
  boundaryDistanceByScan(lon: number, lat: number): number {
    const x = this.shiftLon(lon);
    const k = metresPerDegree(lat);
    const e = this.edges;
    let best = Infinity;
    for (let i = 0; i < e.length; i += 4) {
      const r = segmentDistance(x, lat, e[i], e[i + 1], e[i + 2], e[i + 3], k.x, k.y);
      if (r.d < best) best = r.d;
    }
    return best;
  }

  signedDistance(lon: number, lat: number): number {
    const d = this.boundaryDistance(lon, lat);
    return this.contains(lon, lat) ? -d : d;
  }

  /**
   * A lower bound, cheap, of the signed distance of a point outside the polygon's bounding box
   * (its distance to the box, in the same local metric as boundaryDistance); 0 inside the box.
   */
  boxDistance(lon: number, lat: number): number {
    const x = this.shiftLon(lon);
    const dx = x < this.minLon ? this.minLon - x : x > this.maxLon ? x - this.maxLon : 0;
    const dy = lat < this.minLat ? this.minLat - lat : lat > this.maxLat ? lat - this.maxLat : 0;
    if (dx === 0 && dy === 0) return 0;
    metresPerDegreeInto(lat, K);
    const mx = dx * K[0];
    const my = dy * K[1];
    return Math.sqrt(mx * mx + my * my) * (1 - 1e-9);
  }

  prepare(margin: number): void {
    this.index.setMargin(margin);
  }

  bboxes(margin: number): BBox[] {
    const { dlon, dlat } = degreeMargins(margin, this.minLat, this.maxLat);
    return wrapBox(this.minLon - dlon, this.minLat - dlat, this.maxLon + dlon, this.maxLat + dlat);
  }

  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[] {
    const x0 = this.shiftLon(lon0);
    const x1 = x0 + lonDelta(lon0, lon1);
    const e = this.edges;
    const out: number[] = [];
    // A crossing needs an edge whose latitude range meets the movement's.
    const count = this.index.range(Math.min(lat0, lat1), Math.max(lat0, lat1));
    const items = this.index.rangeItems;
    for (let j = this.index.rangeFrom, end = j + count; j < end; j++) {
      const i = items[j] * 4;
      const t = segIntersect(x0, lat0, x1, lat1, e[i], e[i + 1], e[i + 2], e[i + 3]);
      if (t >= 0) out.push(t);
    }
    return out.sort((a, b) => a - b);
  }

  outline(): LonLat[][] {
    return this.rings;
  }
}

export class LineZone implements ZoneShape {
  readonly kind = 'line' as const;
  readonly points: LonLat[];
  /** +1: the forbidden side is left of the line's direction; -1: right. */
  readonly forbiddenSign: 1 | -1;
  private readonly minLon: number;
  private readonly maxLon: number;
  private readonly minLat: number;
  private readonly maxLat: number;

  constructor(points: LonLat[], forbidden: 'left' | 'right') {
    this.points = unwrap(points);
    this.forbiddenSign = forbidden === 'left' ? 1 : -1;
    this.minLon = minOf(this.points, (p) => p[0]);
    this.maxLon = maxOf(this.points, (p) => p[0]);
    this.minLat = minOf(this.points, (p) => p[1]);
    this.maxLat = maxOf(this.points, (p) => p[1]);
    const edges = new Float64Array(Math.max(0, this.points.length - 1) * 4);
    for (let i = 0; i < this.points.length - 1; i++) {
      edges[i * 4] = this.points[i][0];
      edges[i * 4 + 1] = this.points[i][1];
      edges[i * 4 + 2] = this.points[i + 1][0];
      edges[i * 4 + 3] = this.points[i + 1][1];
    }
    this.index = new EdgeIndex(edges);
  }

  /** Index over the segments (strips and a lazy nearest-segment grid). */
  private readonly index: EdgeIndex;

  private shiftLon(lon: number): number {
    const mid = (this.minLon + this.maxLon) / 2;
    return mid + lonDelta(mid, lon);
  }

  prepare(margin: number): void {
    this.index.setMargin(margin);
  }

  /** Which side of the line a point is on: +1 left, -1 right, with its distance in metres. */
  side(lon: number, lat: number): { side: 1 | -1; d: number } {
    const side = this.sideOf(lon, lat);
    return { side, d: this.lastD };
  }

  /** The distance found by the last sideOf. */
  private lastD = 0;

  /** `side`, without allocating: the side, with the distance left in lastD. */
  private sideOf(lon: number, lat: number): 1 | -1 {
    const x = this.shiftLon(lon);
    const cand = this.index.candidates(x, lat);
    if (!cand) {
      const r = this.sideByScan(lon, lat);
      this.lastD = r.d;
      return r.side;
    }
    const lows = this.index.lastLows;
    metresPerDegreeInto(lat, K);
    const kx = K[0];
    const ky = K[1];
    const e = this.index.edges;
    let best = Infinity;
    let bi = -1;
    // The nearest segment with the lowest index, as a scan in order would find it. Candidates
    // come nearest first: once one cannot reach the best, none of the rest can.
    for (let j = 0, n = cand.length; j < n; j++) {
      if (lows[j] > best) {
        j = n;
        continue;
      }
      const i = cand[j];
      const d = segmentDistanceM(x, lat, e[i * 4], e[i * 4 + 1], e[i * 4 + 2], e[i * 4 + 3], kx, ky);
      if (d < best || (d === best && i < bi)) {
        best = d;
        bi = i;
      }
    }
    if (bi < 0) {
      const r = this.sideByScan(lon, lat);
      this.lastD = r.d;
      return r.side;
    }
    // segmentDistance's t and cross for the nearest segment, written out (the same arithmetic).
    const o = bi * 4;
    const x1 = (e[o] - x) * kx;
    const y1 = (e[o + 1] - lat) * ky;
    const dx = (e[o + 2] - e[o]) * kx;
    const dy = (e[o + 3] - e[o + 1]) * ky;
    const len2 = dx * dx + dy * dy;
    let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : -0;
    if (t < 0) t = -0;
    else if (t > 1) t = len2 / len2;
    const cross = dx * -y1 - dy * -x1;
    this.lastD = best;
    return this.decideSign(x, lat, kx, ky, bi, t, cross);
  }

  /** `side` by a scan of every segment (the reference the index must agree with). */
  sideByScan(lon: number, lat: number): { side: 1 | -1; d: number } {
    const x = this.shiftLon(lon);
    const k = metresPerDegree(lat);
    const p = this.points;
    let best = Infinity;
    let bi = 0;
    let bt = 0;
    let bc = 0;
    for (let i = 0; i < p.length - 1; i++) {
      const r = segmentDistance(x, lat, p[i][0], p[i][1], p[i + 1][0], p[i + 1][1], k.x, k.y);
      if (r.d < best) {
        best = r.d;
        bi = i;
        bt = r.t;
        bc = r.cross;
      }
    }
    return this.decideSide(x, lat, k, bi, bt, bc, best);
  }

  private decideSide(x: number, lat: number, k: { x: number; y: number }, bi: number, bt: number, bc: number, best: number): { side: 1 | -1; d: number } {
    return { side: this.decideSign(x, lat, k.x, k.y, bi, bt, bc), d: best };
  }

  private decideSign(x: number, lat: number, kx: number, ky: number, bi: number, bt: number, bc: number): 1 | -1 {
    const p = this.points;
    let sign: 1 | -1 = bc >= 0 ? 1 : -1;
    // Nearest point at an inner vertex: decide from both segments that meet there.
    const atVertex = bt === 1 && bi < p.length - 2 ? bi + 1 : bt === 0 && bi > 0 ? bi : -1;
    if (atVertex > 0) {
      const a = p[atVertex - 1];
      const v = p[atVertex];
      const b = p[atVertex + 1];
      const c1 = (v[0] - a[0]) * kx * (lat - a[1]) * ky - (v[1] - a[1]) * ky * (x - a[0]) * kx;
      const c2 = (b[0] - v[0]) * kx * (lat - v[1]) * ky - (b[1] - v[1]) * ky * (x - v[0]) * kx;
      const turn = (v[0] - a[0]) * (b[1] - v[1]) - (v[1] - a[1]) * (b[0] - v[0]);
      if (turn > 0) sign = c1 > 0 && c2 > 0 ? 1 : -1;
      else sign = c1 < 0 && c2 < 0 ? -1 : 1;
    }
    return sign;
  }

  signedDistance(lon: number, lat: number): number {
    const side = this.sideOf(lon, lat);
    return side === this.forbiddenSign ? -this.lastD : this.lastD;
  }

  bboxes(margin: number): BBox[] {
    const { dlon, dlat } = degreeMargins(margin, this.minLat, this.maxLat);
    return wrapBox(this.minLon - dlon, this.minLat - dlat, this.maxLon + dlon, this.maxLat + dlat);
  }

  /** A longitude in this line's unwrapped range (the x of its points). */
  unwrapLon(lon: number): number {
    return this.shiftLon(lon);
  }

  /**
   * How long a region stays surely on side `side` (+1 left, -1 right) of the line as `side()`
   * decides it. The region is the box [x0, x1] × [y0, y1] (x in the unwrapped range) grown by
   * (vx·T, vy·T) degrees after T ms; the nearest segment of any point of it lies within
   * r0 + r1·T metres of (lon, lat), in the metric there. Returns the largest such T up to maxT
   * (or beyond), or -1 if not even the box itself is surely on that side.
   *
   * The side is surely `side` where the region lies strictly on that side of the supporting line
   * of every segment within reach and of its neighbours: then the nearest segment, a vertex rule
   * between two of them, or an end all give that side. (The side can change without crossing the
   * line, beyond its ends or where the line folds back, so a distance alone proves nothing.) A
   * segment whose line cuts the region only limits T while it is within reach.
   */
  sideClearTime(lon: number, lat: number, r0: number, r1: number, maxT: number, side: 1 | -1, x0: number, y0: number, x1: number, y1: number, vx: number, vy: number): number {
    const x = this.shiftLon(lon);
    metresPerDegreeInto(lat, K);
    const kx = K[0];
    const ky = K[1];
    const e = this.index.edges;
    const n = this.index.n;
    const cx = (x0 + x1) / 2;
    const cy = (y0 + y1) / 2;
    const hx = (x1 - x0) / 2;
    const hy = (y1 - y0) / 2;
    // Only segments whose latitudes come within the largest reach (at maxT) can be within it.
    const maxReach = r1 > 0 ? r0 + r1 * maxT : r0;
    const dLat = maxReach / 110_000;
    const count = dLat < 90 ? this.index.range(lat - dLat, lat + dLat) : this.index.range(-90, 90);
    const items = this.index.rangeItems;
    let best = Infinity;
    for (let c = this.index.rangeFrom, end = c + count; c < end; c++) {
      const i = items[c];
      const o = i * 4;
      const d = segmentDistanceM(x, lat, e[o], e[o + 1], e[o + 2], e[o + 3], kx, ky);
      // Within reach from T on: before that, this segment (and its vertex rules) cannot decide.
      const from = d <= r0 ? 0 : r1 > 0 ? ((d - r0) / r1) * 0.999 : Infinity;
      if (from >= best) continue;
      let ok = Infinity;
      for (let j = i > 0 ? i - 1 : 0, end = i < n - 1 ? i + 1 : n - 1; j <= end; j++) {
        // How long the region stays strictly on `side` of segment j's supporting line: side ×
        // cross(direction, point − start) is linear over the box, least at the centre minus the
        // half sizes weighted by the direction. A margin keeps rounding out.
        const q = j * 4;
        const dx = e[q + 2] - e[q];
        const dy = e[q + 3] - e[q + 1];
        const adx = Math.abs(dx);
        const ady = Math.abs(dy);
        const margin = side * (dx * (cy - e[q + 1]) - dy * (cx - e[q])) - adx * hy - ady * hx - 1e-9 * (adx + ady) * (hx + hy + 1);
        const rate = adx * vy + ady * vx;
        const clear = !(margin > 0) ? -1 : rate > 0 ? (margin / rate) * 0.999 : Infinity;
        if (clear < ok) ok = clear;
      }
      const limit = Math.max(ok, from);
      if (limit < best) best = limit;
    }
    return best <= 0 && best !== Infinity ? -1 : best;
  }

  /** Geometric crossings of the line itself, with the side the movement crosses to. */
  lineCrossings(lon0: number, lat0: number, lon1: number, lat1: number): { s: number; toSide: 1 | -1; segment: number }[] {
    const x0 = this.shiftLon(lon0);
    const x1 = x0 + lonDelta(lon0, lon1);
    const p = this.points;
    const out: { s: number; toSide: 1 | -1; segment: number }[] = [];
    // A crossing needs a segment whose latitude range meets the movement's; they come in order.
    const count = this.index.range(Math.min(lat0, lat1), Math.max(lat0, lat1));
    const items = this.index.rangeItems;
    for (let j = this.index.rangeFrom, end = j + count; j < end; j++) {
      const i = items[j];
      const t = segIntersect(x0, lat0, x1, lat1, p[i][0], p[i][1], p[i + 1][0], p[i + 1][1]);
      if (t >= 0) {
        // The movement goes to the left of the segment when cross(segment, movement) > 0; judged
        // from the direction of movement, so a movement ending exactly on the line still has one.
        const c = (p[i + 1][0] - p[i][0]) * (lat1 - lat0) - (p[i + 1][1] - p[i][1]) * (x1 - x0);
        out.push({ s: t, toSide: c > 0 ? 1 : -1, segment: i });
      }
    }
    return out.sort((a, b) => a.s - b.s);
  }

  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[] {
    return this.lineCrossings(lon0, lat0, lon1, lat1).map((c) => c.s);
  }

  outline(): LonLat[][] {
    return [this.points];
  }
}

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
