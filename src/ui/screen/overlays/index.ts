/** The overlay open over the panels (help, a unit's details, a live run's input, the scenario's warnings), scrolled, as a panel. */
import type { Layout } from '../../layout.js';
import { inputLines } from '../../live/status.js';
import type { UiState } from '../../state.js';
import { pad, wrap } from '../../text.js';
import type { FrameContext } from '../context.js';
import type { PanelFrame } from '../types.js';
import { detailsLines } from './details.js';
import { helpLines } from './help.js';

/** Every line of the open overlay (the panel shows a page of them). */
export function overlayLines(ctx: FrameContext, ui: UiState, layout: Layout): string[] {
  const iw = layout.overlay.iw;
  if (ui.overlay === 'help') return helpLines(ctx, iw);
  if (ui.overlay === 'input') return ctx.session.live ? inputLines(ctx.session.live, ctx.engine, iw, ctx.color) : [];
  if (ui.overlay === 'details') return detailsLines(ctx, ui.detailsUnit, iw);
  if (ui.overlay === 'warnings') return (ctx.engine.scenario.warnings ?? []).flatMap((w) => wrap(w.message, iw).map((l) => pad(l, iw)));
  return [];
}

export function overlayPanel(ctx: FrameContext, ui: UiState, layout: Layout): PanelFrame {
  const lines = overlayLines(ctx, ui, layout);
  const { iw, ih } = layout.overlay;
  const maxScroll = Math.max(0, lines.length - ih);
  const top = Math.min(ui.overlayScroll, maxScroll);
  const rows = lines.slice(top, top + ih);
  while (rows.length < ih) rows.push(' '.repeat(iw));
  const more = lines.length > ih ? ` · lines ${top + 1}-${Math.min(lines.length, top + ih)} of ${lines.length} (↑↓)` : '';
  if (ui.overlay === 'help') return { title: 'Keys', right: `esc or ? to close${more}`, rows, focused: true };
  if (ui.overlay === 'input') return { title: 'Live input', right: `esc or i to close${more}`, rows, focused: true };
  if (ui.overlay === 'warnings') return { title: `Warnings (${ctx.engine.scenario.warnings?.length ?? 0})`, right: `esc to close${more}`, rows, focused: true };
  const unit = ctx.engine.scenario.units[ui.detailsUnit];
  return { title: `Unit ${unit?.id ?? ''}`, right: `esc to close${more}`, rows, focused: true };
}
