/**
 * A session is tied to what its scenario compiles to, not to the file's bytes: an edit that does
 * not change the run keeps it reportable; one that does is named, and --force reports it anyway.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/io/node/load.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { runChanges, runIdentity } from '../../src/training/identity.js';
import { decisionLine, endLine, headerFor, SessionWriter, sha256File } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = mkdtempSync(join(tmpdir(), 'identity-'));
const original = readFileSync(join(root, 'scenarios', 'tanf-2017-05-18.yaml'), 'utf8').replace(/^\s*file: shared\/reports\/.*$/gm, '');

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function record(scenario: string, session: string): void {
  const sc = loadScenario(join(dir, scenario));
  const t = new Trainer(sc);
  const w = new SessionWriter(join(dir, session), true, headerFor(sc, { scenarioPath: scenario, scenarioSha: sha256File(join(dir, scenario)) }));
  for (;;) {
    const a = t.advance();
    if (a.kind === 'done') break;
    if (a.kind === 'decision') w.line(decisionLine(sc, t.answer(doctrineChoice(a.proposal)), a.situation.what));
  }
  w.line(endLine(t, 'complete'));
  w.close();
}

describe('run identity', () => {
  it('is the same for a comment, a description or a title, and names the unit or zone that changed', () => {
    writeFileSync(join(dir, 'a.yaml'), original);
    writeFileSync(
      join(dir, 'b.yaml'),
      `# a note for the class\n${original.replace(/^title: .*$/m, 'title: Another title').replace(/^description: .*$/m, 'description: Reworded.')}`,
    );
    const a = runIdentity(loadScenario(join(dir, 'a.yaml')));
    expect(runIdentity(loadScenario(join(dir, 'b.yaml')))).toEqual(a);
    writeFileSync(join(dir, 'c.yaml'), original.replace('{pos: [38.55, 33.62], speed: 30km/h, hold: 30m}', '{pos: [38.56, 33.62], speed: 30km/h, hold: 30m}'));
    expect(runChanges(a, runIdentity(loadScenario(join(dir, 'c.yaml'))))).toEqual(['unit mat-patrol changed']);
    writeFileSync(join(dir, 'd.yaml'), original.replace('radius: 55km', 'radius: 54km'));
    expect(runChanges(a, runIdentity(loadScenario(join(dir, 'd.yaml'))))).toEqual(['zone tanf-dz changed']);
  });
});

describe('report --session across edits of the scenario', () => {
  writeFileSync(join(dir, 'tanf.yaml'), original);
  record('tanf.yaml', 'alice.ndjson');
  const first = cli(['report', 'tanf.yaml', '--session', 'alice.ndjson', '--format', 'json']);
  const withoutTitle = (json: string) => ({ ...JSON.parse(json), title: undefined });

  it('reports a session after an edit that does not change the run, the same as before', () => {
    expect(first.code).toBe(0);
    writeFileSync(join(dir, 'tanf.yaml'), `# the trainer's comment\n${original.replace(/^title: .*$/m, 'title: Reworded for the class')}`);
    const again = cli(['report', 'tanf.yaml', '--session', 'alice.ndjson', '--format', 'json']);
    expect(again.err).toBe('');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out).title).toBe('Reworded for the class');
    expect(withoutTitle(again.out)).toEqual(withoutTitle(first.out));
  });

  it('names what changed when the run did, and --force reports it anyway', () => {
    writeFileSync(
      join(dir, 'tanf.yaml'),
      original.replace('{pos: [38.55, 33.62], speed: 30km/h, hold: 30m}', '{pos: [38.56, 33.62], speed: 30km/h, hold: 30m}'),
    );
    const r = cli(['report', 'tanf.yaml', '--session', 'alice.ndjson']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^alice\.ndjson:1:\d+: scenario_sha256: the session was recorded on another version of the scenario, not on tanf\.yaml: unit mat-patrol changed \(it was recorded on tanf\.yaml \(".*"\); pass --force to replay it on this version anyway\)\n$/,
    );
    const f = cli(['report', 'tanf.yaml', '--session', 'alice.ndjson', '--force']);
    expect(f.err).toBe('');
    expect(f.code).toBe(0);
    expect(f.out).toContain('- Student: alice');
  });

  it('holds a session of an older deconflict (no run identity) to the bytes, with --force past it', () => {
    const lines = readFileSync(join(dir, 'alice.ndjson'), 'utf8').split('\n');
    const head = JSON.parse(lines[0]);
    delete head.run;
    writeFileSync(join(dir, 'old.ndjson'), [JSON.stringify(head), ...lines.slice(1)].join('\n'));
    writeFileSync(join(dir, 'tanf.yaml'), `# a comment\n${original}`);
    const r = cli(['report', 'tanf.yaml', '--session', 'old.ndjson']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/scenario_sha256: the session was recorded on another version of the scenario/);
    expect(cli(['report', 'tanf.yaml', '--session', 'old.ndjson', '--force']).code).toBe(0);
  });
});
