/**
 * The warnings' positions found the fast way (js-yaml's node events) agree with the `yaml`
 * library's, field by field, on every bundled scenario and every YAML fixture the fast way reads.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fastScenarioSource, slowScenarioSource, type FieldPath } from '../../src/core/warnings/source.js';

const root = join(import.meta.dirname, '..', '..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(f) ? [p] : [];
  });
}

/** Every path of a value, and one step past each leaf (a field that is not there: its parent answers). */
function paths(v: unknown, at: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => paths(x, [...at, i], out));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  else out.push([...at, 'missing']);
  return out;
}

describe('fastScenarioSource', () => {
  const files = [...yamlFiles(join(root, 'scenarios')), ...yamlFiles(join(root, 'test', 'fixtures'))];
  let fast = 0;

  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const quick = fastScenarioSource(text, 'x');
    if (!quick) continue;
    fast++;
    it(`${f.slice(root.length + 1)}: the same value and the same line and column for every field`, () => {
      const slow = slowScenarioSource(text, 'x');
      expect(quick.raw).toEqual(slow.raw);
      for (const p of paths(slow.raw)) expect(quick.locate(p), p.join('.')).toEqual(slow.locate(p));
    });
  }

  it('reads most files the fast way', () => {
    expect(fast).toBeGreaterThan(40);
  });

  it('agrees with the slow way on generated block and flow layouts, comments and blank lines', () => {
    const scalar = fc.oneof(
      fc.integer({ min: -999, max: 999 }).map(String),
      fc.constantFrom('abc', '"quoted: x"', "'single'", 'null', 'true', '1.5', '2017-05-18T06:00:00Z'),
    );
    const key = fc.constantFrom('id', 'name', 'pos', 't', 'track', 'zones');
    const text = fc
      .tuple(
        fc.array(
          fc.tuple(
            key,
            fc.oneof(
              scalar,
              fc.array(scalar, { maxLength: 3 }).map((a) => `[${a.join(', ')}]`),
              fc.dictionary(key, scalar, { maxKeys: 3 }).map(
                (o) =>
                  `{${Object.entries(o)
                    .map(([k, v]) => `${k}: ${v}`)
                    .join(', ')}}`,
              ),
            ),
          ),
          { minLength: 1, maxLength: 4 },
        ),
        fc.array(fc.dictionary(key, scalar, { minKeys: 1, maxKeys: 3 }), { maxLength: 3 }),
        fc.boolean(),
      )
      .map(([top, items, comments]) => {
        const seen = new Set<string>();
        const lines = top.filter(([k]) => !seen.has(k) && seen.add(k)).map(([k, v]) => `${k}: ${v}${comments ? '  # note' : ''}`);
        if (!seen.has('units')) {
          lines.push('units:');
          for (const it of items) {
            const e = Object.entries(it);
            lines.push(`  - ${e[0][0]}: ${e[0][1]}`, ...e.slice(1).map(([k, v]) => `${comments ? '\n    # why\n' : ''}    ${k}: ${v}`));
          }
        }
        return `${lines.join('\n')}\n`;
      });
    fc.assert(
      fc.property(text, (t) => {
        const quick = fastScenarioSource(t, 'x');
        if (!quick) return;
        const slow = slowScenarioSource(t, 'x');
        expect(quick.raw).toEqual(slow.raw);
        for (const p of paths(slow.raw)) expect(quick.locate(p), `${p.join('.')} in\n${t}`).toEqual(slow.locate(p));
      }),
      { numRuns: 300 },
    );
  });
});
