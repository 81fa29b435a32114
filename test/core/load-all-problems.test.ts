/**
 * `validate` reports every problem of a file at once (issue 15), each with file:line:column and
 * the field, in file order; `run` still stops, at the first problem the loader finds. The library
 * throws ScenarioErrors holding them all (as a ScenarioError it is the first).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { problemsOf, ScenarioError, ScenarioErrors } from '../../src/core/errors.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';

const root = join(import.meta.dirname, '..', '..');
const dir = join(root, 'test', 'fixtures', 'invalid-many');
const bin = join(root, 'dist', 'bin', 'deconflict.js');

function problems(text: string): ScenarioError[] {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return [...problemsOf(e as ScenarioError)];
  }
  throw new Error('expected the scenario to be refused');
}

const BASE = `title: Test
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
sites:
  - {id: tanf, name: Tanf, side: coalition, pos: [38.61778, 33.50583]}
zones:
  - {id: dz, name: zone, type: circle, center: tanf, radius: 55km, applies_to: [red]}
units:
  - {id: u1, name: Unit, side: red, track: [{pos: [38.0, 34.0], t: 2017-05-18T06:00:00Z}]}
  - {id: u2, name: Unit, side: red, track: [{pos: [38.0, 34.0], t: 2017-05-18T06:00:00Z}]}
`;

describe('every problem at once', () => {
  it('the three kinds: a schema problem, a problem in one item, a reference to an item with a problem', () => {
    const text = BASE.replace('radius: 55km', 'raduis: 55km')
      .replace('{id: u1, name: Unit, side: red, track: [{pos: [38.0, 34.0]', '{id: u1, name: Unit, side: red, track: [{pos: [38.0, 134.0]')
      .concat('injects:\n  - {t: +1h, type: halt, unit: u3}\n  - {t: +1h, type: halt, unit: u1}\n');
    const ps = problems(text);
    expect(ps.map((p) => `${p.line}:${p.column} ${p.field}`)).toEqual(['7:54 zones[0].raduis', '9:58 units[0].track[0].pos[1]', '12:32 injects[0].unit']);
    expect(ps[0].detail).toMatch(/unknown field 'raduis'/);
    expect(ps[1].detail).toMatch(/latitude 134 is out of range/);
    // injects[1] refers to u1, which has a problem of its own: no second message for it.
    expect(ps[2].detail).toMatch(/unknown unit 'u3'/);
  });

  it('a problem found by the schema in one unit does not hide a problem in another', () => {
    const text = BASE.replace('{id: u1, name: Unit, side: red, track:', '{id: u1, name: Unit, side: red, sidc: x, track:').replace(
      '{id: u2, name: Unit, side: red, track: [{pos: [38.0, 34.0]',
      '{id: u2, name: Unit, side: red, track: [{pos: [238.0, 34.0]',
    );
    expect(problems(text).map((p) => p.field)).toEqual(['units[0].sidc', 'units[1].track[0].pos[0]']);
  });

  it('one problem is a plain ScenarioError; several are a ScenarioErrors whose message is the first', () => {
    const one = (() => {
      try {
        parseScenario(BASE.replace('radius: 55km', 'radius: 0km'), 'bad.yaml');
      } catch (e) {
        return e;
      }
    })();
    expect(one).toBeInstanceOf(ScenarioError);
    expect(one).not.toBeInstanceOf(ScenarioErrors);
    let many: unknown;
    try {
      loadScenario(join(dir, 'three-typos.yaml'), { displayName: 'three-typos.yaml' });
    } catch (e) {
      many = e;
    }
    expect(many).toBeInstanceOf(ScenarioErrors);
    const all = (many as ScenarioErrors).problems;
    expect(all.length).toBe(5);
    expect((many as ScenarioError).message).toBe(all[0].message);
  });

  it('the binary: validate prints every problem in file order, run only the first; both exit 2', () => {
    const want = readFileSync(join(dir, 'three-typos.expected'), 'utf8');
    const env = { ...process.env };
    delete env.DECONFLICT_DEBUG;
    const v = spawnSync(process.execPath, [bin, 'validate', 'three-typos.yaml'], { cwd: dir, env, encoding: 'utf8' });
    expect(v.status).toBe(2);
    expect(v.stdout).toBe('');
    expect(v.stderr).toBe(want);
    const lines = want.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    for (const l of lines) expect(l).toMatch(/^three-typos\.yaml:\d+:\d+: \S+: /);
    const at = lines.map((l) => /:(\d+):(\d+):/.exec(l)!.slice(1).map(Number));
    expect(at).toEqual([...at].sort((a, b) => a[0] - b[0] || a[1] - b[1]));
    const r = spawnSync(process.execPath, [bin, 'run', 'three-typos.yaml'], { cwd: dir, env, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(`${lines[0]}\n`);
  });
});
