/**
 * Semantic warnings through the real binary: each fixture of test/fixtures/warnings prints its
 * lines byte for byte, `validate` exits 0 and `--strict` 1, and `run` prints the same warnings
 * once before the timeline. Needs `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const dir = join(root, 'test', 'fixtures', 'warnings');

function cli(args: string[], cwd = dir) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const fixtures = readdirSync(dir).filter((f) => f.endsWith('.yaml'));

describe('semantic warnings through the binary', () => {
  it('has a fixture for each kind of warning', () => {
    expect(fixtures.sort()).toEqual(['never-near.yaml', 'same-name.yaml', 'side-unjudged.yaml', 'side-unused.yaml', 'swapped.yaml', 'three-typos.yaml']);
  });

  for (const f of fixtures) {
    it(`${f}: validate prints the expected warnings and exits 0; --strict exits 1`, () => {
      const want = readFileSync(join(dir, f.replace('.yaml', '.expected')), 'utf8');
      const r = cli(['validate', f]);
      expect(r.err).toBe(want);
      expect(r.code).toBe(0);
      const n = want.trim().split('\n').length;
      expect(r.out).toBe(`${r.out.split(')')[0]}), ${n} warning${n === 1 ? '' : 's'}\n`);
      const s = cli(['validate', '--strict', f]);
      expect(s.code).toBe(1);
      expect(s.err).toBe(want);
    });
  }

  it('reports the three typos of issue 15 in one run of validate', () => {
    const r = cli(['validate', 'three-typos.yaml']);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^three-typos\.yaml:14:18: warning: zones\[1\]\.applies_to\[0\]: no unit has side 'reds'.*did you mean 'red'\?/);
    expect(lines[1]).toMatch(/^three-typos\.yaml:18:11: warning: units\[0\]\.side: no zone applies to side 'Red'.*did you mean 'red'\?/);
    expect(lines[2]).toMatch(/^three-typos\.yaml:26:15: warning: units\[1\]\.track\[0\]\.pos: .*read as \[38\.1, 33\.95\] it lies 13\.8 km from tanf-dz/);
  });

  it('run prints the same warnings once, before the timeline', () => {
    const r = cli(['run', 'three-typos.yaml']);
    expect(r.code).toBe(0);
    expect(r.err).toBe(readFileSync(join(dir, 'three-typos.expected'), 'utf8'));
    const j = cli(['run', 'swapped.yaml', '--json']);
    expect(j.err).toBe(readFileSync(join(dir, 'swapped.expected'), 'utf8'));
    expect(j.out).toMatch(/"type":"enter"/);
  });

  it('run shows the first 20 warnings and counts the rest; validate lists every one', () => {
    // 45 units far from the zone: a generated file can have thousands of these.
    const far = Array.from(
      { length: 45 },
      (_, i) =>
        `  - {id: far-${i}, name: Far ${i}, side: red, track: [{pos: {from: tanf, bearing: ${i * 8}, distance: 150km}, t: 2017-05-18T06:00:00Z}, {pos: {from: tanf, bearing: ${i * 8}, distance: 140km}, speed: 40km/h}]}`,
    );
    const text = readFileSync(join(dir, 'never-near.yaml'), 'utf8').replace(/\nunits:\n/, `\nunits:\n${far.join('\n')}\n`);
    const tmp = mkdtempSync(join(tmpdir(), 'deconflict-warn-'));
    writeFileSync(join(tmp, 'many.yaml'), text.replace('../../../scenario.schema.json', 'scenario.schema.json'));
    const r = cli(['run', 'many.yaml'], tmp);
    expect(r.code).toBe(0);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(21);
    for (const l of lines.slice(0, 20)) expect(l).toMatch(/^many\.yaml:\d+:\d+: warning: units\[\d+\]\.track: far-\d+ never comes within the approach band/);
    expect(lines[20]).toBe('many.yaml: 26 more warnings not shown (46 in all); `deconflict validate --all many.yaml` lists them all');
    // The timeline still comes: the convoy that does come near is judged.
    expect(r.out).toMatch(/convoy/i);
    const v = cli(['validate', '--all', 'many.yaml'], tmp);
    expect(v.err.trim().split('\n')).toHaveLength(46);
    expect(v.out).toMatch(/, 46 warnings\n$/);
  });

  it('validate shows ten warnings of a kind and counts the rest, so that a warning of another kind is not buried', () => {
    const far = Array.from(
      { length: 45 },
      (_, i) =>
        `  - {id: far-${i}, name: Far ${i}, side: red, track: [{pos: {from: tanf, bearing: ${i * 8}, distance: 150km}, t: 2017-05-18T06:00:00Z}, {pos: {from: tanf, bearing: ${i * 8}, distance: 140km}, speed: 40km/h}]}`,
    );
    // The last unit's name repeats the first's: one warning of another kind, after the 45.
    far.push(
      '  - {id: twin, name: Far 0, side: red, track: [{pos: {from: tanf, bearing: 0, distance: 150km}, t: 2017-05-18T06:00:00Z}, {pos: {from: tanf, bearing: 0, distance: 140km}, speed: 40km/h}]}',
    );
    const text = readFileSync(join(dir, 'never-near.yaml'), 'utf8').replace(/\nunits:\n/, `\nunits:\n${far.join('\n')}\n`);
    const tmp = mkdtempSync(join(tmpdir(), 'deconflict-warn-'));
    writeFileSync(join(tmp, 'many.yaml'), text.replace('../../../scenario.schema.json', 'scenario.schema.json'));
    const v = cli(['validate', 'many.yaml'], tmp);
    expect(v.code).toBe(0);
    const lines = v.err.trim().split('\n');
    expect(lines).toHaveLength(12);
    for (const l of lines.slice(0, 10)) expect(l).toMatch(/^many\.yaml:\d+:\d+: warning: units\[\d+\]\.track: far-\d+ never comes within the approach band/);
    expect(lines[10]).toMatch(/^many\.yaml:\d+:\d+: warning: units\[45\]\.name: far-0 \(units\[0\]\) has the same name 'Far 0'/);
    expect(lines[11]).toBe(
      "many.yaml: 37 more warnings of units that never come within a zone's approach band not shown (47 in all); `deconflict validate --all many.yaml` lists them all",
    );
    expect(v.out).toMatch(/, 48 warnings\n$/);
    const all = cli(['validate', '--all', 'many.yaml'], tmp);
    expect(all.err.trim().split('\n')).toHaveLength(48);
  });

  it('a bundled scenario has no warnings; --strict passes it', () => {
    const r = cli(['validate', '--strict', ...readdirSync(join(root, 'scenarios')).map((f) => join(root, 'scenarios', f))], root);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
  });
});
