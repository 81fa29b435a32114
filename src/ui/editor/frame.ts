/**
 * The editor's screen as one prebuilt string per row: a header, the map (the viewer's map
 * renderer, with every unit's whole route, the tool's draft and the cursor drawn over it), a
 * side panel (the tool, the cursor, the selection, then every problem and warning of the file as
 * it is now) and the bar of the keys that work now. The text is compiled on every change: the
 * map keeps showing the last version that compiled while a problem is being fixed.
 */
import { Engine } from '../../core/engine.js';
import { problemsOf, ScenarioError } from '../../core/errors.js';
import { geodesicCircle } from '../../core/geo/circle.js';
import { geodesicDistance } from '../../core/geo/geodesic.js';
import { parseScenario } from '../../io/node/load.js';
import type { LonLat, Scenario } from '../../core/model.js';
import { scenarioSource, semanticWarnings, shown } from '../../core/warnings/index.js';
import { MapRenderer } from '../map/render.js';
import { buildScene } from '../map/scene.js';
import type { BorderSet } from '../map/borders.js';
import { BrailleCanvas, StyleTable } from '../map/canvas.js';
import { fitView, Projection, type View } from '../map/view.js';
import { pad, row, trunc, wrap } from '../text.js';
import { FOCUS_COLOR, type Style } from '../theme.js';
import { editorBar, editorHelp } from './commands.js';
import { toData } from './doc.js';
import { dirty, radiusOf, type EditorState } from './state.js';

export interface Checked {
  /** The compiled scenario, when the text compiles. */
  scenario?: Scenario;
  /** Every problem (file:line:column: field: message), when it does not. */
  problems: string[];
  warnings: string[];
}

/** Compile and check a text as `validate` would. */
export function check(text: string, file: string, baseDir?: string): Checked {
  try {
    const scenario = parseScenario(text, file, { baseDir });
    const warnings = [...(scenario.warnings ?? []), ...semanticWarnings(scenario, () => scenarioSource(text, file))].map((w) => w.message);
    return { scenario, problems: [], warnings };
  } catch (e) {
    // Every problem of the file, as validate lists them.
    if (e instanceof ScenarioError) return { problems: problemsOf(e).map((p) => p.message), warnings: [] };
    return { problems: [`${file}: ${(e as Error).message}`], warnings: [] };
  }
}

const NONE = '__editor_none';

/**
 * What to draw while the file does not compile only because it has no zone or no unit yet (a
 * scenario being built): the file with a placeholder for what is missing, compiled, and the
 * placeholders taken out again.
 */
function forDisplay(text: string, file: string, baseDir?: string): Scenario | undefined {
  const d = toData(text);
  const far = [0, -89.9];
  const patched: Record<string, unknown> = { title: 'untitled', start: '2025-01-01T00:00:00Z', end: '+1h', ...d };
  if (!Array.isArray(d.zones) || !d.zones.length) patched.zones = [{ id: NONE, name: '-', type: 'circle', center: far, radius: 1, applies_to: ['-'] }];
  if (!Array.isArray(d.units) || !d.units.length) patched.units = [{ id: `${NONE}-u`, name: '-', side: '-', track: [{ pos: far, t: '+0s' }] }];
  try {
    const sc = parseScenario(JSON.stringify(patched), file, { baseDir });
    return { ...sc, zones: sc.zones.filter((z) => z.id !== NONE), units: sc.units.filter((u) => !u.id.startsWith(NONE)), injects: [], expectations: [] };
  } catch {
    return undefined;
  }
}

export interface EditorLayout {
  cols: number;
  rows: number;
  /** Inner size of the map, cells. */
  map: { w: number; h: number };
  side: number;
}

export function editorLayout(cols: number, rows: number): EditorLayout {
  const side = Math.max(28, Math.min(48, Math.round(cols * 0.34)));
  // Rows: header, map box (2 borders), status, bar; the root stays one row short of the terminal.
  return { cols, rows, side, map: { w: Math.max(10, cols - side - 2), h: Math.max(4, rows - 1 - 5) } };
}

const BOX = { tl: '╭', tr: '╮', bl: '╰', br: '╯', h: '─', v: '│' };
const fmt = (p: LonLat) => `${Math.abs(p[1]).toFixed(5)}${p[1] >= 0 ? 'N' : 'S'} ${Math.abs(p[0]).toFixed(5)}${p[0] >= 0 ? 'E' : 'W'}`;

export class EditorFrame {
  private key = '';
  private checked: Checked = { problems: [], warnings: [] };
  private shown?: { scenario: Scenario; engine: Engine; renderer: MapRenderer; bounds: [number, number, number, number] };

  constructor(
    readonly file: string,
    readonly color: boolean,
    readonly baseDir?: string,
    readonly borders?: BorderSet,
  ) {}

  /** The checked text (compiled once per text). */
  result(text: string): Checked {
    if (text !== this.key) {
      this.key = text;
      this.checked = check(text, this.file, this.baseDir);
      const sc = this.checked.scenario ?? forDisplay(text, this.file, this.baseDir);
      if (sc) {
        const scene = buildScene(sc);
        const renderer = new MapRenderer(scene);
        renderer.setBorders(this.borders);
        this.shown = { scenario: sc, engine: new Engine(sc), renderer, bounds: scene.bounds };
      }
    }
    return this.checked;
  }

  /** The view that shows the whole scenario (or `fallback` when nothing compiles yet). */
  fit(text: string, map: { w: number; h: number }, fallback: View): View {
    this.result(text);
    if (!this.shown || this.shown.scenario.zones.length + this.shown.scenario.units.length + this.shown.scenario.sites.length === 0) return fallback;
    // A lone site is shown with some 20 km around it, not at the closest zoom.
    const [w, so, e, n] = this.shown.bounds;
    const cy = (so + n) / 2;
    const cx = (w + e) / 2;
    const half = 0.1;
    return fitView([Math.min(w, cx - half), Math.min(so, cy - half), Math.max(e, cx + half), Math.max(n, cy + half)], map.w * 2, map.h * 4);
  }

  private mapRows(s: EditorState, l: EditorLayout): string[] {
    const { w, h } = l.map;
    const p = new Projection(s.view, w * 2, h * 4);
    let canvas = new BrailleCanvas(w, h);
    let styles = new StyleTable();
    if (this.shown) {
      const f = this.shown.renderer.render({ engine: this.shown.engine, view: s.view, w, h, selected: s.unit, color: this.color, trailMs: 0 });
      canvas = f.canvas;
      styles = this.shown.renderer.styles;
    }
    const route = styles.id({ fg: 'yellow', dim: true });
    const routeSel = styles.id({ fg: 'yellowBright', bold: true });
    const draft = styles.id({ fg: FOCUS_COLOR, bold: true });
    const cursor = styles.id({ fg: FOCUS_COLOR, bold: true, inverse: true });
    // Every unit's whole route.
    this.shown?.scenario.units.forEach((u, i) => {
      const xy: number[] = [];
      for (let k = 0; k < u.track.t.length; k++) xy.push(p.x(u.track.lon[k]), p.y(u.track.lat[k]));
      canvas.polyline(xy, u.track.t.length, i === s.unit ? routeSel : route, 3);
    });
    // The tool's draft, with a rubber band to the cursor.
    const pts = s.tool === 'line' && s.stage === 'side' ? s.draft : [...s.draft, s.cursor];
    if (s.tool === 'circle' && s.stage === 'radius' && s.draft[0]) {
      const r = radiusOf(s);
      const xy: number[] = [];
      for (const q of geodesicCircle(s.draft[0], r, 120)) xy.push(p.x(q[0]), p.y(q[1]));
      if (r > 0) canvas.polyline(xy, xy.length / 2, draft, 6);
    } else if (s.draft.length && s.tool !== 'move') {
      const ring = s.tool === 'polygon' && s.draft.length >= 2 ? [...pts, s.draft[0]] : pts;
      canvas.polyline(
        ring.flatMap((q) => [p.x(q[0]), p.y(q[1])]),
        ring.length,
        draft,
        6,
      );
    }
    const cx = Math.floor(p.x(s.cursor[0]) / 2);
    const cy = Math.floor(p.y(s.cursor[1]) / 4);
    if (cx >= 0 && cy >= 0 && cx < w && cy < h) canvas.put(cx, cy, '┼', cursor);
    return canvas.rows(styles, this.color);
  }

  private sideLines(s: EditorState, c: Checked, width: number): { text: string; style?: Style }[] {
    const out: { text: string; style?: Style }[] = [];
    const add = (text: string, style?: Style) => {
      for (const l of wrap(shown(text), width)) out.push({ text: l, style });
    };
    const TOOL: Record<string, string> = {
      browse: 'browse',
      site: 'site',
      circle: 'circle',
      polygon: 'polygon',
      line: 'line',
      unit: 'unit route',
      move: 'move a waypoint',
    };
    add(`Tool: ${TOOL[s.tool]}${s.tool === 'unit' ? ` · ${s.speed} km/h` : ''}`, { bold: true });
    add(`cursor ${fmt(s.cursor)}`);
    if (s.tool === 'circle' && s.stage === 'radius' && s.draft[0]) {
      add(`radius ${(radiusOf(s) / 1000).toFixed(1)} km${s.typed ? ' (typed)' : ''}`, { fg: FOCUS_COLOR, bold: true });
    } else if (s.draft.length) {
      const last = s.draft[s.draft.length - 1];
      add(`${s.draft.length} point${s.draft.length === 1 ? '' : 's'} · ${(geodesicDistance(last, s.cursor) / 1000).toFixed(1)} km from the last`);
    }
    const units = c.scenario?.units ?? this.shown?.scenario.units ?? [];
    if (s.unit >= 0 && units[s.unit]) add(`unit ${units[s.unit].id} (${units[s.unit].side})`);
    add(s.message ? `» ${s.message}` : ' ', { fg: 'yellow' });
    out.push({ text: '─'.repeat(width), style: { dim: true } });
    if (!c.problems.length && !c.warnings.length) add('✓ valid: no problems, no warnings', { fg: 'green' });
    if (c.problems.length) add(`Problems (${c.problems.length})`, { fg: 'red', bold: true });
    for (const p of c.problems) add(p.replace(`${this.file}:`, ''), { fg: 'red' });
    if (c.warnings.length) add(`Warnings (${c.warnings.length})`, { fg: 'yellow', bold: true });
    for (const w of c.warnings) add(w.replace(`${this.file}:`, ''), { fg: 'yellow' });
    return out;
  }

  private formLines(s: EditorState, width: number): { text: string; style?: Style }[] {
    const f = s.form!;
    const out: { text: string; style?: Style }[] = [{ text: f.title, style: { bold: true } }];
    f.fields.forEach((x, i) => {
      out.push({ text: trunc(x.label, width), style: { dim: true } });
      // The value wrapped (never cut: what is typed must be seen), the field being typed marked.
      const text = `${shown(x.value)}${i === f.at ? '▏' : ''}`;
      const lines = [];
      for (let k = 0; k < Math.max(1, [...text].length); k += width - 2) lines.push([...text].slice(k, k + width - 2).join(''));
      lines.forEach((l, k) =>
        out.push({ text: `${i === f.at && k === 0 ? '▸ ' : '  '}${l}`, style: i === f.at ? { fg: FOCUS_COLOR, bold: true } : undefined }),
      );
    });
    for (const l of wrap('enter: next field, then apply · esc: cancel', width)) out.push({ text: l, style: { dim: true } });
    return out;
  }

  /** The help as lines at a width. */
  helpLines(width: number): { text: string; style?: Style }[] {
    return editorHelp().flatMap((g) => [
      { text: g.group, style: { bold: true } },
      ...g.lines.flatMap((x) => wrap(x.help, Math.max(10, width - 12)).map((t, i) => ({ text: `${pad(i ? '' : x.keys, 12)}${t}` }))),
    ]);
  }

  /** The help in place of the map and the panel, scrolled by ↑↓. */
  private helpScreen(s: EditorState, l: EditorLayout, out: string[]): string[] {
    const iw = l.cols - 2;
    const lines = this.helpLines(iw);
    const h = l.map.h;
    const top = Math.min(s.helpScroll, Math.max(0, lines.length - h));
    const more = lines.length > h ? `lines ${top + 1}-${Math.min(lines.length, top + h)} of ${lines.length} (↑↓)` : '';
    const left = `${BOX.tl}${BOX.h} Keys `;
    const right = more ? ` ${more} ${BOX.h}${BOX.tr}` : BOX.tr;
    out.push(`${left}${BOX.h.repeat(Math.max(0, l.cols - [...left].length - [...right].length))}${right}`);
    for (let i = 0; i < h; i++) {
      const x = lines[top + i];
      out.push(`${BOX.v}${row([[x?.text ?? '', x?.style]], iw, this.color)}${BOX.v}`);
    }
    out.push(`${BOX.bl}${BOX.h.repeat(iw)}${BOX.br}`);
    out.push(row([[' the keys work in the contexts their group names; the bar below the map shows those that work now', { dim: true }]], l.cols, this.color));
    out.push(this.barRow(s, l));
    return out;
  }

  /** The keys that work now, as many as fit. */
  private barRow(s: EditorState, l: EditorLayout): string {
    const segs: [string, Style?][] = [];
    let used = 1;
    for (const b of editorBar(s)) {
      const wdt = b.key.length + b.label.length + 3;
      if (used + wdt > l.cols) break;
      segs.push([` ${b.key}`, { bold: true, fg: FOCUS_COLOR }], [` ${b.label} `]);
      used += wdt;
    }
    return row(segs, l.cols, this.color);
  }

  /** Every row of the screen (rows - 1 of them). */
  build(s: EditorState, l: EditorLayout): string[] {
    const c = this.result(s.text);
    const color = this.color;
    const out: string[] = [];
    const title = c.scenario?.title ?? this.shown?.scenario.title ?? '';
    out.push(
      row(
        [
          [' deconflict edit ', { inverse: true, bold: true }],
          [` ${shown(this.file)}${dirty(s) ? ' ●' : ''}  `, { bold: true }],
          [shown(title), { dim: true }],
        ],
        l.cols,
        color,
      ),
    );
    const mapW = l.map.w;
    const sideIw = l.side - 2;
    const mapRows = this.mapRows(s, l);
    if (s.help) return this.helpScreen(s, l, out);
    const side = s.form ? this.formLines(s, sideIw) : this.sideLines(s, c, sideIw);
    const h = l.map.h;
    const top = (t: string, w: number) => `${BOX.tl}${trunc(`${BOX.h} ${t} `, w)}${BOX.h.repeat(Math.max(0, w - t.length - 3))}${BOX.tr}`;
    const scale = `${((s.view.mpd * 2) / 1000).toFixed(s.view.mpd < 50 ? 2 : 1)} km/cell`;
    out.push(`${top(`Map · ${scale}`, mapW)}${top(s.help ? 'Keys' : s.form ? 'Form' : 'Scenario', sideIw)}`);
    for (let i = 0; i < h; i++) {
      const mapPart = mapRows[i];
      const sl = side[i];
      out.push(`${BOX.v}${mapPart}${BOX.v}${BOX.v}${row([[sl?.text ?? '', sl?.style]], sideIw, color)}${BOX.v}`);
    }
    out.push(`${BOX.bl}${BOX.h.repeat(mapW)}${BOX.br}${BOX.bl}${BOX.h.repeat(sideIw)}${BOX.br}`);
    const status = c.problems.length
      ? `✗ ${c.problems.length} problem · ${c.warnings.length} warning${c.warnings.length === 1 ? '' : 's'}`
      : `✓ valid · ${c.warnings.length} warning${c.warnings.length === 1 ? '' : 's'}`;
    out.push(
      row(
        [
          [` ${status}`, { fg: c.problems.length ? 'red' : c.warnings.length ? 'yellow' : 'green' }],
          [`   ${dirty(s) ? 'unsaved changes' : 'saved'}`, { dim: true }],
          [side.length > h ? `   (side panel: ${side.length - h} more lines)` : '', { dim: true }],
        ],
        l.cols,
        color,
      ),
    );
    out.push(this.barRow(s, l));
    return out;
  }
}
