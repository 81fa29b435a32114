/**
 * The loader never throws anything but ScenarioError, whatever it is given: random bytes, random
 * YAML, random JSON values, and random mutations of the bundled scenarios. Every refusal is one
 * line that names a real line and column of the input.
 */
import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { parseScenario } from '../../src/io/node/load.js';
import { readDocumentSlow, readFast } from '../../src/core/scenario/document.js';
import { checkZoneGeometry } from '../../src/core/scenario/geometry.js';
import { readCsv, readCsvByCsvParse } from '../../src/io/csv.js';
import { parseFixTime } from '../../src/io/source.js';
import { scenarioObject } from './arbitraries.js';

const root = join(import.meta.dirname, '..', '..');
const bundled = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => readFileSync(join(root, 'scenarios', f), 'utf8'));

/** Load, and check that any failure is a well-formed ScenarioError. Returns whether it loaded. */
function loads(input: string | Uint8Array): boolean {
  try {
    parseScenario(input, 'fuzz.yaml');
    return true;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw new Error(`the loader threw ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`, { cause: e });
    expect(e.message).toMatch(/^fuzz\.yaml:\d+:\d+: /);
    expect(e.message).not.toMatch(/[\r\n]/);
    const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n|\r/).length;
    expect(e.line).toBeGreaterThanOrEqual(1);
    expect(e.line).toBeLessThanOrEqual(lines + 1);
    expect(e.column).toBeGreaterThanOrEqual(1);
    return false;
  }
}

/** YAML-ish fragments a person or a broken tool might put anywhere. */
const junk = fc.constantFrom(
  '',
  ' ',
  '\t',
  '\n',
  '\r\n',
  ':',
  ': ',
  '- ',
  '-',
  '[',
  ']',
  '{',
  '}',
  ',',
  '"',
  "'",
  '#',
  '&a ',
  '*a',
  '*b',
  '!!binary ',
  '!x ',
  '<<: ',
  '? ',
  '|',
  '>',
  '---',
  '...',
  '%YAML 1.1',
  '.nan',
  '.inf',
  '-.inf',
  '1e999',
  '-0',
  '0x1F',
  '~',
  'null',
  'true',
  '\u00a0',
  '\uFEFF',
  '\u0000',
  'radius',
  'track',
  'pos',
  't: ',
  'speed: ',
  'km',
  'ms',
  'tick: 0s',
  '9'.repeat(40),
  'é',
  '🚙',
);

const mutation = fc.oneof(
  // Delete, duplicate or swap lines.
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 5 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  // Insert junk, or replace some characters with junk.
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), s: junk }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 8 }), s: junk }),
  // Indent or outdent a line.
  fc.record({ kind: fc.constant('indent' as const), at: fc.nat(), by: fc.integer({ min: -4, max: 4 }) }),
  // Cut the file short.
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const li = (i: number) => i % lines.length;
  switch (m.kind) {
    case 'delete':
      lines.splice(li(m.at), m.n);
      return lines.join('\n');
    case 'duplicate':
      lines.splice(li(m.at), 0, lines[li(m.at)]);
      return lines.join('\n');
    case 'swap': {
      const a = li(m.at);
      const b = li(m.to);
      [lines[a], lines[b]] = [lines[b], lines[a]];
      return lines.join('\n');
    }
    case 'indent': {
      const i = li(m.at);
      lines[i] = m.by >= 0 ? ' '.repeat(m.by) + lines[i] : lines[i].replace(new RegExp(`^ {0,${-m.by}}`), '');
      return lines.join('\n');
    }
    case 'insert': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.s + text.slice(at);
    }
    case 'replace': {
      const at = m.at % (text.length + 1);
      return text.slice(0, at) + m.s + text.slice(at + m.n);
    }
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
  }
}

describe('the loader, whatever it is given', () => {
  it('random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        loads(bytes);
      }),
      { numRuns: 400, seed: 1 },
    );
  });

  it('random text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (s) => {
        loads(s);
      }),
      { numRuns: 400, seed: 2 },
    );
  });

  it('random YAML and JSON values', () => {
    fc.assert(
      fc.property(
        fc.anything({ maxDepth: 4, withNullPrototype: true, withBigInt: false, withDate: true, withTypedArray: true, withSparseArray: true }),
        fc.boolean(),
        (v, json) => {
          let text: string;
          try {
            text = (json ? JSON.stringify(v) : stringify(v)) ?? '';
          } catch {
            return; // not serialisable: nothing to load
          }
          loads(text);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('random scenarios with one field replaced by a random value', () => {
    fc.assert(
      fc.property(scenarioObject(), fc.array(fc.nat(), { minLength: 1, maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), (obj, route, value) => {
        // Walk down a random route and replace what is there.
        let node: Record<string, unknown> = obj;
        for (let i = 0; i < route.length - 1; i++) {
          const keys = Object.keys(node);
          const next = node[keys[route[i] % keys.length]];
          if (!next || typeof next !== 'object') break;
          node = next as Record<string, unknown>;
        }
        const keys = Object.keys(node);
        node[keys[route[route.length - 1] % keys.length]] = value;
        loads(stringify(obj));
      }),
      { numRuns: 300, seed: 4 },
    );
  });

  it('random mutations of the bundled scenarios', () => {
    let loaded = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.constantFrom(...bundled), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (text, ms, crlf) => {
        let t = ms.reduce(mutate, text);
        if (crlf) t = t.replace(/\n/g, '\r\n');
        if (loads(t)) loaded++;
        else refused++;
      }),
      { numRuns: 400, seed: 5 },
    );
    // Both outcomes happen: the mutations are neither all harmless nor all fatal.
    expect(loaded).toBeGreaterThan(10);
    expect(refused).toBeGreaterThan(10);
  });
});

/**
 * The fast reading (js-yaml, no positions) must never accept what the slow one (the yaml library,
 * with positions, the authority) refuses, nor read different data: whenever it gives a value, the
 * slow reading accepts the text and gives a deep-equal value (-0 and NaN included).
 */
describe('the fast reading agrees with the slow one', () => {
  const KIND = { what: 'a scenario', files: 'scenario files', emptyHint: '' };
  function agree(text: string): 'fast' | 'slow' {
    const fast = readFast(text);
    if (fast === undefined) return 'slow';
    let slow: unknown;
    try {
      slow = readDocumentSlow(text, 'fuzz.yaml', KIND).raw;
    } catch (e) {
      throw new Error(`the fast reading accepted text the slow one refuses (${(e as Error).message}):\n${text.slice(0, 400)}`, { cause: e });
    }
    expect(fast, text.slice(0, 400)).toStrictEqual(slow);
    return 'fast';
  }

  it('on mutations of the bundled scenarios', () => {
    let fastCount = 0;
    fc.assert(
      fc.property(fc.constantFrom(...bundled), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.boolean(), (text, ms, crlf) => {
        let t = ms.reduce(mutate, text);
        if (crlf) t = t.replace(/\n/g, '\r\n');
        if (agree(t) === 'fast') fastCount++;
      }),
      { numRuns: 500, seed: 11 },
    );
    expect(fastCount).toBeGreaterThan(50);
  });

  it('on scalars of every kind, plain and quoted, in block and flow collections', () => {
    const scalar = fc.oneof(
      fc.constantFrom(
        '1',
        '-0',
        '+12',
        '0o17',
        '0x1F',
        '0b101',
        '1_000',
        '1.',
        '.5',
        '-.5e3',
        '1e3',
        '1E+3',
        '.inf',
        '-.Inf',
        '.NaN',
        '.nan',
        'NaN',
        '~',
        'null',
        'Null',
        'NULL',
        '',
        'true',
        'True',
        'TRUE',
        'yes',
        'no',
        'on',
        'off',
        'y',
        '2017-05-18',
        '2017-05-18T06:00:00Z',
        '1:30',
        '12:30:00',
        '0777',
        '007',
        '1e999',
        '9007199254740993',
        '-',
        '=',
        '<<',
      ),
      fc.string({ maxLength: 12 }),
    );
    const styled = fc
      .tuple(scalar, fc.constantFrom('plain', 'single', 'double'))
      .map(([s, st]) => (st === 'plain' ? s : st === 'single' ? `'${s.replace(/'/g, "''")}'` : JSON.stringify(s)));
    fc.assert(
      fc.property(fc.array(styled, { minLength: 1, maxLength: 5 }), fc.boolean(), (vals, flow) => {
        const text = flow
          ? `title: x\nlist: [${vals.join(', ')}]\nmap: {${vals.map((v, i) => `k${i}: ${v}`).join(', ')}}\n`
          : `title: x\nlist:\n${vals.map((v) => `  - ${v}`).join('\n')}\n${vals.map((v, i) => `k${i}: ${v}`).join('\n')}\n`;
        agree(text);
      }),
      { numRuns: 1000, seed: 12 },
    );
  });

  it('on random scenario objects written in every YAML style', () => {
    fc.assert(
      fc.property(scenarioObject(), fc.constantFrom('block', 'flow', 'json'), (obj, style) => {
        const text = style === 'json' ? JSON.stringify(obj, null, 1) : stringify(obj, style === 'flow' ? { collectionStyle: 'flow' } : {});
        agree(text);
      }),
      { numRuns: 200, seed: 13 },
    );
  });
});

/** The quick CSV reader gives what csv-parse gives, on plain files, or hands the file to csv-parse. */
describe('the quick CSV reader agrees with csv-parse', () => {
  it('on random plain CSV text', () => {
    const cell = fc.oneof(
      fc.constantFrom('u1', 'u2', ' u1 ', '', ' ', '33.5', ' 38.6 ', '2017-05-18T06:00:00Z', '1495087200', 'x y', 'é', '#', '"q"', '\t'),
      fc.string({ maxLength: 6 }),
    );
    const row = fc.array(cell, { minLength: 1, maxLength: 5 });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 8 }), fc.constantFrom(',', ';', '\t'), fc.constantFrom('\n', '\n\n', '\n  \n'), (rows, d, nl) => {
        const text = ['unit,time,lat,lon'.replace(/,/g, d), ...rows.map((r) => r.join(d))].join(nl);
        const a = attempt(() => readCsv(text, 'f.csv'));
        const b = attempt(() => readCsvByCsvParse(text, 'f.csv'));
        expect(a, JSON.stringify(text)).toStrictEqual(b);
      }),
      { numRuns: 1500, seed: 14 },
    );
  });
});

function attempt<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    if (e instanceof ScenarioError) return e.message;
    throw e;
  }
}

describe('fix times', () => {
  it('the quick path for 2017-05-18T06:00:00Z gives what the general path gives', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        fc.integer({ min: 0, max: 25 }),
        fc.integer({ min: 0, max: 61 }),
        fc.integer({ min: 0, max: 61 }),
        (y, mo, d, h, mi, s) => {
          const iso = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}Z`;
          // The same time written with a zone offset goes the general way.
          expect(parseFixTime(iso), iso).toBe(parseFixTime(iso.replace('Z', '+00:00')));
        },
      ),
      { numRuns: 3000, seed: 15 },
    );
  });
});

describe('degenerate zones', () => {
  it('a ring is found to cross itself exactly when some two edges that are not neighbours cross', () => {
    const pt = fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }));
    fc.assert(
      fc.property(fc.array(pt, { minLength: 3, maxLength: 9 }), (pts) => {
        const ring = [...pts, pts[0]].map(([x, y]) => [38 + x / 10, 33 + y / 10] as [number, number]);
        const n = ring.length - 1;
        const o = (a: number[], b: number[], c: number[]) => Math.sign((b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]));
        let brute = false;
        for (let i = 0; i < n; i++)
          for (let j = i + 2; j < n; j++) {
            if (i === 0 && j === n - 1) continue;
            const [a, b, c, d] = [ring[i], ring[i + 1], ring[j], ring[j + 1]];
            if (o(a, b, c) * o(a, b, d) < 0 && o(c, d, a) * o(c, d, b) < 0) brute = true;
          }
        let message = '';
        try {
          checkZoneGeometry('polygon', [ring], (_sub, m) => new ScenarioError({ file: 'f', line: 1, column: 1, field: '', message: m }));
        } catch (e) {
          message = (e as Error).message;
        }
        expect(/crosses itself/.test(message), JSON.stringify(ring)).toBe(brute);
      }),
      { numRuns: 3000, seed: 16 },
    );
  });
});
