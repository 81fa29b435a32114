/** The real binary, headless: exit codes, output formats and messages. Needs `npm run build`. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');

function cli(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const env = { ...process.env };
  delete env.DECONFLICT_DEBUG;
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: opts.cwd ?? root, input: opts.input ?? '', encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'deconflict-cli-'));

describe('deconflict run', () => {
  it('prints a readable timeline with reasons and an outcome', () => {
    const r = cli(['run', 'scenarios/tanf-2017-05-18.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/At Tanf, 18 May 2017/);
    expect(r.out).toMatch(/convoy\s+tanf-dz\s+ESCALATE\s+warning shots → strike\s+strike: still inside/);
    expect(r.out).toMatch(/convoy\s+highest rung: strike \(struck\)/);
  });

  it('runs the same from the unbundled build and from the former executable path, once each', () => {
    const bundled = cli(['run', 'tanf-2017-05-18', '--json']).out;
    for (const f of [join(root, 'dist', 'cli', 'bin.js'), join(root, 'dist', 'cli', 'main.js')]) {
      const r = spawnSync(process.execPath, [f, 'run', 'tanf-2017-05-18', '--json'], { cwd: root, encoding: 'utf8' });
      expect(r.status).toBe(0);
      expect(r.stdout).toBe(bundled);
    }
  });

  it('finds bundled scenarios by name', () => {
    expect(cli(['run', 'euphrates-2018-02-07']).out).toMatch(/HOSTILE ACT/);
  });

  it('prints NDJSON with the event contract', () => {
    const r = cli(['run', 'tanf-2017-05-18', '--json']);
    expect(r.code).toBe(0);
    const evs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(evs.length).toBeGreaterThan(5);
    evs.forEach((e, i) => {
      expect(e.seq).toBe(i + 1);
      expect(e.t).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
      expect(['approach', 'enter', 'exit', 'cross', 'dwell', 'massing', 'escalate', 'stand_down', 'hostile_act', 'inject']).toContain(e.type);
      expect(typeof e.reason).toBe('string');
    });
    const strike = evs.find((e) => e.rung === 'strike' && e.type === 'escalate');
    expect(strike).toMatchObject({ unit: 'convoy', zone: 'tanf-dz', from: 'warning_shots' });
    expect(strike.at).toHaveLength(2);
    expect(typeof strike.edge_m).toBe('number');
    expect(typeof strike.site_m).toBe('number');
  });

  it('stops early with --until', () => {
    const all = cli(['run', 'tanf-2017-05-18', '--json']).out.trim().split('\n');
    const some = cli(['run', 'tanf-2017-05-18', '--json', '--until', '2017-05-18T07:31:00Z']).out.trim().split('\n');
    expect(some.length).toBeLessThan(all.length);
    expect(some).toEqual(all.slice(0, some.length));
    expect(JSON.parse(some[some.length - 1]).rung).toBe('warn');
    expect(cli(['run', 'tanf-2017-05-18', '--until', '+1h']).code).toBe(0);
    const bad = cli(['run', 'tanf-2017-05-18', '--until', 'noon']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--until: 'noon' is not a time/);
  });

  it('writes --out as it goes and never overwrites without --force', () => {
    const d = tmp();
    const out = join(d, 'events.ndjson');
    expect(cli(['run', 'tanf-2017-05-18', '--out', out]).code).toBe(0);
    const first = readFileSync(out, 'utf8');
    expect(
      first
        .split('\n')
        .filter(Boolean)
        .every((l) => JSON.parse(l).seq > 0),
    ).toBe(true);
    writeFileSync(out, 'mine\n');
    const r = cli(['run', 'tanf-2017-05-18', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/exists; pass --force/);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    expect(cli(['run', 'tanf-2017-05-18', '--out', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(first);
  });

  it('takes --seed after the command, and the seed changes a noisy run', () => {
    const a = cli(['run', 'tanf-2017-06-massing', '--json', '--seed', '1']).out;
    const b = cli(['run', 'tanf-2017-06-massing', '--json', '--seed', '2']).out;
    expect(a).not.toBe(b);
    expect(cli(['run', 'tanf-2017-06-massing', '--json', '--seed', '2']).out).toBe(b);
    expect(cli(['run', 'tanf-2017-06-massing', '--json', '--seed', '3']).out).toBe(cli(['run', 'tanf-2017-06-massing', '--json']).out);
    expect(cli(['--headless', '--seed', '2', 'tanf-2017-06-massing']).code).toBe(0);
  });

  it('falls back to the headless timeline without a terminal', () => {
    const r = cli(['scenarios/tanf-2017-06-06.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warned several times/);
    expect(r.out).not.toMatch(/\x1b\[/);
  });
});

describe('bad input', () => {
  it('exits 2 with one line naming file:line:column and the field, and no stack trace', () => {
    const d = tmp();
    const f = join(d, 'bad.yaml');
    writeFileSync(f, readFileSync(join(root, 'scenarios', 'tanf-2017-05-18.yaml'), 'utf8').replace('radius: 55km', 'raduis: 55km'));
    for (const cmd of [['run', f], ['validate', f], ['check', f], [f]]) {
      const r = cli(cmd);
      expect(r.code, cmd.join(' ')).toBe(2);
      const lines = r.err.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: zones\\[0\\]\\.raduis: unknown field 'raduis' \\(did you mean 'radius'\\?\\)$`),
      );
      expect(r.err).not.toMatch(/\n\s+at /);
    }
  });

  it('says so when the file does not exist', () => {
    const r = cli(['run', 'nowhere.yaml']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^nowhere.yaml:1:1: no such file/);
  });

  it('exits 2 on an unknown command or option', () => {
    expect(cli(['fly']).code).toBe(2);
    expect(cli(['run', '--fast', 'tutorial']).code).toBe(2);
  });
});

describe('validate, check, schema, list', () => {
  it('validates every bundled scenario', () => {
    const files = ['tanf-2017-05-18', 'tanf-2017-06-06', 'tanf-2017-06-massing', 'euphrates-2018-02-07', 'tutorial'].map((n) => `scenarios/${n}.yaml`);
    const r = cli(['validate', ...files]);
    expect(r.code).toBe(0);
    expect(r.out.trim().split('\n')).toHaveLength(5);
  });

  it('check passes the bundled scenarios and exits 1 on a failed expectation', () => {
    const ok = cli(['check', 'tanf-2017-05-18', 'euphrates-2018-02-07', 'tutorial']);
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/all expectations passed in 3 scenarios/);
    const d = tmp();
    const f = join(d, 'wrong.yaml');
    writeFileSync(
      f,
      readFileSync(join(root, 'scenarios', 'tanf-2017-05-18.yaml'), 'utf8').replace(
        '{unit: convoy, reaches: strike, before: 2017-05-18T09:00:00Z}',
        '{unit: convoy, never_reaches: warning_shots}',
      ),
    );
    const r = cli(['check', f]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAIL\s+unit convoy never reaches warning_shots: reached warning_shots at 2017-05-18T07:45:50Z/);
  });

  it('prints the JSON Schema that is committed as scenario.schema.json', () => {
    const r = cli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.out);
    expect(schema).toEqual(JSON.parse(readFileSync(join(root, 'scenario.schema.json'), 'utf8')));
    expect(schema.properties.zones).toBeTruthy();
    expect(schema.required).toEqual(expect.arrayContaining(['title', 'start', 'end', 'zones', 'units']));
  });

  it('lists the bundled scenarios with their titles', () => {
    const r = cli(['list']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/tanf-2017-05-18\s+At Tanf, 18 May 2017.*\[default\]/);
    expect(r.out.trim().split('\n').length).toBeGreaterThanOrEqual(5);
  });

  it('has --help and --version everywhere', () => {
    const h = cli(['--help']);
    expect(h.code).toBe(0);
    for (const c of ['run', 'validate', 'check', 'schema', 'list']) expect(h.out).toContain(c);
    expect(cli(['run', '--help']).out).toMatch(/--until <time>/);
    const v = cli(['--version']);
    expect(v.code).toBe(0);
    expect(v.out.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    expect(existsSync(bin)).toBe(true);
  });
});
