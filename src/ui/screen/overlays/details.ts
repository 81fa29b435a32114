/** The details overlay on a unit: who it is, its threat, where it is now and its closest approach, its ladder history and its other events. */
import { closestOnTrack } from '../../../core/analysis/closest.js';
import { typeLabel } from '../../../core/events.js';
import { describeComposition, RUNG_LABEL } from '../../../core/ladder.js';
import { formatDistance } from '../../../core/units.js';
import { refineRow } from '../../view-model/units.js';
import { pad, row, wrap, type Seg } from '../../text.js';
import { EVENT_COLOR, FOCUS_COLOR, type Style } from '../../theme.js';
import type { FrameContext } from '../context.js';
import { clock, closingText, LADDER_TYPES, reasonAfterChange, rungStyle, threatOf, transitionLabel } from '../format.js';

export function detailsLines(ctx: FrameContext, u: number, w: number): string[] {
  const e = ctx.engine;
  const sc = e.scenario;
  const unit = sc.units[u];
  if (!unit) return [];
  const out: string[] = [];
  const text = (segs: Seg[]) => out.push(row(segs, w, ctx.color));
  const LW = 12;
  const para = (label: string, body: string, st?: Style) => {
    const lines = wrap(body, Math.max(10, w - LW - 2));
    lines.forEach((l, i) => text([['  '], [pad(i ? '' : label, LW), { bold: true }], [l, st]]));
  };
  const rows = ctx.rows('id');
  const r0 = rows.find((r) => r.u === u);
  const r = r0 ? refineRow(e, r0, ctx.trackOf, ctx.closingBasis) : undefined;
  text([['  '], [unit.id, { bold: true }], ['  '], [unit.name], [`   side ${unit.side}${unit.sidc ? ` · SIDC ${unit.sidc}` : ''}`, { dim: true }]]);
  text([]);
  const threat = threatOf(sc, u);
  para('composition', `${describeComposition(unit.composition)} (${ctx.facts.comp[u]})`);
  para(
    'threat',
    `score ${threat.score}; doctrine's threshold for a strike is ${threat.threshold}: ${threat.threat ? 'assessed a threat' : 'below the threshold, not a threat on composition'}`,
    threat.style,
  );
  if (r) {
    const zone = r.zone >= 0 ? sc.zones[r.zone] : undefined;
    const rung = e.isStruck(u) ? 'struck' : r.rung ? RUNG_LABEL[r.rung] : 'no rung';
    let where = 'no zone';
    if (zone) {
      const edge =
        r.edge === undefined
          ? ''
          : r.edge <= 0
            ? `${formatDistance(-r.edge)} ${zone.type === 'line' ? 'past the line' : 'inside the edge'}`
            : `${formatDistance(r.edge)} outside the ${zone.type === 'line' ? 'line' : 'edge'}`;
      const site = r.site !== undefined ? `, ${formatDistance(r.site)} from ${sc.sites[zone.protects].name}` : '';
      where = `${zone.id}${r.applies ? '' : ' (does not apply to its side)'}: ${edge}${site}, closing ${closingText(r.closing)}`;
    }
    para('now', r.noFix ? 'no position received yet' : `${rung} — ${where}`, rungStyle(r.rung, e.isStruck(u)));
    if (zone) para('closest', closestText(ctx, u, r.zone));
  }
  text([]);
  const mine = ctx.session.shownEvents.filter((ev) => ev.unit === unit.id);
  const ladder = mine.filter((ev) => LADDER_TYPES.has(ev.type));
  text([['  '], [`Ladder history (${ladder.length})`, { bold: true, fg: FOCUS_COLOR }]]);
  if (!ladder.length) text([['    none yet', { dim: true }]]);
  const TW = 31;
  const pre = 2 + 8 + 2 + TW + 1;
  for (const ev of ladder) {
    const st: Style = ev.type === 'stand_down' ? { fg: 'green' } : rungStyle(ev.rung ?? 'strike');
    const reason = wrap(`${reasonAfterChange(ev)}${ev.by ? ` (by ${ev.by})` : ''}`, Math.max(10, w - pre));
    reason.forEach((l, i) =>
      text(i ? [[' '.repeat(pre)], [l]] : [['  '], [clock(ev.t), { dim: true }], ['  '], [pad(transitionLabel(ev), TW), st], [' '], [l]]),
    );
  }
  text([]);
  const other = mine.filter((ev) => !LADDER_TYPES.has(ev.type));
  text([['  '], [`Other events (${other.length})`, { bold: true, fg: FOCUS_COLOR }]]);
  if (!other.length) text([['    none yet', { dim: true }]]);
  for (const ev of other) {
    const reason = wrap(ev.reason, Math.max(10, w - pre));
    reason.forEach((l, i) =>
      text(
        i ? [[' '.repeat(pre)], [l]] : [['  '], [clock(ev.t), { dim: true }], ['  '], [pad(typeLabel(ev.type), TW), { fg: EVENT_COLOR[ev.type] }], [' '], [l]],
      ),
    );
  }
  return out;
}

/** Closest approach so far to the zone's protected site (or its edge), on the track in force, at tick resolution. */
function closestText(ctx: FrameContext, u: number, z: number): string {
  const e = ctx.engine;
  const sc = e.scenario;
  if (e.tickIndex < 0) return 'not started';
  const zone = sc.zones[z];
  const tr = ctx.trackOf(u);
  if (!tr.t.length) return 'no position yet';
  const site = zone.protects >= 0 ? sc.sites[zone.protects] : undefined;
  const near = closestOnTrack(tr, (k) => e.tickTime(k), e.tickIndex, site ? { site: site.pos } : { edge: zone.shape });
  if (site) return `${formatDistance(near.m)} from ${site.name} at ${clock(near.t)} (so far, on its track)`;
  return `${near.m <= 0 ? `${formatDistance(-near.m)} past` : `${formatDistance(near.m)} from`} the ${zone.type === 'line' ? 'line' : 'edge'} of ${zone.id} at ${clock(near.t)} (so far)`;
}
