/**
 * The rules a student is graded against: one per rung of the scenario's ladder, plus the
 * stand-down rule (a unit that leaves is stood down) and the self-defence rule (a hostile act
 * skips the ladder). Each rule says when it applies, in the scenario's own numbers, and its
 * basis: the source reports the default ladder is drawn from (docs/ladder.md).
 */
import type { Proposal } from '../core/engine.js';
import { RUNG_LABEL } from '../core/ladder.js';
import type { Condition, Doctrine, Rung, RungSpec, Scenario } from '../core/model.js';
import { formatDistance } from '../core/units.js';
import { formatSpan } from './words.js';

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

/** The names a rule speaks of: the scenario's own zone and protected site when it has one of each. */
export interface Names {
  zone: string;
  site: string;
  /** Whether the scenario has a protected site at all. */
  hasSite: boolean;
}

export function namesOf(sc: Scenario): Names {
  const zones = sc.zones;
  const sites = [...new Set(zones.filter((z) => z.protects >= 0).map((z) => z.protects))];
  return {
    zone: zones.length === 1 ? zones[0].name : 'the zone',
    site: sites.length === 1 ? sc.sites[sites[0]].name : 'the protected site',
    hasSite: sites.length > 0,
  };
}

/**
 * Why each rule: the principle, in the scenario's own names, then the reported practice it is
 * drawn from (the source reports behind docs/ladder.md), named as a precedent.
 */
function basisOf(id: RuleId, n: Names): string {
  const site = n.hasSite ? n.site : n.zone;
  switch (id) {
    case 'monitor':
      return `forces that come near ${n.zone} but stay outside it are watched and reported, not engaged. Precedent: pro-regime forces that massed and patrolled just outside the At Tanf zone in May–June 2017 were watched, not engaged, while they stayed outside`;
    case 'warn':
      return `a force that enters ${n.zone} is warned before anything else is done. Precedent: in 2017 the coalition warned before it struck at At Tanf — leaflets over the area (some 90,000, asking forces to keep out of the zone) and messages over the US–Russia deconfliction line, passed on by Russia`;
    case 'show_of_force':
      return `movement toward ${site} is hostile intent, and force is shown before any shot. Precedent: the 2017 leaflets said movement toward the At Tanf garrison would be seen as hostile intent; on 18 May 2017 the coalition made a show of force before any shots`;
    case 'warning_shots':
      return `a force that keeps coming after a show of force gets warning shots before a strike. Precedent: on 18 May 2017 the convoy kept coming after the show of force, and a coalition aircraft fired warning shots before the strike`;
    case 'strike':
      return `strike only a real threat inside ${n.zone}, once the lower rungs have failed. Precedent: the 18 May and 6 June 2017 strikes near At Tanf hit forces that had entered the zone, were deemed a threat and carried heavy weapons (a tank; artillery and anti-aircraft weapons), after warnings`;
    case 'stand_down':
      return `${n.zone} exists to keep forces away from ${site}: a force that leaves has done what the warnings asked. Precedent: at At Tanf in 2017 forces that stayed outside the zone were watched, not engaged`;
    case 'self_defence':
      return `a hostile act against ${site} is answered in self-defence at once, without the warning rungs. Precedent: in February 2018 pro-regime forces with tanks and artillery fired on an SDF headquarters with US advisers east of the Euphrates, and the advisers called in artillery and air support at once`;
  }
}

/** Where a rule is documented: the default ladder's table, which also covers stand-down and the hostile act. */
function anchor(_id: RuleId): string {
  return `${LADDER_DOC}#the-default-ladder`;
}

/** A ladder condition in words, with the doctrine's numbers and the scenario's names. */
export function describeCondition(c: Condition, d: Doctrine, names: Names | boolean): string {
  const n: Names = typeof names === 'boolean' ? { zone: 'the zone', site: 'the protected site', hasSite: names } : names;
  const site = n.hasSite ? n.site : n.zone;
  switch (c.name) {
    case 'approach':
      return `the unit is in the approach band outside ${n.zone} (or inside it)`;
    case 'enter':
      return `the unit enters ${n.zone} (or crosses to the forbidden side of a line)`;
    case 'inside':
      return c.for !== undefined ? `the unit is still inside ${formatSpan(c.for)} after the previous rung` : `the unit is inside ${n.zone}`;
    case 'closing':
      return `the unit closes ${formatDistance(d.intentDistance)} on ${site} since the previous rung (movement toward it is hostile intent)`;
    case 'not_withdrawing':
      return `the unit stays inside and does not open ${formatDistance(d.withdrawDistance)} away from ${site}`;
    case 'threat':
      return `the unit stays inside, does not withdraw, and its weapons score at least ${d.threatThreshold} as a threat`;
  }
}

function rungRule(sc: Scenario, spec: RungSpec, i: number): Rule {
  const names = namesOf(sc);
  const conds = spec.when.map((c) => describeCondition(c, sc.doctrine, names));
  const wait = spec.wait > 0 ? `, at least ${formatSpan(spec.wait)} after the previous rung` : '';
  return {
    id: spec.rung,
    title: `Rule ${i + 1} — ${RUNG_LABEL[spec.rung]}`,
    action: spec.action,
    when: `${conds.join(', or ')}${wait}`,
    basis: sc.defaultLadder ? basisOf(spec.rung, names) : `this scenario's own ladder; the default rung's basis: ${basisOf(spec.rung, names)}`,
    ref: anchor(spec.rung),
  };
}

/** Every rule of a scenario: its ladder's rungs in order, then stand-down and self-defence. */
export function scenarioRules(sc: Scenario): Rule[] {
  const names = namesOf(sc);
  return [
    ...sc.ladder.map((r, i) => rungRule(sc, r, i)),
    {
      id: 'stand_down',
      title: 'Rule — stand down',
      action: 'stand down (to monitoring while in the approach band)',
      when: `the unit leaves ${names.zone} (more than its hysteresis beyond the edge) or the approach band`,
      basis: basisOf('stand_down', names),
      ref: anchor('stand_down'),
    },
    {
      id: 'self_defence',
      title: 'Rule — self-defence',
      action: 'self-defence strike',
      when: `the unit commits a hostile act (fires on ${names.hasSite ? names.site : 'a protected site'}): strike at once, whatever rung it is at`,
      basis: basisOf('self_defence', names),
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
