/** Editing scenario text in place: unchanged bytes stay, one change touches one line. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/io/node/load.js';
import { appendItem, replaceValue, setField, valueAt } from '../../src/ui/editor/doc.js';

const TANF = readFileSync('scenarios/tanf-2017-05-18.yaml', 'utf8');

function changedLines(a: string, b: string): number[] {
  const x = a.split('\n');
  const y = b.split('\n');
  expect(y.length).toBe(x.length);
  return x.flatMap((l, i) => (l === y[i] ? [] : [i]));
}

describe('editing scenario text in place', () => {
  it('changing one waypoint changes only that line', () => {
    const track = valueAt(TANF, ['units', 0, 'track']) as unknown[];
    expect(track.length).toBeGreaterThan(2);
    const out = replaceValue(TANF, ['units', 0, 'track', 1, 'pos'], [38.3, 33.9]);
    const changed = changedLines(TANF, out);
    expect(changed).toHaveLength(1);
    expect(out.split('\n')[changed[0]]).toMatch(/pos: \[38\.3, 33\.9\]/);
    expect(parseScenario(out, 't.yaml').units[0].track.lon[1]).toBe(38.3);
  });

  it('appends to block lists at their indentation, adds fields to flow and block mappings', () => {
    let t = appendItem(TANF, ['units', 0, 'track'], { pos: [38.5, 33.5], speed: '20km/h' });
    t = setField(t, ['units', 0, 'track', 1], 'hold', '5m');
    t = setField(t, ['units', 0], 'noise', '30m');
    t = appendItem(t, ['units'], { id: 'u9', name: 'Unit 9', side: 'pro-regime', track: [{ pos: [38.1, 34.1], t: '+0s' }] });
    t = appendItem(t, ['injects'], { t: '+1h', type: 'message', text: 'a: b # c' });
    const sc = parseScenario(t, 't.yaml');
    expect(sc.units.map((u) => u.id)).toContain('u9');
    expect(sc.units[0].noise).toBe(30);
    // Everything that was there is still there, in order.
    const kept = TANF.split('\n').filter((l) => t.split('\n').includes(l));
    expect(kept.length).toBeGreaterThan(TANF.split('\n').length - 3);
    expect(t).toContain('      - {pos: [38.5, 33.5], speed: 20km/h}\n');
    expect(t).toContain('  - id: u9\n    name: Unit 9\n    side: pro-regime\n    track:\n      - {pos: [38.1, 34.1], t: +0s}\n');
    expect(sc.injects.some((j) => j.type === 'message' && j.text === 'a: b # c')).toBe(true);
  });

  it('starts a list that is missing or written []', () => {
    const blank = 'title: New\nstart: 2025-01-01T06:00:00Z\nend: +6h\nzones: []\n';
    const t = appendItem(appendItem(blank, ['zones'], { id: 'z', type: 'circle' }), ['units'], { id: 'u' });
    expect(t).toBe('title: New\nstart: 2025-01-01T06:00:00Z\nend: +6h\nzones:\n  - id: z\n    type: circle\nunits:\n  - id: u\n');
  });
});
