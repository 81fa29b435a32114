/** `deconflict train` without a terminal: the plain line mode, files and bad input. Needs `npm run build`. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/training/prompts.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = mkdtempSync(join(tmpdir(), 'train-cli-'));

function train(args: string[], input: string, cwd = root) {
  const r = spawnSync(process.execPath, [bin, 'train', ...args], { cwd, input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const lines = (f: string) =>
  readFileSync(f, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('deconflict train (line mode)', () => {
  it('takes one answer a line, by number or name, with a justification, and grades each', () => {
    const s = join(dir, 'a.ndjson');
    const r = train(['tanf-2017-05-18', '--session', s], '1 watching\nnonsense\n2: it entered\nshow of force closing in\n4\nstrike\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain("'nonsense' is not a choice");
    // The students' title and the briefing come first; the scenario's own title (the outcome) nowhere.
    expect(r.out.startsWith('At Tanf, May 2017 — a convoy near the garrison — a\n\nBriefing\n  Situation:')).toBe(true);
    expect(r.out).toContain('  Your role:');
    expect(r.out).not.toContain('is struck');
    // The student is the session file's name unless --student says otherwise.
    expect(lines(s)[0].student).toBe('a');
    expect(r.out).toContain('Correct: show of force is what doctrine does here.');
    expect(r.out).toContain('Score: 5 of 5 decisions as doctrine would (100 %)');
    expect(r.out).toContain(`Session written to ${s}`);
    // The entry that led to decision 2 (in the same tick) prints before it, once.
    const enter = r.out.split('\n').filter((x) => /07:30:48Z\s+convoy\s+tanf-dz ENTER/.test(x));
    expect(enter).toHaveLength(1);
    expect(r.out.indexOf(enter[0])).toBeLessThan(r.out.indexOf('Decision 2 at'));
    const l = lines(s);
    expect(l.filter((x) => x.type === 'decision').map((x) => [x.choice, x.justification ?? null])).toEqual([
      ['monitor', 'watching'],
      ['warn', 'it entered'],
      ['show_of_force', 'closing in'],
      ['warning_shots', null],
      ['strike', null],
    ]);
    expect(l[l.length - 1]).toMatchObject({ type: 'end', status: 'complete', score: 100 });
  });

  it('stops where the input ends, with status quit', () => {
    const s = join(dir, 'b.ndjson');
    const r = train(['tanf-2017-05-18', '--session', s], '7 wait and see\n');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Too late: you chose hold; doctrine would move to monitor.');
    const l = lines(s);
    expect(l[l.length - 1]).toMatchObject({ type: 'end', status: 'quit', decisions: 1, correct: 0 });
  });

  it('uses a MSEL and records it', () => {
    const msel = join(dir, 'fires.yaml');
    writeFileSync(
      msel,
      'title: the convoy fires\ninjects:\n  - {t: +1h40m, type: hostile_act, unit: convoy, target: tanf, text: Mortar rounds land near the garrison.}\n',
    );
    const s = join(dir, 'c.ndjson');
    const r = train(['tanf-2017-05-18', '--msel', msel, '--session', s, '--student', 'Carol D'], '1\n2\n3\n5 we were fired upon\n');
    expect(r.code).toBe(0);
    // The MSEL's title (the outcome) is not shown to the student; the student's name is.
    expect(r.out).not.toContain('the convoy fires');
    expect(r.out.split('\n')[0]).toBe('At Tanf, May 2017 — a convoy near the garrison — Carol D');
    expect(r.out).toContain('Mortar rounds land near the garrison.');
    const l = lines(s);
    expect(l[0]).toMatchObject({ msel, msel_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), student: 'Carol D' });
    expect(spawnSync(process.execPath, [bin, 'report', 'tanf-2017-05-18', '--session', s], { cwd: root, encoding: 'utf8' }).stdout).toContain(
      '- Student: Carol D',
    );
    // Two sessions of different exercises (one with the MSEL, one without): no class report of them.
    const two = spawnSync(process.execPath, [bin, 'report', 'tanf-2017-05-18', '--session', s, '--session', join(dir, 'a.ndjson')], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(two.status).toBe(2);
    expect(two.stdout).toBe('');
    expect(two.stderr).toMatch(/a\.ndjson was recorded with no MSEL, .*c\.ndjson with the MSEL .*fires\.yaml: a class report is of one exercise\n$/);
    expect(l.filter((x) => x.type === 'decision').map((x) => x.proposal.kind)).toEqual(['escalate', 'escalate', 'escalate', 'self_defence']);
  });

  it('never overwrites a session file without --force, and names a default one', () => {
    const s = join(dir, 'd.ndjson');
    writeFileSync(s, 'keep\n');
    const r = train(['tanf-2017-05-18', '--session', s], '1\n');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`deconflict: ${s} exists; pass --force to overwrite it\n`);
    expect(readFileSync(s, 'utf8')).toBe('keep\n');
    expect(train(['tanf-2017-05-18', '--session', s, '--force'], '').code).toBe(0);
    const cwd = mkdtempSync(join(tmpdir(), 'train-cwd-'));
    writeFileSync(join(cwd, 'tanf-2017-05-18-session.ndjson'), 'older\n');
    const d = train([join(root, 'scenarios/tanf-2017-05-18.yaml')], '', cwd);
    expect(d.out).toContain('Session written to tanf-2017-05-18-session-2.ndjson');
    expect(readFileSync(join(cwd, 'tanf-2017-05-18-session.ndjson'), 'utf8')).toBe('older\n');
  });

  it('refuses a bad MSEL or scenario with file:line:column and exit 2', () => {
    const msel = join(dir, 'bad.yaml');
    writeFileSync(msel, 'injects:\n  - {t: +1h, type: withdrew, unit: convoy}\n');
    const r = train(['tanf-2017-05-18', '--msel', msel, '--session', join(dir, 'e.ndjson')], '');
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${msel}:2:20: injects[0].type: unknown type 'withdrew' (did you mean 'withdraw'?)\n`);
    expect(train(['nope.yaml'], '').err).toMatch(/^nope\.yaml:1:1: no such file/);
    const sp = train(['tanf-2017-05-18', '--speed', 'fast', '--session', join(dir, 'f.ndjson')], '');
    expect(sp.code).toBe(2);
    expect(sp.err).toBe('deconflict: --speed must be a positive number (simulated seconds per second, e.g. 600)\n');
  });
});

describe('parseAnswer', () => {
  it.each([
    ['3', 'show_of_force', undefined],
    ['3 closing fast', 'show_of_force', 'closing fast'],
    ['5: it has a tank', 'strike', 'it has a tank'],
    ['Warning shots', 'warning_shots', undefined],
    ['stand down it left', 'stand_down', 'it left'],
    ['stand_down', 'stand_down', undefined],
    ['hold, wait for the channel', 'hold', 'wait for the channel'],
  ])('%j', (text, choice, justification) => {
    expect(parseAnswer(text)).toEqual({ choice, ...(justification ? { justification } : {}) });
  });
  it.each(['', '8', 'attack', 'warnings'])('refuses %j', (text) => {
    expect(parseAnswer(text)).toBeUndefined();
  });
});
