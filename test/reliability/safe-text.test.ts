/**
 * One rule for everything shown or written (src/core/text/safe.ts): text from outside is made
 * safe for where it goes. Arbitrary strings — every code point, lone surrogates, ESC, BEL, C1,
 * line breaks, markup — go through each escape and through every face that writes such text: an
 * error line, the headless timeline, a live warning, a row of the terminal UI, the Markdown and
 * HTML reports, the KML and CoT exports and the starter YAML of `import`; the output is checked
 * against its target's rule (no control character on a terminal; well-formed XML with the text
 * intact; no markup from the text in HTML or Markdown; YAML that reads back to the same value
 * and has nothing added by a comment).
 */
import { DOMParser } from '@xmldom/xmldom';
import fc from 'fast-check';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse as parseYaml, parseDocument } from 'yaml';
import { Engine } from '../../src/core/engine.js';
import { ScenarioError } from '../../src/core/errors.js';
import { formatTimelineLine, type SimEvent } from '../../src/core/events.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import {
  hasControl,
  htmlText,
  markdownCode,
  markdownParagraphs,
  markdownText,
  terminalLine,
  terminalText,
  xmlText,
  yamlComment,
  yamlQuoted,
} from '../../src/core/text/safe.js';
import { toCot } from '../../src/io/export-cot.js';
import { toKml } from '../../src/io/export-kml.js';
import type { GeoData } from '../../src/io/geodata.js';
import { LiveRun } from '../../src/io/live.js';
import { starterScenario } from '../../src/io/starter.js';
import { toHtml } from '../../src/report/html.js';
import { toMarkdown } from '../../src/report/markdown.js';
import { buildReport } from '../../src/report/model.js';
import { row } from '../../src/ui/text.js';

/** Any text: every code point (lone surrogates too), with the troublemakers made likely. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc
    .array(
      fc.constantFrom(
        '\x1b]0;owned\x07',
        '\x1b[2J',
        '\x9b31m',
        '\x9d2;title\x9c',
        '\x07',
        '\r',
        '\n',
        '\u2028',
        '\u202e',
        '\ud800',
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '[x](javascript:alert(1))',
        '`',
        '|',
        '\\',
        '&amp;',
        '"',
        "'",
        ']]>',
        '# h',
        '- item',
        'key: value',
        'At Tanf',
      ),
      { maxLength: 8 },
    )
    .map((a) => a.join('')),
);

/** Every character a terminal or an XML document must not get raw (C0 but LF and tab, DEL, C1, separators, bidi controls, lone surrogates). */
const CONTROL_BUT_LF_TAB =
  /[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const noControl = (s: string) => !CONTROL_BUT_LF_TAB.test(s);
const oneLine = (s: string) => noControl(s) && !s.includes('\n') && !s.includes('\t');

/** Parse XML strictly: any warning or error fails. */
function parseXmlStrict(xml: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
  if (problems.length) throw new Error(`not well-formed XML: ${problems.join('; ')}`);
  return doc;
}

describe('the escapes, one per target', () => {
  test('terminal: nothing a terminal acts on, and a line stays one line; escaping is idempotent', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const line = terminalLine(s);
        expect(oneLine(line)).toBe(true);
        expect(hasControl(line)).toBe(false);
        expect(terminalLine(line)).toBe(line);
        const text = terminalText(s);
        expect(noControl(text)).toBe(true);
        expect(text.split('\n').length).toBe(s.split('\n').length);
        // Plain text is left as it is.
        if (!hasControl(s)) expect(line).toBe(s);
      }),
      { numRuns: 2000 },
    );
  });

  test('XML: well-formed, and the text reads back as its terminal-safe form', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const doc = parseXmlStrict(`<a b="${xmlText(s)}">${xmlText(s)}</a>`);
        expect(doc.documentElement!.getAttribute('b')).toBe(terminalLine(s));
        expect(doc.documentElement!.textContent).toBe(terminalLine(s));
      }),
      { numRuns: 1000 },
    );
  });

  test('HTML: no markup and no control character from the text', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const h = htmlText(s);
        expect(h).not.toMatch(/[<>"']/);
        expect(oneLine(h)).toBe(true);
        expect(h.replace(/&(lt|gt|amp|quot|#39);/g, '')).not.toContain('&');
      }),
      { numRuns: 1000 },
    );
  });

  test('Markdown: one line, every character Markdown or HTML would act on escaped', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const m = markdownText(s);
        expect(oneLine(m)).toBe(true);
        // Unescaped markup characters: none (each is preceded by an odd run of backslashes).
        for (const match of m.matchAll(/(\\*)([<>[\]`|])/g)) expect(match[1].length % 2).toBe(1);
        const code = markdownCode(s);
        const fence = /^`+/.exec(code)![0];
        expect(code.endsWith(fence)).toBe(true);
        expect(code.slice(fence.length, -fence.length)).not.toContain(fence);
        const paras = markdownParagraphs(s);
        expect(noControl(paras)).toBe(true);
        for (const p of paras.split('\n\n')) expect(p).not.toMatch(/^([#+=*_-]|\d+[.)])/);
      }),
      { numRuns: 1000 },
    );
  });

  test('YAML: a quoted value reads back exactly; a comment adds nothing', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const doc = parseDocument(`a: ${yamlQuoted(s)}   # ${yamlComment(s)}\nb: 1\n`);
        expect(doc.errors).toEqual([]);
        expect(doc.toJS()).toEqual({ a: s, b: 1 });
      }),
      { numRuns: 1000 },
    );
  });
});

const root = join(import.meta.dirname, '..', '..');
const base = loadScenario(join(root, 'test', 'fixtures', 'antimeridian', 'scenario.yaml'));

/** The antimeridian scenario with every name and text from outside replaced. */
function hostileScenario(t: { title: string; description: string; unit: string; site: string; zone: string; inject: string }): Scenario {
  return {
    ...base,
    title: t.title,
    description: t.description,
    units: base.units.map((u) => ({ ...u, name: t.unit })),
    sites: base.sites.map((x) => ({ ...x, name: t.site })),
    zones: base.zones.map((z) => ({ ...z, name: t.zone })),
    injects: [{ t: base.start + 3_600_000, type: 'message', text: t.inject, expected: t.inject, notes: t.inject, index: 0 }],
  };
}

const texts = fc.record({ title: hostile, description: hostile, unit: hostile, site: hostile, zone: hostile, inject: hostile });

describe('every face, fed arbitrary text', () => {
  test('an error line is one line with no control character, whatever the file name and the text', () => {
    fc.assert(
      fc.property(hostile, hostile, (file, text) => {
        const e = new ScenarioError({ file, line: 3, column: 7, field: 'units[0].name', message: `unknown unit '${text}'`, hint: text });
        expect(oneLine(e.message)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  test('the timeline, the reports and the exports of a run', () => {
    fc.assert(
      fc.property(texts, (t) => {
        const sc = hostileScenario(t);
        const engine = new Engine(sc);
        engine.runToEnd();
        const events: readonly SimEvent[] = engine.events;
        expect(events.length).toBeGreaterThan(0);
        for (const e of events) expect(oneLine(formatTimelineLine(e))).toBe(true);

        const report = buildReport({ scenario: sc });
        const md = toMarkdown(report);
        expect(noControl(md)).toBe(true);
        // The template has no HTML and no links: any '<' or '[' unescaped came from the text.
        for (const m of md.matchAll(/(\\*)([<[])/g)) expect(m[1].length % 2).toBe(1);

        const html = toHtml(report);
        expect(noControl(html)).toBe(true);
        for (const s of Object.values(t)) if (/[<>]/.test(s)) expect(html).not.toContain(s);
        expect(html).not.toMatch(/<(script|img)\b/i);

        const input = { scenario: sc, events: engine.events, tracks: sc.units.map((_, u) => engine.trackOf(u)) };
        const kml = parseXmlStrict(toKml(input));
        const names = [...Array.from(kml.getElementsByTagName('name'))].map((n) => n.textContent);
        expect(names).toContain(terminalLine(t.title));
        expect(names).toContain(terminalLine(t.unit));
        for (const xml of toCot(input)) {
          expect(noControl(xml)).toBe(true);
          parseXmlStrict(xml);
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  test('a row of the terminal UI carries no control character but its own styles', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 4 }), fc.integer({ min: 0, max: 60 }), fc.boolean(), (segs, w, color) => {
        const r = row(
          segs.map((s) => [s, { bold: true }] as const),
          w,
          color,
        );
        expect(oneLine(r.replace(/\x1b\[[0-9;]*m/g, ''))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  test('a live warning quotes input as one safe line, cut when long', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        const warnings: string[] = [];
        const live = new LiveRun(base, { clock: 'feed', warn: (m) => warnings.push(m) });
        live.line(JSON.stringify({ unit: s.repeat(5), lat: 1, lon: 2, t: s }), 1, s);
        live.line(JSON.stringify({ unit: 'boat', lat: 1, lon: 2, t: s }), 2, 'stdin');
        live.cot(
          `<event uid="${xmlText(s)}" type="a-h-G" time="2020-01-01T00:00:00Z"><point lat="1" lon="2"/><detail><contact callsign="${xmlText(s)}"/></detail></event>`,
          'udp',
        );
        for (const w of warnings) {
          expect(oneLine(w)).toBe(true);
          expect(w.length).toBeLessThanOrEqual(510);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('the starter YAML of import reads back with the names as written and nothing added by a file name', () => {
    fc.assert(
      fc.property(hostile, hostile, (name, file) => {
        const data: GeoData = {
          file,
          format: 'geojson',
          tracks: [
            {
              name,
              kind: 'timed',
              fixes: [
                { t: 1.5e12, lon: 38.6, lat: 33.5 },
                { t: 1.5e12 + 60_000, lon: 38.7, lat: 33.5 },
              ],
              coords: [],
              what: `${name} track`,
              at: { line: 1, column: 1 },
            },
          ],
          shapes: [
            {
              name,
              kind: 'polygon',
              rings: [
                [
                  [38, 33],
                  [39, 33],
                  [39, 34],
                  [38, 33],
                ],
              ],
              what: `${name} polygon`,
              at: { line: 2, column: 1 },
            },
          ],
          notes: [],
          points: [{ name, pos: [38.6, 33.5], what: `${name} point`, at: { line: 3, column: 1 } }],
        };
        const text = starterScenario([{ data, ref: `tracks/${file}` }], { title: name });
        const doc = parseDocument(text);
        expect(doc.errors).toEqual([]);
        const y = parseYaml(text);
        expect(y.title).toBe(name);
        expect(y.units[0].name).toBe(name);
        expect(y.units[0].track.file).toBe(`tracks/${file}`);
        expect(y.sites[0].name).toBe(name);
        // Comments are one line each: every line of the text is YAML or a comment, none injected.
        expect(Object.keys(y)).toEqual(['title', 'description', 'start', 'end', 'tick', 'sites', 'zones', 'units', 'ladder']);
      }),
      { numRuns: 300 },
    );
  });
});
