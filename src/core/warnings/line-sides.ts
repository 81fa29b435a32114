/**
 * Which side of a line zone a point far from it lies on, settled for a whole cell of a grid at
 * once: the `never-near` check asks it for every point of every track a line applies to (a
 * 20,000-unit file: a quarter of a million points), and far from the line the only question is
 * the side. A cell's answer is a proof that `LineZone.side` gives that side for every point of
 * the cell, at a distance beyond a bound; a cell without a proof answers 0 and the point is
 * measured as before.
 *
 * The proof, for a box of points (longitudes in the line's unwrapped range): the nearest segment
 * of any point of the box is one of those whose lower bound of distance over the box is within
 * the least upper bound (the reasoning of EdgeIndex.select: metres per degree taken at their
 * least and most over the box's latitudes). `side` takes the sign of the nearest segment's cross
 * product, or at an inner vertex that of both segments meeting there; when the box lies strictly
 * on one side of the supporting line of each candidate and of its neighbours, every one of those
 * rules gives that side. Cells come in three sizes, each finer one starting from its coarser
 * cell's candidates (a segment never nearest in a cell is never nearest in a part of it).
 */
import { segmentDistanceM } from '../geo/edgeindex.js';
import { metresPerDegreeInto } from '../geo/geodesic.js';
import type { LineZone } from '../geo/zones.js';

/** Cell sizes, degrees, coarsest first. */
const STEPS = [0.8, 0.2, 0.05];
const SLACK = 1e-9;
const PAD = 1e-9;
const K = new Float64Array(2);

/** What a cell settles: the side of all its points (0: no proof), and a lower bound of their distance from the line, metres. */
interface Cell {
  side: 1 | -1 | 0;
  low: number;
  /** The segments that can be nearest to a point of the cell. */
  cand: Int32Array;
}

export class LineSides {
  private readonly cells = STEPS.map(() => new Map<number, Cell>());
  private readonly all: Int32Array;
  private readonly e: Float64Array;
  private readonly n: number;

  constructor(private readonly line: LineZone) {
    const p = line.points;
    this.n = Math.max(0, p.length - 1);
    this.e = new Float64Array(this.n * 4);
    for (let i = 0; i < this.n; i++) {
      this.e[i * 4] = p[i][0];
      this.e[i * 4 + 1] = p[i][1];
      this.e[i * 4 + 2] = p[i + 1][0];
      this.e[i * 4 + 3] = p[i + 1][1];
    }
    this.all = Int32Array.from({ length: this.n }, (_, i) => i);
  }

  /**
   * The side (+1 left, -1 right, as `LineZone.side`) of (lon, lat) when a cell around it proves it
   * and proves the point further than `beyond` metres from the line; else 0.
   */
  sideBeyond(lon: number, lat: number, beyond: number): 1 | -1 | 0 {
    if (this.n === 0 || !(lat >= -90 && lat <= 90)) return 0;
    const x = this.line.unwrapLon(lon);
    let cand = this.all;
    for (let l = 0; l < STEPS.length; l++) {
      const step = STEPS[l];
      const cx = Math.floor(x / step);
      const cy = Math.floor(lat / step);
      const key = (cx + 20_000) * 10_000 + (cy + 5_000);
      const map = this.cells[l];
      let c = map.get(key);
      // Padded, so that a point rounded into the cell lies inside its box.
      if (!c) map.set(key, (c = this.cell(cx * step - PAD, cy * step - PAD, (cx + 1) * step + PAD, (cy + 1) * step + PAD, cand)));
      if (c.low > beyond && c.side !== 0) return c.side;
      cand = c.cand;
    }
    return 0;
  }

  private cell(x0: number, y0: number, x1: number, y1: number, from: Int32Array): Cell {
    y0 = Math.max(-90, y0);
    y1 = Math.min(90, y1);
    const e = this.e;
    const minAbs = y0 <= 0 && y1 >= 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
    const maxAbs = Math.max(Math.abs(y0), Math.abs(y1));
    // Metres per degree only grow (x) or shrink (y) toward the equator.
    metresPerDegreeInto(minAbs, K);
    const kxMax = K[0] * (1 + SLACK);
    const kyMin = K[1] * (1 - SLACK);
    metresPerDegreeInto(maxAbs, K);
    const kxMin = Math.max(0, K[0] * (1 - SLACK));
    const kyMax = K[1] * (1 + SLACK);
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    const hx = (x1 - x0) / 2;
    const hy = (y1 - y0) / 2;
    const hdMax = Math.hypot(hx * kxMax, hy * kyMax);
    const hdMin = Math.hypot(hx * kxMin, hy * kyMin);
    const lows = new Float64Array(from.length);
    let upper = Infinity;
    let low = Infinity;
    for (let j = 0; j < from.length; j++) {
      const o = from[j] * 4;
      lows[j] = (segmentDistanceM(mx, my, e[o], e[o + 1], e[o + 2], e[o + 3], kxMin, kyMin) - hdMin) * (1 - SLACK) - 1e-6;
      if (lows[j] < low) low = lows[j];
      const up = segmentDistanceM(mx, my, e[o], e[o + 1], e[o + 2], e[o + 3], kxMax, kyMax);
      if (up < upper) upper = up;
    }
    const bound = (upper + hdMax) * (1 + SLACK) + 1e-6;
    let count = 0;
    for (let j = 0; j < from.length; j++) if (lows[j] <= bound) count++;
    const cand = new Int32Array(count);
    count = 0;
    for (let j = 0; j < from.length; j++) if (lows[j] <= bound) cand[count++] = from[j];
    return { side: this.boxSide(mx, my, hx, hy, cand), low, cand };
  }

  /** The side every point of the box lies strictly on, of the supporting line of each segment of `cand` and of its neighbours; 0 if none. */
  private boxSide(cx: number, cy: number, hx: number, hy: number, cand: Int32Array): 1 | -1 | 0 {
    const e = this.e;
    let side: 1 | -1 | 0 = 0;
    for (let c = 0; c < cand.length; c++) {
      const i = cand[c];
      for (let j = i > 0 ? i - 1 : 0, end = i < this.n - 1 ? i + 1 : this.n - 1; j <= end; j++) {
        const q = j * 4;
        const dx = e[q + 2] - e[q];
        const dy = e[q + 3] - e[q + 1];
        const adx = Math.abs(dx);
        const ady = Math.abs(dy);
        // cross(direction, point − start) is linear over the box: least and most at the centre
        // less and plus the half sizes weighted by the direction; a margin keeps rounding out.
        const mid = dx * (cy - e[q + 1]) - dy * (cx - e[q]);
        const spread = adx * hy + ady * hx + 1e-9 * (adx + ady) * (hx + hy + 1);
        const s = mid - spread > 0 ? 1 : mid + spread < 0 ? -1 : 0;
        if (s === 0 || (side !== 0 && s !== side)) return 0;
        side = s;
      }
    }
    return side;
  }
}
