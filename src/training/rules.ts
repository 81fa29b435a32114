/**
 * The rules a student is graded against: one per rung of the scenario's ladder, plus the
 * stand-down rule (a unit that leaves is stood down) and the self-defence rule (a hostile act
 * skips the ladder). Each rule says when it applies, in the scenario's own numbers, and its
 * basis: the source reports the default ladder is drawn from (docs/ladder.md).
 */
import type { Proposal } from '../core/engine.js';
import { RUNG_LABEL } from '../core/ladder.js';
import type { Condition, Doctrine, Rung, RungSpec, Scenario } from '../core/model.js';
import { formatDistance, formatDuration } from '../core/units.js';

export type RuleId = Rung | 'stand_down' | 'self_defence';

export interface Rule {
  id: RuleId;
  /** "Rule 3 — show of force". */
  title: string;
  /** What is done. */
  action: string;
  /** When it applies, in words, with this scenario's thresholds. */
  when: string;
  /** Why: the reported practice it is drawn from. */
  basis: string;
  /** Where it is documented. */
  ref: string;
}

/** Where the rules are documented (the default ladder and its basis). */
export const LADDER_DOC = 'docs/ladder.md';

const BASIS: Record<RuleId, string> = {
  monitor: 'pro-regime forces that massed and patrolled just outside the At Tanf zone in May–June 2017 were watched and reported, not engaged, while they stayed outside',
  warn: 'in 2017 the coalition warned before it struck: leaflets over the area (some 90,000, asking forces to keep out of the zone) and messages over the US–Russia deconfliction line, passed on by Russia',
  show_of_force: 'the leaflets said movement toward the At Tanf garrison would be seen as hostile intent; on 18 May 2017 the coalition made a show of force before any shots',
  warning_shots: 'on 18 May 2017 the convoy kept coming after the show of force, and a coalition aircraft fired warning shots before the strike',
  strike:
    'the 18 May and 6 June 2017 strikes hit forces that had entered the zone, were deemed a threat and carried heavy weapons (a tank; artillery and anti-aircraft weapons), after warnings; strike only a real threat once the lower rungs have failed',
  stand_down:
    'the zone exists to keep forces away from the garrison: forces that stayed outside it were watched, not engaged, and the warnings asked them to leave; a unit that leaves has done what was asked',
  self_defence:
    'in February 2018 pro-regime forces with tanks and artillery fired on an SDF headquarters with US advisers east of the Euphrates, and the advisers called in artillery and air support at once: a hostile act is answered in self-defence without the warning rungs',
};

/** Where a rule is documented: the default ladder's table, which also covers stand-down and the hostile act. */
function anchor(_id: RuleId): string {
  return `${LADDER_DOC}#the-default-ladder`;
}

/** A ladder condition in words, with the doctrine's numbers. */
export function describeCondition(c: Condition, d: Doctrine, hasSite: boolean): string {
  const site = hasSite ? 'the protected site' : 'the zone';
  switch (c.name) {
    case 'approach':
      return 'the unit is in the approach band outside the zone (or inside it)';
    case 'enter':
      return 'the unit enters the zone (or crosses to the forbidden side of a line)';
    case 'inside':
      return c.for !== undefined ? `the unit is still inside ${formatDuration(c.for)} after the previous rung` : 'the unit is inside the zone';
    case 'closing':
      return `the unit closes ${formatDistance(d.intentDistance)} on ${site} since the previous rung (movement toward it is hostile intent)`;
    case 'not_withdrawing':
      return `the unit stays inside and does not open ${formatDistance(d.withdrawDistance)} away from ${site}`;
    case 'threat':
      return `the unit stays inside, does not withdraw, and its weapons score at least ${d.threatThreshold} as a threat`;
  }
}

function rungRule(sc: Scenario, spec: RungSpec, i: number): Rule {
  const hasSite = sc.zones.some((z) => z.protects >= 0);
  const conds = spec.when.map((c) => describeCondition(c, sc.doctrine, hasSite));
  const wait = spec.wait > 0 ? `, at least ${formatDuration(spec.wait)} after the previous rung` : '';
  return {
    id: spec.rung,
    title: `Rule ${i + 1} — ${RUNG_LABEL[spec.rung]}`,
    action: spec.action,
    when: `${conds.join(', or ')}${wait}`,
    basis: sc.defaultLadder ? BASIS[spec.rung] : `this scenario's own ladder; the default rung's basis: ${BASIS[spec.rung]}`,
    ref: anchor(spec.rung),
  };
}

/** Every rule of a scenario: its ladder's rungs in order, then stand-down and self-defence. */
export function scenarioRules(sc: Scenario): Rule[] {
  return [
    ...sc.ladder.map((r, i) => rungRule(sc, r, i)),
    {
      id: 'stand_down',
      title: 'Rule — stand down',
      action: 'stand down (to monitoring while in the approach band)',
      when: `the unit leaves the zone (more than the zone's hysteresis beyond the edge) or the approach band`,
      basis: BASIS.stand_down,
      ref: anchor('stand_down'),
    },
    {
      id: 'self_defence',
      title: 'Rule — self-defence',
      action: 'self-defence strike',
      when: 'the unit commits a hostile act (fires on a protected site): strike at once, whatever rung it is at',
      basis: BASIS.self_defence,
      ref: anchor('self_defence'),
    },
  ];
}

/** The rule behind a proposal of doctrine. */
export function ruleFor(sc: Scenario, p: Proposal): Rule {
  const rules = scenarioRules(sc);
  const id: RuleId = p.kind === 'self_defence' ? 'self_defence' : p.kind === 'stand_down' ? 'stand_down' : (p.to as Rung);
  return rules.find((r) => r.id === id) ?? rules[rules.length - 1];
}
