/**
 * Every kind of bad input named by the core issue gets one clear message with file, line,
 * column, field and what would be right.
 */
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { parseScenario } from '../../src/io/node/load.js';

const BASE = `title: Test
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
tick: 10s
sites:
  - id: tanf
    name: Tanf
    side: coalition
    pos: [38.61778, 33.50583]
zones:
  - id: dz
    name: zone
    type: circle
    center: tanf
    radius: 55km
    applies_to: [red]
units:
  - id: u1
    name: Unit
    side: red
    track:
      - {pos: [38.0, 34.0], t: 2017-05-18T06:00:00Z}
      - {pos: [38.3, 33.7], t: 2017-05-18T07:00:00Z}`;

/** BASE with 1-based lines replaced (null deletes the line). */
function edit(edits: [number, string | null][]): string {
  const lines: (string | null)[] = BASE.split('\n');
  for (const [n, text] of edits) lines[n - 1] = text;
  return lines.filter((l) => l !== null).join('\n');
}
const APPEND = (text: string): [number, string] => [23, `      - {pos: [38.3, 33.7], t: 2017-05-18T07:00:00Z}\n${text}`];

function errorOf(text: string): ScenarioError {
  try {
    parseScenario(text, 'bad.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected the scenario to be refused');
}

interface Case {
  name: string;
  text: string;
  at: [number, number];
  field: string;
  message: RegExp;
  hint?: RegExp;
}

const cases: Case[] = [
  { name: 'malformed YAML', text: edit([[13, '    type: [circle']]), at: [14, 5], field: '', message: /malformed YAML/ },
  {
    name: 'unknown field, with did you mean',
    text: edit([[15, '    raduis: 55km']]),
    at: [15, 5],
    field: 'zones[0].raduis',
    message: /unknown field 'raduis'/,
    hint: /did you mean 'radius'/,
  },
  {
    name: 'missing required field',
    text: edit([[15, null]]),
    at: [11, 5],
    field: 'zones[0].radius',
    message: /missing required field 'radius'/,
    hint: /add 'radius:'/,
  },
  {
    name: 'latitude out of range',
    text: edit([[9, '    pos: [38.61778, 133.5]']]),
    at: [9, 21],
    field: 'sites[0].pos[1]',
    message: /latitude 133.5 is out of range/,
  },
  {
    name: 'lon/lat swapped',
    text: edit([[9, '    pos: [33.50583, 98.61778]']]),
    at: [9, 21],
    field: 'sites[0].pos[1]',
    message: /latitude 98.61778/,
    hint: /swapped/,
  },
  {
    name: 'invalid MGRS',
    text: edit([[9, '    pos: 37S II 12345 67890']]),
    at: [9, 10],
    field: 'sites[0].pos',
    message: /not a valid MGRS grid reference/,
    hint: /37S DT/,
  },
  {
    name: 'waypoint times not increasing',
    text: edit([[23, '      - {pos: [38.3, 33.7], t: 2017-05-18T05:00:00Z}']]),
    at: [23, 32],
    field: 'units[0].track[1].t',
    message: /times must increase/,
  },
  { name: 'duplicate ids', text: edit([[18, '  - id: tanf']]), at: [18, 9], field: 'units[0].id', message: /duplicate id 'tanf'/, hint: /sites\[0\]/ },
  {
    name: 'unknown site',
    text: edit([[14, '    center: tanx']]),
    at: [14, 13],
    field: 'zones[0].center',
    message: /unknown site 'tanx'/,
    hint: /did you mean 'tanf'/,
  },
  {
    name: 'unknown zone',
    text: edit([APPEND('expect:\n  - {unit: u1, zone: dzz, reaches: warn}')]),
    at: [25, 22],
    field: 'expect[0].zone',
    message: /unknown zone 'dzz'/,
    hint: /'dz'/,
  },
  {
    name: 'unknown unit',
    text: edit([APPEND('injects:\n  - {t: +1h, type: halt, unit: convoy}')]),
    at: [25, 32],
    field: 'injects[0].unit',
    message: /unknown unit 'convoy'/,
    hint: /u1/,
  },
  {
    name: 'negative radius',
    text: edit([[15, '    radius: -5km']]),
    at: [15, 13],
    field: 'zones[0].radius',
    message: /'-5km' is not a distance/,
    hint: /55km/,
  },
  { name: 'zero radius', text: edit([[15, '    radius: 0km']]), at: [15, 13], field: 'zones[0].radius', message: /greater than zero/ },
  {
    name: 'polygon with fewer than 4 positions',
    text: edit([
      [13, '    type: polygon'],
      [14, '    polygon: [[[38, 33], [39, 33], [38, 33]]]'],
      [15, null],
    ]),
    at: [14, 15],
    field: 'zones[0].polygon[0]',
    message: /at least 4 positions/,
  },
  {
    name: 'polygon not closed',
    text: edit([
      [13, '    type: polygon'],
      [14, '    polygon: [[[38, 33], [39, 33], [39, 34], [38, 34]]]'],
      [15, null],
    ]),
    at: [14, 46],
    field: 'zones[0].polygon[0][3]',
    message: /not closed/,
    hint: /\[38, 33\]/,
  },
  {
    name: 'line with a single point',
    text: edit([
      [13, '    type: line'],
      [14, '    line: [[38, 33]]'],
      [15, '    forbidden: left'],
    ]),
    at: [14, 11],
    field: 'zones[0].line',
    message: /at least 2 positions/,
  },
  {
    name: 'empty track',
    text: edit([
      [21, '    track: []'],
      [22, null],
      [23, null],
    ]),
    at: [21, 12],
    field: 'units[0].track',
    message: /track is empty/,
  },
  { name: 'end before start', text: edit([[3, 'end: 2017-05-18T05:00:00Z']]), at: [3, 6], field: 'end', message: /not after the start/ },
  {
    name: 'unknown rung in the ladder',
    text: edit([APPEND('ladder:\n  - {rung: strik, when: threat}')]),
    at: [25, 12],
    field: 'ladder[0].rung',
    message: /unknown rung 'strik'/,
    hint: /did you mean 'strike'/,
  },
  {
    name: 'unknown rung in expectations',
    text: edit([APPEND('expect:\n  - {unit: u1, reaches: strik}')]),
    at: [25, 25],
    field: 'expect[0].reaches',
    message: /unknown rung 'strik'/,
    hint: /did you mean 'strike'/,
  },
  { name: 'wrong type for a duration', text: edit([[4, 'tick: 10']]), at: [4, 7], field: 'tick', message: /number 10 is not a duration/, hint: /10s/ },
  {
    name: 'unknown zone type',
    text: edit([[13, '    type: cirle']]),
    at: [13, 11],
    field: 'zones[0].type',
    message: /unknown type 'cirle'/,
    hint: /did you mean 'circle'/,
  },
  { name: 'duplicate keys', text: edit([[16, '    applies_to: [red]\n    radius: 5km']]), at: [17, 5], field: '', message: /a key appears twice/ },
  { name: 'custom tags', text: edit([[1, "title: !js/function 'x'"]]), at: [1, 8], field: '', message: /custom YAML tags are not allowed/ },
];

describe('bad scenario files', () => {
  for (const c of cases) {
    it(c.name, () => {
      const e = errorOf(c.text);
      expect([e.line, e.column], e.message).toEqual(c.at);
      expect(e.field).toBe(c.field);
      expect(e.detail).toMatch(c.message);
      if (c.hint) expect(e.hint).toMatch(c.hint);
      expect(e.message.startsWith(`bad.yaml:${c.at[0]}:${c.at[1]}:`)).toBe(true);
      expect(e.message).not.toContain('\n');
    });
  }

  it('accepts the base file', () => {
    expect(parseScenario(BASE, 'ok.yaml').units).toHaveLength(1);
  });

  it('reads JSON with the same schema, and locates errors in it', () => {
    const json = JSON.stringify(
      {
        title: 'J',
        start: '2017-05-18T06:00:00Z',
        end: '2017-05-18T08:00:00Z',
        zones: [{ id: 'z', name: 'z', type: 'circle', center: [38.6, 33.5], radius: '55km', applies_to: ['red'] }],
        units: [{ id: 'u', name: 'u', side: 'red', track: [{ pos: { lat: 34, lon: 38 }, t: '2017-05-18T06:00:00Z' }] }],
      },
      null,
      2,
    );
    expect(parseScenario(json, 'ok.json').zones[0].radius).toBe(55_000);
    const bad = json.replace('"radius": "55km"', '"radius": "55 furlongs"');
    const e = errorOf(bad);
    expect(e.field).toBe('zones[0].radius');
    expect(e.line).toBe(bad.split('\n').findIndex((l) => l.includes('furlongs')) + 1);
  });
});
