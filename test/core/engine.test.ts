import fc from 'fast-check';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom, Subject, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { Engine, simulate } from '../../src/core/engine.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import { rungLevel } from '../../src/core/ladder.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';
import { fastClock, realTimeClock, run$, steppedClock } from '../../src/core/stream.js';

const root = join(import.meta.dirname, '..', '..');
const bundled = readdirSync(join(root, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(root, 'scenarios', f));
const load = (name: string) => loadScenario(join(root, 'scenarios', `${name}.yaml`));
const ndjson = (evs: readonly SimEvent[]) => evs.map(eventToNdjson).join('');

/** What an engine's state looks like from outside, for comparing two engines. */
function state(e: Engine) {
  return {
    k: e.tickIndex,
    positions: Array.from(e.positions),
    rungs: e.scenario.units.map((_, u) => e.unitRung(u)),
    struck: e.scenario.units.map((_, u) => e.isStruck(u)),
    events: ndjson(e.events),
  };
}

describe('determinism', () => {
  it('gives the same bytes for the same scenario and seed', () => {
    for (const f of bundled) {
      const sc = loadScenario(f);
      expect(ndjson(simulate(sc))).toBe(ndjson(simulate(loadScenario(f))));
    }
  });

  it('changes with the seed where position noise is used', () => {
    const sc = load('tanf-2017-06-massing');
    expect(ndjson(simulate(sc, { seed: 1 }))).not.toBe(ndjson(simulate(sc, { seed: 2 })));
    expect(ndjson(simulate(sc, { seed: 2 }))).toBe(ndjson(simulate(sc, { seed: 2 })));
  });

  it('running to T and then to the end equals running straight to the end', () => {
    const sc = load('tanf-2017-06-06');
    const straight = ndjson(simulate(sc));
    fc.assert(
      fc.property(fc.integer({ min: sc.start, max: sc.end }), (t) => {
        const e = new Engine(sc);
        e.runUntil(t);
        e.runToEnd();
        expect(ndjson(e.events)).toBe(straight);
      }),
      { numRuns: 15, seed: 606 },
    );
  });

  it('seeking back and forward again equals playing forward', () => {
    const sc = load('tanf-2017-05-18');
    const n = new Engine(sc).tickCount;
    fc.assert(
      fc.property(fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 0, max: n - 1 }), (a, b) => {
        const hi = Math.max(a, b);
        const lo = Math.min(a, b);
        const played = new Engine(sc, { checkpointEvery: 97 });
        played.seekTick(lo);
        const seeker = new Engine(sc, { checkpointEvery: 97 });
        seeker.seekTick(hi);
        seeker.seekTick(lo);
        expect(state(seeker)).toEqual(state(played));
        seeker.runToEnd();
        played.runToEnd();
        expect(ndjson(seeker.events)).toBe(ndjson(played.events));
      }),
      { numRuns: 12, seed: 518 },
    );
  });
});

describe('the ladder', () => {
  for (const f of bundled) {
    it(`keeps its invariants in ${f.split('/').pop()}`, () => {
      const sc = loadScenario(f);
      const evs = simulate(sc);
      let lastT = -Infinity;
      evs.forEach((e, i) => {
        expect(e.seq).toBe(i + 1);
        expect(e.t).toBeGreaterThanOrEqual(lastT);
        lastT = e.t;
        expect(e.reason.length).toBeGreaterThan(10);
      });
      for (const u of sc.units) {
        const mine = evs.filter((e) => e.unit === u.id);
        for (const z of sc.zones) {
          const pair = mine.filter((e) => e.zone === z.id);
          let rung = -1;
          let exited = false;
          for (const e of pair) {
            if (e.type === 'exit') exited = true;
            if (e.type === 'stand_down') {
              expect(exited, `${u.id}: stand_down without an exit`).toBe(true);
              exited = false;
              rung = rungLevel(e.rung);
            }
            if (e.type === 'escalate') {
              const to = rungLevel(e.rung);
              if (e.rung === 'strike' && e.action !== 'self-defence strike') expect(rung, `${u.id}: strike without the rungs before it`).toBe(3);
              if (e.action === 'self-defence strike') expect(mine.some((h) => h.type === 'hostile_act' && h.seq < e.seq)).toBe(true);
              else expect(to, `${u.id}: ${e.from} → ${e.rung} skips a rung`).toBe(rung + 1);
              rung = to;
            }
          }
        }
      }
    });
  }

  it('climbs monitor → warn → show of force → warning shots → strike for the 18 May convoy, with reasons', () => {
    const evs = simulate(load('tanf-2017-05-18')).filter((e) => e.type === 'escalate' && e.unit === 'convoy');
    expect(evs.map((e) => e.rung)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
    expect(evs[1].reason).toMatch(/deconfliction channel/);
    expect(evs[2].reason).toMatch(/hostile intent/);
    expect(evs[4].reason).toMatch(/1 tank.*threat score/);
    expect(evs[4].threat).toBeGreaterThanOrEqual(5);
  });

  it('goes straight to a self-defence strike on a hostile act', () => {
    const evs = simulate(load('euphrates-2018-02-07'));
    const act = evs.find((e) => e.type === 'hostile_act')!;
    const strike = evs.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(evs.find((e) => e.type === 'enter')!.rung).toBe('monitor');
    expect(strike.seq).toBe(act.seq + 1);
    expect(strike.t).toBe(act.t);
    expect(strike.from).toBe('monitor');
    expect(strike.reason).toMatch(/self-defence.*ladder is skipped/);
  });

  it('stands a unit down when it leaves the zone, and warns it again when it comes back', () => {
    const evs = simulate(load('tanf-2017-06-06')).filter((e) => e.unit === 'force' && (e.type === 'escalate' || e.type === 'stand_down'));
    expect(evs.map((e) => `${e.type}:${e.rung}`).slice(0, 4)).toEqual(['escalate:monitor', 'escalate:warn', 'stand_down:monitor', 'escalate:warn']);
  });

  it('follows a custom ladder: its rungs, conditions, waits and actions', () => {
    const text = readFileSync(join(root, 'scenarios', 'tanf-2017-05-18.yaml'), 'utf8').replace(
      'expect:',
      'ladder:\n  - {rung: monitor, when: approach, action: watch}\n  - {rung: warn, when: enter, action: radio call}\n  - {rung: strike, when: [threat], wait: 30m, action: air strike}\nexpect:',
    );
    const sc = parseScenario(text.split('\nexpect:')[0], 'custom.yaml');
    expect(sc.defaultLadder).toBe(false);
    const evs = simulate(sc).filter((e) => e.type === 'escalate' && e.unit === 'convoy');
    expect(evs.map((e) => e.rung)).toEqual(['monitor', 'warn', 'strike']);
    expect(evs[2].t - evs[1].t).toBeGreaterThanOrEqual(30 * 60_000);
    expect(evs[2].reason).toMatch(/^air strike: /);
    expect(evs[1].action).toBe('radio call');
  });

  it('lets a decider (training mode) hold or choose a rung, and says who decided', () => {
    const sc = load('tanf-2017-05-18');
    const held = simulate(sc, { decide: (p) => (p.to === 'show_of_force' ? { choice: 'hold' } : undefined) });
    expect(held.some((e) => e.rung === 'show_of_force')).toBe(false);
    expect(held.some((e) => e.rung === 'strike')).toBe(false);
    const early = simulate(sc, { decide: (p) => (p.to === 'warn' ? { choice: 'strike', reason: 'too early' } : undefined) });
    const s = early.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(s.by).toBe('trainee');
    expect(s.from).toBe('monitor');
    expect(s.reason).toMatch(/trainee chose strike: too early/);
  });

  it('does not climb rungs on jitter at the edge, and enters only once', () => {
    const evs = simulate(loadScenario(join(root, 'test', 'fixtures', 'jitter', 'scenario.yaml')));
    expect(evs.filter((e) => e.type === 'enter')).toHaveLength(1);
    expect(evs.filter((e) => e.type === 'exit')).toHaveLength(0);
    expect(Math.max(...evs.map((e) => rungLevel(e.rung)))).toBe(rungLevel('warn'));
  });

  it('reports crossings between fixes at their interpolated time and point', () => {
    const sc = loadScenario(join(root, 'test', 'fixtures', 'pass-through', 'scenario.yaml'));
    const evs = simulate(sc);
    const enter = evs.find((e) => e.type === 'enter')!;
    const exit = evs.find((e) => e.type === 'exit' && e.area === 'zone')!;
    // Both happen inside the first two-minute tick, at their own times.
    expect(enter.t).toBeGreaterThan(sc.start);
    expect(exit.t).toBeLessThan(sc.start + 2 * 60_000);
    expect(exit.t).toBeGreaterThan(enter.t);
    expect(Math.abs(enter.edge_m!)).toBeLessThan(0.01);
    expect(Math.abs(exit.edge_m! - 50)).toBeLessThan(0.01);
  });
});

describe('streams', () => {
  it('emit one batch per tick, never one per position', async () => {
    const sc = load('tanf-2017-06-massing');
    const e = new Engine(sc);
    const batches = await lastValueFrom(run$(e, fastClock(500)).pipe(toArray()));
    expect(batches).toHaveLength(e.tickCount);
    expect(batches.map((b) => b.index)).toEqual(batches.map((_, i) => i));
    expect(ndjson(batches.flatMap((b) => b.events))).toBe(ndjson(simulate(sc)));
  });

  it('pace ticks to simulated time times the speed in real time', () => {
    vi.useFakeTimers();
    try {
      const e = new Engine(load('tutorial')); // a 10 s tick
      const seen: number[] = [];
      let speed = 60;
      const sub = run$(
        e,
        realTimeClock(e, () => speed, 50),
      ).subscribe((b) => seen.push(b.index));
      vi.advanceTimersByTime(1000); // 1 s of wall time at 60× is 60 s simulated: 6 ticks
      expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
      speed = 600;
      vi.advanceTimersByTime(1000); // at 600×: 60 more ticks
      expect(seen).toHaveLength(66);
      // A frame that comes late (a busy machine) still brings the ticks its wall time is worth.
      vi.setSystemTime(Date.now() + 450);
      vi.advanceTimersByTime(50);
      expect(seen).toHaveLength(66 + 30);
      sub.unsubscribe();
    } finally {
      vi.useRealTimers();
    }
  });

  it('step on demand with a stepped clock', () => {
    const e = new Engine(load('tutorial'));
    const trigger = new Subject<void>();
    const seen: number[] = [];
    const sub = run$(e, steppedClock(trigger)).subscribe((b) => seen.push(b.index));
    trigger.next();
    trigger.next();
    trigger.next();
    sub.unsubscribe();
    expect(seen).toEqual([0, 1, 2]);
    expect(e.tickIndex).toBe(2);
  });
});

describe('scenario time', () => {
  it('ends on the end time even when it is not a whole number of ticks', () => {
    const sc = parseScenario(
      `title: t\nstart: 2020-01-01T00:00:00Z\nend: 2020-01-01T00:01:05Z\ntick: 10s\nzones: [{id: z, name: z, type: circle, center: [0, 0], radius: 1km, applies_to: [r]}]\nunits: [{id: u, name: u, side: r, track: [{pos: [1, 1], t: 2020-01-01T00:00:00Z}]}]`,
    );
    const e = new Engine(sc);
    expect(e.tickCount).toBe(8);
    e.runToEnd();
    expect(e.time).toBe(sc.end);
  });
});
