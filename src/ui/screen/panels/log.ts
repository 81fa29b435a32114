/**
 * The event log: the newest events that match the filter, one row each with the reasons in one
 * column, the selected event's whole text under the list when the log is focused, and the
 * filter's prompt while it is typed.
 */
import type { SimEvent } from '../../../core/events.js';
import { typeLabel } from '../../../core/events.js';
import { RUNG_LABEL, rungChange } from '../../../core/ladder.js';
import { formatDistance } from '../../../core/units.js';
import type { Layout } from '../../layout.js';
import { FOCUS_LABEL, type UiState } from '../../state.js';
import { pad, row, trunc, wrap, type Seg } from '../../text.js';
import { EVENT_COLOR, FOCUS_COLOR, type Style } from '../../theme.js';
import type { FrameContext } from '../context.js';
import { clock, rungStyle } from '../format.js';
import type { PanelFrame } from '../types.js';

export interface LogPanel extends PanelFrame {
  /** `logSel` of the event in row i is `newest - i`. */
  newest: number;
  /** How many rows hold events. */
  count: number;
}

export function logLine(ctx: FrameContext, e: SimEvent, w: number, selected: boolean): string {
  const segs: Seg[] = [[clock(e.t), { dim: true }], [' '], [pad(e.unit ?? '-', ctx.unitW)], [' ']];
  const tStyle: Style = e.type === 'escalate' ? rungStyle(e.rung ?? null) : { fg: EVENT_COLOR[e.type], bold: e.type === 'hostile_act' };
  segs.push([pad(typeLabel(e.type), 11), tStyle], [' ']);
  // A column for rung changes, so that reasons line up: from and to when there is room, else only where to.
  const wide = w >= 110;
  const trW = wide ? 31 : 16;
  if (e.type === 'escalate' || e.type === 'stand_down') {
    const tr = wide ? rungChange(e.from, e.rung) : `→ ${e.rung ? RUNG_LABEL[e.rung] : 'none'}`;
    segs.push([pad(tr, trW - 1), e.type === 'escalate' ? rungStyle(e.rung ?? null) : { fg: 'green' }], [' ']);
  } else segs.push([' '.repeat(trW)]);
  segs.push([e.reason]);
  return row(segs, w, ctx.color, selected ? { inverse: true } : undefined);
}

export function logPanel(ctx: FrameContext, ui: UiState, layout: Layout): LogPanel {
  const { iw, ih } = layout.log;
  const lv = ctx.logView(ui.filter);
  const ev = ctx.session.shownEvents;
  const sel = Math.min(ui.logSel, Math.max(0, lv.count - 1));
  // With the log focused, the selected event's whole text shows under the list.
  let strip: string[] = [];
  if (ui.focus === 'log' && !ui.editing && lv.count > 0 && ih >= 6) {
    const e = ev[lv.at(lv.count - 1 - sel)];
    const dist = e.edge_m !== undefined ? ` [edge ${formatDistance(e.edge_m)}${e.site_m !== undefined ? `, site ${formatDistance(e.site_m)}` : ''}]` : '';
    const text = `${clock(e.t)} ${typeLabel(e.type)}${e.unit ? ` ${e.unit}` : ''}${e.zone ? ` in ${e.zone}` : ''}: ${e.reason}${dist}${e.by ? ` (by ${e.by})` : ''}`;
    const n = ih >= 10 ? 3 : ih >= 8 ? 2 : 1;
    const wrapped = wrap(text, iw);
    const lines = wrapped.slice(0, n);
    if (wrapped.length > n) lines[n - 1] = trunc(`${lines[n - 1]} ${wrapped[n]}`, iw);
    strip = [...(ih >= 8 ? [row([['┄'.repeat(iw), { dim: true }]], iw, ctx.color)] : []), ...lines.map((l) => row([[l, { fg: FOCUS_COLOR }]], iw, ctx.color))];
  }
  const lines = ih - strip.length - (ui.editing ? 1 : 0);
  const bottom = lv.count - 1 - Math.max(0, sel - (lines - 1));
  const first = Math.max(0, bottom - lines + 1);
  const out: string[] = [];
  for (let k = first; k <= bottom; k++) out.push(logLine(ctx, ev[lv.at(k)], iw, ui.focus === 'log' && lv.count - 1 - k === sel));
  if (!lv.count) {
    const empty = ui.filter
      ? `no events match “${ui.filter}”`
      : ctx.emptyLog
        ? ctx.emptyLog
        : ctx.session.live
          ? 'no events yet: the ladder runs as positions come in (i: input)'
          : 'no events yet: press space to play or n for the next escalation';
    out.push(row([[empty, { dim: true }]], iw, ctx.color));
  }
  while (out.length < lines) out.push(' '.repeat(iw));
  out.push(...strip);
  if (ui.editing)
    out.push(row([['/', { bold: true, fg: FOCUS_COLOR }], [ui.draft], ['█', { dim: true }], ['   enter apply · esc clear', { dim: true }]], iw, ctx.color));
  const total = ev.length;
  const right = ui.filter ? `filter “${ui.filter}”: ${lv.count} of ${total}` : `${total} event${total === 1 ? '' : 's'}`;
  return {
    title: FOCUS_LABEL.log,
    right,
    rows: out.slice(0, ih),
    focused: ui.focus === 'log',
    newest: lv.count - 1 - first,
    count: lv.count ? bottom - first + 1 : 0,
  };
}
