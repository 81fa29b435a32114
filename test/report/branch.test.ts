/**
 * The report of a session with branches: at the decision answered again, what was chosen each
 * time and why, what came of each (the ladder after it, each unit's outcome) and the scores, in
 * md, html (escaped) and json; a class report counts such a student once, by the first answers.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportCommand } from '../../src/cli/commands/report.js';
import { trainCommand } from '../../src/cli/commands/train.js';
import { compareBranch, MAX_BRANCH_AFTER } from '../../src/report/branch.js';
import type { BranchComparison, ReportData } from '../../src/report/model.js';

const TANF = 'scenarios/tanf-2017-05-18.yaml';
const dir = mkdtempSync(join(tmpdir(), 'report-branch-'));
const EVIL = 'see \u001b]0;owned\u0007 <script>x</script> | [a](javascript:1)';

async function train(o: Parameters<typeof trainCommand>[2], input: string[]): Promise<number> {
  return trainCommand(TANF, TANF, o, { write: () => {}, error: () => {}, tty: false, lines: Readable.from(input) as AsyncIterable<string> });
}

function report(sessions: string[], format = 'md'): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = reportCommand(
    TANF,
    TANF,
    { session: sessions.length === 1 ? sessions[0] : sessions, format },
    { write: (s) => (out += s), error: (s) => (err += s) },
  );
  return { code, out, err };
}

// alice: strikes at the show of force, then goes back to decision 3 and answers it by the book.
const alice = join(dir, 'alice.ndjson');
const bob = join(dir, 'bob.ndjson');
const ready = (async () => {
  await train({ session: alice }, ['1', '2', `5 ${EVIL}`]);
  await train({ session: alice, branch: 3 }, ['3 flyover first', '4', '5']);
  await train({ session: bob }, ['1', '2', '3', '4', '5']);
})();

describe('report --session with a branch', () => {
  it('json: the branch beside the first answers — the choices, why, what came after, outcomes, scores', async () => {
    await ready;
    const r = report([alice], 'json');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as ReportData;
    // The report itself is of the first answers.
    expect(data.session!.score).toEqual({ correct: 2, total: 3, percent: 67 });
    expect(data.branches).toHaveLength(1);
    const b = data.branches![0];
    expect(b).toMatchObject({
      branch: 1,
      parent: 0,
      at: 3,
      t: '2017-05-18T07:35:50Z',
      unit: 'convoy',
      zone: 'tanf-dz',
      doctrine: 'show of force',
      unitsMore: 0,
    });
    expect(b.situation).toContain('closed 2.1 km on At Tanf garrison');
    expect(b.first).toMatchObject({ line: 0, choice: 'strike', grade: 'out_of_proportion', justification: EVIL.replace(/\s+/g, ' '), status: 'complete' });
    expect(b.again).toMatchObject({ line: 1, choice: 'show of force', grade: 'correct', justification: 'flyover first', status: 'complete' });
    expect(b.first.score).toEqual({ correct: 2, total: 3, percent: 67 });
    expect(b.again.score).toEqual({ correct: 5, total: 5, percent: 100 });
    // What came of each: struck at once, or struck twenty minutes later after the ladder's steps.
    expect(b.first.outcomes).toEqual([
      { unit: 'convoy', outcome: 'struck at 2017-05-18 07:35:50Z (the trainee’s decision)', struck: true, highestRung: 'strike' },
    ]);
    expect(b.again.outcomes).toEqual([
      { unit: 'convoy', outcome: 'struck at 2017-05-18 07:55:50Z (the trainee’s decision)', struck: true, highestRung: 'strike' },
    ]);
    expect(b.first.after.map((e) => `${e.t} ${e.from}>${e.rung}`)).toEqual(['2017-05-18T07:35:50Z warn>strike']);
    expect(b.again.after.map((e) => `${e.t} ${e.from}>${e.rung}`)).toEqual([
      '2017-05-18T07:35:50Z warn>show_of_force',
      '2017-05-18T07:45:50Z show_of_force>warning_shots',
      '2017-05-18T07:55:50Z warning_shots>strike',
    ]);
  });

  it('md: a section comparing the two, with the choice, grade, justification, outcome, what came after and score', async () => {
    await ready;
    const r = report([alice]);
    expect(r.code).toBe(0);
    const md = r.out;
    expect(md.split('## Branches: decisions answered again')).toHaveLength(2);
    expect(md.indexOf('## Branches')).toBeGreaterThan(md.indexOf('## Decisions against doctrine'));
    expect(md).toContain('### Branch 1: decision 3 again (2017-05-18 07:35:50Z, convoy in tanf-dz)');
    expect(md).toContain('|  | First answers | Branch 1 |');
    expect(md).toContain('| Choice at decision 3 | strike | show of force |');
    expect(md).toContain('| Grade | out of proportion | correct |');
    expect(md).toContain(
      '| Outcome: convoy | struck at 2017-05-18 07:35:50Z (the trainee’s decision) | struck at 2017-05-18 07:55:50Z (the trainee’s decision) |',
    );
    expect(md).toContain(
      '| After decision 3 | 07:35:50 convoy warn → strike (trainee) | 07:35:50 convoy warn → show of force (trainee); 07:45:50 convoy show of force → warning shots (trainee); 07:55:50 convoy warning shots → strike (trainee) |',
    );
    expect(md).toContain('| Score | 2 of 3 decisions as doctrine would (67 %). | 5 of 5 decisions as doctrine would (100 %). |');
    // The student's words are shown as text: no escape sequence, no tag, no link, no broken table.
    const row = md.split('\n').find((l) => l.startsWith('| Justification |'))!;
    expect(row).not.toContain('\u001b');
    expect(row).not.toContain('<script>');
    expect(row).not.toMatch(/[^\\]\]\(javascript/);
    expect(row).toContain('\\[a\\](javascript:1)');
    expect(row.split(/(?<!\\)\|/).length).toBe(5);
    expect(row).toContain('| flyover first |');
  });

  it('html: the same comparison, escaped', async () => {
    await ready;
    const r = report([alice], 'html');
    expect(r.code).toBe(0);
    expect(r.out.split('<h2>Branches: decisions answered again</h2>')).toHaveLength(2);
    // After the decisions, before the trainer's section.
    expect(r.out.indexOf('<h2>Branches')).toBeGreaterThan(r.out.indexOf('<h2>Decisions against doctrine</h2>'));
    expect(r.out).toContain('<h3>Branch 1: decision 3 again (2017-05-18 07:35:50Z, convoy in tanf-dz)</h3>');
    expect(r.out).toContain('<th>First answers</th><th>Branch 1</th>');
    expect(r.out).toContain('<td><strong>Choice at decision 3</strong></td><td>strike</td><td>show of force</td>');
    expect(r.out).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(r.out).not.toContain('<script>');
    expect(r.out).not.toContain('\u001b');
  });

  it('a session without branches reports as before: no branches section or field', async () => {
    await ready;
    expect(report([bob]).out).not.toContain('Branch');
    expect(JSON.parse(report([bob], 'json').out)).not.toHaveProperty('branches');
  });

  it('the class report counts a student with a branch once, by the first answers, and names the branch', async () => {
    await ready;
    const r = report([alice, bob], 'json');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as {
      students: { student: string; score: object; branches?: number }[];
      points: { n: number; asked: number; spread: object[] }[];
    };
    expect(data.students).toEqual([
      expect.objectContaining({ student: 'alice', score: { correct: 2, total: 3, percent: 67 }, branches: 1 }),
      expect.not.objectContaining({ branches: expect.anything() as unknown }),
    ]);
    // Decision 3 was put to two students (not three), and the branch's later answers are nobody's point.
    const p3 = data.points.find((p) => p.n === 3)!;
    expect(p3.asked).toBe(2);
    expect(p3.spread).toEqual([
      { choice: 'strike', count: 1 },
      { choice: 'show of force', count: 1 },
    ]);
    expect(data.points.filter((p) => p.asked > 2)).toEqual([]);
    const md = report([alice, bob]).out;
    expect(md).toContain('alice.ndjson (and 1 branch, not counted: first answers only)');
  });
});

describe('a branch quit before its first answer', () => {
  it('reports: the branch says not answered, the first answers are compared as they were', async () => {
    const f = join(dir, 'erin.ndjson');
    await train({ session: f }, ['1', '2', '3', '4', '5']);
    // Back to decision 5, then the input ends: the branch has no answer of its own.
    await train({ session: f, branch: 5 }, []);
    expect(
      readFileSync(f, 'utf8')
        .trim()
        .split('\n')
        .slice(-2)
        .map((l) => (JSON.parse(l) as { type: string }).type),
    ).toEqual(['branch', 'end']);
    const r = report([f], 'json');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const b = (JSON.parse(r.out) as ReportData).branches![0];
    expect(b).toMatchObject({ at: 5, t: '2017-05-18T07:55:50Z', doctrine: 'strike' });
    expect(b.first).toMatchObject({ choice: 'strike', grade: 'correct' });
    expect(b.again).toMatchObject({ choice: null, grade: null, gradeLabel: 'not answered', status: 'quit', after: [] });
    expect(report([f]).out).toContain('| Choice at decision 5 | strike | not answered (the student stopped before answering) |');
  });
});

describe('compareBranch', () => {
  it('lists the unit decided on and the units whose outcome differs; cuts what came after to MAX_BRANCH_AFTER', async () => {
    await ready;
    const base = JSON.parse(report([alice], 'json').out) as ReportData;
    const again = JSON.parse(JSON.stringify(base)) as ReportData;
    // Another unit's outcome differs on the branch; a long run of rung changes after the decision.
    again.units[1].outcome = 'struck';
    const entry = base.timeline.find((e) => e.t === '2017-05-18T07:35:50Z')!;
    again.timeline = Array.from({ length: MAX_BRANCH_AFTER + 3 }, () => entry);
    const c: BranchComparison = compareBranch(base, again, { branch: 1, parent: 0, at: 3 });
    expect(c.first.outcomes.map((o) => o.unit)).toEqual(['convoy', 'mat-patrol']);
    expect(c.again.outcomes.map((o) => o.outcome)).toEqual([base.units[0].outcome, 'struck']);
    expect(c.again.after).toHaveLength(MAX_BRANCH_AFTER);
    expect(c.again.afterMore).toBe(3);
    expect(readFileSync(alice, 'utf8')).toContain('"type":"branch"');
  });
});
