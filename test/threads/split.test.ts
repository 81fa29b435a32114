/**
 * A run split by units (src/core/split.ts) gives the events of one engine, byte for byte: the
 * parts run in this process here, one tick at a time, and their ticks are merged. Parts after the
 * first go through a structured clone as data (src/core/split-data.ts), as the worker threads of
 * `deconflict run --threads` get them. The same through
 * worker threads is tested on the executable in test/threads/cli.test.ts.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateWorkload, STANDARD, workloadScenario, workloadToScenario, type WorkloadOptions } from '../../src/bench/workload.js';
import { Engine } from '../../src/core/engine.js';
import { eventToNdjson } from '../../src/core/events.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { partFromData, partData } from '../../src/core/split-data.js';
import { partOf, partUnits, SplitMerge, SplitPart, subScenario, type Part } from '../../src/core/split.js';

function whole(make: () => Scenario, seed?: number): string {
  return new Engine(make(), { seed }).runToEnd().map(eventToNdjson).join('');
}

/** Part p ≥ 1 as a worker thread gets it from `deconflict run --threads`: as data (src/core/split-data.ts), through a structured clone. */
function sentPart(sc: Scenario, parts: number, p: number, shares?: number[]): Part {
  const { data, transfer } = partData(partOf(sc, parts, p, shares ?? new Array<number>(parts).fill(1)));
  return partFromData(structuredClone(data, { transfer }));
}

/**
 * `lines`: as `deconflict run --threads N --json` runs it: the parts after the first give their
 * events as NDJSON tails, and the merge gives NDJSON lines.
 */
function split(make: () => Scenario, parts: number, seed?: number, shares?: number[], lines = false): string {
  const ps = Array.from({ length: parts }, (_, p) =>
    p === 0 ? new SplitPart(make(), parts, p, { seed, shares }) : new SplitPart(sentPart(make(), parts, p, shares), 1, 0, { seed, lines }),
  );
  const merge = new SplitMerge(make(), parts, lines);
  let out = '';
  while (!ps[0].done) {
    ps.forEach((pt, p) => merge.push(p, pt.step()));
    for (const b of merge.take()) {
      if (lines) expect(b.events.length).toBe(0);
      out += lines ? b.lines!.join('') : b.events.map(eventToNdjson).join('');
    }
  }
  return out;
}

function expectSame(b: string, a: string): void {
  const al = a.split('\n');
  const bl = b.split('\n');
  for (let i = 0; i < Math.max(al.length, bl.length); i++) if (al[i] !== bl[i]) expect(`line ${i + 1}: ${bl[i]}`).toBe(`line ${i + 1}: ${al[i]}`);
  expect(b).toBe(a);
}

function same(make: () => Scenario, parts: number, seed?: number, shares?: number[]): string {
  const a = whole(make, seed);
  expect(a.length).toBeGreaterThan(0);
  expectSame(split(make, parts, seed, shares), a);
  expectSame(split(make, parts, seed, shares, true), a);
  return a;
}

const SCENARIOS = join(__dirname, '..', '..', 'scenarios');
const workload = (o: Partial<WorkloadOptions>) => () => workloadToScenario(generateWorkload({ ...STANDARD, ...o }));

describe('a run split by units gives the events of one engine', () => {
  for (const f of readdirSync(SCENARIOS).filter((x) => /\.ya?ml$/.test(x))) {
    it(`bundled ${f}, in 2 and 3 parts`, () => {
      const make = () => loadScenario(join(SCENARIOS, f));
      same(make, 2);
      same(make, 3, 11);
    });
  }

  it('massing is merged from the band counts of all parts', () => {
    const text = same(() => loadScenario(join(SCENARIOS, 'tanf-2017-06-massing.yaml')), 2);
    expect(text).toContain('"type":"massing"');
  });

  it('a generated workload (300 units, 20 zones, an hour), in 2 and 4 parts', () => {
    const make = workload({ units: 300, seed: 3 });
    const text = same(make, 2);
    same(make, 4);
    same(make, 2, undefined, [0.85, 1]);
    expect(text.split('\n').length).toBeGreaterThan(300);
  });

  it('a generated workload with massing, noise and a 5 s tick', () => {
    const make = () => {
      const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 400, seed: 5, duration: 3600, tick: 5 }));
      sc.units.forEach((u, i) => (u.noise = i % 3 ? 40 : 0));
      // Low thresholds, so that massing is reported, ends and comes back.
      sc.doctrine = { ...sc.doctrine, massingUnits: 6, massingPersonnel: 120 };
      return sc;
    };
    const text = same(make, 2);
    expect((text.match(/"type":"massing"/g) ?? []).length).toBeGreaterThan(3);
  });

  it('parts are interleaved and keep each inject with its unit', () => {
    expect(partUnits(7, 3, 1)).toEqual([1, 4]);
    // Unequal shares: every unit in exactly one part, ascending, about in proportion.
    const p0 = partUnits(1000, 2, 0, [0.85, 1]);
    const p1 = partUnits(1000, 2, 1, [0.85, 1]);
    expect([...p0, ...p1].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(p0).toEqual([...p0].sort((x, y) => x - y));
    expect(p0.length).toBe(Math.round((1000 * 0.85) / 1.85));
    const sc = loadScenario(join(SCENARIOS, 'tanf-2017-05-18.yaml'));
    const a = subScenario(sc, partUnits(sc.units.length, 2, 0), true);
    const b = subScenario(sc, partUnits(sc.units.length, 2, 1), false);
    expect(a.scenario.injects.length + b.scenario.injects.length).toBe(sc.injects.length);
    for (const { scenario, injectPlace } of [a, b])
      scenario.injects.forEach((inj, i) => {
        const orig = sc.injects[injectPlace[i]];
        expect(inj.index).toBe(orig.index);
        if (inj.type !== 'message' && orig.type !== 'message') expect(scenario.units[inj.unit]).toBe(sc.units[orig.unit]);
      });
  });
});

describe('the benchmark builds its workload unit by unit', () => {
  it('workloadScenario gives the scenario of workloadToScenario(generateWorkload(...)), and the same events', () => {
    const o = { ...STANDARD, units: 150, seed: 9, duration: 1200 };
    const a = workloadScenario(o);
    const b = workloadToScenario(generateWorkload(o));
    expect(a.units.map((u) => [u.id, u.side, u.composition, Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)])).toEqual(
      b.units.map((u) => [u.id, u.side, u.composition, Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)]),
    );
    expect(a.injects).toEqual(b.injects);
    expect(new Engine(a).runToEnd().map(eventToNdjson).join('')).toBe(new Engine(b).runToEnd().map(eventToNdjson).join(''));
  });

  it('an engine that keeps no events gives the same batches', () => {
    const make = workload({ units: 120, seed: 4, duration: 1800 });
    const kept = new Engine(make());
    const lean = new Engine(make(), { keepEvents: false, checkpointEvery: Infinity });
    let a = '';
    let b = '';
    while (!kept.done) {
      for (const e of kept.step().events) a += eventToNdjson(e);
      for (const e of lean.step().events) b += eventToNdjson(e);
    }
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(lean.events).toHaveLength(0);
    expect(kept.events.map(eventToNdjson).join('')).toBe(a);
  });
});
