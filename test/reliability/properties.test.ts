/**
 * Properties over random scenarios (test/reliability/arbitraries.ts), each written as YAML and
 * read by the real loader: determinism, running in pieces and seeking, and the ladder's
 * invariants. test/core/engine.test.ts checks the same on the bundled scenarios; these
 * generalise them to scenarios nobody wrote by hand (custom ladders, hostile acts, halts and
 * withdrawals, noise, zones across the antimeridian).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Engine, simulate } from '../../src/core/engine.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import { parseScenario } from '../../src/io/node/load.js';
import { scenarioText } from './arbitraries.js';
import { checkLadder } from './ladder-check.js';

const ndjson = (evs: readonly SimEvent[]) => evs.map(eventToNdjson).join('');
const load = (text: string) => parseScenario(text, 'generated.yaml');

function state(e: Engine) {
  return {
    k: e.tickIndex,
    positions: Array.from(e.positions),
    rungs: e.scenario.units.map((_, u) => e.unitRung(u)),
    struck: e.scenario.units.map((_, u) => e.isStruck(u)),
    events: ndjson(e.events),
  };
}

describe('determinism over random scenarios', () => {
  it('the same scenario and seed give byte-identical NDJSON', () => {
    fc.assert(
      fc.property(scenarioText(), fc.integer({ min: 0, max: 99 }), (text, seed) => {
        const a = ndjson(simulate(load(text), { seed }));
        const b = ndjson(simulate(load(text), { seed }));
        expect(a).toBe(b);
      }),
      { numRuns: 25, seed: 2017 },
    );
  });

  it('running to T and then to the end equals running straight to the end', () => {
    fc.assert(
      fc.property(scenarioText(), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (text, f1, f2) => {
        const sc = load(text);
        const straight = ndjson(simulate(sc));
        const [a, b] = [f1, f2].sort();
        const e = new Engine(sc);
        e.runUntil(sc.start + Math.round(a * (sc.end - sc.start)));
        e.runUntil(sc.start + Math.round(b * (sc.end - sc.start)));
        e.runToEnd();
        expect(ndjson(e.events)).toBe(straight);
      }),
      { numRuns: 20, seed: 518 },
    );
  });

  it('seeking back and forward again equals playing forward', () => {
    fc.assert(
      fc.property(
        scenarioText(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 120 }),
        (text, f1, f2, every) => {
          const sc = load(text);
          const n = new Engine(sc).tickCount;
          const lo = Math.floor(Math.min(f1, f2) * (n - 1));
          const hi = Math.floor(Math.max(f1, f2) * (n - 1));
          const played = new Engine(sc, { checkpointEvery: every });
          played.seekTick(lo);
          const seeker = new Engine(sc, { checkpointEvery: every });
          seeker.seekTick(hi);
          seeker.seekTick(lo);
          expect(state(seeker)).toEqual(state(played));
          seeker.runToEnd();
          played.runToEnd();
          expect(ndjson(seeker.events)).toBe(ndjson(played.events));
        },
      ),
      { numRuns: 15, seed: 606 },
    );
  });
});

describe('ladder invariants over random scenarios', () => {
  it('no strike without the rungs before it unless a hostile act; stand_down only after an exit; time and seq increase; every event has a reason', () => {
    let strikes = 0;
    let selfDefence = 0;
    let standDowns = 0;
    fc.assert(
      fc.property(scenarioText(), (text) => {
        const sc = load(text);
        const evs = simulate(sc);
        checkLadder(sc, evs);
        strikes += evs.filter((e) => e.type === 'escalate' && e.rung === 'strike' && e.action !== 'self-defence strike').length;
        selfDefence += evs.filter((e) => e.action === 'self-defence strike').length;
        standDowns += evs.filter((e) => e.type === 'stand_down').length;
      }),
      { numRuns: 80, seed: 2018 },
    );
    // The generator reaches every part of the ladder, so the checks above did check something.
    expect(strikes).toBeGreaterThan(0);
    expect(selfDefence).toBeGreaterThan(0);
    expect(standDowns).toBeGreaterThan(0);
  });
});

describe('the ladder checker', () => {
  // The properties above are only as good as the checker: it must catch a doctored run.
  const text = `title: t
start: 2020-01-01T00:00:00Z
end: 2020-01-01T03:00:00Z
tick: 10s
sites: [{id: s, name: S, side: blue, pos: [38.6, 33.5]}]
zones: [{id: z, name: the zone, type: circle, center: s, radius: 10km, applies_to: [red]}]
units:
  - id: u
    name: U
    side: red
    composition: {tanks: 2}
    track:
      - {pos: [38.6, 33.8], t: 2020-01-01T00:00:00Z}
      - {pos: [38.6, 33.52], t: 2020-01-01T00:40:00Z, hold: 90m}
      - {pos: [38.6, 33.8], t: 2020-01-01T02:40:00Z}`;

  it('passes the real run, which climbs to warning shots (strike held) and stands down on leaving', () => {
    const sc = load(text);
    const evs = simulate(sc, { decide: (p) => (p.kind === 'escalate' && p.to === 'strike' ? { choice: 'hold' } : undefined) });
    checkLadder(sc, evs);
    expect(evs.filter((e) => e.type === 'escalate').map((e) => e.rung)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots']);
    expect(evs.some((e) => e.type === 'stand_down')).toBe(true);
  });

  it('catches a skipped rung, a stand-down without an exit, a strike without a hostile act, time going back and a missing reason', () => {
    const sc = load(text);
    const evs = simulate(sc, { decide: (p) => (p.kind === 'escalate' && p.to === 'strike' ? { choice: 'hold' } : undefined) });
    const doctored = (f: (evs: SimEvent[]) => SimEvent[]) => () => checkLadder(sc, f(evs.map((e) => ({ ...e }))));
    expect(doctored((x) => x)).not.toThrow();
    expect(doctored((x) => x.filter((e) => e.rung !== 'show_of_force' || e.type !== 'escalate').map((e, i) => ({ ...e, seq: i + 1 })))).toThrow(/skips a rung/);
    expect(doctored((x) => x.filter((e) => e.type !== 'exit').map((e, i) => ({ ...e, seq: i + 1 })))).toThrow(/stand_down .* without an exit/);
    expect(
      doctored((x) => x.map((e) => (e.rung === 'warning_shots' && e.type === 'escalate' ? { ...e, action: 'self-defence strike', rung: 'strike' } : e))),
    ).toThrow(/without a hostile act/);
    expect(doctored((x) => x.map((e, i) => (i === 3 ? { ...e, t: x[0].t - 1 } : e)))).toThrow();
    expect(doctored((x) => x.map((e, i) => (i === 2 ? { ...e, reason: '' } : e)))).toThrow(/has no reason/);
  });
});
