/**
 * The plain YAML reader (src/core/scenario/plain-yaml.ts) gives the `yaml` library's value or
 * gives up: on every bundled scenario and fixture, on the benchmark's workload, on documents the
 * `yaml` library writes in every style, and on those documents with characters changed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { generateWorkload, workloadToYaml } from '../../src/bench/workload.js';
import { readPlainYaml, resolvePlain } from '../../src/core/scenario/plain-yaml.js';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : /\.(ya?ml|json)$/.test(f) ? [p] : [];
  });
}

/** The `yaml` library's value, as the slow way reads it (undefined where it finds an error). */
function library(text: string): unknown {
  const doc = parseDocument(text, { version: '1.2', uniqueKeys: true, strict: true });
  if (doc.errors.length) return undefined;
  return doc.toJS({ maxAliasCount: 200 }) as unknown;
}

let reads = 0;

/** Plain or undefined; where plain, the library's value. */
function agrees(text: string): boolean {
  const mine = readPlainYaml(text);
  if (mine === undefined) return true;
  reads++;
  expect(mine, text).toEqual(library(text));
  return true;
}

describe('plain YAML reader', () => {
  it('reads the benchmark workload as the yaml library does', () => {
    const text = workloadToYaml(generateWorkload({ units: 50, zones: 20, seed: 3, duration: 3600, tick: 1, waypoints: 20, radius: 300_000 }), 't.csv');
    const mine = readPlainYaml(text);
    expect(mine).toBeDefined();
    expect(mine).toEqual(library(text));
  });

  it('reads every bundled scenario and fixture as the yaml library does, or leaves it', () => {
    let read = 0;
    for (const f of [...files(join(root, 'scenarios')), ...files(join(root, 'test', 'fixtures'))]) {
      const text = readFileSync(f, 'utf8');
      const mine = readPlainYaml(text);
      if (mine === undefined) continue;
      read++;
      expect(mine, f).toEqual(library(text));
    }
    // Most fixtures are plain (block scalars, tabs, BOMs and YAML's rarer forms are left).
    expect(read).toBeGreaterThan(60);
  });

  it('resolves plain scalars as the core schema does', () => {
    for (const [s, v] of [
      ['12', 12],
      ['-7', -7],
      ['+3', 3],
      ['0o17', 15],
      ['0x1F', 31],
      ['1.5', 1.5],
      ['.5', 0.5],
      ['1.', 1],
      ['2e3', 2000],
      ['-.inf', Number.NEGATIVE_INFINITY],
      ['.NaN', NaN],
      ['~', null],
      ['null', null],
      ['NULL', null],
      ['True', true],
      ['false', false],
      ['yes', 'yes'],
      ['no', 'no'],
      ['+1h', '+1h'],
      ['55km', '55km'],
      ['2017-05-18T06:00:00Z', '2017-05-18T06:00:00Z'],
      ['0b101', '0b101'],
      ['1_000', '1_000'],
    ] as const)
      expect(resolvePlain(s), s).toEqual(v);
  });

  it('leaves what it does not read', () => {
    for (const text of [
      'a: |\n  text\n',
      'a: >\n  text\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '%YAML 1.2\n---\na: 1\n',
      '---\na: 1\n',
      'a: 1\na: 2\n',
      '? a\n: 1\n',
      'a: [1, 2,]\n',
      'a: "x\\ty"\n'.replace('\\t', '\\x41'),
      'a: b: c\n',
      'a: - b\n',
      'a:\n  b\n  c\n',
      '"a": 1\n',
      '1: a\n',
      '__proto__: {a: 1}\n',
      '<<: {a: 1}\n',
      'a:\tb\n',
      'a: 1\r\nb: 2\r\n',
      '\ufeffa: 1\n',
      'a: [b: c]\n',
      'a: {b}\n',
    ])
      expect(readPlainYaml(text), JSON.stringify(text)).toBeUndefined();
  });

  const key = fc.oneof(fc.constantFrom('id', 'name', 'pos', 't', 'track', 'zones', 'a b', 'x-y', 'k.1', 'on', 'y'), fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/));
  const scalar = fc.oneof(
    fc.integer({ min: -1e6, max: 1e6 }),
    fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      '55km',
      '+1h',
      '2017-05-18T06:00:00Z',
      'pro-regime',
      'a: b',
      'a #b',
      'a#b',
      '-x',
      '- x',
      '#x',
      "it's",
      'say "hi"',
      'x, y',
      '[x]',
      '{y}',
      '',
      ' lead',
      'trail ',
      'null',
      'true',
      '0x1F',
      '1e3',
      'é ü',
      'back\\slash',
      'tab\there',
      'line\nbreak',
    ),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small' }, scalar, tie('list'), tie('map')),
    list: fc.array(tie('node'), { maxLength: 4 }),
    map: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
  })).map;
  const options = fc.record({
    collectionStyle: fc.constantFrom('any', 'block', 'flow'),
    defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'),
    indent: fc.constantFrom(2, 4),
    indentSeq: fc.boolean(),
    flowCollectionPadding: fc.boolean(),
  });

  it('agrees with the yaml library on documents it writes in every style', () => {
    reads = 0;
    fc.assert(
      fc.property(value, options, (v, o) => agrees(stringify(v, { ...o, lineWidth: 0, version: '1.2' }))),
      { numRuns: 2000 },
    );
    // Most of them are read, not left.
    expect(reads).toBeGreaterThan(600);
  });

  it('agrees with the yaml library on those documents with characters changed, added or taken out', () => {
    reads = 0;
    const edit = fc.tuple(
      fc.nat(),
      fc.constantFrom('', ' ', '  ', '\n', '-', ':', ': ', '#', ' #', ',', '[', ']', '{', '}', '"', "'", 'x', '\\', '- '),
      fc.integer({ min: 0, max: 2 }),
    );
    fc.assert(
      fc.property(value, options, fc.array(edit, { minLength: 1, maxLength: 3 }), (v, o, edits) => {
        let text = stringify(v, { ...o, lineWidth: 0, version: '1.2' });
        for (const [at, s, cut] of edits) {
          const i = text.length ? at % text.length : 0;
          text = text.slice(0, i) + s + text.slice(i + cut);
        }
        return agrees(text);
      }),
      { numRuns: 4000 },
    );
    expect(reads).toBeGreaterThan(200);
  });
});
