/**
 * Bounds of the distance from a line's segments (or any straight lon/lat edges), for whole cells
 * of a grid at once: the `never-near` check asks about every point of every track a line applies
 * to (a 20,000-unit file: a quarter of a million points), and most of them lie far beyond the
 * band, where bounds settle the question without measuring. (Polygons were tried too: their
 * points to measure lie near them, where a cell serves too few points to pay for itself.)
 *
 * A cell (a box in the zone's unwrapped longitudes and in latitude) keeps a lower and an upper
 * bound of the distance from any of its points to the nearest edge, in the metric `side` and
 * `boundaryDistance` measure in (metres per degree at the point's own latitude), and the edges
 * that can be nearest to one of its points — the reasoning of EdgeIndex.select: an edge's
 * distance over the cell is at least its distance from the centre, metres per degree taken at
 * their least over the cell's latitudes, less the cell's half diagonal; the nearest edge of any
 * point is within the least distance from the centre, at their most, plus the half diagonal.
 * Cells come in three sizes, each finer one starting from its coarser cell's edges (an edge
 * never nearest in a cell is never nearest in a part of it). What a cell proves beyond the
 * distance (a line's side) a subclass adds with `judge`.
 */
import { segmentDistanceM } from '../geo/edgeindex.js';
import { metresPerDegreeInto } from '../geo/geodesic.js';

const SLACK = 1e-9;
/** Cells are padded by this (degrees), so that a point rounded into a cell lies inside its box. */
const PAD = 1e-9;
const K = new Float64Array(2);

export interface FarCell {
  /** Lower and upper bounds of the distance from any point of the cell to the nearest edge, metres. */
  low: number;
  high: number;
  /** What `judge` proved for every point of the cell (0: nothing). */
  tag: number;
  /** The edges that can be nearest to a point of the cell. */
  cand: Int32Array;
}

export abstract class FarCells {
  private readonly cells: Map<number, FarCell>[];
  private readonly all: Int32Array;
  /** ax, ay, bx, by per edge (x in the zone's unwrapped longitudes). */
  protected readonly e: Float64Array;
  protected readonly n: number;

  /** `steps`: cell sizes in degrees, coarsest first (at most 1,000 cells of the finest across a degree). */
  constructor(
    edges: Float64Array,
    private readonly steps: readonly number[],
  ) {
    this.e = edges;
    this.n = edges.length >> 2;
    this.all = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) this.all[i] = i;
    this.cells = steps.map(() => new Map<number, FarCell>());
  }

  /** What a cell proves for all its points besides the distance (0: nothing); (cx, cy) its centre, (hx, hy) its half sizes. */
  protected abstract judge(cx: number, cy: number, hx: number, hy: number, cand: Int32Array): number;

  /**
   * The first cell (coarsest first) around (x, lat) — x in the zone's unwrapped longitudes — that
   * proves every point of it further than `beyond` metres from the edges and has a tag; undefined
   * when none does.
   */
  protected find(x: number, lat: number, beyond: number): FarCell | undefined {
    if (this.n === 0 || !(lat >= -90 && lat <= 90) || !Number.isFinite(x)) return undefined;
    let cand = this.all;
    for (let l = 0; l < this.steps.length; l++) {
      const step = this.steps[l];
      const cx = Math.floor(x / step);
      const cy = Math.floor(lat / step);
      const key = (cx + 1_000_000) * 1_000_000 + (cy + 200_000);
      const map = this.cells[l];
      let c = map.get(key);
      if (!c) map.set(key, (c = this.cell(cx * step - PAD, cy * step - PAD, (cx + 1) * step + PAD, (cy + 1) * step + PAD, cand)));
      if (c.low > beyond && c.tag !== 0) return c;
      cand = c.cand;
    }
    return undefined;
  }

  private cell(x0: number, y0: number, x1: number, y1: number, from: Int32Array): FarCell {
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
    let low = Infinity;
    let nearest = 0;
    for (let j = 0; j < from.length; j++) {
      const o = from[j] * 4;
      lows[j] = (segmentDistanceM(mx, my, e[o], e[o + 1], e[o + 2], e[o + 3], kxMin, kyMin) - hdMin) * (1 - SLACK) - 1e-6;
      if (lows[j] < low) {
        low = lows[j];
        nearest = j;
      }
    }
    // Any edge's largest distance over the cell bounds the nearest edge's; the edge nearest the
    // centre gives a tight bound.
    const o = from.length ? from[nearest] * 4 : 0;
    const upper = from.length ? segmentDistanceM(mx, my, e[o], e[o + 1], e[o + 2], e[o + 3], kxMax, kyMax) : Infinity;
    const high = (upper + hdMax) * (1 + SLACK) + 1e-6;
    let count = 0;
    for (let j = 0; j < from.length; j++) if (lows[j] <= high) count++;
    const cand = new Int32Array(count);
    count = 0;
    for (let j = 0; j < from.length; j++) if (lows[j] <= high) cand[count++] = from[j];
    // Nothing to prove of a cell the edges come into.
    const tag = low > 0 ? this.judge(mx, my, hx, hy, cand) : 0;
    return { low, high, tag, cand };
  }
}
