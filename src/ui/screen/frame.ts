/**
 * Everything on the screen, built as rows of prebuilt strings from the screen source and the
 * UI state: the Ink components only lay these rows out. Building a frame changes nothing but
 * caches, and returns what the mouse needs to know of it (its hits), so it is testable and
 * measurable (frame build time), and per-frame work stays string building, with no per-cell
 * elements. Each panel and overlay is its own module (panels/, overlays/).
 */
import type { Env } from '../commands/types.js';
import type { Layout } from '../layout.js';
import type { Hits } from '../mouse.js';
import type { UiState } from '../state.js';
import { row, trunc, width } from '../text.js';
import { FOCUS_COLOR, type Style } from '../theme.js';
import type { FrameContext } from './context.js';
import { overlayPanel } from './overlays/index.js';
import { tooSmall } from './overlays/too-small.js';
import { header } from './panels/header.js';
import { keyBar } from './panels/keybar.js';
import { logPanel } from './panels/log.js';
import { mapPanel } from './panels/map.js';
import { timeline } from './panels/timeline.js';
import { tablePanel } from './panels/units.js';
import type { Frame, PanelFrame } from './types.js';

/** Nothing to hit: a frame without the panels. */
const NO_UNIT = () => -1;

/** The frame of a state at a layout, with what it drew where. */
export function buildFrame(ctx: FrameContext, ui: UiState, layout: Layout, env: Env): Frame {
  const hits: Hits = { tableUnits: [], logNewest: 0, logRows: 0, unitOnMap: NO_UNIT };
  if (layout.tooSmall) return { tooSmall: tooSmall(layout), header: '', timeline: [], bar: '', hits };
  const tl = timeline(ctx, layout.cols);
  hits.scrubber = tl.scrubber;
  const f: Frame = { header: header(ctx, layout.cols), timeline: tl.rows, bar: keyBar(ctx, ui, env, layout.cols), hits };
  if (ui.overlay !== 'none') f.overlay = overlayPanel(ctx, ui, layout);
  else {
    const map = (f.map = mapPanel(ctx, ui, layout));
    const table = (f.table = tablePanel(ctx, ui, layout));
    const log = (f.log = logPanel(ctx, ui, layout));
    hits.unitOnMap = map.unitAt;
    hits.tableUnits = table.units;
    hits.logNewest = log.newest;
    hits.logRows = log.count;
  }
  return f;
}

/** A panel as rows of exactly `w` cells: a titled rounded border around its content rows. */
export function panelRows(p: PanelFrame, w: number, h: number, color: boolean): string[] {
  const iw = Math.max(0, w - 2);
  const border: Style = p.focused ? { fg: FOCUS_COLOR, bold: true } : { dim: true };
  const titleStyle: Style = p.focused ? { fg: FOCUS_COLOR, bold: true, inverse: !color } : { bold: true };
  const title = ` ${trunc(p.title, Math.max(0, iw - 4))} `;
  const right = p.right ? ` ${trunc(p.right, Math.max(0, iw - width(title) - 4))} ` : '';
  const fill = Math.max(0, iw - 1 - width(title) - width(right) - (right ? 1 : 0));
  const top = row(
    [
      ['╭─', border],
      [title, titleStyle],
      ['─'.repeat(fill), border],
      [right, { dim: !p.focused }],
      [right ? '─' : '', border],
      ['╮', border],
    ],
    w,
    color,
  );
  const out = [top];
  const side = (s: string) => row([[s, border]], 1, color);
  const l = side('│');
  for (let i = 0; i < h - 2; i++) out.push(`${l}${p.rows[i] ?? ' '.repeat(iw)}${l}`);
  out.push(
    row(
      [
        ['╰', border],
        ['─'.repeat(iw), border],
        ['╯', border],
      ],
      w,
      color,
    ),
  );
  return out;
}

/** The whole screen: one string per row, `layout.height` rows. */
export function composeScreen(f: Frame, layout: Layout, color: boolean): string[] {
  if (f.tooSmall) return f.tooSmall;
  const out: string[] = [f.header];
  if (f.overlay) out.push(...panelRows(f.overlay, layout.overlay.w, layout.overlay.h, color));
  else if (f.map && f.table && f.log) {
    const m = panelRows(f.map, layout.map.w, layout.map.h, color);
    const t = panelRows(f.table, layout.table.w, layout.table.h, color);
    for (let i = 0; i < layout.map.h; i++) out.push(`${m[i]}${t[i]}`);
    out.push(...panelRows(f.log, layout.log.w, layout.log.h, color));
  }
  out.push(...f.timeline, f.bar);
  return out;
}
