/**
 * The class report: several students' sessions of one scenario side by side, for the debrief.
 *
 * Each session is replayed into its own report (buildReport); here they are brought together:
 * each student's score, every decision point with the spread of answers and the justifications
 * given, and the points where the class and doctrine differed most (the discussion points). The
 * scenario author's expectations belong to the trainer: they are judged on doctrine's run, in a
 * section of their own, never as a student's pass or fail.
 *
 * Each student counts once, by their first answers: a session's branches (decisions answered
 * again after going back) are named beside the student but not counted in the score, the
 * spread or the discussion points, which would otherwise count the student twice and give them
 * hindsight the rest of the class did not have.
 *
 * A decision point is the same question put to several students: the same unit, zone, kind of
 * proposal and rung in force at the same moment. Once two students answer differently their runs
 * part, and the questions after that are points of their own.
 */
import type { Rung } from '../core/model.js';
import type { DecisionReport, ReportData } from './model.js';

export const CLASS_REPORT_VERSION = 1;

export interface ClassStudent {
  student: string;
  file: string;
  status: 'complete' | 'quit' | 'incomplete';
  stopped: string;
  score: { correct: number; total: number; percent: number };
  /** Each unit's outcome in this student's run. */
  outcomes: { unit: string; outcome: string }[];
  /** Branches in the session (decisions the student went back to and answered again): not counted, as the class is judged on first answers. */
  branches?: number;
}

export interface ClassAnswer {
  student: string;
  choice: string;
  grade: string;
  justification?: string;
}

export interface ClassPoint {
  /** Numbered in time order from 1. */
  n: number;
  t: string;
  unit: string;
  zone: string;
  kind: string;
  from: Rung | null;
  situation: string;
  doctrine: string;
  /** How many of the class were asked this question (their runs came here). */
  asked: number;
  /** Each choice given, most given first (ties in the ladder's order of the first answer given). */
  spread: { choice: string; count: number }[];
  /** The share of those asked who answered as doctrine would, 0–1. */
  agree: number;
  answers: ClassAnswer[];
}

export interface ClassReportData {
  version: number;
  kind: 'class';
  title: string;
  scenario: string;
  msel?: { file: string; title?: string };
  start: string;
  end: string;
  students: ClassStudent[];
  points: ClassPoint[];
  /** Point numbers, the ones where the class and doctrine differed most first. */
  discussion: number[];
  /** For the trainer: doctrine's own run, and the author's expectations judged on it. */
  trainer: {
    doctrineOutcomes: { unit: string; outcome: string }[];
    expectations: { text: string; passed: boolean; detail: string }[];
  };
}

/** At most this many discussion points are drawn out. */
export const MAX_DISCUSSION = 5;

const keyOf = (d: DecisionReport) => `${d.t}\u0000${d.unit}\u0000${d.zone}\u0000${d.kind}\u0000${d.from ?? ''}`;

/**
 * Bring the reports of several sessions of one scenario (`sessions`, each built from a replay) and
 * doctrine's report of the same scenario together.
 *
 * @example
 * const doctrine = buildReport({ scenario });
 * const each = files.map((f) => buildReport({ scenario, replay: prepareReplay({ scenarioPath, sessionPath: f }) }));
 * const data = buildClassReport(each, doctrine);
 */
export function buildClassReport(sessions: readonly ReportData[], doctrine: ReportData): ClassReportData {
  const students: ClassStudent[] = sessions.map((r) => {
    const s = r.session!;
    return {
      student: s.student,
      file: s.file,
      status: s.status,
      stopped: r.stopped,
      score: s.score,
      outcomes: r.units.map((u) => ({ unit: u.id, outcome: u.outcome })),
    };
  });
  const points = new Map<string, Omit<ClassPoint, 'n' | 'spread' | 'agree'>>();
  for (const r of sessions) {
    const s = r.session!;
    for (const d of s.decisions) {
      const k = keyOf(d);
      let p = points.get(k);
      if (!p) {
        p = { t: d.t, unit: d.unit, zone: d.zone, kind: d.kind, from: d.from, situation: d.situation, doctrine: d.doctrine, asked: 0, answers: [] };
        points.set(k, p);
      }
      p.asked++;
      p.answers.push({ student: s.student, choice: d.choice, grade: d.gradeLabel, ...(d.justification ? { justification: d.justification } : {}) });
    }
  }
  const ordered = [...points.values()].sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  const out: ClassPoint[] = ordered.map((p, i) => {
    const counts = new Map<string, number>();
    for (const a of p.answers) counts.set(a.choice, (counts.get(a.choice) ?? 0) + 1);
    const spread = [...counts].map(([choice, count]) => ({ choice, count })).sort((a, b) => b.count - a.count);
    return { n: i + 1, ...p, spread, agree: (counts.get(p.doctrine) ?? 0) / p.asked };
  });
  // Where the most students parted from doctrine first; then where the largest share did.
  const parted = (p: ClassPoint) => p.asked - Math.round(p.agree * p.asked);
  const discussion = out
    .filter((p) => p.agree < 1)
    .sort((a, b) => parted(b) - parted(a) || a.agree - b.agree || a.n - b.n)
    .slice(0, MAX_DISCUSSION)
    .map((p) => p.n);
  const first = sessions[0] ?? doctrine;
  return {
    version: CLASS_REPORT_VERSION,
    kind: 'class',
    title: first.title,
    scenario: first.scenario,
    ...(first.msel ? { msel: first.msel } : {}),
    start: first.start,
    end: first.end,
    students,
    points: out,
    discussion,
    trainer: { doctrineOutcomes: doctrine.units.map((u) => ({ unit: u.id, outcome: u.outcome })), expectations: doctrine.expectations },
  };
}

/** "3 of 5 (60 %)". */
export function shareText(count: number, of: number): string {
  return `${count} of ${of} (${Math.round((100 * count) / Math.max(1, of))} %)`;
}
