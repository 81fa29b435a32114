/**
 * The level sweep: every crossing of every level by a Lipschitz function, dips between the ends
 * included, jumps found, and a function that runs along a level does not make it search forever.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sweepLevels, type SweepOut } from '../../src/core/geo/sweep.js';

const run = (f: (s: number) => number, lip: number, levels: number[], minW = 1e-9) => {
  const out: SweepOut = { s: [], level: [], down: [] };
  let calls = 0;
  sweepLevels(
    (s, r) => {
      calls++;
      r[0] = f(s);
      r[1] = 0;
    },
    f(0),
    0,
    f(1),
    0,
    lip,
    levels,
    minW,
    out,
  );
  return { out, calls };
};

describe('sweepLevels', () => {
  it('finds both crossings of a dip between the ends, in order, where they are', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: 0.001, max: 0.2, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        (c, w, scale) => {
          // A V-shaped dip to −scale·w at c, above 0 outside (c − w, c + w); Lipschitz constant scale.
          const f = (s: number) => scale * (Math.abs(s - c) - w);
          const { out } = run(f, scale * 1.000001, [0]);
          const want = [c - w, c + w].filter((s) => s > 0 && s <= 1);
          expect(out.s.length).toBe(want.length);
          out.s.forEach((s, i) => expect(Math.abs(s - want[i])).toBeLessThan(1e-8));
          expect(out.down[0]).toBe(c - w > 0);
        },
      ),
      { numRuns: 200, seed: 11 },
    );
  });

  it('finds a jump (no Lipschitz bound across it) as a crossing of every level it passes', () => {
    const f = (s: number) => (s < 0.3 ? 5000 : -5000);
    const { out } = run(f, 10, [0, 250, 1000, 1250]);
    expect(out.s.length).toBe(4);
    for (const s of out.s) expect(Math.abs(s - 0.3)).toBeLessThan(1e-8);
    expect(out.down.every((d) => d)).toBe(true);
  });

  it('ends on a function that runs exactly along a level', () => {
    const { out, calls } = run(() => 0, 100, [0]);
    expect(out.s).toEqual([]);
    expect(calls).toBeLessThan(10_000);
  });

  it('looks at nothing between the ends when no level is within reach', () => {
    const { out, calls } = run((s) => 500 + 10 * s, 10, [0, 250]);
    expect(out.s).toEqual([]);
    expect(calls).toBe(0);
  });
});
