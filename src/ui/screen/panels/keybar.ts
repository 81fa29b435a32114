/** The key bar: the keys that work now (from the command table), or the prompt of a time being typed. */
import { barItems, chooseBar } from '../../commands/keybar.js';
import type { Env } from '../../commands/types.js';
import type { UiState } from '../../state.js';
import { row, type Seg } from '../../text.js';
import { FOCUS_COLOR } from '../../theme.js';
import type { FrameContext } from '../context.js';

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
  const { items, gap } = chooseBar(barItems(ui, env, ctx.commands), barItems(ui, env, ctx.commands, true), w - 1);
  const segs: Seg[] = [[' ']];
  items.forEach((it, i) => {
    if (i) segs.push([' '.repeat(gap)]);
    segs.push([it.key, { bold: true, fg: FOCUS_COLOR }], [` ${it.label}`]);
  });
  return row(segs, w, ctx.color);
}
