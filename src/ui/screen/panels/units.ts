/**
 * The units table: one row per unit in the sort's order, columns kept by priority while they
 * fit, the selected unit kept in view, and a card on it when there is room under the rows.
 */
import { formatDistance } from '../../../core/units.js';
import type { Layout } from '../../layout.js';
import { refineRow, SORT_LABEL, type SortKey } from '../../view-model/units.js';
import { FOCUS_LABEL, type UiState } from '../../state.js';
import { pad, row, type Seg } from '../../text.js';
import { RUNG_GLYPH, RUNG_SHORT, type Style } from '../../theme.js';
import type { FrameContext } from '../context.js';
import { closingText, rungStyle, signedDistance } from '../format.js';
import type { PanelFrame } from '../types.js';
import { unitCard } from './unit-card.js';

export interface UnitsPanel extends PanelFrame {
  /** The units in the table's rows, from its first row under the column titles. */
  units: readonly number[];
}

type Col = { key: string; title: string; w: number; right?: boolean; pri: number; sort?: SortKey };

/** The columns that fit in `iw` cells, kept by priority (one space between columns), in their order. */
function columns(ctx: FrameContext, iw: number): Col[] {
  const { sideW, zoneW, compW } = ctx.colW;
  const all: Col[] = [
    { key: 'id', title: 'unit', w: ctx.unitW + 1, pri: 0, sort: 'id' },
    { key: 'side', title: 'side', w: sideW, pri: 6 },
    { key: 'comp', title: 'comp', w: compW, pri: 7 },
    { key: 'zone', title: 'zone', w: zoneW, pri: 5 },
    { key: 'rung', title: 'rung', w: 15, pri: 1, sort: 'rung' },
    { key: 'site', title: 'to site', w: 8, right: true, pri: 2, sort: 'site' },
    { key: 'edge', title: 'to edge', w: 8, right: true, pri: 3, sort: 'edge' },
    { key: 'closing', title: 'closing', w: 9, right: true, pri: 4 },
  ];
  const keep = new Set<string>();
  let used = 0;
  for (const c of [...all].sort((a, b) => a.pri - b.pri)) {
    if (used + c.w + (keep.size ? 1 : 0) > iw) continue;
    keep.add(c.key);
    used += c.w + (keep.size > 1 ? 1 : 0);
  }
  return all.filter((c) => keep.has(c.key));
}

export function tablePanel(ctx: FrameContext, ui: UiState, layout: Layout): UnitsPanel {
  const { iw, ih } = layout.table;
  const e = ctx.engine;
  const rows = ctx.rows(ui.sort);
  const cols = columns(ctx, iw);
  const arrow = ui.sort === 'rung' ? '▼' : '▲';
  const head: Seg[] = [];
  cols.forEach((c, i) => {
    const t = c.sort === ui.sort ? `${c.title}${arrow}` : c.title;
    head.push([(i ? ' ' : '') + pad(t, c.w, c.right), { bold: true, dim: c.sort !== ui.sort }]);
  });
  const out = [row(head, iw, ctx.color, { underline: true })];
  const avail = Math.max(0, ih - 1);
  const sel = rows.findIndex((r) => r.u === ui.selected);
  const top = Math.max(0, Math.min(rows.length - avail, sel - Math.floor(avail / 2)));
  const units = rows.slice(top, top + avail).map((r) => r.u);
  for (let i = top; i < Math.min(rows.length, top + avail); i++) {
    const r = refineRow(e, rows[i], ctx.trackOf, ctx.closingBasis);
    const isSel = r.u === ui.selected;
    const rs = rungStyle(r.rung, r.struck);
    const dim = !r.applies;
    const cell = (c: Col): Seg => {
      let text = '';
      let st: Style | undefined = dim ? { dim: true } : undefined;
      switch (c.key) {
        case 'id':
          text = `${isSel ? '▶' : ' '}${r.id}`;
          st = { ...st, bold: isSel };
          break;
        case 'side':
          text = r.side;
          break;
        case 'comp':
          text = r.comp;
          break;
        case 'zone':
          text = r.zoneId;
          break;
        case 'rung':
          text = `${RUNG_GLYPH[r.struck ? 'strike' : (r.rung ?? 'none')]} ${r.struck ? 'struck' : RUNG_SHORT[r.rung ?? 'none']}`;
          st = rs;
          // A live unit not heard from yet.
          if (r.noFix && !r.struck && !r.rung) {
            text = '  no fix yet';
            st = { dim: true };
          }
          break;
        case 'site':
          text = r.site === undefined ? '-' : formatDistance(r.site);
          break;
        case 'edge':
          text = signedDistance(r.edge);
          if (r.edge !== undefined && r.edge <= 0) st = { ...st, fg: 'yellow' };
          break;
        case 'closing':
          text = closingText(r.closing);
          if (r.closing !== undefined && r.closing * 3.6 >= 1) st = { ...st, fg: 'yellow' };
          break;
      }
      return [pad(text, c.w, c.right), st];
    };
    const segs: Seg[] = [];
    cols.forEach((c, j) => {
      if (j) segs.push([' ']);
      segs.push(cell(c));
    });
    out.push(row(segs, iw, ctx.color, isSel && ui.focus === 'units' ? { inverse: true } : undefined));
  }
  // Room to spare under the rows: a card on the selected unit.
  const card = unitCard(ctx, ui.selected, iw);
  if (card.length && ih - out.length >= card.length + 2) {
    while (out.length < ih - card.length - 1) out.push(' '.repeat(iw));
    out.push(row([['┄'.repeat(iw), { dim: true }]], iw, ctx.color), ...card);
  }
  while (out.length < ih) out.push(' '.repeat(iw));
  const n = rows.length;
  return { title: FOCUS_LABEL.units, right: `${n} · sorted by ${SORT_LABEL[ui.sort]}`, rows: out, focused: ui.focus === 'units', units };
}
