import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { ScenarioError } from '../../src/core/errors.js';
import { loadScenario, parseMsel, parseScenario } from '../../src/io/node/load.js';
import { applyMsel, withMsel } from '../../src/training/msel.js';

const tanf = loadScenario('scenarios/tanf-2017-05-18.yaml');

function mselError(text: string): ScenarioError {
  try {
    parseMsel(text, tanf, 'variant.yaml');
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('MSEL files', () => {
  it('compile injects against the scenario: ids, relative times, expected and notes', () => {
    const m = parseMsel(
      [
        'title: Variant B — the convoy fires on the garrison',
        'injects:',
        '  - t: +2h',
        '    type: hostile_act',
        '    unit: convoy',
        '    target: tanf',
        '    text: The convoy fires on the garrison.',
        '    expected: self-defence strike at once',
        '    notes: watch whether the student skips the ladder',
        '  - {t: 2017-05-18T06:30:00Z, type: message, text: Start of exercise}',
      ].join('\n'),
      tanf,
      'variant.yaml',
    );
    expect(m.title).toBe('Variant B — the convoy fires on the garrison');
    expect(m.injects.map((i) => i.type)).toEqual(['message', 'hostile_act']);
    const act = m.injects[1];
    expect(act).toMatchObject({
      t: tanf.start + 2 * 3600_000,
      unit: 0,
      target: 0,
      expected: 'self-defence strike at once',
      notes: 'watch whether the student skips the ladder',
      index: 0,
    });
  });

  it('replace the scenario injects and change the run', () => {
    const m = parseMsel('injects:\n  - {t: +1h50m, type: hostile_act, unit: convoy, target: tanf}\n', tanf, 'v.yaml');
    const sc = applyMsel(tanf, m);
    expect(tanf.injects).toHaveLength(1);
    expect(sc.injects).toHaveLength(1);
    expect(sc.injects[0].type).toBe('hostile_act');
    const events = new Engine(sc).runToEnd();
    const act = events.find((e) => e.type === 'hostile_act');
    expect(act?.t).toBe(tanf.start + 110 * 60_000);
    const strike = events.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(strike.t).toBe(act!.t);
    // The original message inject is gone.
    expect(events.some((e) => e.type === 'inject' && e.kind === 'message')).toBe(false);
  });

  it.each([
    ['injects:\n  - {t: +1h, type: mesage}\n', "variant.yaml:2:20: injects[0].type: unknown type 'mesage' (did you mean 'message'?)"],
    ['injects:\n  - {t: +1h, type: halt, unit: convoi}\n', "variant.yaml:2:32: injects[0].unit: unknown unit 'convoi' (did you mean 'convoy'?)"],
    [
      'injects:\n  - {t: +1h, type: hostile_act, unit: convoy, target: base}\n',
      "variant.yaml:2:55: injects[0].target: unknown site 'base' (known sites: tanf)",
    ],
    ['injects:\n  - {t: +1h, type: halt, unit: convoy, note: x}\n', "variant.yaml:2:40: injects[0].note: unknown field 'note' (did you mean 'notes'?)"],
    ['injects:\n  - t: yesterday\n    type: message\n', 'variant.yaml:2:8: injects[0].t:'],
    ['injects:\n  - {t: +9h, type: halt, unit: convoy}\n', 'variant.yaml:2:9: injects[0].t: this inject comes after the scenario ends (2017-05-18T10:00:00Z)'],
    ['titel: a\ninjects: []\n', "variant.yaml:1:1: titel: unknown field 'titel' (did you mean 'title'?)"],
    ['title: a\n', "variant.yaml:1:1: injects: missing required field 'injects'"],
    ['- a\n', 'variant.yaml:1:1: a MSEL must be a mapping with an injects list'],
    ['', 'variant.yaml:1:1: the file is empty'],
    ['injects: [\n', 'variant.yaml:2:1: malformed YAML'],
  ])('report bad input at file:line:column: %j', (text, message) => {
    expect(mselError(text).message.startsWith(message)).toBe(true);
  });

  it('names a missing file', () => {
    expect(() => withMsel(tanf, '/nonexistent/variant.yaml')).toThrow('/nonexistent/variant.yaml:1:1: no such file');
  });

  it('load from a file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'msel-'));
    const f = join(dir, 'v.yaml');
    writeFileSync(f, 'injects:\n  - {t: +1h, type: halt, unit: convoy, text: The convoy stops.}\n');
    const { scenario, msel } = withMsel(tanf, f);
    expect(msel?.file).toBe(f);
    expect(scenario.injects[0]).toMatchObject({ type: 'halt', unit: 0, text: 'The convoy stops.' });
  });

  it('scenario files report an unknown inject type at the type field', () => {
    const text = `title: t\nstart: 2017-05-18T06:00:00Z\nend: +1h\nzones: [{id: z, name: Z, type: circle, center: [38.6, 33.5], radius: 5km, applies_to: [a]}]\nunits: [{id: u, name: U, side: a, track: [{pos: [38.6, 33.6], t: +0s}]}]\ninjects:\n  - {t: +10m, type: hault, unit: u}\n`;
    expect(() => parseScenario(text, 's.yaml')).toThrow("s.yaml:7:21: injects[0].type: unknown type 'hault' (did you mean 'halt'?)");
  });
});
