/**
 * Draws the map panel: a cached static layer (borders, approach bands, zone edges, the
 * forbidden side of lines, sites, north arrow and scale bar) and, each frame, unit trails,
 * symbols coloured by rung and short labels. The result is one prebuilt string per row.
 */
import type { Engine } from '../../core/engine.js';
import { rungLevel } from '../../core/ladder.js';
import type { Track } from '../../core/model.js';
import { fixIndex, positionAt } from '../../core/track.js';
import { MAP_COLOR, RUNG_COLOR, RUNG_GLYPH, RUNG_KEYS, SITE_GLYPH, type RungKey } from '../theme.js';
import { chunksIn, type BorderSet } from './borders.js';
import { BrailleCanvas, StyleTable } from './canvas.js';
import type { MapScene } from './scene.js';
import { niceLength, Projection, type View } from './view.js';

export interface MapRenderOptions {
  engine: Engine;
  view: View;
  /** Size in cells. */
  w: number;
  h: number;
  /** Selected unit index, or -1. */
  selected: number;
  color: boolean;
  /** Length of trails, simulated ms (0: none). */
  trailMs?: number;
  /** Most labels to try placing (keeps a thousand units cheap and readable). */
  maxLabels?: number;
  /** The track drawn as a unit's trail (default: the engine's track in force). */
  trackOf?: (u: number) => Track;
}

export interface MapFrame {
  rows: string[];
  canvas: BrailleCanvas;
  /** How many units are inside the view. */
  visible: number;
}

const PRI_BORDER = 1;
const PRI_BAND = 2;
const PRI_TRAIL = 3;
const PRI_ZONE = 4;

export const DEFAULT_TRAIL_MS = 30 * 60_000;
/** Borders: one dot on, three off. */
const BORDER_DASH: [number, number] = [1, 3];

/**
 * Put a label beside the symbol at (x, y): to the right, to the left, then (`around`) on the rows
 * above and below, at the first place where it hides no zone edge and no other text. Returns
 * whether it found one (a label with no such place is left out: the symbol stays). A site's
 * label keeps a space from its symbol (`spaced`), a unit's sits against it.
 */
function placeLabel(c: BrailleCanvas, x: number, y: number, text: string, style: number, around: boolean, spaced = false): boolean {
  const right = spaced ? ` ${text}` : text;
  const left = spaced ? `${text} ` : text;
  const spots: [number, number, string][] = [
    [x + 1, y, right],
    [x - left.length, y, left],
  ];
  if (around) spots.push([x + 1, y - 1, text], [x + 1, y + 1, text], [x - text.length, y - 1, text], [x - text.length, y + 1, text]);
  for (const [lx, ly, t] of spots) {
    if (!c.open(lx, ly, t.length, PRI_ZONE)) continue;
    c.put(lx, ly, t, style);
    return true;
  }
  return false;
}

export class MapRenderer {
  readonly styles = new StyleTable();
  private borders?: BorderSet;
  private staticKey = '';
  private staticCanvas?: BrailleCanvas;
  private frame?: BrailleCanvas;
  private readonly st;
  private readonly xy = new Float64Array(2);
  private rungOf = new Uint8Array(0);
  private cellX = new Int32Array(0);
  private cellY = new Int32Array(0);
  /** The cells of the protected sites in the static layer (drawn again over the units). */
  private siteCells: [number, number][] = [];

  constructor(private readonly scene: MapScene) {
    const s = this.styles;
    const rung = (f: (k: RungKey) => number) => Object.fromEntries(RUNG_KEYS.map((k) => [k, f(k)])) as Record<RungKey, number>;
    this.st = {
      border: s.id({ fg: MAP_COLOR.border }),
      band: s.id({ fg: MAP_COLOR.band }),
      zone: s.id({ fg: MAP_COLOR.zone }),
      zoneLabel: s.id({ fg: MAP_COLOR.zone }),
      site: s.id({ fg: MAP_COLOR.site, bold: true }),
      siteLabel: s.id({ fg: MAP_COLOR.site }),
      scale: s.id({ fg: MAP_COLOR.scale }),
      north: s.id({ bold: true }),
      glyph: rung((k) => s.id({ fg: RUNG_COLOR[k], bold: k !== 'none' })),
      glyphSel: rung((k) => s.id({ fg: RUNG_COLOR[k], bold: true, inverse: true })),
      label: rung((k) => s.id({ fg: RUNG_COLOR[k] })),
      labelSel: rung((k) => s.id({ fg: RUNG_COLOR[k], bold: true, inverse: true })),
      trail: rung((k) => s.id({ fg: RUNG_COLOR[k], dim: true })),
    };
  }

  setBorders(b: BorderSet | undefined): void {
    if (b === this.borders) return;
    this.borders = b;
    this.staticKey = '';
  }

  private drawStatic(c: BrailleCanvas, p: Projection): void {
    const st = this.st;
    const buf: number[] = [];
    const project = (pts: ArrayLike<number>, n: number) => {
      buf.length = 0;
      for (let i = 0; i < n; i++) buf.push(p.x(pts[2 * i]), p.y(pts[2 * i + 1]));
      return buf;
    };
    const projectLL = (ring: [number, number][]) => {
      buf.length = 0;
      for (const q of ring) buf.push(p.x(q[0]), p.y(q[1]));
      return buf;
    };
    if (this.borders) {
      for (const i of chunksIn(this.borders, p.bounds(4))) {
        const ch = this.borders.chunks[i];
        const pts = project(ch, ch.length / 2);
        // Dotted and dim, unlike a zone's solid edge or its dashed band.
        c.polyline(pts, ch.length / 2, st.border, PRI_BORDER, BORDER_DASH);
      }
    }
    for (const z of this.scene.zones) {
      for (const ring of z.band) c.polyline(projectLL(ring), ring.length, st.band, PRI_BAND, [2, 2]);
      for (const ring of z.edge) c.polyline(projectLL(ring), ring.length, st.zone, PRI_ZONE);
      if (z.kind === 'line' && z.edge[0]) this.hatch(c, projectLL(z.edge[0]).slice(), z.forbiddenLeft ?? true);
    }
    // The sites first (a site's label matters more than a zone's), then the zones' names: each
    // where it covers no zone edge and no other label, else left out.
    this.siteCells = [];
    for (const s of this.scene.sites) {
      const x = Math.floor(p.x(s.pos[0]) / 2);
      const y = Math.floor(p.y(s.pos[1]) / 4);
      if (x < 0 || y < 0 || x >= c.w || y >= c.h) continue;
      c.put(x, y, SITE_GLYPH, st.site);
      this.siteCells.push([x, y]);
    }
    for (const s of this.scene.sites) {
      const x = Math.floor(p.x(s.pos[0]) / 2);
      const y = Math.floor(p.y(s.pos[1]) / 4);
      if (x < 0 || y < 0 || x >= c.w || y >= c.h) continue;
      placeLabel(c, x, y, s.id, st.siteLabel, false, true);
    }
    for (const z of this.scene.zones) {
      const x = Math.floor(p.x(z.labelAt[0]) / 2);
      const y = Math.floor(p.y(z.labelAt[1]) / 4) - 1;
      const label = z.id;
      if (x < 0 || x >= c.w) continue;
      for (const dy of [0, -1, 1, -2, 2]) {
        const lx = Math.max(0, Math.min(c.w - label.length, x - (label.length >> 1)));
        if (y + dy >= 0 && c.open(lx, y + dy, label.length, PRI_ZONE)) {
          c.put(lx, y + dy, label, st.zoneLabel);
          break;
        }
      }
    }
    // North arrow, top right.
    if (c.w >= 4 && c.h >= 3) {
      c.put(c.w - 2, 0, 'N', st.north);
      c.put(c.w - 2, 1, '↑', st.north);
    }
    // Scale bar, bottom left: a nice length at most a quarter of the width.
    const cellM = p.view.mpd * 2;
    const len = niceLength(cellM * Math.max(4, Math.floor(c.w / 4)));
    const cells = Math.max(2, Math.round(len / cellM));
    if (c.h >= 2 && c.w >= cells + 12) {
      const bar = `├${'─'.repeat(Math.max(0, cells - 2))}┤ ${len >= 1000 ? `${len / 1000} km` : `${len} m`}`;
      c.put(1, c.h - 1, bar, st.scale);
    }
  }

  /** Ticks on the forbidden side of a line, every few dots along it. */
  private hatch(c: BrailleCanvas, xy: number[], left: boolean): void {
    const SPACING = 6;
    const LEN = 3;
    let carry = SPACING / 2;
    for (let i = 2; i < xy.length; i += 2) {
      const x0 = xy[i - 2];
      const y0 = xy[i - 1];
      const dx = xy[i] - x0;
      const dy = xy[i + 1] - y0;
      const len = Math.hypot(dx, dy);
      if (!(len > 0)) continue;
      const ux = dx / len;
      const uy = dy / len;
      // Screen y grows downward: the geographic left of (ux, uy) is (uy, -ux).
      const nx = left ? uy : -uy;
      const ny = left ? -ux : ux;
      // Skip long stretches far outside the canvas cheaply.
      let s = carry;
      for (; s < len; s += SPACING) {
        const px = x0 + ux * s;
        const py = y0 + uy * s;
        if (px < -LEN || py < -LEN || px > c.dw + LEN || py > c.dh + LEN) {
          continue;
        }
        c.line(px, py, px + nx * LEN, py + ny * LEN, this.st.zone, PRI_ZONE);
      }
      carry = s - len;
      if (len > 100_000) carry = SPACING / 2;
    }
  }

  /**
   * The unit drawn nearest a cell of the last frame, within `reach` cells (the highest rung first
   * among equally near ones), or -1.
   */
  unitNear(cx: number, cy: number, reach = 1): number {
    let best = -1;
    let bestD = Infinity;
    const { cellX, cellY, rungOf } = this;
    for (let u = 0; u < cellX.length; u++) {
      if (cellX[u] < 0 && cellY[u] < 0) continue;
      const d = Math.max(Math.abs(cellX[u] - cx), Math.abs(cellY[u] - cy));
      if (d > reach) continue;
      if (d < bestD || (d === bestD && rungOf[u] > rungOf[best])) {
        best = u;
        bestD = d;
      }
    }
    return best;
  }

  render(o: MapRenderOptions): MapFrame {
    const { engine, view, w, h } = o;
    const p = new Projection(view, w * 2, h * 4);
    const key = `${w}x${h}:${view.lon}:${view.lat}:${view.mpd}:${this.borders ? 1 : 0}`;
    if (!this.staticCanvas || this.staticKey !== key) {
      this.staticCanvas = new BrailleCanvas(w, h);
      this.drawStatic(this.staticCanvas, p);
      this.staticKey = key;
    }
    if (!this.frame || this.frame.w !== w || this.frame.h !== h) this.frame = new BrailleCanvas(w, h);
    const c = this.frame;
    c.copyFrom(this.staticCanvas);
    const st = this.st;
    const n = engine.scenario.units.length;
    const pos = engine.positions;
    const started = engine.tickIndex >= 0;
    const t = engine.time;
    const trailMs = o.trailMs ?? DEFAULT_TRAIL_MS;
    const trackOf = o.trackOf ?? ((u: number) => engine.trackOf(u));
    if (this.rungOf.length !== n) {
      this.rungOf = new Uint8Array(n);
      this.cellX = new Int32Array(n);
      this.cellY = new Int32Array(n);
    }
    const { rungOf, cellX, cellY } = this;
    const inView: number[][] = RUNG_KEYS.map(() => []);
    const [minLon, minLat, maxLon, maxLat] = p.bounds(8);
    let visible = 0;
    for (let u = 0; u < n; u++) {
      let lon: number;
      let lat: number;
      if (started) {
        lon = pos[2 * u];
        lat = pos[2 * u + 1];
      } else {
        const tr = trackOf(u);
        lon = tr.t.length ? tr.lon[0] : NaN;
        lat = tr.t.length ? tr.lat[0] : NaN;
      }
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        // Not known yet (a live unit before its first fix): not drawn.
        rungOf[u] = 0;
        cellX[u] = -1;
        cellY[u] = -1;
        continue;
      }
      const k: RungKey = engine.isStruck(u) ? 'strike' : (engine.unitRung(u).rung ?? 'none');
      const lvl = rungLevel(k === 'none' ? null : k) + 1;
      rungOf[u] = lvl;
      cellX[u] = Math.floor(p.x(lon) / 2);
      cellY[u] = Math.floor(p.y(lat) / 4);
      // Trails: the track in force over the last `trailMs` (cheap: fixes between two times).
      const tr = started && trailMs > 0 ? trackOf(u) : undefined;
      if (tr && tr.t.length) {
        const t0 = Math.max(engine.scenario.start, t - trailMs);
        const x = p.x(lon);
        const y = p.y(lat);
        if (x > -c.dw && x < 2 * c.dw && y > -c.dh && y < 2 * c.dh) {
          positionAt(tr, t0, this.xy);
          let px = p.x(this.xy[0]);
          let py = p.y(this.xy[1]);
          const i0 = fixIndex(tr, t0);
          const i1 = fixIndex(tr, t);
          let phase = 0;
          for (let i = Math.max(0, i0 + 1); i <= i1; i++) {
            const qx = p.x(tr.lon[i]);
            const qy = p.y(tr.lat[i]);
            phase = c.line(px, py, qx, qy, st.trail[k], PRI_TRAIL, undefined, phase);
            px = qx;
            py = qy;
          }
          c.line(px, py, x, y, st.trail[k], PRI_TRAIL, undefined, phase);
        }
      }
      if (lon < minLon || lon > maxLon || lat < minLat || lat > maxLat) continue;
      inView[lvl].push(u);
    }
    // Symbols: hotter rungs drawn over cooler ones, the selected unit last.
    for (let lvl = 0; lvl < inView.length; lvl++) {
      const k = RUNG_KEYS[lvl];
      for (const u of inView[lvl]) {
        const x = cellX[u];
        const y = cellY[u];
        if (x < 0 || y < 0 || x >= c.w || y >= c.h) continue;
        visible++;
        if (u !== o.selected) c.put(x, y, RUNG_GLYPH[k], st.glyph[k]);
      }
    }
    // A protected site stays in sight over the units on it (only the selected unit goes above it).
    for (const [x, y] of this.siteCells) c.put(x, y, SITE_GLYPH, st.site);
    const sel = o.selected >= 0 && o.selected < n ? o.selected : -1;
    if (sel >= 0) {
      const x = cellX[sel];
      const y = cellY[sel];
      const k = RUNG_KEYS[rungOf[sel]];
      c.put(x, y, RUNG_GLYPH[k], st.glyphSel[k]);
    }
    // Labels: the selected unit first, then the hottest; only where they fit.
    const ids = engine.scenario.units;
    let budget = o.maxLabels ?? 60;
    const label = (u: number, selected: boolean) => {
      const x = cellX[u];
      const y = cellY[u];
      if (x < 0 || y < 0 || x >= c.w || y >= c.h) return;
      const k = RUNG_KEYS[rungOf[u]];
      const text = ids[u].id.length > 12 ? `${ids[u].id.slice(0, 11)}…` : ids[u].id;
      const style = selected ? st.labelSel[k] : st.label[k];
      if (!placeLabel(c, x, y, text, style, true) && selected) c.put(Math.max(0, Math.min(c.w - text.length, x + 1)), y + (y + 1 < c.h ? 1 : -1), text, style);
    };
    if (sel >= 0) label(sel, true);
    for (let lvl = inView.length - 1; lvl >= 0 && budget > 0; lvl--) {
      for (const u of inView[lvl]) {
        if (u === sel) continue;
        if (budget-- <= 0) break;
        label(u, false);
      }
    }
    return { rows: c.rows(this.styles, o.color), canvas: c, visible };
  }
}
