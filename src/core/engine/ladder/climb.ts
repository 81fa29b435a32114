/**
 * The escalation ladder of one pair: climb while the next rung's condition holds (and its wait
 * has passed), set a rung and say why, stand down when the unit leaves, strike. A decider
 * (training) is consulted before each change doctrine would make; its choice is what happens.
 */
import type { SimEvent } from '../../events.js';
import { RUNG_LABEL, rungLevel } from '../../ladder.js';
import type { Rung, RungSpec } from '../../model.js';
import { haltTrack } from '../../track.js';
import { BAND } from '../areas.js';
import { eventBase, PairBase, refDistance } from '../measure.js';
import { reasons } from '../reasons.js';
import type { PairState } from '../state/records.js';
import type { Choice, Proposal } from '../types.js';
import type { World } from '../world.js';
import { conditionHolding, type Held } from './conditions.js';

/** How long (ms, at least) the ladder holds after a trainee holds or stands down at an escalation. */
export const HOLD_AFTER_REFUSAL = 5 * 60_000;

/**
 * The decider's answer to a proposal, or undefined to let doctrine decide (no decider, or it
 * leaves it to doctrine). The proposal is only made when there is a decider to ask.
 */
export function consult(w: World, proposal: () => Proposal): { choice: Choice; reason?: string } | undefined {
  return w.decide?.(proposal());
}

/** Climb the pair's ladder at time t as far as its conditions allow. */
export function climb(w: World, u: number, p: PairState, t: number): void {
  const ladder = w.ladder;
  for (let guard = 0; guard < ladder.length; guard++) {
    const next = p.pos + 1 < ladder.length ? ladder[p.pos + 1] : undefined;
    if (!next || t < p.holdUntil) return;
    if (p.rung !== null && t - p.rungT < next.wait) return;
    const held = conditionHolding(w, u, p, next, t);
    if (!held) return;
    const reason = `${next.action}: ${held.text}`;
    const d = w.decide ? consultEscalation(w, u, p, t, next, reason, held) : undefined;
    if (d && d.choice === 'hold') {
      p.holdUntil = t + Math.max(next.wait, HOLD_AFTER_REFUSAL);
      return;
    }
    if (d && d.choice === 'stand_down') {
      const monitor = w.monitorPos;
      standDown(
        w,
        u,
        p,
        t,
        p.area >= BAND && monitor >= 0 && p.rung !== 'monitor' ? monitor : -1,
        reasons.traineeStoodDown(d.reason),
        'trainee stood the unit down',
        eventBase(w, u, p, t),
      );
      p.holdUntil = t + Math.max(next.wait, HOLD_AFTER_REFUSAL);
      return;
    }
    const chosen = d ? d.choice : next.rung;
    setRung(w, u, p, chosen as Rung, t, d ? reasons.traineeChose(chosen as Rung, d.reason, reason) : reason, d ? 'trainee' : 'doctrine', eventBase(w, u, p, t));
    if (w.units[u].struck) return;
  }
}

/** Ask the decider about an escalation to `next` whose condition holds (only when there is a decider: a proposal is work). */
function consultEscalation(w: World, u: number, p: PairState, t: number, next: RungSpec, reason: string, held: Held) {
  const f = held.facts;
  return consult(w, () => ({
    t,
    unit: u,
    zone: p.zone,
    kind: 'escalate',
    from: p.rung,
    to: next.rung,
    reason,
    why: { facts: held.text, condition: held.name, edge_m: f.edge(), ...(f.hasSite ? { site_m: f.ref() } : {}), since_ms: f.since, wait_ms: next.wait },
  }));
}

/** Put the pair at `rung` (at time t, by doctrine or the trainee) and report it; a strike strikes, other rungs set off armed reactions. */
export function setRung(
  w: World,
  u: number,
  p: PairState,
  rung: Rung,
  t: number,
  reason: string,
  by: 'doctrine' | 'trainee',
  base: Partial<SimEvent>,
  action?: string,
): void {
  const from = p.rung;
  const ladder = w.ladder;
  let pos = -1;
  for (let i = 0; i < ladder.length && pos < 0; i++) if (ladder[i].rung === rung) pos = i;
  if (pos < 0) pos = ladder.reduce((acc, r, i) => (rungLevel(r.rung) <= rungLevel(rung) ? i : acc), -1);
  p.pos = pos;
  p.prevRung = p.rung;
  p.rung = rung;
  p.rungT = t;
  p.refAtRung = refDistance(w, u, p);
  const spec = pos >= 0 && ladder[pos].rung === rung ? ladder[pos] : undefined;
  const act = action ?? spec?.action ?? RUNG_LABEL[rung];
  if (isPairBase(base)) {
    // The same fields in the same order as the spread below, built whole.
    const ev: SimEvent = {
      seq: 0,
      t,
      unit: base.unit,
      zone: base.zone,
      at: base.at,
      edge_m: base.edge_m,
      site_m: base.site_m,
      type: 'escalate',
      rung,
      from,
      reason,
      action: act,
      by,
    };
    if (rung === 'strike') ev.threat = w.threat[u];
    w.emitEvent(ev);
  } else {
    w.emit({
      ...base,
      t,
      type: 'escalate',
      rung,
      from,
      reason,
      action: act,
      by,
      ...(rung === 'strike' ? { threat: w.threat[u] } : {}),
    });
  }
  if (rung === 'strike') strike(w, u, t);
  else if (w.armed.length) w.react(u, rung, t);
}

/**
 * Stand the pair down to ladder position `toPos` (-1: no rung), for `reason`; `facts` is what
 * happened, for the decider. Never to a rung at or above the current one.
 */
export function standDown(w: World, u: number, p: PairState, t: number, toPos: number, reason: string, facts: string, base: Partial<SimEvent>): void {
  const from = p.rung;
  const to = toPos >= 0 ? w.ladder[toPos].rung : null;
  if (from !== null && to !== null && rungLevel(to) >= rungLevel(from)) return;
  const d = w.decide ? consultStandDown(w, u, p, t, from, to, reason, facts, base) : undefined;
  const choice = d?.choice;
  if (choice === 'hold') return;
  if (choice !== undefined && choice !== 'stand_down') {
    setRung(w, u, p, choice, t, reasons.traineeOverrodeStandDown(reason, choice, d?.reason), 'trainee', base);
    return;
  }
  p.pos = toPos;
  p.prevRung = p.rung;
  p.rung = to;
  p.rungT = t;
  p.refAtRung = refDistance(w, u, p);
  const why = d?.reason ? `${reason} (trainee: ${d.reason})` : reason;
  const by = d ? 'trainee' : 'doctrine';
  if (isPairBase(base)) {
    const ev: SimEvent = {
      seq: 0,
      t,
      unit: base.unit,
      zone: base.zone,
      at: base.at,
      edge_m: base.edge_m,
      site_m: base.site_m,
      type: 'stand_down',
      rung: to,
      from,
      reason: why,
      by,
    };
    w.emitEvent(ev);
  } else w.emit({ ...base, t, type: 'stand_down', rung: to, from, reason: why, by });
}

function consultStandDown(
  w: World,
  u: number,
  p: PairState,
  t: number,
  from: Rung | null,
  to: Rung | null,
  reason: string,
  facts: string,
  base: Partial<SimEvent>,
) {
  return consult(w, () => ({
    t,
    unit: u,
    zone: p.zone,
    kind: 'stand_down',
    from,
    to,
    reason,
    why: { facts, edge_m: base.edge_m, ...(base.site_m !== undefined ? { site_m: base.site_m } : {}) },
  }));
}

/** A pair's event base (eventBase, a transition's) has exactly its fields, in order: it is written out field by field. */
function isPairBase(base: Partial<SimEvent>): base is PairBase {
  return base instanceof PairBase;
}

/** The unit is struck: it counts no more, and halts if doctrine says so. */
function strike(w: World, u: number, t: number): void {
  const st = w.units[u];
  st.struck = true;
  if (w.scenario.doctrine.haltOnStrike) st.track = haltTrack(st.track, t);
}
