/**
 * A branch beside the line it left: at the decision the student answered again, what was chosen
 * each time and why, what came of each (every rung change after it, each unit's outcome: struck
 * or not, and when) and the scores. Both sides are whole reports of their line (buildReport on
 * each line's replay); this only sets them side by side.
 */
import type { BranchComparison, BranchSide, ReportData, TimelineEntry } from './model.js';

/** Most units listed per branch (the one decided on first, then those whose outcome differs). */
export const MAX_BRANCH_UNITS = 12;
/** Most timeline entries listed after the decision, per side. */
export const MAX_BRANCH_AFTER = 16;

/** A branch of a session: its number, the line it left and the decision it answered again. */
export interface BranchOf {
  branch: number;
  parent: number;
  at: number;
}

/** Compare branch `b` (its report `again`) with the line it left (its report `first`). Both must be session reports. */
export function compareBranch(first: ReportData, again: ReportData, b: BranchOf): BranchComparison {
  // The branch's own answer; none when the student went back and stopped before answering.
  const d2 = again.session!.decisions[b.at - 1] ?? first.session!.decisions[b.at - 1];
  // The unit decided on, then every unit whose outcome differs.
  const outcome1 = new Map(first.units.map((u) => [u.id, u]));
  const differ = again.units.filter((u) => u.id !== d2.unit && outcome1.get(u.id)?.outcome !== u.outcome).map((u) => u.id);
  const ids = [d2.unit, ...differ.slice(0, MAX_BRANCH_UNITS - 1)];
  return {
    branch: b.branch,
    parent: b.parent,
    at: b.at,
    t: d2.t,
    unit: d2.unit,
    zone: d2.zone,
    situation: d2.situation,
    doctrine: d2.doctrine,
    first: side(first, b.parent, b.at, ids),
    again: side(again, b.branch, b.at, ids),
    unitsMore: Math.max(0, differ.length - (MAX_BRANCH_UNITS - 1)),
  };
}

function side(r: ReportData, line: number, at: number, ids: readonly string[]): BranchSide {
  const s = r.session!;
  const d = s.decisions[at - 1] as (typeof s.decisions)[number] | undefined;
  const units = new Map(r.units.map((u) => [u.id, u]));
  // From the decision on: what the answer set going (the entries of its moment and after).
  const after = d ? r.timeline.filter((e): e is TimelineEntry => e.t >= d.t && e.type !== 'inject') : [];
  return {
    line,
    choice: d?.choice ?? null,
    grade: d?.grade ?? null,
    gradeLabel: d?.gradeLabel ?? 'not answered',
    ...(d?.justification ? { justification: d.justification } : {}),
    status: s.status,
    stopped: r.stopped,
    score: s.score,
    outcomes: ids.flatMap((id) => {
      const u = units.get(id);
      return u ? [{ unit: id, outcome: u.outcome, struck: u.struck, highestRung: u.highestRung }] : [];
    }),
    after: after.slice(0, MAX_BRANCH_AFTER),
    afterMore: Math.max(0, after.length - MAX_BRANCH_AFTER),
  };
}

/** What a line is called in the report: "First answers" or "Branch 2". */
export function lineName(line: number): string {
  return line ? `Branch ${line}` : 'First answers';
}
