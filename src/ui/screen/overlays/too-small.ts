/** What shows instead of the layout when the terminal is too small for it. */
import { MIN_COLS, MIN_ROWS, type Layout } from '../../layout.js';
import { width, wrap } from '../../text.js';

export function tooSmall(layout: Layout): string[] {
  const msg = [`deconflict needs a terminal of at least ${MIN_COLS}×${MIN_ROWS}.`, `This one is ${layout.cols}×${layout.rows}: please enlarge it.`, 'q quits.'];
  const w = layout.cols;
  const out: string[] = [];
  const top = Math.max(0, Math.floor((layout.height - msg.length) / 2));
  for (let i = 0; i < top; i++) out.push('');
  for (const m of msg) {
    const lines = wrap(m, w);
    for (const l of lines) out.push(' '.repeat(Math.max(0, Math.floor((w - width(l)) / 2))) + l);
  }
  return out.slice(0, Math.max(1, layout.height));
}
