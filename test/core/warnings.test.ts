/** Semantic warnings (src/core/warnings): each kind found, and no false alarm where a run is meant. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/io/node/load.js';
import { scenarioSource, semanticWarnings } from '../../src/core/warnings/index.js';

const HEAD = `title: T
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
sites:
  - {id: tanf, name: Tanf, side: coalition, pos: [38.61778, 33.50583]}
zones:
  - id: box
    name: the box
    type: polygon
    applies_to: [red]
    approach: 5km
    polygon:
      - [[38.0, 33.0], [38.2, 33.0], [38.2, 33.2], [38.0, 33.2], [38.0, 33.0]]
`;

const warnings = (text: string) => semanticWarnings(parseScenario(text, 't.yaml'), scenarioSource(text, 't.yaml'));

describe('semantic warnings', () => {
  it('finds a leg that passes a polygon corner inside the approach band with both ends far outside it', () => {
    // A leg passing about 4 km off the south-east corner, its ends 30 km and more away.
    const near = `${HEAD}units:
  - id: u
    name: U
    side: red
    track:
      - {pos: [38.0, 32.7], t: 2017-05-18T06:00:00Z}
      - {pos: [38.5, 33.3], t: 2017-05-18T09:00:00Z}
`;
    expect(warnings(near)).toEqual([]);
    const far = near.replace('[38.5, 33.3]', '[38.9, 32.8]');
    const w = warnings(far);
    expect(w.map((x) => x.kind)).toEqual(['never-near']);
    expect(w[0].message).toMatch(/^t\.yaml:19:7: warning: units\[0\]\.track: u never comes within the approach band of box/);
  });

  it('leaves friendly units (their side owns a site) and units steered by injects alone', () => {
    const text = `${HEAD}units:
  - {id: own, name: Own, side: coalition, track: [{pos: [38.6, 33.5], t: 2017-05-18T06:00:00Z}]}
  - {id: far, name: Far, side: red, track: [{pos: [40.0, 35.0], t: 2017-05-18T06:00:00Z}]}
injects:
  - {t: +1h, type: turn, unit: far, to: [38.1, 33.1]}
`;
    expect(warnings(text)).toEqual([]);
    expect(warnings(text.replace(/injects:[\s\S]*$/, '')).map((w) => w.kind)).toEqual(['never-near']);
  });

  it('warns of {lat, lon} written the wrong way round, and never of a position that reads fine both ways', () => {
    const text = `${HEAD}units:
  - {id: u, name: U, side: red, track: [{pos: {lat: 38.1, lon: 33.1}, t: 2017-05-18T06:00:00Z}, {pos: [38.1, 33.1], t: 2017-05-18T07:00:00Z}]}
`;
    const w = warnings(text);
    expect(w.map((x) => x.kind)).toEqual(['swapped']);
    expect(w[0].field).toBe('units[0].track[0].pos');
    expect(w[0].message).toMatch(/inside box \(check which number is the latitude\)$/);
  });

  it('suggests the closest spelling with case deciding ties', () => {
    const text = `${HEAD.replace('applies_to: [red]', 'applies_to: [reds, red]')}units:
  - {id: a, name: A, side: Red, track: [{pos: [38.1, 33.1], t: 2017-05-18T06:00:00Z}]}
  - {id: b, name: B, side: red, track: [{pos: [38.1, 33.1], t: 2017-05-18T06:00:00Z}]}
`;
    const w = warnings(text);
    expect(w.map((x) => [x.kind, x.field, /did you mean '(\w+)'/.exec(x.message)?.[1]])).toEqual([
      ['side-unused', 'zones[0].applies_to[0]', 'red'],
      ['side-unjudged', 'units[0].side', 'red'],
    ]);
  });

  it('asks for the file again only when there is something to warn of', () => {
    const text = readFileSync('scenarios/tanf-2017-05-18.yaml', 'utf8');
    const never = () => {
      throw new Error('the file was parsed again');
    };
    expect(semanticWarnings(parseScenario(text, 't.yaml'), never)).toEqual([]);
  });

  it('a unit far on the forbidden side of a line is inside it, not away from it', () => {
    const text = `title: T
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
zones:
  - {id: l, name: the line, type: line, line: [[40.0, 35.0], [40.5, 35.0]], forbidden: {side_of: [40.2, 36.0]}, applies_to: [red]}
units:
  - {id: u, name: U, side: red, track: [{pos: [40.2, 38.0], t: 2017-05-18T06:00:00Z}, {pos: [40.3, 38.1], t: 2017-05-18T07:00:00Z}]}
`;
    expect(warnings(text)).toEqual([]);
    expect(warnings(text.replace('side_of: [40.2, 36.0]', 'side_of: [40.2, 34.0]')).map((w) => w.kind)).toEqual(['never-near']);
  });

  it('escapes control characters of values from the file', () => {
    const text = `${HEAD.replace('applies_to: [red]', 'applies_to: ["\\x1b[31mred"]')}units:
  - {id: u, name: U, side: red, track: [{pos: [38.1, 33.1], t: 2017-05-18T06:00:00Z}]}
`;
    const w = warnings(text);
    expect(w.length).toBeGreaterThan(0);
    for (const x of w) expect(x.message).not.toMatch(/\x1b/);
    expect(w[0].message).toContain("'\\u{1b}[31mred'");
  });
});
