import { describe, expect, it } from 'vitest';
import type { Choice, Proposal } from '../../src/core/engine.js';
import { assess, CHOICES, doctrineChoice, gradeChoice, scoreOf } from '../../src/training/grade.js';
import { ruleFor, scenarioRules } from '../../src/training/rules.js';
import { drive, load } from './helpers.js';
import { Trainer } from '../../src/training/trainer.js';
import { edgeText, formatSpan, placeText } from '../../src/training/words.js';

const P = (kind: Proposal['kind'], from: Proposal['from'], to: Proposal['to']): Proposal => ({ t: 0, unit: 0, zone: 0, kind, from, to, reason: 'why' });

describe('gradeChoice', () => {
  const cases: [Proposal, Choice, string][] = [
    // Doctrine climbs from monitor to warn.
    [P('escalate', 'monitor', 'warn'), 'warn', 'correct'],
    [P('escalate', 'monitor', 'warn'), 'show_of_force', 'too_early'],
    [P('escalate', 'monitor', 'warn'), 'warning_shots', 'out_of_proportion'],
    [P('escalate', 'monitor', 'warn'), 'strike', 'out_of_proportion'],
    [P('escalate', 'monitor', 'warn'), 'hold', 'too_late'],
    [P('escalate', 'monitor', 'warn'), 'monitor', 'too_late'],
    [P('escalate', 'monitor', 'warn'), 'stand_down', 'too_late'],
    // First detection.
    [P('escalate', null, 'monitor'), 'monitor', 'correct'],
    [P('escalate', null, 'monitor'), 'warn', 'too_early'],
    [P('escalate', null, 'monitor'), 'hold', 'too_late'],
    // Warning shots to strike: the strike is doctrine's.
    [P('escalate', 'warning_shots', 'strike'), 'strike', 'correct'],
    [P('escalate', 'warning_shots', 'strike'), 'warning_shots', 'too_late'],
    [P('escalate', 'show_of_force', 'warning_shots'), 'strike', 'out_of_proportion'],
    // The unit left.
    [P('stand_down', 'warn', 'monitor'), 'stand_down', 'correct'],
    [P('stand_down', 'warn', 'monitor'), 'monitor', 'correct'],
    [P('stand_down', 'warn', 'monitor'), 'hold', 'too_late'],
    [P('stand_down', 'warn', 'monitor'), 'warn', 'too_late'],
    [P('stand_down', 'warn', 'monitor'), 'show_of_force', 'out_of_proportion'],
    [P('stand_down', 'monitor', null), 'stand_down', 'correct'],
    [P('stand_down', 'monitor', null), 'monitor', 'too_late'],
    // A hostile act.
    [P('self_defence', 'monitor', 'strike'), 'strike', 'correct'],
    [P('self_defence', 'monitor', 'strike'), 'warning_shots', 'missed_self_defence'],
    [P('self_defence', null, 'strike'), 'hold', 'missed_self_defence'],
  ];
  it.each(cases)('%o, chose %s: %s', (p, c, g) => {
    expect(gradeChoice(p, c)).toBe(g);
  });

  it('grades every choice at every kind of decision point', () => {
    for (const p of [P('escalate', 'warn', 'show_of_force'), P('stand_down', 'show_of_force', 'monitor'), P('self_defence', 'warn', 'strike')]) {
      const grades = CHOICES.map((c) => gradeChoice(p, c));
      expect(grades.filter((g) => g === 'correct').length).toBe(p.kind === 'stand_down' ? 2 : 1);
      expect(gradeChoice(p, doctrineChoice(p))).toBe('correct');
    }
  });

  it('scores correct answers over decisions', () => {
    expect(scoreOf(['correct', 'too_late', 'correct', 'out_of_proportion'])).toEqual({ correct: 2, total: 4, percent: 50 });
    expect(scoreOf([])).toEqual({ correct: 0, total: 0, percent: 100 });
  });
});

describe('feedback', () => {
  const sc = load('tanf-2017-05-18');

  it('names the rule, its thresholds and basis, and what doctrine would have done', () => {
    const t = new Trainer(sc);
    const feedback: string[][] = [];
    drive(t, (p) => {
      const choice: Choice = p.to === 'show_of_force' ? 'hold' : doctrineChoice(p);
      feedback.push(assess(sc, p, choice).feedback);
      return { choice };
    });
    const late = feedback.find((f) => f[0].startsWith('Too late'))!;
    expect(late[0]).toBe('Too late: you chose hold; doctrine would move to show of force.');
    expect(late[1]).toMatch(/^Doctrine: show-of-force flyover: closed 2\.\d km on At Tanf garrison/);
    expect(late[2]).toBe(
      'Rule 3 — show of force: show-of-force flyover when the unit closes 2.0 km on At Tanf garrison since the previous rung (movement toward it is hostile intent), or the unit is still inside 20 min after the previous rung, at least 5 min after the previous rung.',
    );
    expect(late[3]).toMatch(/^Basis: .*hostile intent.*\(docs\/ladder\.md#the-default-ladder\)\.$/);
    expect(feedback[0][0]).toBe('Correct: monitor is what doctrine does here.');
  });

  it('has a rule for every rung of the ladder, stand-down and self-defence, each with a basis', () => {
    const rules = scenarioRules(sc);
    expect(rules.map((r) => r.id)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike', 'stand_down', 'self_defence']);
    for (const r of rules) {
      expect(r.basis.length).toBeGreaterThan(40);
      expect(r.ref).toMatch(/^docs\/ladder\.md#/);
    }
    expect(ruleFor(sc, P('self_defence', 'warn', 'strike')).id).toBe('self_defence');
    expect(ruleFor(sc, P('stand_down', 'warn', 'monitor')).id).toBe('stand_down');
    expect(ruleFor(sc, P('escalate', 'warn', 'show_of_force')).when).toContain('closes 2.0 km');
    expect(ruleFor(sc, P('escalate', 'warning_shots', 'strike')).when).toContain('at least 5 as a threat');
  });

  it('speaks of the scenario’s own zone and site, with At Tanf only as a precedent', () => {
    const eu = load('euphrates-2018-02-07');
    const zone = eu.zones[0].name;
    const site = eu.sites[eu.zones[0].protects].name;
    for (const r of scenarioRules(eu)) {
      const principle = r.basis.split('. Precedent: ')[0];
      expect(principle).not.toContain('Tanf');
      expect(`${r.when} ${principle}`).toMatch(new RegExp(`${zone}|${site.replace(/[()]/g, '\\$&')}`));
    }
    expect(ruleFor(eu, P('escalate', 'warn', 'show_of_force')).when).toContain(`closes 2.0 km on ${site}`);
  });
});

describe('words', () => {
  it('durations read as minutes and hours, never as a bare m', () => {
    expect(formatSpan(20 * 60_000)).toBe('20 min');
    expect(formatSpan(5 * 60_000 + 30_000)).toBe('5 min 30 s');
    expect(formatSpan(90 * 60_000)).toBe('1 h 30 min');
    expect(formatSpan(45_000)).toBe('45 s');
    for (const sc of ['tanf-2017-05-18', 'euphrates-2018-02-07', 'tutorial'].map(load)) for (const r of scenarioRules(sc)) expect(r.when).not.toMatch(/\d+m\b/);
  });

  it('says in the approach band, in the zone or past a line by the signed distance', () => {
    const z = load('tanf-2017-05-18').zones[0];
    expect(placeText(z, 9_900)).toBe(`in the approach band of ${z.name}`);
    expect(placeText(z, -13)).toBe(`in ${z.name}`);
    expect(placeText(z, z.approach + 1)).toBe(`outside the approach band of ${z.name}`);
    expect(edgeText(z, -13)).toBe('13 m inside the edge');
  });
});
