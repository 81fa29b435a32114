/**
 * Which side of a line zone a point far from it lies on, settled for a whole cell at once (see
 * far-cells.ts): far from the line, the only question the `never-near` check asks is the side.
 * A cell's answer is a proof that `LineZone.side` gives that side for every point of the cell:
 * `side` takes the sign of the nearest segment's cross product, or at an inner vertex that of both
 * segments meeting there; when the cell lies strictly on one side of the supporting line of each
 * segment that can be nearest and of its neighbours, every one of those rules gives that side.
 */
import type { LineZone } from '../geo/zones.js';
import { FarCells } from './far-cells.js';

/** Cell sizes, degrees, coarsest first. */
const STEPS = [0.8, 0.2, 0.05];

function edgesOf(line: LineZone): Float64Array {
  const p = line.points;
  const n = Math.max(0, p.length - 1);
  const e = new Float64Array(n * 4);
  for (let i = 0; i < n; i++) {
    e[i * 4] = p[i][0];
    e[i * 4 + 1] = p[i][1];
    e[i * 4 + 2] = p[i + 1][0];
    e[i * 4 + 3] = p[i + 1][1];
  }
  return e;
}

export class LineSides extends FarCells {
  constructor(private readonly line: LineZone) {
    super(edgesOf(line), STEPS);
  }

  /**
   * The side (+1 left, -1 right, as `LineZone.side`) of (lon, lat) when a cell around it proves it
   * and proves the point further than `beyond` metres from the line; else 0.
   */
  sideBeyond(lon: number, lat: number, beyond: number): 1 | -1 | 0 {
    const c = this.find(this.line.unwrapLon(lon), lat, beyond);
    return c ? (c.tag as 1 | -1) : 0;
  }

  /** The side every point of the box lies strictly on, of the supporting line of each segment of `cand` and of its neighbours; 0 if none. */
  protected judge(cx: number, cy: number, hx: number, hy: number, cand: Int32Array): number {
    const e = this.e;
    let side = 0;
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
