/**
 * The engine skips work it proves would find nothing (src/core/engine/quiet/proofs.ts, "skipping what is
 * quiet"). These tests run generated workloads both ways — skipping, and judging every pair and
 * climbing every ladder at every tick as a straightforward engine does — and require the same
 * events to the byte, including with noise, long ticks, many zones, a decider, seeking back, and
 * a line that folds back on itself (where a side can change without crossing the line).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { generateWorkload, rng, STANDARD, workloadToScenario, type WorkloadOptions } from '../../src/bench/workload.js';
import { Engine, setExhaustive, type Decider, type EngineOptions } from '../../src/core/engine.js';
import { eventToNdjson } from '../../src/core/events.js';
import { LineZone } from '../../src/core/geo/zones.js';
import type { Scenario } from '../../src/core/model.js';

function run(make: () => Scenario, exhaustive: boolean, opts: EngineOptions = {}, drive?: (e: Engine) => void): string {
  setExhaustive(exhaustive);
  try {
    const e = new Engine(make(), opts);
    if (drive) drive(e);
    else e.runToEnd();
    return e.events.map(eventToNdjson).join('');
  } finally {
    setExhaustive(false);
  }
}

function same(make: () => Scenario, opts: EngineOptions = {}, drive?: (e: Engine) => void): number {
  const full = run(make, true, opts);
  const fast = run(make, false, opts, drive);
  expect(full.length).toBeGreaterThan(0);
  // Compare line by line first, for a readable failure.
  const a = fast.split('\n');
  const b = full.split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) expect(a[i]).toBe(b[i]);
  expect(fast).toBe(full);
  return b.length - 1;
}

const workload = (o: Partial<WorkloadOptions>) => () => workloadToScenario(generateWorkload({ ...STANDARD, ...o }));

afterEach(() => setExhaustive(false));

describe('skipping quiet work gives the same events as judging everything', () => {
  it('on the standard mix (300 units, 20 zones, an hour at 1 s)', () => {
    expect(same(workload({ units: 300, seed: 3 }))).toBeGreaterThan(300);
  });

  it('with 200 zones', () => {
    expect(same(workload({ units: 120, zones: 200, seed: 4, duration: 1800 }))).toBeGreaterThan(50);
  });

  it('with position noise and a 5 s tick', () => {
    const make = () => {
      const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 200, seed: 5, duration: 7200, tick: 5 }));
      sc.units.forEach((u, i) => (u.noise = i % 3 ? 40 : 0));
      return sc;
    };
    expect(same(make)).toBeGreaterThan(100);
  });

  it('with a decider that holds, stands down and chooses rungs', () => {
    const decide: Decider = (p) => {
      const h = (Math.imul(p.unit + 1, 0x9e3779b1) ^ Math.imul(Math.floor(p.t / 1000), 0x85ebca77)) >>> 0;
      if (h % 7 === 0) return { choice: 'hold', reason: 'wait' };
      if (h % 11 === 0) return { choice: 'stand_down' };
      if (h % 13 === 0 && p.kind === 'escalate') return { choice: 'warn' };
      return undefined;
    };
    expect(same(workload({ units: 200, seed: 6 }), { decide })).toBeGreaterThan(100);
  });

  it('after seeking back and playing forward again', () => {
    const n = same(workload({ units: 200, seed: 7 }), { checkpointEvery: 300 }, (e) => {
      e.seekTick(2500);
      e.seekTick(700);
      e.runToEnd();
    });
    expect(n).toBeGreaterThan(100);
  });

  it('around a line that folds back on itself, and beyond its ends', () => {
    // A hairpin line: up, across and down again, so that on either side of its fold and past its
    // ends a unit's side changes without crossing it.
    const make = () => {
      const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 250, zones: 2, seed: 8, duration: 3600 }));
      const pts: [number, number][] = [];
      for (let i = 0; i <= 40; i++) pts.push([38.3 + 0.02 * Math.sin(i / 3), 33.0 + i * 0.025]);
      for (let i = 0; i <= 10; i++) pts.push([38.3 + i * 0.03, 34.0 + 0.05 * Math.sin((i / 10) * Math.PI)]);
      for (let i = 40; i >= 0; i--) pts.push([38.6 + 0.02 * Math.cos(i / 4), 33.0 + i * 0.025]);
      const z = sc.zones[1];
      z.shape = new LineZone(pts, 'right');
      z.forbidden = 'right';
      // Send the units through the hairpin and around its ends.
      const r = rng(80);
      for (const u of sc.units) {
        const tr = u.track;
        let lon = 38.1 + r() * 0.7;
        let lat = 32.8 + r() * 1.4;
        for (let i = 0; i < tr.t.length; i++) {
          tr.lon[i] = lon;
          tr.lat[i] = lat;
          lon += (r() - 0.5) * 0.06;
          lat += (r() - 0.5) * 0.06;
        }
      }
      return sc;
    };
    expect(same(make)).toBeGreaterThan(100);
  });
});
