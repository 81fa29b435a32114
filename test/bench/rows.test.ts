/** The benchmark's rows: medians with min–max, and two threads over one from runs taken in pairs. */
import { describe, expect, it } from 'vitest';
import { pairedRatio, rowOf, splitLines, type Sample } from '../../src/bench/rows.js';

const sample = (wallMs: number, threadCpuMs?: number[]): Sample => ({
  updates: 36e6,
  wallMs,
  cpuMs: wallMs * 1.2,
  events: 28080,
  rssMB: 200,
  extra: threadCpuMs ? { threadCpuMs } : undefined,
});
const wl = { units: 10_000, zones: 20 };

describe('benchmark rows', () => {
  it('gives the median and spread of the rates, and keeps each run in its order', () => {
    const row = rowOf('standard', wl, 3600, [sample(1800), sample(1200), sample(1500)]);
    expect(row.rates).toEqual([20e6, 30e6, 24e6]);
    expect(row.rate).toEqual({ median: 24e6, min: 20e6, max: 30e6 });
    expect(row.reps).toBe(3);
    expect(row.threadCpuMs).toBeUndefined();
  });

  it('takes two threads over one pair by pair, not median over median', () => {
    // The machine slows down after the first pair: each pair's ratio stays 1.8×, while the ratio
    // of the medians falls to 30/24 = 1.25×.
    const one = rowOf('standard', wl, 3600, [sample(1200), sample(1800), sample(1800)]);
    const two = rowOf('2 threads', wl, 3600, [sample(1200 / 1.8), sample(1000), sample(1000)]);
    const p = pairedRatio(one, two);
    expect(p.each.map((x) => +x.toFixed(6))).toEqual([1.8, 1.8, 1.8]);
    expect(p.median).toBeCloseTo(1.8, 9);
    expect(two.rate.median / one.rate.median).toBeCloseTo(36 / 20, 9);
    const lines = splitLines(one, two).join('\n');
    expect(lines).toContain('median of the pairs 1.80×');
  });

  it('prints each thread’s CPU time when every run reported it', () => {
    const one = rowOf('standard', wl, 3600, [sample(1400, [1300]), sample(1500, [1400])]);
    const two = rowOf('2 threads', wl, 3600, [sample(800, [600, 650]), sample(900, [620, 700])]);
    expect(two.threadCpuMs).toEqual([610, 675]);
    expect(splitLines(one, two).join('\n')).toContain('2 threads 0.61 s + 0.68 s');
  });
});
