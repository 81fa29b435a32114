/**
 * `deconflict train` end to end in a pseudo-terminal, as a student would use it: a whole
 * scenario with correct choices and one out of proportion, then the session file and the
 * report made from it. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Choice } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { replaySession } from '../../src/training/replay.js';
import { Trainer } from '../../src/training/trainer.js';
import { PtySession } from '../e2e/pty.js';
import { drive, ndjson } from './helpers.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const SCENARIO = 'scenarios/tanf-2017-05-18.yaml';

let pty: PtySession | undefined;
afterEach(() => {
  pty?.dispose();
  pty = undefined;
});

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('deconflict train in a terminal', () => {
  it('runs a whole scenario with a correct and an incorrect choice, records the session and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-e2e-'));
    const session = join(dir, 'student.ndjson');
    pty = new PtySession(process.execPath, [bin, 'train', SCENARIO, '--session', session, '--speed', '7200'], { cwd: root, cols: 120, rows: 40 });
    const p = pty;

    // The briefing first; enter starts the clock.
    await p.waitFor('enter start the exercise', 30_000);
    expect(p.text()).toContain('Situation:');
    p.write('\r');
    // Decision 1: first detection. Correct, with a justification typed in one go.
    await p.waitFor('Decision 1 — convoy in tanf-dz', 30_000);
    expect(p.bufferType()).toBe('alternate');
    const first = p.text();
    expect(first).toContain('What happened: 9.9 km outside the edge of the At Tanf deconfliction zone, in the approach band');
    expect(first).toMatch(/1 monitor\s+2 warn\s+3 show of force\s+4 warning shots\s+5 strike\s+6 stand down\s+7 hold/);
    // Doctrine's answer is not shown before the choice.
    expect(first).not.toContain('watch and report');
    p.write('1watching the convoy\r');
    await p.waitFor('Correct: monitor is what doctrine does here.');
    await p.waitFor('Your justification: watching the convoy');
    await p.waitFor('Rule 1 — monitor');
    p.write('\r');

    // The 07:00 message stops the clock until acknowledged.
    await p.waitFor('Exercise message — 07:00:00Z', 30_000);
    await p.waitFor('enter acknowledge');
    p.write('\r');

    // Decision 2: the convoy enters the zone. Correct.
    await p.waitFor('Decision 2 — convoy in tanf-dz', 30_000);
    expect(p.text()).toContain('now at monitor');
    p.write('2\r');
    await p.waitFor('Correct: warn is what doctrine does here.');
    p.write(' ');

    // Decision 3: the convoy closes on the garrison. A strike is out of proportion, and it plays out.
    await p.waitFor('Decision 3 — convoy in tanf-dz', 30_000);
    expect(p.text()).toContain('What happened: closed 2.1 km on At Tanf garrison since the warning');
    p.write('5it has a tank\r');
    await p.waitFor('Out of proportion: you chose strike; doctrine would move to show of force.');
    await p.waitFor('Rule 3 — show of force');
    await p.waitFor('docs/ladder.md#the-default-ladder');
    p.write('\r');

    // No more decisions: the struck convoy halts. The summary and the score.
    await p.waitFor('End of the exercise', 30_000);
    const end = p.text();
    expect(end).toContain('Score: 2 of 3 decisions as doctrine would (67 %)');
    expect(end).toMatch(/3\. 07:35:50Z convoy: chose strike, doctrine show of force — out of proportion/);
    expect(end).toContain('convoy: struck');
    p.write('q');
    expect(await p.exit()).toBe(0);
    expect(p.bufferType()).toBe('normal');
    expect(p.cursorVisible()).toBe(true);
    expect(p.raw).toContain(`Session written to ${session}`);

    // The session file: a header, the three decisions, the end.
    const lines = readFileSync(session, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['session', 'decision', 'decision', 'decision', 'end']);
    expect(lines.slice(1, 4).map((l) => [l.choice, l.doctrine, l.grade, l.justification ?? null])).toEqual([
      ['monitor', 'monitor', 'correct', 'watching the convoy'],
      ['warn', 'warn', 'correct', null],
      ['strike', 'show_of_force', 'out_of_proportion', 'it has a tank'],
    ]);
    expect(lines[3]).toMatchObject({
      t: '2017-05-18T07:35:50Z',
      unit: 'convoy',
      zone: 'tanf-dz',
      proposal: { kind: 'escalate', from: 'warn', to: 'show_of_force' },
    });
    expect(lines[4]).toMatchObject({ type: 'end', status: 'complete', decisions: 3, correct: 2, score: 67 });

    // Replaying the file gives the run the student made, byte for byte.
    const sc = loadScenario(SCENARIO);
    const choices: Choice[] = ['monitor', 'warn', 'strike'];
    const whys = ['watching the convoy', undefined, 'it has a tank'];
    const again = new Trainer(sc);
    const live = ndjson(drive(again, (_p, n) => ({ choice: choices[n - 1], why: whys[n - 1] })));
    expect(ndjson(replaySession({ scenarioPath: SCENARIO, sessionPath: session }).events)).toBe(live);

    // The report made from it.
    const md = cli(['report', SCENARIO, '--session', session]);
    expect(md.code).toBe(0);
    expect(md.out).toContain('Score: **2 of 3 decisions as doctrine would (67 %).**');
    expect(md.out).toContain('- Student: student');
    expect(md.out).toContain(
      '| convoy (Pro-regime convoy) | 1T 3TC 1E 25P | strike | struck at 2017-05-18 07:35:50Z (the trainee’s decision) | struck at 2017-05-18 07:55:50Z |',
    );
    expect(md.out).toMatch(
      /\| 3 \| 2017-05-18 07:35:50Z \| convoy \| tanf-dz \| closed 2\.1 km on At Tanf garrison[^|]*\| warn \| strike \| show of force \| out of proportion \| it has a tank \|/,
    );
    const html = join(dir, 'report.html');
    expect(cli(['report', SCENARIO, '--session', session, '--format', 'html', '-o', html]).code).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect(page).toContain('out of proportion');
    const json = JSON.parse(cli(['report', SCENARIO, '--session', session, '--format', 'json']).out);
    expect(json.session.score).toEqual({ correct: 2, total: 3, percent: 67 });
  }, 120_000);

  it('--resume opens the screen where the session was quit: the next question, not the injects already seen', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-e2e-'));
    const session = join(dir, 'alice.ndjson');
    // Two answers in line mode, then quit (past the 07:00 message, which stops the clock in the UI).
    const first = spawnSync(process.execPath, [bin, 'train', SCENARIO, '--session', session], { cwd: root, input: '1\n2\nq\n', encoding: 'utf8' });
    expect(first.status).toBe(0);
    pty = new PtySession(process.execPath, [bin, 'train', SCENARIO, '--resume', session, '--speed', '7200'], { cwd: root, cols: 100, rows: 30 });
    await pty.waitFor('enter start the exercise', 30_000);
    expect(pty.text()).toContain('07:35:40Z');
    pty.write('\r');
    await pty.waitFor('Decision 3 — convoy', 30_000);
    expect(pty.text()).not.toContain('Exercise message');
    pty.write('3');
    await pty.waitFor('Why (optional', 10_000);
    pty.write('flyover first\r');
    await pty.waitFor('Correct', 10_000);
    pty.write('q');
    await pty.waitFor('Quit the exercise? y quit');
    pty.write('y');
    expect(await pty.exit()).toBe(0);
    const lines = readFileSync(session, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['session', 'decision', 'decision', 'decision', 'end']);
    expect(lines[3]).toMatchObject({ n: 3, choice: 'show_of_force', justification: 'flyover first' });
  }, 60_000);

  it('b goes back to a decision to answer it differently; the file keeps both, and the report compares them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-e2e-'));
    const session = join(dir, 'dana.ndjson');
    pty = new PtySession(process.execPath, [bin, 'train', SCENARIO, '--session', session, '--speed', '7200'], { cwd: root, cols: 140, rows: 45 });
    const p = pty;
    await p.waitFor('enter start the exercise', 30_000);
    p.write('\r');
    await p.waitFor('Decision 1 — convoy', 30_000);
    p.write('1\r');
    await p.waitFor('Correct: monitor');
    p.write('\r');
    await p.waitFor('Exercise message — 07:00:00Z', 30_000);
    p.write('\r');
    await p.waitFor('Decision 2 — convoy', 30_000);
    p.write('2\r');
    await p.waitFor('Correct: warn');
    p.write('\r');
    await p.waitFor('Decision 3 — convoy', 30_000);
    p.write('5it has a tank\r');
    await p.waitFor('Out of proportion: you chose strike');
    p.write('\r');
    await p.waitFor('End of the exercise', 30_000);
    await p.waitFor('b back to a decision');
    expect(p.text()).toContain('`b` goes back to a decision to answer it');
    // Back to decision 3 (the last one, chosen already).
    p.write('b');
    await p.waitFor('Go back to a decision');
    await p.waitFor('▶ 3. 07:35:50Z convoy in tanf-dz: chose strike — out of proportion');
    p.write('\r');
    await p.waitFor('Before: you chose strike (out of proportion): it has a tank', 30_000);
    const again = p.text();
    expect(again).toContain('Decision 3 — convoy in tanf-dz');
    expect(again).toContain('branch 1 · decisions 2 · correct 2 · 100 %');
    expect(again).toMatch(/paused .* 2017-05-18 07:35:50Z/);
    p.write('3flyover first\r');
    await p.waitFor('Correct: show of force');
    p.write('\r');
    await p.waitFor('Decision 4 — convoy', 30_000);
    p.write('4\r');
    await p.waitFor('Correct: warning shots');
    p.write('\r');
    await p.waitFor('Decision 5 — convoy', 30_000);
    p.write('5\r');
    await p.waitFor('Correct: strike');
    p.write('\r');
    await p.waitFor('End of the exercise', 30_000);
    expect(p.text()).toContain('Score: 5 of 5 decisions as doctrine would (100 %)');
    p.write('q');
    expect(await p.exit()).toBe(0);
    expect(p.raw).toContain('(branch 1 after the first answers)');

    const lines = readFileSync(session, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => `${l.type}${l.branch ? `:${l.branch}` : ''}`)).toEqual([
      'session',
      'decision',
      'decision',
      'decision',
      'end',
      'branch:1',
      'decision:1',
      'decision:1',
      'decision:1',
      'end:1',
    ]);
    expect(lines[4]).toMatchObject({ status: 'complete', decisions: 3, score: 67 });
    expect(lines[5]).toMatchObject({ parent: 0, at: 3, t: '2017-05-18T07:35:50Z' });
    expect(lines[9]).toMatchObject({ status: 'complete', decisions: 5, score: 100 });

    const md = cli(['report', SCENARIO, '--session', session]);
    expect(md.code).toBe(0);
    expect(md.out).toContain('Score: **2 of 3 decisions as doctrine would (67 %).**');
    expect(md.out).toContain('### Branch 1: decision 3 again (2017-05-18 07:35:50Z, convoy in tanf-dz)');
    expect(md.out).toContain('| Choice at decision 3 | strike | show of force |');
    expect(md.out).toContain('| Justification | it has a tank | flyover first |');
    expect(md.out).toContain(
      '| Outcome: convoy | struck at 2017-05-18 07:35:50Z (the trainee’s decision) | struck at 2017-05-18 07:55:50Z (the trainee’s decision) |',
    );
    expect(md.out).toContain('| Score | 2 of 3 decisions as doctrine would (67 %). | 5 of 5 decisions as doctrine would (100 %). |');
  }, 120_000);

  it('quitting at a decision point ends the session file with status quit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-e2e-'));
    const session = join(dir, 'quit.ndjson');
    pty = new PtySession(process.execPath, [bin, 'train', SCENARIO, '--session', session, '--speed', '7200'], { cwd: root, cols: 100, rows: 30 });
    await pty.waitFor('enter start the exercise', 30_000);
    pty.write('\r');
    await pty.waitFor('Decision 1 —', 30_000);
    // q asks first; y quits.
    pty.write('q');
    await pty.waitFor('Quit the exercise? y quit');
    pty.write('y');
    expect(await pty.exit()).toBe(0);
    const lines = readFileSync(session, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.type)).toEqual(['session', 'end']);
    expect(lines[1]).toMatchObject({ status: 'quit', decisions: 0 });
    // The report of a session cut short says so.
    const md = cli(['report', SCENARIO, '--session', session]);
    expect(md.code).toBe(0);
    expect(md.out).toMatch(/training session `.*quit\.ndjson` \(quit\)/);
    expect(md.out).toMatch(/the run stopped at 2017-05-18 06:30:00Z/);
    // No "100 %" for a session with no answer.
    expect(md.out).toContain(
      'Score: **No decisions were taken — the session was quit at 2017-05-18 06:30:00Z, before the end: this covers only the decisions taken.**',
    );
    expect(md.out).not.toContain('100');
  }, 60_000);

  it.each([
    [80, 24],
    [100, 30],
    [140, 45],
    [200, 60],
  ])(
    'at %i×%i: the seven responses, the situation and a long justification fit the screen',
    async (cols, rows) => {
      const dir = mkdtempSync(join(tmpdir(), 'train-e2e-'));
      pty = new PtySession(process.execPath, [bin, 'train', SCENARIO, '--session', join(dir, 's.ndjson'), '--speed', '7200'], { cwd: root, cols, rows });
      const p = pty;
      await p.waitFor('enter start the exercise', 30_000);
      p.write('\r');
      await p.waitFor('Decision 1 — convoy', 30_000);
      await p.waitFor('1-7 choose');
      await p.waitFor('paused');
      const screen = p.screen();
      expect(screen.length).toBeLessThanOrEqual(rows);
      const text = p.text();
      for (const c of ['1 monitor', '2 warn', '3 show of force', '4 warning shots', '5 strike', '6 stand down', '7 hold']) expect(text).toContain(c);
      expect(text).toContain('Where: in the approach band');
      expect(text).toContain('1-7 choose');
      const why = 'holding at the edge with a tank and a bulldozer for half an hour now, so keep watching and report to the operations centre';
      p.write(`1${why}`);
      await p.waitFor('enter confirm monitor');
      await p.waitFor('operations centre█');
      const panel = p
        .screen()
        .filter((l) => l.startsWith('│'))
        .map((l) => l.slice(1, -1).trim())
        .join(' ')
        .replace(/\s+/g, ' ');
      expect(panel).toContain(`Why (optional, one line): ${why}█`);
      p.write('\r');
      await p.waitFor('Correct: monitor is what doctrine does here.');
      p.write('q');
      await p.waitFor('Quit the exercise?');
      p.write('y');
      expect(await p.exit()).toBe(0);
    },
    60_000,
  );
});
