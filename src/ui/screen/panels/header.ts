/** The header row: the program, a live badge, the scenario's title; units, zones and seed at the right. */
import { liveBadge } from '../../live/status.js';
import { row, trunc, width, type Seg } from '../../text.js';
import type { FrameContext } from '../context.js';

export function header(ctx: FrameContext, w: number): string {
  const sc = ctx.engine.scenario;
  const right = `${sc.units.length} unit${sc.units.length === 1 ? '' : 's'} · ${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'} · seed ${ctx.engine.seed}`;
  const left: Seg[] = [
    [' deconflict ', { inverse: true, bold: true }],
    [' '],
    ...(ctx.session.live ? [liveBadge(), [' '] as Seg] : []),
    [trunc(sc.title, Math.max(0, w - width(right) - 16)), { bold: true }],
  ];
  const lw = left.reduce((n, s) => n + width(s[0]), 0);
  return row([...left, [' '.repeat(Math.max(1, w - lw - width(right)))], [right, { dim: true }]], w, ctx.color);
}
