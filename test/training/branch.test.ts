/**
 * Branches: going back to decision N and answering it differently. The run replays exactly to
 * decision N; the branch is kept beside the first answers in the same session file; --resume
 * continues the line last answered.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trainCommand } from '../../src/cli/commands/train.js';
import type { Choice } from '../../src/core/engine.js';
import { ScenarioError } from '../../src/core/errors.js';
import { BranchError, branchTrainer } from '../../src/training/branch.js';
import { CHOICES } from '../../src/training/grade.js';
import { prepareReplay, replaySession } from '../../src/training/replay.js';
import { lastLine, lineDecisions, lineEnd, parseSession } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { drive, load, ndjson } from './helpers.js';

const TANF = 'scenarios/tanf-2017-05-18.yaml';
const dir = mkdtempSync(join(tmpdir(), 'branch-'));

/** `train` in line mode, in process: the answers one a line. */
async function trainLines(args: Parameters<typeof trainCommand>[2], input: string[]) {
  let out = '';
  let err = '';
  const code = await trainCommand(TANF, TANF, args, {
    write: (s) => (out += s),
    error: (s) => (err += s),
    tty: false,
    lines: Readable.from(input) as AsyncIterable<string>,
  });
  return { code, out, err };
}

const read = (f: string) =>
  readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; branch?: number; n?: number } & Record<string, unknown>);

describe('branchTrainer', () => {
  it('replays exactly to decision N: the events before it are the first run’s, and the same answer gives the same run', () => {
    const sc = load('tanf-2017-05-18');
    const choices: Choice[] = ['monitor', 'warn', 'strike'];
    const first = new Trainer(sc);
    const events = ndjson(drive(first, (_p, n) => ({ choice: choices[n - 1], why: n === 3 ? 'it has a tank' : undefined })));
    const b = branchTrainer(first, 3);
    // The first line is left as it was.
    expect(first.decisions.map((d) => d.choice)).toEqual(choices);
    expect(b.pending?.proposal).toMatchObject({ kind: 'escalate', from: 'warn', to: 'show_of_force' });
    expect(b.decisions.map((d) => d.choice)).toEqual(['monitor', 'warn']);
    const t = b.pending!.proposal.t;
    expect(ndjson(b.engine.events.filter((e) => e.t < t))).toBe(ndjson(first.engine.events.filter((e) => e.t < t)));
    // Answered as the first time, the branch is the first run, byte for byte.
    const same = branchTrainer(first, 3);
    same.answer('strike', 'it has a tank');
    expect(ndjson(drive(same, () => ({ choice: 'hold' })))).toBe(events);
    // Answered differently, it plays on differently: the convoy is struck later, by the ladder's own steps.
    b.answer('show_of_force');
    drive(b, (p) => ({ choice: p.to! }));
    expect(b.decisions.map((d) => d.choice)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
  });

  it('for any answers and any decision N, going back and answering N as before gives the first run again', () => {
    const sc = load('tanf-2017-06-06');
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHOICES), { minLength: 12, maxLength: 12 }), fc.nat(), (answers, pick) => {
        const first = new Trainer(sc);
        const events = ndjson(drive(first, (_p, n) => ({ choice: answers[(n - 1) % answers.length] })));
        const n = first.decisions.length;
        if (!n) return;
        const at = (pick % n) + 1;
        const b = branchTrainer(first, at);
        expect(b.decisions.length).toBe(at - 1);
        // The rest answered as the first time.
        const again = ndjson(drive(b, (_p, k) => ({ choice: first.decisions[at - 1 + k - 1]?.choice ?? 'hold' })));
        expect(again).toBe(events);
      }),
      { numRuns: 12 },
    );
  });

  it('refuses a decision that is not there', () => {
    const t = new Trainer(load('tanf-2017-05-18'));
    expect(() => branchTrainer(t, 1)).toThrow(BranchError);
    drive(t, (p) => ({ choice: p.to ?? 'stand_down' }));
    expect(() => branchTrainer(t, 0)).toThrow(/choose 1 to 5/);
    expect(() => branchTrainer(t, 6)).toThrow(/there is no decision 6 to go back to: choose 1 to 5/);
  });
});

describe('train --branch and b N (line mode)', () => {
  it('appends the branch after the first answers, which stay byte for byte, and replays each line', async () => {
    const f = join(dir, 'alice.ndjson');
    expect((await trainLines({ session: f }, ['1', '2', '5 it has a tank'])).code).toBe(0);
    const before = readFileSync(f, 'utf8');
    const r = await trainLines({ session: f, branch: 3 }, ['3 flyover first', '4', '5', '']);
    expect(r.code).toBe(0);
    expect(r.err).toBe("Branch 1 of alice's session " + f + ': back to decision 3 at 2017-05-18 07:35:50Z (answered strike before)\n');
    // Decision 3 is asked again, with the first answer beside it; 1 and 2 are not asked.
    expect(r.out).toContain('Decision 3 at 2017-05-18 07:35:50Z');
    expect(r.out).toContain('Before: you chose strike (out of proportion): it has a tank');
    expect(r.out).not.toMatch(/Decision [12] at/);
    expect(r.out).toContain('Session written to ' + f + ' (branch 1 after the first answers)');
    const after = readFileSync(f, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    const lines = read(f);
    expect(lines.map((l) => `${l.type}${l.branch ? `:${l.branch}` : ''}${l.n ? `:${l.n}` : ''}`)).toEqual([
      'session',
      'decision:1',
      'decision:2',
      'decision:3',
      'end',
      'branch:1',
      'decision:1:3',
      'decision:1:4',
      'decision:1:5',
      'end:1',
    ]);
    expect(lines[5]).toEqual({ type: 'branch', branch: 1, parent: 0, at: 3, t: '2017-05-18T07:35:50Z', unit: 'convoy', zone: 'tanf-dz' });
    expect(lines[9]).toMatchObject({ status: 'complete', decisions: 5, correct: 5, score: 100 });
    const s = parseSession(after, 'alice.ndjson');
    expect(lineDecisions(s, 1).map((d) => d.choice)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
    expect(lineDecisions(s, 0).map((d) => d.choice)).toEqual(['monitor', 'warn', 'strike']);
    // Each line replays to its own run: the first answers as one sitting with them, the branch as one with its answers.
    const once = join(dir, 'once.ndjson');
    await trainLines({ session: once, student: 'alice' }, ['1', '2', '3 flyover first', '4', '5']);
    expect(ndjson(replaySession({ scenarioPath: TANF, sessionPath: f }).events)).not.toBe(
      ndjson(replaySession({ scenarioPath: TANF, sessionPath: once }).events),
    );
    const branch = prepareReplay({ scenarioPath: TANF, sessionPath: f, line: 1 });
    const whole = prepareReplay({ scenarioPath: TANF, sessionPath: once });
    while (branch.step());
    while (whole.step());
    expect(ndjson(branch.engine.events)).toBe(ndjson(whole.engine.events));
  });

  it('b N in line mode goes back during the run and at its end; branches of branches number on', async () => {
    const f = join(dir, 'bob.ndjson');
    const r = await trainLines({ session: f }, ['1', '2 leaflets', 'b 9', 'b 1', '6 not yet', 'b 1', '1 again', '2', '3', '4', '5', 'b 2', '2', '3', 'q']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('there is no decision 9 to go back to: choose 1 to 2');
    expect(r.out).toContain('Branch 1: back to decision 1');
    expect(r.out).toContain('Branch 2: back to decision 1');
    expect(r.out).toContain('The run is over. `b N` goes back to decision N');
    expect(r.out).toContain('Branch 3: back to decision 2');
    const s = parseSession(readFileSync(f, 'utf8'), 'bob.ndjson');
    expect(s.branches.map((b) => [b.branch, b.parent, b.at, b.end?.status])).toEqual([
      [1, 0, 1, 'quit'],
      [2, 1, 1, 'complete'],
      [3, 2, 2, 'quit'],
    ]);
    expect(s.end?.status).toBe('quit');
    expect(lastLine(s)).toBe(3);
    expect(lineDecisions(s, 3).map((d) => d.choice)).toEqual(['monitor', 'warn', 'show_of_force']);
    // --resume goes on with the line last answered (branch 3), writing its decisions as branch 3's.
    const res = await trainLines({ resume: f }, ['4', '5']);
    expect(res.code).toBe(0);
    expect(res.err).toMatch(/^Resuming bob's session .*bob\.ndjson \(branch 3\) at 2017-05-18 07:45:40Z after 3 decisions\n$/);
    const s2 = parseSession(readFileSync(f, 'utf8'), 'bob.ndjson');
    expect(lineEnd(s2, 3)).toMatchObject({ status: 'complete', decisions: 5, branch: 3 });
    expect(s2.branches[2].decisions.map((d) => d.n)).toEqual([2, 3, 4, 5]);
    // Now complete: resume refuses and says how to branch.
    const again = await trainLines({ resume: f }, []);
    expect(again.code).toBe(2);
    expect(again.err).toContain('--branch N');
  });

  it('refuses a bad --branch in one line (exit 2), writing nothing', async () => {
    const f = join(dir, 'carol.ndjson');
    await trainLines({ session: f }, ['1', '2', 'q']);
    const before = readFileSync(f, 'utf8');
    for (const [o, msg] of [
      [{ session: f, branch: 3 }, `deconflict: --branch: ${f}: there is no decision 3 to go back to: choose 1 to 2\n`],
      [{ session: f, branch: 0 }, 'deconflict: --branch must be a decision number (1, 2, …) of the session\n'],
      [{ branch: 1 }, 'deconflict: --branch N needs the session to go back in: --session FILE\n'],
      [{ session: f, branch: 1, student: 'x' }, 'deconflict: --student cannot be used with --branch (the session records it)\n'],
    ] as const) {
      const r = await trainLines(o, []);
      expect(r.code).toBe(2);
      expect(r.err).toBe(msg);
    }
    expect(readFileSync(f, 'utf8')).toBe(before);
  });
});

describe('session files with branches', () => {
  const head = () => readFileSync(join(dir, 'alice.ndjson'), 'utf8').split('\n').filter(Boolean);
  const err = (text: string) => {
    try {
      parseSession(text, 's.ndjson');
    } catch (e) {
      expect(e).toBeInstanceOf(ScenarioError);
      return (e as ScenarioError).message;
    }
    return 'no error';
  };
  it('refuse a branch that does not fit, naming the line and field', () => {
    const lines = head();
    const first = lines.slice(0, 5);
    const b = (o: object) => JSON.stringify({ type: 'branch', branch: 1, parent: 0, at: 3, t: '2017-05-18T07:35:50Z', unit: 'convoy', zone: 'tanf-dz', ...o });
    expect(err([...first, b({ at: 4 })].join('\n'))).toMatch(/^s\.ndjson:6:\d+: at: line 0 has no decision 4/);
    expect(err([...first, b({ branch: 2 })].join('\n'))).toMatch(/^s\.ndjson:6:\d+: branch: branch 2 out of order/);
    expect(err([...first, b({ parent: 1 })].join('\n'))).toMatch(/^s\.ndjson:6:\d+: parent: no line 1 to branch from/);
    // A decision after the branch must name it, and follow on from `at`.
    const d = JSON.parse(lines[6]) as Record<string, unknown>;
    expect(err([...first, b({}), JSON.stringify({ ...d, branch: undefined })].join('\n'))).toMatch(/^s\.ndjson:7:\d+: branch: expected "branch":1/);
    expect(err([...first, b({}), JSON.stringify({ ...d, n: 4 })].join('\n'))).toMatch(/^s\.ndjson:7:\d+: n: decision 4 out of order/);
    // Nothing but a branch after an end line.
    expect(err([...first, lines[2]].join('\n'))).toMatch(/^s\.ndjson:6:\d+: type: a line after the end of the session/);
    // A branch with no end line (cut off) is read: its line is incomplete.
    const cut = parseSession([...first, b({}), lines[6]].join('\n'), 's.ndjson');
    expect(cut.branches[0].end).toBeUndefined();
    writeFileSync(join(dir, 'cut.ndjson'), `${[...first, b({}), lines[6]].join('\n')}\n`);
    expect(prepareReplay({ scenarioPath: TANF, sessionPath: join(dir, 'cut.ndjson'), line: 1 }).stop).toEqual({ partial: true });
    expect(() => prepareReplay({ scenarioPath: TANF, sessionPath: join(dir, 'cut.ndjson'), line: 2 })).toThrow(/has no branch 2/);
  });
});
