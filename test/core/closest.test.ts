/** Closest approach (src/core/analysis/closest.ts): the running minimum and the walk along a track, against a brute-force scan. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestOnTrack, Nearest } from '../../src/core/analysis/closest.js';
import { geodesicDistance } from '../../src/core/geo/geodesic.js';
import type { LonLat, Track } from '../../src/core/model.js';
import { positionAt } from '../../src/core/track.js';

const track = (pts: [number, number, number][]): Track => ({
  t: Float64Array.from(pts.map((p) => p[0])),
  lon: Float64Array.from(pts.map((p) => p[1])),
  lat: Float64Array.from(pts.map((p) => p[2])),
});

describe('Nearest', () => {
  it('keeps the least distance and the first time it was reached', () => {
    const n = new Nearest();
    expect(n.m).toBe(Infinity);
    for (const [m, t] of [
      [5, 1],
      [3, 2],
      [3, 3],
      [4, 4],
    ])
      n.offer(m, t);
    expect({ m: n.m, t: n.t }).toEqual({ m: 3, t: 2 });
  });
});

describe('closestOnTrack', () => {
  const site: LonLat = [38.6, 33.5];
  // Due east along the site's parallel, 0.5° west to 0.5° east, over ten minutes.
  const tr = track([
    [0, 38.1, 33.5],
    [600_000, 39.1, 33.5],
  ]);

  it('finds the tick nearest a site on the track, measured on WGS84', () => {
    const a = closestOnTrack(tr, (k) => k * 10_000, 60, { site });
    expect(a.t).toBe(300_000);
    expect(a.m).toBeLessThan(1);
  });

  it('stops at the last tick asked for (so far)', () => {
    const a = closestOnTrack(tr, (k) => k * 10_000, 10, { site });
    expect(a.t).toBe(100_000);
    const p = [0, 0];
    positionAt(tr, 100_000, p);
    expect(a.m).toBeCloseTo(geodesicDistance([p[0], p[1]], site), 6);
  });

  it('to an edge: the least signed distance (deepest inside)', () => {
    // A zone east of 38.9°E, "distance" in degrees: negative inside.
    const edge = { signedDistance: (lon: number) => 38.9 - lon };
    const a = closestOnTrack(tr, (k) => k * 10_000, 60, { edge });
    expect(a.t).toBe(600_000);
    expect(a.m).toBeCloseTo(-0.2, 9);
  });

  it('agrees with a scan of every tick on WGS84 to within the sphere’s error', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 38, max: 39.2, noNaN: true }), fc.double({ min: 33, max: 34, noNaN: true })), { minLength: 2, maxLength: 6 }),
        (pts) => {
          const t = track(pts.map(([lon, lat], i) => [i * 60_000, lon, lat]));
          const last = (pts.length - 1) * 6;
          const a = closestOnTrack(t, (k) => k * 10_000, last, { site });
          const p = [0, 0];
          let best = Infinity;
          for (let k = 0; k <= last; k++) {
            positionAt(t, k * 10_000, p);
            best = Math.min(best, geodesicDistance([p[0], p[1]], site));
          }
          // The sphere picks the tick; on WGS84 it is within 1 % of the true least (the sphere's error differs by direction by less).
          expect(a.m).toBeGreaterThanOrEqual(best - 1e-6);
          expect(a.m).toBeLessThanOrEqual(best * 1.01 + 1e-6);
        },
      ),
      { numRuns: 200 },
    );
  });
});
