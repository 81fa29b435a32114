/**
 * A braille canvas: every terminal cell holds 2×4 dots (Unicode braille, U+2800–U+28FF), so a
 * 60×20 panel draws 120×80 dots. Dots carry a style with a priority (the highest layer that
 * touched a cell colours it); text (unit symbols, labels, the scale bar) overlays whole cells.
 * `rows()` turns the canvas into one prebuilt string per terminal row, with as few SGR
 * sequences as runs of equal style need.
 */
import { terminalLine } from '../../core/text/safe.js';
import { SGR_RESET, sgrOpen, type Style } from '../theme.js';

/** Bit of dot (x % 2, y % 4) within a braille cell. */
const BIT = [
  [0x01, 0x08],
  [0x02, 0x10],
  [0x04, 0x20],
  [0x40, 0x80],
];

const BRAILLE: string[] = Array.from({ length: 256 }, (_, i) => (i === 0 ? ' ' : String.fromCharCode(0x2800 + i)));

/** Interns styles to small integers (0 is the plain style). */
export class StyleTable {
  private readonly styles: Style[] = [{}];
  private readonly ids = new Map<string, number>([['{}', 0]]);

  id(s: Style): number {
    const key = JSON.stringify({
      fg: s.fg,
      bold: s.bold || undefined,
      dim: s.dim || undefined,
      underline: s.underline || undefined,
      inverse: s.inverse || undefined,
    });
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.styles.length;
      if (id > 255) throw new Error('too many styles');
      this.styles.push(s);
      this.ids.set(key, id);
    }
    return id;
  }

  get(id: number): Style {
    return this.styles[id];
  }

  get size(): number {
    return this.styles.length;
  }
}

export class BrailleCanvas {
  /** Size in cells. */
  readonly w: number;
  readonly h: number;
  /** Size in dots. */
  readonly dw: number;
  readonly dh: number;
  readonly bits: Uint8Array;
  readonly dotStyle: Uint8Array;
  readonly dotPri: Uint8Array;
  readonly text: string[];
  readonly textStyle: Uint8Array;

  constructor(w: number, h: number) {
    this.w = Math.max(0, w | 0);
    this.h = Math.max(0, h | 0);
    this.dw = this.w * 2;
    this.dh = this.h * 4;
    const n = this.w * this.h;
    this.bits = new Uint8Array(n);
    this.dotStyle = new Uint8Array(n);
    this.dotPri = new Uint8Array(n);
    this.text = new Array<string>(n).fill('');
    this.textStyle = new Uint8Array(n);
  }

  clear(): void {
    this.bits.fill(0);
    this.dotStyle.fill(0);
    this.dotPri.fill(0);
    this.text.fill('');
    this.textStyle.fill(0);
  }

  /** Copy another canvas of the same size into this one. */
  copyFrom(o: BrailleCanvas): void {
    this.bits.set(o.bits);
    this.dotStyle.set(o.dotStyle);
    this.dotPri.set(o.dotPri);
    for (let i = 0; i < o.text.length; i++) this.text[i] = o.text[i];
    this.textStyle.set(o.textStyle);
  }

  /** Set the dot at integer dot coordinates (ignored outside). */
  dot(x: number, y: number, style: number, pri: number): void {
    if (x < 0 || y < 0 || x >= this.dw || y >= this.dh) return;
    const cx = x >> 1;
    const cy = y >> 2;
    const i = cy * this.w + cx;
    this.bits[i] |= BIT[y & 3][x & 1];
    if (pri >= this.dotPri[i]) {
      this.dotPri[i] = pri;
      this.dotStyle[i] = style;
    }
  }

  /** Whether the dot is set. */
  isSet(x: number, y: number): boolean {
    if (x < 0 || y < 0 || x >= this.dw || y >= this.dh) return false;
    return (this.bits[(y >> 2) * this.w + (x >> 1)] & BIT[y & 3][x & 1]) !== 0;
  }

  /**
   * A straight line between dot coordinates (floats), clipped to the canvas. `dash` draws
   * `dash[0]` dots on and `dash[1]` off; `phase` carries the dash pattern across segments and
   * the new phase is returned.
   */
  line(x0: number, y0: number, x1: number, y1: number, style: number, pri: number, dash?: [number, number], phase = 0): number {
    // Liang–Barsky clip to a slightly larger box than the canvas.
    const minX = -1;
    const minY = -1;
    const maxX = this.dw;
    const maxY = this.dh;
    let t0 = 0;
    let t1 = 1;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const clip = (p: number, q: number): boolean => {
      if (p === 0) return q >= 0;
      const r = q / p;
      if (p < 0) {
        if (r > t1) return false;
        if (r > t0) t0 = r;
      } else {
        if (r < t0) return false;
        if (r < t1) t1 = r;
      }
      return true;
    };
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) return phase;
    if (!(clip(-dx, x0 - minX) && clip(dx, maxX - x0) && clip(-dy, y0 - minY) && clip(dy, maxY - y0))) {
      return phase + Math.max(Math.abs(dx), Math.abs(dy));
    }
    const skipped = t0 * Math.max(Math.abs(dx), Math.abs(dy));
    let ax = Math.round(x0 + t0 * dx);
    let ay = Math.round(y0 + t0 * dy);
    const bx = Math.round(x0 + t1 * dx);
    const by = Math.round(y0 + t1 * dy);
    // Bresenham.
    const sx = ax < bx ? 1 : -1;
    const sy = ay < by ? 1 : -1;
    const ddx = Math.abs(bx - ax);
    const ddy = -Math.abs(by - ay);
    let err = ddx + ddy;
    let k = Math.round(phase + skipped);
    const period = dash ? dash[0] + dash[1] : 0;
    for (let guard = 0; guard < 100_000; guard++) {
      if (!dash || k % period < dash[0]) this.dot(ax, ay, style, pri);
      k++;
      if (ax === bx && ay === by) break;
      const e2 = 2 * err;
      if (e2 >= ddy) {
        err += ddy;
        ax += sx;
      }
      if (e2 <= ddx) {
        err += ddx;
        ay += sy;
      }
    }
    return phase + Math.max(Math.abs(dx), Math.abs(dy));
  }

  /** Draw a polyline given as interleaved dot coordinates. */
  polyline(xy: ArrayLike<number>, n: number, style: number, pri: number, dash?: [number, number]): void {
    let phase = 0;
    for (let i = 1; i < n; i++) phase = this.line(xy[2 * i - 2], xy[2 * i - 1], xy[2 * i], xy[2 * i + 1], style, pri, dash, phase);
  }

  /** Write text into cells starting at (cx, cy); characters outside are dropped. */
  put(cx: number, cy: number, s: string, style: number): void {
    if (cy < 0 || cy >= this.h) return;
    let x = cx;
    for (const ch of terminalLine(s)) {
      if (x >= 0 && x < this.w) {
        const i = cy * this.w + x;
        this.text[i] = ch;
        this.textStyle[i] = style;
      }
      x++;
    }
  }

  /** Whether `len` cells from (cx, cy) are inside and carry no text. */
  free(cx: number, cy: number, len: number): boolean {
    if (cy < 0 || cy >= this.h || cx < 0 || cx + len > this.w) return false;
    const base = cy * this.w;
    for (let x = cx; x < cx + len; x++) if (this.text[base + x] !== '') return false;
    return true;
  }

  /**
   * Whether `len` cells from (cx, cy) are free of text and of every line drawn at priority `pri`
   * or above: a label there hides nothing that matters (a zone's edge, say).
   */
  open(cx: number, cy: number, len: number, pri: number): boolean {
    if (!this.free(cx, cy, len)) return false;
    const base = cy * this.w;
    for (let x = cx; x < cx + len; x++) if (this.bits[base + x] !== 0 && this.dotPri[base + x] >= pri) return false;
    return true;
  }

  /** The character shown in a cell. */
  charAt(cx: number, cy: number): string {
    const i = cy * this.w + cx;
    return this.text[i] || BRAILLE[this.bits[i]];
  }

  /** One string per row, with SGR sequences when `color` or attributes ask for them. */
  rows(styles: StyleTable, color: boolean): string[] {
    const open: string[] = [];
    for (let s = 0; s < styles.size; s++) open.push(sgrOpen(styles.get(s), color));
    const out: string[] = [];
    for (let cy = 0; cy < this.h; cy++) {
      let row = '';
      let run = '';
      let cur = 0;
      const base = cy * this.w;
      for (let cx = 0; cx < this.w; cx++) {
        const i = base + cx;
        const t = this.text[i];
        let ch: string;
        let st: number;
        if (t) {
          ch = t;
          st = this.textStyle[i];
        } else {
          const b = this.bits[i];
          ch = BRAILLE[b];
          st = b ? this.dotStyle[i] : 0;
        }
        if (open[st] === '' && ch === ' ') st = 0;
        if (st !== cur && open[st] !== open[cur]) {
          row += open[cur] ? `${open[cur]}${run}${SGR_RESET}` : run;
          run = '';
          cur = st;
        }
        run += ch;
      }
      row += open[cur] ? `${open[cur]}${run}${SGR_RESET}` : run;
      out.push(row);
    }
    return out;
  }

  /** The plain text of the canvas (no styles), for tests and captures. */
  plain(): string[] {
    const out: string[] = [];
    for (let cy = 0; cy < this.h; cy++) {
      let row = '';
      for (let cx = 0; cx < this.w; cx++) row += this.charAt(cx, cy);
      out.push(row);
    }
    return out;
  }
}
