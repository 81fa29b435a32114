/**
 * What the engine offers a caller that runs it under its own control (training): structured facts
 * on each proposal (`why`), so that nothing has to read a reason string, and hooks around a step,
 * a rewind and the end of the run, so that nothing has to subclass the engine.
 */
import { describe, expect, it } from 'vitest';
import { Engine, type Decider, type Proposal, type TickBatch } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';

const scenarios = ['tanf-2017-05-18', 'tanf-2017-06-06', 'euphrates-2018-02-07', 'tutorial'];

/** Every proposal of a run whose decider leaves everything to doctrine. */
function proposals(name: string): Proposal[] {
  const seen: Proposal[] = [];
  const decide: Decider = (p) => {
    seen.push(p);
    return undefined;
  };
  new Engine(loadScenario(`scenarios/${name}.yaml`), { decide }).runToEnd();
  return seen;
}

describe('Proposal.why', () => {
  it.each(scenarios)('%s: every proposal carries the facts behind it, and the reason says the same', (name) => {
    const sc = loadScenario(`scenarios/${name}.yaml`);
    const all = proposals(name);
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      const why = p.why!;
      expect(why.facts.length).toBeGreaterThan(0);
      expect(p.reason).toContain(why.facts);
      expect(Number.isFinite(why.edge_m)).toBe(true);
      if (sc.zones[p.zone].protects >= 0) expect(why.site_m).toBeGreaterThanOrEqual(0);
      else expect(why.site_m).toBeUndefined();
      if (p.kind === 'escalate') {
        // The condition named is one of the rung's, and the reason is the rung's action and the facts.
        const spec = sc.ladder.find((r) => r.rung === p.to)!;
        expect(spec.when.map((c) => c.name)).toContain(why.condition);
        expect(p.reason).toBe(`${spec.action}: ${why.facts}`);
        expect(why.wait_ms).toBe(spec.wait);
        expect(why.since_ms).toBeGreaterThanOrEqual(p.from === null ? -Infinity : spec.wait);
      } else expect(why.condition).toBeUndefined();
    }
  });

  it('a hostile act: the facts are the act, the distances where it took place', () => {
    const all = proposals('euphrates-2018-02-07').filter((p) => p.kind === 'self_defence');
    expect(all.length).toBeGreaterThan(0);
    for (const p of all) {
      expect(p.why!.facts).toMatch(/ fired on .* \(a hostile act\)$/);
      expect(p.reason.startsWith(`self-defence strike: ${p.why!.facts}; the ladder is skipped`)).toBe(true);
    }
  });

  it('is made only when there is a decider to ask: a run without one gives the same events', () => {
    const sc = loadScenario('scenarios/tanf-2017-05-18.yaml');
    const plain = JSON.stringify(new Engine(sc).runToEnd());
    const asked = JSON.stringify(new Engine(sc, { decide: () => undefined }).runToEnd());
    expect(asked).toBe(plain);
  });
});

describe('EngineOptions.skipQuietWork', () => {
  it.each(scenarios)('%s: false (every pair judged, every ladder climbed at every tick) gives the same events', (name) => {
    const sc = loadScenario(`scenarios/${name}.yaml`);
    expect(JSON.stringify(new Engine(sc, { skipQuietWork: false }).runToEnd())).toBe(JSON.stringify(new Engine(sc).runToEnd()));
  });

  it('is in force: distances are kept at every tick, so snapshots stop sharing the copies of unchanged units', () => {
    const sc = loadScenario('scenarios/tanf-2017-05-18.yaml');
    const shared = (e: Engine) => {
      e.seekTick(5);
      const a = e.snapshot();
      const b = e.snapshot();
      return a.units.every((u, i) => u === b.units[i]);
    };
    expect(shared(new Engine(sc))).toBe(true);
    expect(shared(new Engine(sc, { skipQuietWork: false }))).toBe(false);
  });
});

describe('EngineOptions.hooks', () => {
  const sc = loadScenario('scenarios/tanf-2017-05-18.yaml');

  it('guardStep sees every step, and may hold one back', () => {
    let steps = 0;
    let hold = false;
    const e: Engine = new Engine(sc, {
      hooks: {
        guardStep: (run): TickBatch => {
          steps++;
          return hold ? { index: e.tickIndex, t: e.time, events: [] } : run();
        },
      },
    });
    e.step();
    e.step();
    expect(steps).toBe(2);
    expect(e.tickIndex).toBe(1);
    hold = true;
    const b: TickBatch = e.step();
    expect(b.index).toBe(1);
    expect(e.tickIndex).toBe(1);
  });

  it('rewound hears reset (-1) and restore (the snapshot tick), and nothing at construction', () => {
    const heard: number[] = [];
    const e = new Engine(sc, { hooks: { rewound: (i) => heard.push(i) } });
    expect(heard).toEqual([]);
    e.seekTick(30);
    const snap = e.snapshot();
    e.seekTick(60);
    e.restore(snap);
    e.reset();
    expect(heard).toEqual([30, -1]);
    // Seeking back restores a checkpoint (tick 0 here) and so is heard too.
    e.seekTick(50);
    e.seekTick(10);
    expect(heard).toEqual([30, -1, 0]);
  });

  it('holding makes the engine done: run, runUntil and seek stop there, and go on once it lets go', () => {
    let held = false;
    const e = new Engine(sc, { hooks: { holding: () => held } });
    const free = new Engine(sc);
    e.seekTick(20);
    held = true;
    expect(e.done).toBe(true);
    expect(e.runToEnd()).toEqual([]);
    e.seekTick(40);
    expect(e.tickIndex).toBe(20);
    held = false;
    e.runToEnd();
    expect(JSON.stringify(e.events)).toBe(JSON.stringify(free.runToEnd()));
  });
});
