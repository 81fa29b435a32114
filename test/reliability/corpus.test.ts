/**
 * The invalid-input corpus (test/fixtures/invalid): every file is refused by the real binary with
 * exit code 2 and exactly the one stderr line in its NAME.expected, naming file:line:column and
 * the field, with no stack trace; the library refuses it with a ScenarioError carrying the same
 * line. Needs `npm run build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { loadScenario } from '../../src/io/node/load.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = join(root, 'test', 'fixtures', 'invalid');
const files = readdirSync(dir)
  .filter((f) => !f.endsWith('.expected') && f !== 'README.md' && !f.startsWith('.'))
  .sort();

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env };
  delete env.DECONFLICT_DEBUG;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('close', (code) => res({ code, out, err }));
  });
}

const expected = (f: string) => readFileSync(join(dir, `${f.replace(/\.[^.]+$/, '')}.expected`), 'utf8');

describe('the invalid-input corpus', () => {
  it('has at least 40 files, each paired with its expected message', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
    for (const f of files) expect(existsSync(join(dir, `${f.replace(/\.[^.]+$/, '')}.expected`)), f).toBe(true);
    const stems = readdirSync(dir).filter((f) => f.endsWith('.expected'));
    expect(stems.length).toBe(files.length);
  });

  it('is refused file by file by `deconflict validate`, each with exactly its expected line', async () => {
    // One process for the whole corpus: validate reports every file, "ok" on stdout or its one
    // error line on stderr, so an empty stdout means that every file was refused.
    const r = await cli(['validate', ...files]);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    const lines = r.err.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(files.length);
    files.forEach((f, i) => {
      const want = expected(f);
      // The line names the file the problem is in: the scenario, or a file it refers to (in `.files/`).
      expect(want, f).toMatch(new RegExp(`^(${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|\\.files/[^:]+):\\d+:\\d+: `));
      expect(want.indexOf('\n'), f).toBe(want.length - 1);
      expect(`${lines[i]}\n`, f).toBe(want);
    });
    expect(r.err).not.toMatch(/\n\s+at |\r|internal error/);
  }, 60_000);

  // One process per file for a file of each kind: exit code 2 on its own.
  const sample = files.filter((f) =>
    /^(empty-file|comments-only|binary-file|latin1-text|utf16-file|bom-|crlf-|tabs-|duplicate-top|alias-bomb|alias-inside|tag-python|nan-|infinity-|large-number-position|type-zones|unit-distance|rung-misspelt|deep-nesting|multiple-documents|file-outside|json-unclosed|unknown-field)/.test(
      f,
    ),
  );
  for (const f of sample) {
    it.concurrent(
      `validate ${f}: exit 2, one line, no stack trace`,
      async () => {
        const r = await cli(['validate', f]);
        expect(r.code).toBe(2);
        expect(r.out).toBe('');
        expect(r.err).toBe(expected(f));
      },
      60_000,
    );
  }

  it('gives the same line from the library, as a ScenarioError', () => {
    for (const f of files) {
      let err: unknown;
      try {
        loadScenario(join(dir, f), { displayName: f });
      } catch (e) {
        err = e;
      }
      expect(err, f).toBeInstanceOf(ScenarioError);
      expect(`${(err as ScenarioError).message}\n`, f).toBe(expected(f));
    }
  });

  it('gives the same line from run and check, and from the default command without a terminal', async () => {
    const runs = ['unknown-field.yaml', 'alias-bomb.yaml', 'binary-file.png'].flatMap((f) => [['run', f], ['check', f], [f]]);
    const results = await Promise.all(runs.map((args) => cli(args)));
    results.forEach((r, i) => {
      expect(r.code, runs[i].join(' ')).toBe(2);
      expect(r.err, runs[i].join(' ')).toBe(expected(runs[i][runs[i].length - 1]));
    });
  }, 120_000);
});
