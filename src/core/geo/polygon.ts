/** Polygon zones (with holes), straight in lon/lat (RFC 7946), unwrapped across the antimeridian. */
import { EdgeIndex, segmentDistanceM } from './edgeindex.js';
import { lonDelta, metresPerDegree, metresPerDegreeInto, type LonLat } from './geodesic.js';
import { LonLatExtent } from './lonlat-extent.js';
import { segmentDistance, segIntersect, unwrap } from './planar.js';
import type { ZoneShape } from './shape.js';

/** Scratch for metres per degree. */
const K = new Float64Array(2);

/** Rings unwrapped into one continuous longitude range, the holes in the outer ring's. */
function unwrapRings(rings: LonLat[][]): LonLat[][] {
  const out = rings.map(unwrap);
  const ref = out[0][0][0];
  for (let r = 1; r < out.length; r++) {
    const shift = Math.round((ref - out[r][0][0]) / 360) * 360;
    if (shift) out[r] = out[r].map(([x, y]) => [x + shift, y] as LonLat);
  }
  return out;
}

export class PolygonZone extends LonLatExtent implements ZoneShape {
  readonly kind = 'polygon' as const;
  /** Rings unwrapped into one continuous longitude range. */
  readonly rings: LonLat[][];
  /** Flat edge list: ax, ay, bx, by per edge. */
  private readonly edges: Float64Array;
  /** Index over the edges (strips and a lazy nearest-edge grid). */
  private readonly index: EdgeIndex;

  /** `alreadyUnwrapped`: the rings are already a PolygonZone's `rings` (a copy of a zone sent elsewhere: unwrapping again could move a bit). */
  constructor(rings: LonLat[][], alreadyUnwrapped = false) {
    const unwrapped = alreadyUnwrapped ? rings : unwrapRings(rings);
    super(unwrapped);
    this.rings = unwrapped;
    let n = 0;
    for (const ring of this.rings) n += ring.length - 1;
    this.edges = new Float64Array(n * 4);
    let e = 0;
    for (const ring of this.rings) {
      for (let i = 0; i < ring.length - 1; i++) {
        this.edges[e++] = ring[i][0];
        this.edges[e++] = ring[i][1];
        this.edges[e++] = ring[i + 1][0];
        this.edges[e++] = ring[i + 1][1];
      }
    }
    this.index = new EdgeIndex(this.edges);
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
    metresPerDegreeInto(lat, K);
    const kx = K[0];
    const ky = K[1];
    const e = this.edges;
    let best = Infinity;
    if (!cand) {
      // Outside the grid: every edge, as boundaryDistanceByScan scans them (the same distances,
      // without an object per edge).
      for (let i = 0; i < e.length; i += 4) {
        const d = segmentDistanceM(x, lat, e[i], e[i + 1], e[i + 2], e[i + 3], kx, ky);
        if (d < best) best = d;
      }
      return best;
    }
    const lows = this.index.lastLows;
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
