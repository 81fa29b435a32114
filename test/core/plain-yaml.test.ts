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
    // Most fixtures are plain (tabs, BOMs, indentation indicators and YAML's rarer forms are left).
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
      'a: |+\n  text\n\n',
      'a: |2\n  text\n',
      'a: >1\n  text\n',
      'a: >\n  x\n   more\n',
      'a: |\n  x \n',
      'a: >\n  x\n   \n  y\n',
      'a: >\n\n\n',
      'a: |\nb: 1\n',
      'a: |#c\n  x\n',
      'a: |x\n  x\n',
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

  it('reads block scalars (| and >, clip and strip) as the yaml library does', () => {
    for (const text of [
      'd: >\n  two\n  lines\nn: 1\n',
      'a: |\n  x\n  y\n',
      'a: |-\n  x\n\n  y\n\n\nb: 1\n',
      'a: >\n\n  x\n  y\n\n  z\n',
      'a: >-\n  x',
      'a: |\n  x',
      'a: >\n  x\n# c\nb: 2\n',
      '- |\n  a\n  b\n- >\n  c\n',
      'a: | # c\n  x\n',
      'k:\n  - n: >\n      deep\n      text: not a key\n    m: 1\n',
      'a: >\n  x\n  #not a comment\n',
      'a: >\n  x\n\n',
      'a:\n  b: |\n    x\n  c: 1\n',
      'a: >\n    four\n    deep\nb: |-\n x\n',
    ]) {
      const mine = readPlainYaml(text);
      expect(mine, JSON.stringify(text)).toBeDefined();
      expect(mine, JSON.stringify(text)).toEqual(library(text));
    }
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

  it('agrees with the yaml library on block scalars (| and >) it writes, as they are and with characters changed', () => {
    reads = 0;
    // Lines of text, which the library writes as block scalars: empty lines, lines more indented,
    // white space at the end, text that looks like YAML, a long line folded at a narrow width.
    const text = fc
      .array(
        fc.constantFrom('word', 'two words', '', '', '# hash', 'a: b', '- x', '>', '|', ' lead', 'trail ', 'a longer line of words that a narrow width folds'),
        { minLength: 1, maxLength: 5 },
      )
      .map((lines) => lines.join('\n'));
    const doc = fc.dictionary(key, fc.oneof(text, text, scalar, fc.array(text, { maxLength: 3 }), fc.dictionary(key, text, { maxKeys: 2 })), {
      minKeys: 1,
      maxKeys: 4,
    });
    const style = fc.record({
      blockQuote: fc.constantFrom<true | 'literal' | 'folded'>(true, 'literal', 'folded'),
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
      lineWidth: fc.constantFrom(0, 30),
    });
    const edit = fc.tuple(fc.nat(), fc.constantFrom('', ' ', '  ', '\n', '\n\n', '-', '+', '2', '#', ' #', '|', '>', ':', 'x'), fc.integer({ min: 0, max: 2 }));
    let blocks = 0;
    fc.assert(
      fc.property(doc, style, fc.array(edit, { maxLength: 2 }), (v, o, edits) => {
        let t = stringify(v, { ...o, version: '1.2' });
        for (const [at, s, cut] of edits) {
          const i = t.length ? at % t.length : 0;
          t = t.slice(0, i) + s + t.slice(i + cut);
        }
        if (/[|>]-?\n/.test(t) && readPlainYaml(t) !== undefined) blocks++;
        return agrees(t);
      }),
      { numRuns: 3000 },
    );
    // Hundreds of documents holding block scalars are read, not left (about 500 of 3,000).
    expect(blocks).toBeGreaterThan(300);
  });
});
