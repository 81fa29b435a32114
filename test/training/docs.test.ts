/** The examples in docs/training.md are real: its MSELs load against the scenario they are written for and do what they say. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { loadScenario, parseMsel } from '../../src/io/node/load.js';
import { applyMsel } from '../../src/training/msel.js';
import { parseSession } from '../../src/training/session.js';

const doc = readFileSync('docs/training.md', 'utf8');
const blocks = (lang: string) => [...doc.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]);
const tanf = loadScenario('scenarios/tanf-2017-05-18.yaml');

describe('docs/training.md', () => {
  const msels = blocks('yaml');

  it('has three MSEL examples that load', () => {
    expect(msels).toHaveLength(3);
    for (const y of msels) expect(parseMsel(y, tanf, 'docs/training.md').injects.length).toBeGreaterThan(0);
  });

  it('variant A: the convoy turns back at the show of force and is never struck', () => {
    const events = new Engine(applyMsel(tanf, parseMsel(msels[0], tanf, 'a.yaml'))).runToEnd();
    expect(events.some((e) => e.type === 'inject' && e.kind === 'withdraw')).toBe(true);
    expect(events.some((e) => e.rung === 'strike')).toBe(false);
  });

  it('variant B: the hostile act brings a self-defence strike at once', () => {
    const events = new Engine(applyMsel(tanf, parseMsel(msels[1], tanf, 'b.yaml'))).runToEnd();
    const act = events.find((e) => e.type === 'hostile_act')!;
    expect(events.find((e) => e.rung === 'strike')!.t).toBe(act.t);
  });

  it('variant C: the convoy turns away and is never warned', () => {
    const events = new Engine(applyMsel(tanf, parseMsel(msels[2], tanf, 'c.yaml'))).runToEnd();
    expect(events.some((e) => e.type === 'escalate' && e.rung === 'warn')).toBe(false);
  });

  it('shows session lines in the format the reader takes', () => {
    const [sample] = blocks('json');
    const text = sample.replace(/"scenario_sha256":"…"/, `"scenario_sha256":"${'0'.repeat(64)}"`);
    const s = parseSession(text, 'sample.ndjson');
    expect(s.decisions[2]).toMatchObject({ n: 3, choice: 'strike', grade: 'out_of_proportion' });
    expect(s.end).toMatchObject({ decisions: 3, correct: 2, score: 67 });
    expect(s.branches[0]).toMatchObject({ branch: 1, parent: 0, at: 3, end: { status: 'quit', decisions: 3 } });
    expect(s.branches[0].decisions[0]).toMatchObject({ n: 3, choice: 'show_of_force', justification: 'flyover first' });
  });
});
