/**
 * `train --resume SESSION`: a quit session goes on where it stopped, in the same file, and ends as
 * the same bytes as the session answered in one sitting.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = mkdtempSync(join(tmpdir(), 'resume-'));

function train(args: string[], input: string) {
  const env = { ...process.env };
  delete env.CI;
  const r = spawnSync(process.execPath, [bin, 'train', 'tanf-2017-05-18', ...args], { cwd: dir, input, encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('train --resume', () => {
  it('goes on from the quit point, appending, to the same file as one sitting', () => {
    expect(train(['--session', 'once.ndjson', '--student', 'alice'], '1\n2\n3 flyover first\n4\n5\n').code).toBe(0);
    const first = train(['--session', 'alice.ndjson'], '1\n2 leaflets\nq\n');
    expect(first.code).toBe(0);
    const quit = readFileSync(join(dir, 'alice.ndjson'), 'utf8');
    expect(quit.trim().split('\n').at(-1)).toMatch(/^\{"type":"end","status":"quit"/);
    const r = train(['--resume', 'alice.ndjson'], '3 flyover first\n4\n5\n');
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/^Resuming alice's session alice\.ndjson at 2017-05-18 07:35:40Z after 2 decisions\n/);
    // The next question is the third; nothing of the first two is asked again.
    expect(r.out).toMatch(/Decision 3 at 2017-05-18 07:35:50Z/);
    expect(r.out).not.toMatch(/Decision [12] at/);
    const resumed = readFileSync(join(dir, 'alice.ndjson'), 'utf8');
    // Everything before the old end line kept byte for byte.
    expect(resumed.startsWith(quit.slice(0, quit.lastIndexOf('{"type":"end"')))).toBe(true);
    const once = readFileSync(join(dir, 'once.ndjson'), 'utf8');
    expect(resumed.replace('"justification":"leaflets",', '')).toBe(once);
    // And it reports as the session of one sitting does.
    const rep = spawnSync(process.execPath, [bin, 'report', 'tanf-2017-05-18', '--session', join(dir, 'alice.ndjson'), '--format', 'json'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(rep.stdout).session.score).toEqual({ correct: 5, total: 5, percent: 100 });
  });

  it('resumes a session cut off without an end line (a crash) from its last answer', () => {
    const text = readFileSync(join(dir, 'once.ndjson'), 'utf8').split('\n');
    writeFileSync(join(dir, 'cut.ndjson'), `${text.slice(0, 3).join('\n')}\n`);
    const r = train(['--resume', 'cut.ndjson'], '3\n4\n5\n');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Decision 3 at/);
    expect(readFileSync(join(dir, 'cut.ndjson'), 'utf8').trim().split('\n')).toHaveLength(7);
  });

  it('refuses a complete session, and options the session records, in one line (exit 2)', () => {
    const done = train(['--resume', 'once.ndjson'], '');
    expect(done.code).toBe(2);
    expect(done.err).toMatch(
      /^deconflict: once\.ndjson is a complete session; there is nothing to resume \(make its report with: deconflict report \S*tanf-2017-05-18\S* --session once\.ndjson; or answer a decision N again with: deconflict train \S*tanf-2017-05-18\S* --session once\.ndjson --branch N\)\n$/,
    );
    for (const extra of [
      ['--session', 'x.ndjson'],
      ['--seed', '4'],
      ['--student', 'bob'],
    ]) {
      const r = train(['--resume', 'alice.ndjson', ...extra], '');
      expect(r.code).toBe(2);
      expect(r.err).toBe(`deconflict: ${extra[0]} cannot be used with --resume (the session records it)\n`);
    }
    const missing = train(['--resume', 'nobody.ndjson'], '');
    expect(missing.code).toBe(2);
    expect(missing.err.split('\n').filter(Boolean)).toHaveLength(1);
  });
});
