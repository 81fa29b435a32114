/**
 * `deconflict run --threads N` on the real executable: worker threads give the events of one
 * thread, byte for byte (NDJSON, the timeline and its outcome, --out, --until), on the bundled
 * scenarios and on a generated workload with massing, injects and strikes. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateWorkload, STANDARD, workloadToCsv, workloadToYaml } from '../../src/bench/workload.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = mkdtempSync(join(tmpdir(), 'deconflict-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], file = bin) {
  const env = { ...process.env };
  delete env.DECONFLICT_DEBUG;
  const r = spawnSync(process.execPath, [file, ...args], { cwd: root, encoding: 'utf8', env, maxBuffer: 64 << 20 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function expectSame(a: string, b: string): void {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) if (al[i] !== bl[i]) expect(`line ${i + 1}: ${bl[i]}`).toBe(`line ${i + 1}: ${al[i]}`);
  expect(b).toBe(a);
}

describe('run --threads N gives the events of one thread', () => {
  for (const s of ['tanf-2017-05-18', 'tanf-2017-06-06', 'tanf-2017-06-massing', 'euphrates-2018-02-07', 'tutorial']) {
    it(`${s}: NDJSON with 2 threads, the timeline with 3`, () => {
      const one = cli(['run', s, '--json']);
      expect(one.code).toBe(0);
      const two = cli(['run', s, '--json', '--threads', '2']);
      expect(two.err).toBe('');
      expect(two.code).toBe(0);
      expectSame(one.out, two.out);
      const text = cli(['run', s]);
      const text3 = cli(['run', s, '--threads', '3']);
      expect(text3.code).toBe(0);
      expectSame(text.out, text3.out);
    }, 120_000);
  }

  it('a generated workload file (300 units, 20 zones, 40 minutes) with massing, injects and strikes, in 2 and 3 threads, with --out and --until', () => {
    const wl = generateWorkload({ ...STANDARD, units: 300, seed: 21, duration: 2400 });
    writeFileSync(join(dir, 'w-tracks.csv'), workloadToCsv(wl));
    // Lower massing thresholds, so that massing is reported (and ends, and comes back) across parts.
    const yaml = workloadToYaml(wl, 'w-tracks.csv').replace(/^seed: .*$/m, (l) => `${l}\ndoctrine: {massing_units: 5, massing_personnel: 100}`);
    const file = join(dir, 'w.yaml');
    writeFileSync(file, yaml);
    const one = cli(['run', file, '--json']);
    // The generated units that never come near a zone are warned of (and only that).
    expect(
      one.err
        .split('\n')
        .filter(
          (l) =>
            l &&
            !/: warning: units\[\d+\]\.track: u\d+ never comes within the approach band/.test(l) &&
            !/ more warnings? not shown \(\d[\d,]* in all\); `deconflict validate /.test(l),
        ),
    ).toEqual([]);
    expect(one.code).toBe(0);
    for (const type of ['massing', 'inject', 'hostile_act', 'cross', 'stand_down']) expect(one.out, type).toContain(`"type":"${type}"`);
    expect(one.out).toContain('"rung":"strike"');
    expect((one.out.match(/"type":"massing"/g) ?? []).length).toBeGreaterThan(2);
    const two = cli(['run', file, '--json', '--threads', '2', '--out', join(dir, 'two.ndjson')]);
    expect(two.code).toBe(0);
    expect(two.err).toBe(one.err);
    expectSame(one.out, two.out);
    expect(readFileSync(join(dir, 'two.ndjson'), 'utf8')).toBe(one.out);
    expectSame(one.out, cli(['run', file, '--json', '--threads', '3']).out);
    // The unbundled build finds its worker too.
    expectSame(one.out, cli(['run', file, '--json', '--threads', '2'], join(root, 'dist', 'cli', 'bin.js')).out);
    const part = cli(['run', file, '--until', '+20m']);
    expect(part.code).toBe(0);
    expectSame(part.out, cli(['run', file, '--until', '+20m', '--threads', '2']).out);
  }, 300_000);

  it('bad input with --threads: one line, exit 2, no stack', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'title: x\nstart: nonsense\n');
    const r = cli(['run', bad, '--threads', '2']);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/bad\.yaml:\d+:\d+/);
    const t = cli(['run', 'tanf-2017-05-18', '--threads', '0']);
    expect(t.code).toBe(2);
    expect(t.err).toMatch(/--threads: '0' is not a whole number from 1 to 64/);
  });
});
