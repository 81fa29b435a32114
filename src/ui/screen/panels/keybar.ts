/** The key bar: the keys that work now (from the command table), or the prompt of a time being typed. */
import { barItems, chooseBar, type BarItem } from '../../commands/keybar.js';
import type { Env } from '../../commands/types.js';
import type { UiState } from '../../state.js';
import { row, type Seg } from '../../text.js';
import { FOCUS_COLOR } from '../../theme.js';
import type { FrameContext } from '../context.js';

/** The command table's entries with the screen's own put in after the entry they name (at the end if it is not shown). */
function withExtra(items: BarItem[], extra: readonly { after: string; item: BarItem; short: BarItem }[], short: boolean): BarItem[] {
  const out = [...items];
  for (const e of extra) {
    const at = out.findIndex((it) => it.key === e.after);
    out.splice(at < 0 ? out.length : at + 1, 0, short ? e.short : e.item);
  }
  return out;
}

export function keyBar(ctx: FrameContext, ui: UiState, env: Env, w: number): string {
  // Typing a time to go to: the prompt takes the bar.
  if (ui.jump !== undefined)
    return row(
      [
        [' go to time: ', { bold: true, fg: FOCUS_COLOR }],
        [ui.jump],
        ['█', { dim: true }],
        ['   HH:MM, HH:MM:SS or +1h30m · enter go there · esc cancel', { dim: true }],
      ],
      w,
      ctx.color,
    );
  const extra = ctx.extraBar?.(ui) ?? [];
  const { items, gap } = chooseBar(
    withExtra(barItems(ui, env, ctx.commands), extra, false),
    withExtra(barItems(ui, env, ctx.commands, true), extra, true),
    w - 1,
  );
  const segs: Seg[] = [[' ']];
  items.forEach((it, i) => {
    if (i) segs.push([' '.repeat(gap)]);
    segs.push([it.key, { bold: true, fg: FOCUS_COLOR }], [` ${it.label}`]);
  });
  return row(segs, w, ctx.color);
}
