/** Inject types for exercise control: a unit that turns, and units that heed a rung (`on:`) instead of ignoring every warning. */
import { describe, expect, it } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { ScenarioError } from '../../src/core/errors.js';
import { geodesicDistance } from '../../src/core/geo/geodesic.js';
import { loadScenario, parseMsel } from '../../src/io/node/load.js';
import { formatTime } from '../../src/core/units.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { applyMsel } from '../../src/training/msel.js';
import { Trainer } from '../../src/training/trainer.js';
import { drive, followDoctrine, ndjson } from './helpers.js';

const tanf = loadScenario('scenarios/tanf-2017-05-18.yaml');
const variant = (yaml: string) => applyMsel(tanf, parseMsel(yaml, tanf, 'variant.yaml'));
const rungs = (evs: ReturnType<Engine['runToEnd']>) =>
  evs
    .filter((e) => e.unit === 'convoy' && (e.type === 'escalate' || e.type === 'stand_down'))
    .map((e) => `${e.type === 'stand_down' ? 'stand_down:' : ''}${e.rung}`);

/** The convoy heeds the show of force and goes back where it came from. */
const HEEDS = 'injects:\n  - {t: +0s, type: withdraw, unit: convoy, on: show_of_force, text: the convoy turns back, expected: stand down once it has left}\n';

describe('turn', () => {
  it('sends a unit toward a point from its time on', () => {
    const sc = variant('injects:\n  - {t: +1h15m, type: turn, unit: convoy, to: [38.10, 33.95], speed: 40km/h, text: the convoy heads north-west}\n');
    const events = new Engine(sc).runToEnd();
    const ev = events.find((e) => e.type === 'inject')!;
    expect(ev).toMatchObject({ kind: 'turn', unit: 'convoy', t: tanf.start + 75 * 60_000 });
    expect(ev.reason).toBe('Pro-regime convoy turns toward 33.9500° N 38.1000° E: the convoy heads north-west');
    // It never reaches the garrison's side of the edge: no warning.
    expect(rungs(events)).toEqual(['monitor', 'stand_down:null']);
    const e = new Engine(sc);
    e.runToEnd();
    expect(geodesicDistance([e.positions[0], e.positions[1]], [38.1, 33.95])).toBeLessThan(100);
  });
});

describe('reactions (on:)', () => {
  it('a unit that heeds the show of force withdraws at it, and doctrine stands it down', () => {
    const events = new Engine(variant(HEEDS)).runToEnd();
    expect(rungs(events)).toEqual(['monitor', 'warn', 'show_of_force', 'stand_down:monitor', 'stand_down:null']);
    const sof = events.find((e) => e.rung === 'show_of_force')!;
    const w = events.find((e) => e.type === 'inject' && e.kind === 'withdraw')!;
    expect(w.t).toBe(sof.t);
    expect(w.seq).toBe(sof.seq + 1);
    expect(w.reason).toBe('Pro-regime convoy withdraws after the show of force: the convoy turns back');
    // Without the MSEL the convoy ignores every warning and is struck.
    expect(rungs(new Engine(tanf).runToEnd())).toContain('strike');
  });

  it("the student's choice decides whether the unit turns back", () => {
    const sc = variant(HEEDS);
    // Skipping to warning shots is a higher rung: the convoy still turns back.
    const skip = new Trainer(sc);
    drive(skip, (p) => (p.to === 'show_of_force' ? { choice: 'warning_shots' } : followDoctrine(p)));
    expect(skip.engine.events.some((e) => e.kind === 'withdraw')).toBe(true);
    expect(skip.engine.isStruck(0)).toBe(false);
    // Holding gives the convoy five more minutes toward the garrison before it turns back.
    const hold = new Trainer(sc);
    let once = false;
    drive(hold, (p) => (p.to === 'show_of_force' && !once ? ((once = true), { choice: 'hold' }) : followDoctrine(p)));
    const t1 = skip.engine.events.find((e) => e.kind === 'withdraw')!.t;
    const t2 = hold.engine.events.find((e) => e.kind === 'withdraw')!.t;
    expect(t2 - t1).toBe(5 * 60_000);
    // A strike at the warning: the convoy never gets the chance.
    const strike = new Trainer(sc);
    drive(strike, (p) => (p.to === 'warn' ? { choice: 'strike' } : followDoctrine(p)));
    expect(strike.engine.isStruck(0)).toBe(true);
    expect(strike.engine.events.some((e) => e.kind === 'withdraw')).toBe(false);
  });

  it('happens at its time when the unit is already at the rung', () => {
    const events = new Engine(variant('injects:\n  - {t: 2017-05-18T07:40:00Z, type: halt, unit: convoy, on: warn}\n')).runToEnd();
    const h = events.find((e) => e.kind === 'halt')!;
    expect(formatTime(h.t)).toBe('2017-05-18T07:40:00Z');
    expect(h.reason).toBe('Pro-regime convoy halts after the warn');
  });

  it('never happens when the unit is never brought to the rung', () => {
    const events = new Engine(variant('injects:\n  - {t: +0s, type: halt, unit: mat-patrol, on: warn}\n')).runToEnd();
    expect(events.some((e) => e.kind === 'halt')).toBe(false);
  });

  it('is part of the engine state: seeking back and forth gives the same run, and sessions replay exactly', () => {
    const sc = variant(HEEDS);
    const e = new Engine(sc, { checkpointEvery: 50 });
    const all = ndjson(e.runToEnd());
    e.seekTick(500);
    e.seekTick(100);
    e.runToEnd();
    expect(ndjson(e.events)).toBe(all);
    const live = new Trainer(sc);
    const evs = ndjson(drive(live, (p, n) => ({ choice: n === 2 ? 'show_of_force' : doctrineChoice(p) })));
    const again = new Trainer(sc, { replay: live.decisions.map((d) => ({ proposal: d.proposal, choice: d.choice, justification: d.justification })) });
    expect(ndjson(again.replayToEnd())).toBe(evs);
  });

  it.each([
    [
      'injects:\n  - {t: +1h, type: halt, unit: convoy, on: warning_shot}\n',
      "variant.yaml:2:44: injects[0].on: unknown rung 'warning_shot' (did you mean 'warning_shots'?",
    ],
    ['injects:\n  - {t: +1h, type: turn, unit: convoy}\n', "variant.yaml:2:5: injects[0].to: missing required field 'to'"],
    ['injects:\n  - {t: +1h, type: message, on: warn}\n', "variant.yaml:2:29: injects[0].on: unknown field 'on'"],
  ])('bad input: %j', (yaml, message) => {
    let err: unknown;
    try {
      parseMsel(yaml, tanf, 'variant.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message.startsWith(message)).toBe(true);
  });

  it('refuses a rung the scenario’s ladder does not have', () => {
    const short = { ...tanf, ladder: tanf.ladder.filter((r) => r.rung !== 'show_of_force') };
    expect(() => parseMsel('injects:\n  - {t: +1h, type: halt, unit: convoy, on: show_of_force}\n', short, 'v.yaml')).toThrow(
      "v.yaml:2:44: injects[0].on: rung 'show_of_force' is not on this scenario's ladder (the ladder has monitor, warn, warning_shots, strike)",
    );
  });
});

describe('reactions in the report', () => {
  it('say when they took effect, or that they never did', async () => {
    const { buildReport } = await import('../../src/report/model.js');
    const sc = variant(`${HEEDS}  - {t: +0s, type: halt, unit: mat-patrol, on: warn}\n`);
    const r = buildReport({ scenario: sc });
    const [w, h] = r.injects;
    expect(w.on).toBe('show_of_force');
    expect(w.happened[0]).toMatch(/^took effect at 2017-05-18 07:35:50Z, when convoy was brought to show of force$/);
    expect(w.happened.some((x) => /: convoy stood down to monitor$/.test(x))).toBe(true);
    expect(h.happened).toEqual(['never took effect: mat-patrol was not brought to warn after 2017-05-18 06:00:00Z']);
  });
});
