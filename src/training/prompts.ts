/**
 * The words of a training session that the terminal UI and the plain line mode share: the
 * prompt for a decision, the answer typed to it, the times shown and the end summary.
 */
import { unitOutcomes, type RungSource } from '../core/analysis/outcome.js';
import type { Choice } from '../core/engine.js';
import { describeComposition } from '../core/ladder.js';
import type { Scenario } from '../core/model.js';
import { formatTime } from '../core/units.js';
import type { TrainContext } from './context.js';
import { CHOICES, choiceLabel, GRADE_LABEL } from './grade.js';
import type { Decision, Situation } from './trainer.js';
import { whereText } from './words.js';

/** A simulated time for people, to the second: `2017-05-18 07:43:03Z`. */
export function displayTime(t: number): string {
  return formatTime(Math.floor(t / 1000) * 1000).replace('T', ' ');
}

/** The end-of-session summary: score, every decision and its grade. */
export function summaryText(ctx: Pick<TrainContext, 'trainer' | 'scenario'>): string {
  const t = ctx.trainer;
  const s = t.score;
  const out = ['', s.total ? `Score: ${s.correct} of ${s.total} decisions as doctrine would (${s.percent} %)` : 'No decision was taken.'];
  for (const d of t.decisions) {
    const p = d.proposal;
    out.push(
      `  ${String(d.n).padStart(2)}. ${displayTime(p.t).slice(11)} ${ctx.scenario.units[p.unit].id}: chose ${choiceLabel(d.choice)}, doctrine ${choiceLabel(d.doctrine)} — ${GRADE_LABEL[d.grade]}`,
    );
  }
  out.push(...outcomeLines(ctx.scenario, t.engine, 'when the run stopped'));
  return `${out.join('\n')}\n`;
}

/** The prompt for a decision, as lines of text (line mode). */
export function promptLines(sc: Scenario, n: number, s: Situation): string[] {
  const unit = sc.units[s.unit];
  return [
    `Decision ${n} at ${displayTime(s.t)} — ${unit.name} (${unit.id}), now at ${s.rung ? choiceLabel(s.rung) : 'no rung'}`,
    `Where: ${whereText(sc, s.zone, s.edge_m, s.site_m)}`,
    `What happened: ${s.what}`,
    `Unit: ${describeComposition(unit.composition)}`,
  ];
}

/** On a branch, the answer given before to the decision asked again: "Before: you chose strike (out of proportion): it has a tank". */
export function beforeText(d: Pick<Decision, 'choice' | 'grade' | 'justification'>): string {
  return `Before: you chose ${choiceLabel(d.choice)} (${GRADE_LABEL[d.grade]})${d.justification ? `: ${d.justification}` : ''}`;
}

export const CHOICE_KEYS = CHOICES.map((c, i) => `${i + 1} ${choiceLabel(c)}`).join(', ');

/** A typed answer: "3", "show of force", "show_of_force closing fast", "5: it has a tank". */
export function parseAnswer(line: string): { choice: Choice; justification?: string } | undefined {
  const text = line.trim();
  const m = /^([1-7])\b[\s:,.-]*(.*)$/.exec(text);
  if (m) return { choice: CHOICES[Number(m[1]) - 1], ...(m[2].trim() ? { justification: m[2].trim() } : {}) };
  const lower = text.toLowerCase();
  const names = CHOICES.map((c) => ({ c, names: [c, choiceLabel(c), c.replace(/_/g, '-')] }))
    .flatMap((x) => x.names.map((n) => ({ c: x.c, n })))
    .sort((a, b) => b.n.length - a.n.length);
  for (const { c, n } of names) {
    if (lower === n || lower.startsWith(`${n} `) || lower.startsWith(`${n}:`) || lower.startsWith(`${n},`)) {
      const rest = text
        .slice(n.length)
        .replace(/^[\s:,.-]+/, '')
        .trim();
      return { choice: c, ...(rest ? { justification: rest } : {}) };
    }
  }
  return undefined;
}

/** A line for each unit struck or on a rung when the session ended (`  hostile-1: at warn <when>`). */
export function outcomeLines(sc: Scenario, engine: RungSource, when: string): string[] {
  const out: string[] = [];
  for (const o of unitOutcomes(sc, engine)) {
    if (o.struck) out.push(`  ${o.id}: struck`);
    else if (o.now) out.push(`  ${o.id}: at ${choiceLabel(o.now)} ${when}`);
  }
  return out;
}
