/**
 * Grading a student's choice at a decision point against doctrine's.
 *
 * - correct: the choice is doctrine's;
 * - too_early: one rung above doctrine's (a rung skipped, or force used before its time);
 * - out_of_proportion: two or more rungs above doctrine's, a strike doctrine would not make, or
 *   escalating against a unit that is leaving;
 * - too_late: below doctrine's rung when doctrine climbs (holding, standing down or staying put),
 *   or holding on after the unit left;
 * - missed_self_defence: anything but a strike after a hostile act.
 */
import type { Choice, Proposal } from '../core/engine.js';
import { RUNG_LABEL, rungLevel } from '../core/ladder.js';
import type { Rung, Scenario } from '../core/model.js';
import { ruleFor, type Rule } from './rules.js';

export const GRADES = ['correct', 'too_early', 'too_late', 'out_of_proportion', 'missed_self_defence'] as const;
export type Grade = (typeof GRADES)[number];

export const GRADE_LABEL: Record<Grade, string> = {
  correct: 'correct',
  too_early: 'too early (a rung skipped)',
  too_late: 'too late',
  out_of_proportion: 'out of proportion',
  missed_self_defence: 'missed self-defence',
};

/** The choices a student is offered, in order (keys 1–7 in the terminal UI). */
export const CHOICES: readonly Choice[] = ['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike', 'stand_down', 'hold'];

export function choiceLabel(c: Choice | null): string {
  if (c === null) return 'none';
  if (c === 'stand_down') return 'stand down';
  if (c === 'hold') return 'hold';
  return RUNG_LABEL[c];
}

export function isChoice(v: unknown): v is Choice {
  return typeof v === 'string' && (CHOICES as readonly string[]).includes(v);
}

/** What doctrine would do at this decision point. */
export function doctrineChoice(p: Proposal): Choice {
  if (p.kind === 'self_defence') return 'strike';
  if (p.kind === 'stand_down') return 'stand_down';
  return p.to as Rung;
}

/** Whether a choice does what doctrine would (a stand-down named by its target rung counts). */
export function agreesWithDoctrine(p: Proposal, choice: Choice): boolean {
  if (p.kind === 'stand_down') return choice === 'stand_down' || (p.to !== null && choice === p.to);
  return choice === doctrineChoice(p);
}

export function gradeChoice(p: Proposal, choice: Choice): Grade {
  if (agreesWithDoctrine(p, choice)) return 'correct';
  if (p.kind === 'self_defence') return 'missed_self_defence';
  const level = choice === 'hold' ? rungLevel(p.from) : choice === 'stand_down' ? -1 : rungLevel(choice);
  if (p.kind === 'stand_down') return level > rungLevel(p.from) ? 'out_of_proportion' : 'too_late';
  const target = rungLevel(p.to);
  if (level <= target) return 'too_late';
  return choice === 'strike' || level - target >= 2 ? 'out_of_proportion' : 'too_early';
}

export interface Assessment {
  grade: Grade;
  doctrine: Choice;
  rule: Rule;
  /** Feedback lines: the verdict, what doctrine would have done and why, the rule and its basis. */
  feedback: string[];
}

/** Grade a choice and explain it: the rule, its basis and what doctrine would have done. */
export function assess(sc: Scenario, p: Proposal, choice: Choice): Assessment {
  const grade = gradeChoice(p, choice);
  const doctrine = doctrineChoice(p);
  const rule = ruleFor(sc, p);
  const verdict =
    grade === 'correct'
      ? `Correct: ${choiceLabel(choice)} is what doctrine does here.`
      : `${GRADE_LABEL[grade][0].toUpperCase()}${GRADE_LABEL[grade].slice(1)}: you chose ${choiceLabel(choice)}; doctrine would ${doctrineVerb(p)}.`;
  return {
    grade,
    doctrine,
    rule,
    feedback: [verdict, `Doctrine: ${p.reason}.`, `${rule.title}: ${rule.action} when ${rule.when}.`, `Basis: ${rule.basis} (${rule.ref}).`],
  };
}

function doctrineVerb(p: Proposal): string {
  if (p.kind === 'self_defence') return 'strike at once in self-defence';
  if (p.kind === 'stand_down') return p.to ? `stand down to ${choiceLabel(p.to)}` : 'stand down (monitoring ends)';
  return `move to ${choiceLabel(p.to)}`;
}

/** Score of a set of grades: correct answers over decisions, as a whole percentage (100 with no decisions). */
export function scoreOf(grades: readonly Grade[]): { correct: number; total: number; percent: number } {
  const correct = grades.filter((g) => g === 'correct').length;
  const total = grades.length;
  return { correct, total, percent: total ? Math.round((100 * correct) / total) : 100 };
}
