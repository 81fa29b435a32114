/** The card under the units table: the selected unit's name, composition, threat, and its last rung change with the reason. */
import type { SimEvent } from '../../../core/events.js';
import { describeComposition } from '../../../core/ladder.js';
import { row, wrap } from '../../text.js';
import type { FrameContext } from '../context.js';
import { clock, LADDER_TYPES, reasonAfterChange, rungStyle, threatOf, transitionLabel } from '../format.js';

export function unitCard(ctx: FrameContext, u: number, w: number): string[] {
  const sc = ctx.engine.scenario;
  const unit = sc.units[u];
  if (!unit) return [];
  const out: string[] = [];
  const threat = threatOf(sc, u);
  out.push(row([[unit.id, { bold: true }], [`  ${unit.name}`], [`  (${unit.side})`, { dim: true }]], w, ctx.color));
  for (const l of wrap(describeComposition(unit.composition), w).slice(0, 2)) out.push(row([[l]], w, ctx.color));
  out.push(
    row(
      [
        [`threat score ${threat.score}`, threat.style ?? {}],
        [` (strike threshold ${threat.threshold})`, { dim: true }],
      ],
      w,
      ctx.color,
    ),
  );
  let last: SimEvent | undefined;
  const events = ctx.session.shownEvents;
  for (let i = events.length - 1; i >= 0; i--) {
    const ev = events[i];
    if (ev.unit === unit.id && LADDER_TYPES.has(ev.type)) {
      last = ev;
      break;
    }
  }
  if (last) {
    const lines = wrap(`${clock(last.t)} ${transitionLabel(last)}: ${reasonAfterChange(last)}`, w).slice(0, 4);
    lines.forEach((l, i) => out.push(row([[l, i === 0 ? rungStyle(last.rung ?? null) : {}]], w, ctx.color)));
  } else out.push(row([['no rung yet', { dim: true }]], w, ctx.color));
  out.push(row([['enter: the whole ladder history', { dim: true }]], w, ctx.color));
  return out;
}
