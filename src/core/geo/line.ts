/** Line zones: a forbidden side of a polyline, straight in lon/lat (RFC 7946), unwrapped across the antimeridian. */
import { EdgeIndex, segmentDistanceM } from './edgeindex.js';
import { lonDelta, metresPerDegree, metresPerDegreeInto, type LonLat } from './geodesic.js';
import { LonLatExtent } from './lonlat-extent.js';
import { segmentDistance, segIntersect, unwrap } from './planar.js';
import type { ZoneShape } from './shape.js';

/** Scratch for metres per degree. */
const K = new Float64Array(2);

/** A crossing of the line by a movement: where along it (0–1], the side it goes to, and which segment. */
export interface LineCrossing {
  s: number;
  toSide: 1 | -1;
  segment: number;
}

const NO_CROSSINGS: readonly LineCrossing[] = Object.freeze([]);

export class LineZone extends LonLatExtent implements ZoneShape {
  readonly kind = 'line' as const;
  readonly points: LonLat[];
  /** +1: the forbidden side is left of the line's direction; -1: right. */
  readonly forbiddenSign: 1 | -1;
  /** Index over the segments (strips and a lazy nearest-segment grid). */
  private readonly index: EdgeIndex;

  /** `alreadyUnwrapped`: the points are already a LineZone's `points` (a copy of a zone sent elsewhere: unwrapping again could move a bit). */
  constructor(points: LonLat[], forbidden: 'left' | 'right', alreadyUnwrapped = false) {
    const unwrapped = alreadyUnwrapped ? points : unwrap(points);
    super([unwrapped]);
    this.points = unwrapped;
    this.forbiddenSign = forbidden === 'left' ? 1 : -1;
    const edges = new Float64Array(Math.max(0, this.points.length - 1) * 4);
    for (let i = 0; i < this.points.length - 1; i++) {
      edges[i * 4] = this.points[i][0];
      edges[i * 4 + 1] = this.points[i][1];
      edges[i * 4 + 2] = this.points[i + 1][0];
      edges[i * 4 + 3] = this.points[i + 1][1];
    }
    this.index = new EdgeIndex(edges);
  }

  prepare(margin: number): void {
    this.index.setMargin(margin);
  }

  /** Which side of the line a point is on: +1 left, -1 right, with its distance in metres. */
  side(lon: number, lat: number): { side: 1 | -1; d: number } {
    const side = this.sideOf(lon, lat);
    return { side, d: this.lastD };
  }

  /** The distance found by the last sideOf: a side channel, so that sideOf allocates nothing (not reentrant). */
  private lastD = 0;

  /** `side`, without allocating: the side, with the distance left in lastD. */
  private sideOf(lon: number, lat: number): 1 | -1 {
    const x = this.shiftLon(lon);
    const cand = this.index.candidates(x, lat);
    metresPerDegreeInto(lat, K);
    const kx = K[0];
    const ky = K[1];
    const e = this.index.edges;
    let best = Infinity;
    let bi = -1;
    if (cand) {
      const lows = this.index.lastLows;
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
    }
    if (bi < 0) {
      // Outside the grid: every segment, in order, as sideByScan scans them (the same distances,
      // without an object per segment).
      for (let i = 0, n = this.index.n; i < n; i++) {
        const d = segmentDistanceM(x, lat, e[i * 4], e[i * 4 + 1], e[i * 4 + 2], e[i * 4 + 3], kx, ky);
        if (d < best) {
          best = d;
          bi = i;
        }
      }
      // No finite distance at all (a position of NaN): as the scan decides it.
      if (bi < 0) {
        const r = this.sideByScan(lon, lat);
        this.lastD = r.d;
        return r.side;
      }
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
  sideClearTime(
    lon: number,
    lat: number,
    r0: number,
    r1: number,
    maxT: number,
    side: 1 | -1,
    x0: number,
    y0: number,
    x1: number,
    y1: number,
    vx: number,
    vy: number,
  ): number {
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
  lineCrossings(lon0: number, lat0: number, lon1: number, lat1: number): readonly LineCrossing[] {
    const x0 = this.shiftLon(lon0);
    const x1 = x0 + lonDelta(lon0, lon1);
    const p = this.points;
    // Most movements cross nothing: no array for them.
    let out: LineCrossing[] | undefined;
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
        (out ??= []).push({ s: t, toSide: c > 0 ? 1 : -1, segment: i });
      }
    }
    if (!out) return NO_CROSSINGS;
    return out.length > 1 ? out.sort((a, b) => a.s - b.s) : out;
  }

  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[] {
    return this.lineCrossings(lon0, lat0, lon1, lat1).map((c) => c.s);
  }

  outline(): LonLat[][] {
    return [this.points];
  }
}
