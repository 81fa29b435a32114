/**
 * A spatial index over the straight lon/lat edges of a polygon or a line. It only narrows down
 * which edges a query has to look at; every answer is then computed edge by edge with the same
 * arithmetic as a full scan, so results are identical to the last bit.
 *
 * - Latitude strips: the edges whose latitude range meets a strip. A point-in-polygon ray or a
 *   movement can only meet edges of the strips it spans.
 * - A grid of cells (built lazily, cell by cell) holding, for each cell, the edges that can be
 *   the nearest one for some point of the cell under the local metric at that point. An edge is
 *   kept unless a lower bound of its distance exceeds an upper bound of another edge's distance,
 *   both taken over the whole cell and over the range of metres-per-degree in it.
 */
import { metresPerDegreeInto } from './geodesic.js';

const KEEP_SLACK = 1e-9;
const CELL_PAD = 1e-9;
const MAX_STRIPS = 8192;
const MAX_CELLS_PER_AXIS = 512;
/** A coarse cell is 2^COARSE_SHIFT grid cells across. */
const COARSE_SHIFT = 3;

/** Distance in metres from (px, py) to the segment a→b in the local plane with scales kx, ky. */
export function segmentDistanceM(px: number, py: number, ax: number, ay: number, bx: number, by: number, kx: number, ky: number): number {
  const x1 = (ax - px) * kx;
  const y1 = (ay - py) * ky;
  const dx = (bx - ax) * kx;
  const dy = (by - ay) * ky;
  const len2 = dx * dx + dy * dy;
  // Clamped to [0, 1] without integer constants, so that t stays a double (no boxing); a zero of
  // either sign gives the same distance.
  let t = len2 > 0 ? -(x1 * dx + y1 * dy) / len2 : -0;
  if (t < 0) t = -0;
  else if (t > 1) t = len2 / len2;
  const cx = x1 + dx * t;
  const cy = y1 + dy * t;
  return Math.sqrt(cx * cx + cy * cy);
}

const scratch = new Float64Array(2);

function kxAt(absLat: number): number {
  metresPerDegreeInto(absLat, scratch);
  return scratch[0];
}

function kyAt(absLat: number): number {
  metresPerDegreeInto(absLat, scratch);
  return scratch[1];
}

export class EdgeIndex {
  /** Number of edges. */
  readonly n: number;
  /** ax, ay, bx, by per edge (x in the zone's unwrapped longitude range). */
  readonly edges: Float64Array;
  private readonly minX: number;
  private readonly maxX: number;
  private readonly minY: number;
  private readonly maxY: number;

  private readonly sCount: number;
  private readonly sStep: number;
  private readonly sStart: Int32Array;
  private readonly sItems: Int32Array;

  private gMinX = 0;
  private gMinY = 0;
  private gStepX = 1;
  private gStepY = 1;
  private gNx = 0;
  private gNy = 0;
  private cells: (Int32Array | undefined)[] | null = null;
  /** Per cell, a lower bound of each candidate's distance over the whole cell (ascending). */
  private lows: (Float64Array | undefined)[] = [];
  /** Candidates of coarse cells, from which cells are built. */
  private coarse: (Int32Array | undefined)[] | null = null;
  private coarseLows: (Float64Array | undefined)[] = [];
  /** Queries per cell not yet built. */
  private hits: Uint8Array | null = null;
  private cNx = 0;
  private scratchLow = new Float64Array(0);
  private scratchIds = new Int32Array(0);
  private margin = 20_000;

  /** Scratch for range queries. */
  private readonly seen: Int32Array;
  private seenStamp = 0;
  private buf: Int32Array;

  constructor(edges: Float64Array) {
    this.edges = edges;
    const n = (this.n = edges.length >> 2);
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    for (let i = 0; i < edges.length; i += 2) {
      const x = edges[i];
      const y = edges[i + 1];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
    this.minX = minX;
    this.maxX = maxX;
    this.minY = minY;
    this.maxY = maxY;

    // Latitude strips, in compressed rows: the edges of strip s are sItems[sStart[s] .. sStart[s + 1]).
    const span = maxY - minY;
    const count = span > 0 ? Math.max(1, Math.min(MAX_STRIPS, n >> 1)) : 1;
    this.sCount = count;
    this.sStep = span > 0 ? span / count : 1;
    const start = new Int32Array(count + 1);
    for (let i = 0; i < n; i++) {
      const a = this.strip(Math.min(edges[i * 4 + 1], edges[i * 4 + 3]));
      const b = this.strip(Math.max(edges[i * 4 + 1], edges[i * 4 + 3]));
      for (let s = a; s <= b; s++) start[s + 1]++;
    }
    for (let s = 0; s < count; s++) start[s + 1] += start[s];
    const fill = start.slice(0, count);
    const items = new Int32Array(start[count]);
    for (let i = 0; i < n; i++) {
      const a = this.strip(Math.min(edges[i * 4 + 1], edges[i * 4 + 3]));
      const b = this.strip(Math.max(edges[i * 4 + 1], edges[i * 4 + 3]));
      for (let s = a; s <= b; s++) items[fill[s]++] = i;
    }
    this.sStart = start;
    this.sItems = items;
    this.seen = new Int32Array(n);
    this.buf = new Int32Array(Math.min(n, 64));
  }

  /** Strip of a latitude, clamped to the strips that exist. */
  strip(y: number): number {
    const s = Math.floor((y - this.minY) / this.sStep);
    return s < 0 ? 0 : s >= this.sCount ? this.sCount - 1 : s;
  }

  /** Start of a strip's edges in `stripItems`. */
  stripStart(s: number): number {
    return this.sStart[s];
  }

  /** End (exclusive) of a strip's edges in `stripItems`. */
  stripEnd(s: number): number {
    return this.sStart[s + 1];
  }

  get stripItems(): Int32Array {
    return this.sItems;
  }

  /**
   * The edges whose latitude range may meet [lo, hi], in increasing order: `rangeItems`
   * [rangeFrom, rangeFrom + return value) holds them (valid until the next call).
   */
  range(lo: number, hi: number): number {
    if (this.n === 0) return 0;
    const a = this.strip(lo - CELL_PAD);
    const b = this.strip(hi + CELL_PAD);
    const items = this.sItems;
    if (a === b) {
      this.rangeItems = items;
      this.rangeFrom = this.sStart[a];
      return this.sStart[a + 1] - this.sStart[a];
    }
    const stamp = ++this.seenStamp;
    const seen = this.seen;
    let count = 0;
    for (let s = a; s <= b; s++) {
      for (let j = this.sStart[s]; j < this.sStart[s + 1]; j++) {
        const e = items[j];
        if (seen[e] === stamp) continue;
        seen[e] = stamp;
        if (count === this.buf.length) {
          const bigger = new Int32Array(Math.min(this.n, this.buf.length * 2));
          bigger.set(this.buf);
          this.buf = bigger;
        }
        this.buf[count++] = e;
      }
    }
    sortInts(this.buf, count);
    this.rangeItems = this.buf;
    this.rangeFrom = 0;
    return count;
  }

  /** See `range`. */
  rangeItems: Int32Array = new Int32Array(0);
  rangeFrom = 0;

  /** Margin (metres) around the edges that the distance grid covers; set before the first query. */
  setMargin(margin: number): void {
    if (this.cells) return;
    this.margin = Math.max(0, margin);
  }

  private buildGrid(): void {
    const midY = (this.minY + this.maxY) / 2;
    const maxAbs = Math.min(89.5, Math.max(Math.abs(this.minY), Math.abs(this.maxY)));
    const kyMin = kyAt(0);
    const dY = (this.margin / kyMin) * 1.02;
    const kxMin = kxAt(Math.min(89.5, maxAbs + dY));
    const dX = (this.margin / kxMin) * 1.02;
    const x0 = this.minX - dX;
    const x1 = this.maxX + dX;
    const y0 = Math.max(-90, this.minY - dY);
    const y1 = Math.min(90, this.maxY + dY);
    // Cells about three edge lengths across, and a bounded number of them.
    let perimeter = 0;
    const kx = kxAt(Math.abs(midY));
    const e = this.edges;
    for (let i = 0; i < e.length; i += 4) perimeter += Math.hypot((e[i + 2] - e[i]) * kx, (e[i + 3] - e[i + 1]) * kyMin);
    const size = Math.min(10_000, Math.max(250, (perimeter / Math.max(1, this.n)) * 3));
    const nx = Math.max(1, Math.min(MAX_CELLS_PER_AXIS, Math.ceil(((x1 - x0) * kx) / size)));
    const ny = Math.max(1, Math.min(MAX_CELLS_PER_AXIS, Math.ceil(((y1 - y0) * kyMin) / size)));
    this.gMinX = x0;
    this.gMinY = y0;
    this.gStepX = (x1 - x0) / nx || 1;
    this.gStepY = (y1 - y0) / ny || 1;
    this.gNx = nx;
    this.gNy = ny;
    this.cells = new Array(nx * ny);
    this.lows = new Array(nx * ny);
    this.cNx = (nx + (1 << COARSE_SHIFT) - 1) >> COARSE_SHIFT;
    this.coarse = new Array(this.cNx * ((ny + (1 << COARSE_SHIFT) - 1) >> COARSE_SHIFT));
    this.coarseLows = new Array(this.coarse.length);
    this.hits = new Uint8Array(nx * ny);
    this.scratchLow = new Float64Array(this.n);
    this.scratchIds = new Int32Array(this.n);
  }

  /**
   * The edges that can be nearest to (x, y), nearest first (by a lower bound of their distance
   * over the point's cell, given by `candidateLows` for the same call), or null when the point
   * lies outside the grid (then every edge must be looked at).
   */
  candidates(x: number, y: number): Int32Array | null {
    if (this.n === 0) return null;
    if (!this.cells) this.buildGrid();
    const cx = Math.floor((x - this.gMinX) / this.gStepX);
    const cy = Math.floor((y - this.gMinY) / this.gStepY);
    if (cx < 0 || cy < 0 || cx >= this.gNx || cy >= this.gNy) return null;
    const id = cy * this.gNx + cx;
    let c = this.cells![id];
    if (c) {
      this.lastLows = this.lows[id]!;
      return c;
    }
    // A cell is built on its third query; before, the coarse cell's candidates answer (longer, but
    // most points near an edge are looked at once or twice and building costs more than that).
    const cid = (cy >> COARSE_SHIFT) * this.cNx + (cx >> COARSE_SHIFT);
    if (this.coarse![cid] && ++this.hits![id] < 3) {
      this.lastLows = this.coarseLows[cid]!;
      return this.coarse![cid];
    }
    c = this.cells![id] = this.buildCell(cx, cy);
    this.lastLows = this.lows[id]!;
    return c;
  }

  /** Lower bounds (metres) of the distances of the candidates returned by the last `candidates` call. */
  lastLows: Float64Array = new Float64Array(0);

  private buildCell(cx: number, cy: number): Int32Array {
    // Start from the candidates of the coarse cell around this one: an edge that is never nearest
    // anywhere in the coarse cell is never nearest in a part of it.
    const ccx = cx >> COARSE_SHIFT;
    const ccy = cy >> COARSE_SHIFT;
    const cid = ccy * this.cNx + ccx;
    let coarse = this.coarse![cid];
    if (!coarse) {
      const fx0 = ccx << COARSE_SHIFT;
      const fy0 = ccy << COARSE_SHIFT;
      const fx1 = Math.min(this.gNx, fx0 + (1 << COARSE_SHIFT));
      const fy1 = Math.min(this.gNy, fy0 + (1 << COARSE_SHIFT));
      const sel = this.select(fx0, fy0, fx1, fy1, null);
      coarse = this.coarse![cid] = sel.items;
      this.coarseLows[cid] = sel.lows;
    }
    const { items, lows } = this.select(cx, cy, cx + 1, cy + 1, coarse);
    this.lows[cy * this.gNx + cx] = lows;
    return items;
  }

  /**
   * The edges (of `from`, or all) that can be nearest to some point of the grid cells
   * [fx0, fx1) × [fy0, fy1), nearest first, with a lower bound of each one's distance over them.
   */
  private select(fx0: number, fy0: number, fx1: number, fy1: number, from: Int32Array | null): { items: Int32Array; lows: Float64Array } {
    const x0 = this.gMinX + fx0 * this.gStepX - CELL_PAD;
    const x1 = this.gMinX + fx1 * this.gStepX + CELL_PAD;
    const y0 = Math.max(-90, this.gMinY + fy0 * this.gStepY - CELL_PAD);
    const y1 = Math.min(90, this.gMinY + fy1 * this.gStepY + CELL_PAD);
    const minAbs = y0 <= 0 && y1 >= 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
    const maxAbs = Math.max(Math.abs(y0), Math.abs(y1));
    // Metres per degree only grow (x) or shrink (y) toward the equator.
    const kxMax = kxAt(minAbs) * (1 + KEEP_SLACK);
    const kxMin = Math.max(0, kxAt(maxAbs) * (1 - KEEP_SLACK));
    const kyMax = kyAt(maxAbs) * (1 + KEEP_SLACK);
    const kyMin = kyAt(minAbs) * (1 - KEEP_SLACK);
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    const hx = (x1 - x0) / 2;
    const hy = (y1 - y0) / 2;
    const hdMax = Math.sqrt(hx * kxMax * (hx * kxMax) + hy * kyMax * (hy * kyMax));
    const hdMin = Math.sqrt(hx * kxMin * (hx * kxMin) + hy * kyMin * (hy * kyMin));
    const e = this.edges;
    const m = from ? from.length : this.n;
    const lower = this.scratchLow;
    const ids = this.scratchIds;
    let near = 0;
    for (let j = 0; j < m; j++) {
      const i = from ? from[j] : j;
      const o = i * 4;
      lower[j] = (segmentDistanceM(mx, my, e[o], e[o + 1], e[o + 2], e[o + 3], kxMin, kyMin) - hdMin) * (1 - KEEP_SLACK) - 1e-6;
      if (lower[j] < lower[near]) near = j;
    }
    // Any edge's largest distance from the cell bounds the nearest edge's distance from every point
    // of it; the edge nearest the centre gives a tight bound.
    const ni = from ? from[near] : near;
    const upper = m ? segmentDistanceM(mx, my, e[ni * 4], e[ni * 4 + 1], e[ni * 4 + 2], e[ni * 4 + 3], kxMax, kyMax) : Infinity;
    // Any point of the cells has an edge within `bound`; an edge farther than that from every point is never nearest.
    const bound = (upper + hdMax) * (1 + KEEP_SLACK) + 1e-6;
    let count = 0;
    for (let j = 0; j < m; j++) if (lower[j] <= bound) ids[count++] = j;
    // Nearest first, so that a query can stop at the first edge whose lower bound beats its best
    // (short lists by insertion, which allocates nothing).
    if (count > 48) ids.subarray(0, count).sort((a, b) => lower[a] - lower[b] || a - b);
    else
      for (let a = 1; a < count; a++) {
        const v = ids[a];
        const lv = lower[v];
        let b = a - 1;
        while (b >= 0 && (lower[ids[b]] > lv || (lower[ids[b]] === lv && ids[b] > v))) {
          ids[b + 1] = ids[b];
          b--;
        }
        ids[b + 1] = v;
      }
    const items = new Int32Array(count);
    const lows = new Float64Array(count);
    for (let k = 0; k < count; k++) {
      const j = ids[k];
      items[k] = from ? from[j] : j;
      lows[k] = lower[j];
    }
    return { items, lows };
  }
}

/** Sort the first n numbers of a in place, ascending (insertion sort for short runs, else the built-in). */
function sortInts(a: Int32Array, n: number): void {
  if (n > 32) {
    a.subarray(0, n).sort();
    return;
  }
  for (let i = 1; i < n; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
