/**
 * The class report: several sessions of one scenario (or a folder of them) in one report, with
 * each student's score, the spread of answers at every decision point, the justifications, the
 * discussion points and the author's expectations as a trainer's section.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Choice, Proposal } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { buildClassReport, MAX_DISCUSSION } from '../../src/report/class.js';
import { classMarkdown } from '../../src/report/class-render.js';
import { buildReport } from '../../src/report/index.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { prepareReplay } from '../../src/training/replay.js';
import { decisionLine, endLine, headerFor, SessionWriter, sha256File } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const TANF = 'scenarios/tanf-2017-05-18.yaml';
const dir = mkdtempSync(join(tmpdir(), 'class-report-'));
const EVIL = 'see \u001b]0;owned\u0007 <script>x</script> | [a](javascript:1)';

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

type Policy = (p: Proposal) => { choice: Choice; why?: string };

function record(path: string, student: string, policy: Policy): void {
  const sc = loadScenario(TANF);
  const t = new Trainer(sc);
  const w = new SessionWriter(path, true, headerFor(sc, { scenarioPath: TANF, scenarioSha: sha256File(TANF), student }));
  for (;;) {
    const a = t.advance();
    if (a.kind === 'done') break;
    if (a.kind !== 'decision') continue;
    const { choice, why } = policy(a.proposal);
    const d = t.answer(choice, why);
    w.line(decisionLine(sc, d, a.situation.what));
  }
  w.line(endLine(t, 'complete'));
  w.close();
}

const doctrine: Policy = (p) => ({ choice: doctrineChoice(p) });
const skipsFlyover: Policy = (p) => (p.to === 'show_of_force' ? { choice: 'warning_shots', why: EVIL } : doctrine(p));
const holdsFlyover: Policy = (p) => (p.to === 'show_of_force' ? { choice: 'hold', why: 'wait for the channel' } : doctrine(p));

const folder = join(dir, 'class');
mkdirSync(folder);
const alice = join(folder, 'alice.ndjson');
const bob = join(folder, 'bob.ndjson');
const carol = join(folder, 'carol.ndjson');
record(alice, 'alice', doctrine);
record(bob, 'bob', skipsFlyover);
record(carol, 'carol', holdsFlyover);
writeFileSync(join(folder, 'notes.txt'), 'not a session\n');

describe('class report data', () => {
  const each = [alice, bob, carol].map((f) => {
    const replay = prepareReplay({ scenarioPath: TANF, sessionPath: f });
    return buildReport({ scenario: replay.scenario, msel: replay.msel, replay });
  });
  const sc = loadScenario(TANF);
  const r = buildClassReport(each, buildReport({ scenario: sc }));

  it("gives each student's score", () => {
    expect(r.students.map((s) => s.student)).toEqual(['alice', 'bob', 'carol']);
    const [a, b, c] = r.students.map((s) => s.score);
    expect(a.correct).toBe(a.total);
    expect(b.correct).toBe(b.total - 1);
    expect(c.correct).toBeLessThan(c.total);
  });

  it('puts the same question to everyone until their answers part', () => {
    const first = r.points[0];
    expect(first.asked).toBe(3);
    expect(first.spread).toEqual([{ choice: first.doctrine, count: 3 }]);
    expect(first.agree).toBe(1);
    const flyover = r.points.find((p) => p.doctrine === 'show of force')!;
    expect(flyover.asked).toBe(3);
    expect(flyover.spread.map((s) => `${s.choice}:${s.count}`).sort()).toEqual(['hold:1', 'show of force:1', 'warning shots:1']);
    expect(flyover.agree).toBeCloseTo(1 / 3);
    expect(flyover.answers.filter((a) => a.justification).map((a) => a.student)).toEqual(['bob', 'carol']);
    // After the flyover the runs part: later points are asked of fewer than the whole class.
    expect(r.points.some((p) => p.asked < 3)).toBe(true);
    expect(r.points.map((p) => p.n)).toEqual(r.points.map((_, i) => i + 1));
  });

  it('draws out the points where the class and doctrine differed most', () => {
    expect(r.discussion.length).toBeGreaterThan(0);
    expect(r.discussion.length).toBeLessThanOrEqual(MAX_DISCUSSION);
    const parted = r.discussion.map((n) => r.points[n - 1]).map((p) => p.asked - Math.round(p.agree * p.asked));
    expect(parted).toEqual([...parted].sort((a, b) => b - a));
    // The flyover, where two of three parted from doctrine, leads.
    expect(r.discussion[0]).toBe(r.points.find((p) => p.doctrine === 'show of force')!.n);
    expect(parted[0]).toBe(2);
  });

  it("keeps the author's expectations for the trainer, judged on doctrine's run", () => {
    expect(r.trainer.expectations.length).toBeGreaterThan(0);
    expect(r.trainer.expectations.every((e) => e.passed)).toBe(true);
    const md = classMarkdown(r);
    expect(md).toMatch(/## For the trainer[\s\S]*### The scenario's expectations[\s\S]*- met: /);
    expect(md).not.toMatch(/PASS|FAIL/);
  });
});

describe('report with several sessions, through the binary', () => {
  it('takes --session more than once, and a folder of sessions, to the same report', () => {
    const a = cli(['report', TANF, '--session', alice, '--session', bob, '--session', carol]);
    expect(a.err).toBe('');
    expect(a.code).toBe(0);
    expect(a.out).toMatch(/^# Class report: /);
    expect(a.out).toContain('- Students: 3;');
    const b = cli(['report', TANF, '--session', folder]);
    expect(b.code).toBe(0);
    expect(b.out).toBe(a.out);
  });

  it('escapes what students typed in Markdown and HTML, and gives JSON for tools', () => {
    const md = cli(['report', TANF, '--session', folder]).out;
    expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(md).not.toContain('<script>');
    const html = cli(['report', TANF, '--session', folder, '--format', 'html']).out;
    expect(html).not.toMatch(/<script|[\u0000-\u0008\u000b-\u001f]/);
    expect(html).toContain('&lt;script&gt;');
    expect(html).toMatch(/class="bar" style="width:\d+px"/);
    const json = JSON.parse(cli(['report', TANF, '--session', folder, '--format', 'json']).out);
    expect(json.kind).toBe('class');
    expect(json.students.map((s: { student: string }) => s.student)).toEqual(['alice', 'bob', 'carol']);
  });

  it('refuses a folder with no sessions, and --seed, in one line (exit 2)', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const e = cli(['report', TANF, '--session', empty]);
    expect(e.code).toBe(2);
    expect(e.err).toMatch(/^deconflict: --session: no session files \(\*\.ndjson\) in .*empty\n$/);
    const s = cli(['report', TANF, '--session', alice, '--session', bob, '--seed', '3']);
    expect(s.code).toBe(2);
    expect(s.err.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('writes it to a file with -o, never over one without --force', () => {
    const out = join(dir, 'class.md');
    expect(cli(['report', TANF, '--session', folder, '-o', out]).code).toBe(0);
    const again = cli(['report', TANF, '--session', folder, '-o', out]);
    expect(again.code).toBe(2);
  });
});

describe("the author's expectations in one student's report", () => {
  it('are a section for the trainer, met or not met, never PASS or FAIL', () => {
    const r = cli(['report', TANF, '--session', bob]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/## For the trainer: the scenario's expectations\n\n.*not the student's result\.\n\n- (met|not met): /);
    expect(r.out).not.toMatch(/\bPASS\b|\bFAIL\b/);
    const h = cli(['report', TANF, '--session', bob, '--format', 'html']);
    expect(h.out).toContain("<h2>For the trainer: the scenario's expectations</h2>");
    expect(h.out).not.toMatch(/>PASS<|>FAIL</);
  });
});

describe("a student's holds", () => {
  it('are on the timeline and the map, numbered in time order with the events', () => {
    const replay = prepareReplay({ scenarioPath: TANF, sessionPath: carol });
    const r = buildReport({ scenario: replay.scenario, msel: replay.msel, replay });
    const holds = r.timeline.filter((e) => e.type === 'hold');
    expect(holds.length).toBe(r.session!.decisions.filter((d) => d.choice === 'hold').length);
    expect(holds[0]).toMatchObject({
      t: '2017-05-18T07:35:50Z',
      unit: 'convoy',
      zone: 'tanf-dz',
      from: 'warn',
      rung: 'warn',
      by: 'trainee',
      reason: 'held at warn where doctrine would show of force: wait for the channel',
    });
    expect(r.timeline.map((e) => e.n)).toEqual(r.timeline.map((_, i) => i + 1));
    expect(r.timeline.map((e) => e.t)).toEqual([...r.timeline.map((e) => e.t)].sort());
    const marks = r.map.marks.filter((m) => m.type === 'hold');
    expect(marks.map((m) => m.n)).toEqual(holds.map((h) => h.n));
    // Where the convoy was at the first hold: inside the zone, about 53 km from the garrison.
    const [lon, lat] = marks[0].at;
    expect(Math.hypot((lon - 38.61778) * 93, (lat - 33.50583) * 111)).toBeGreaterThan(50);
    const md = cli(['report', TANF, '--session', carol]).out;
    expect(md).toMatch(
      /\| 2017-05-18 07:35:50Z \| convoy \| tanf-dz \| held at warn \| trainee \| held at warn where doctrine would show of force: wait for the channel \|/,
    );
    expect(cli(['report', TANF, '--session', carol, '--format', 'html']).out).toMatch(/<title>\d+\. 2017-05-18T07:35:50Z convoy: held at warn<\/title>/);
  });
});

describe("the map of a student's report", () => {
  it("draws doctrine's track beside the student's where the runs part, and only there", () => {
    const r = (f: string) => {
      const replay = prepareReplay({ scenarioPath: TANF, sessionPath: f });
      return buildReport({ scenario: replay.scenario, msel: replay.msel, replay });
    };
    // alice answered as doctrine: nothing to draw beside her tracks.
    expect(r(alice).map.doctrine).toEqual([]);
    // carol held: the convoy is struck later or not at all in her run; doctrine's convoy is drawn.
    const c = r(carol).map;
    expect(c.doctrine!.map((t) => t.unit)).toEqual(['convoy']);
    expect(c.doctrine![0].points).not.toEqual(c.tracks.find((t) => t.unit === 'convoy')!.points);
    const html = cli(['report', TANF, '--session', carol, '--format', 'html']).out;
    expect(html).toContain('<title>convoy under doctrine</title>');
    expect(html).toContain('under doctrine</text>');
    expect(cli(['report', TANF, '--format', 'html']).out).not.toContain('under doctrine');
  });
});
