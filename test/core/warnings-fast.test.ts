/**
 * The fast ways of the loading's back half give the answers of their references on random input:
 * a ring's self-crossing by a sweep against all pairs of edges; a line's side settled for a whole
 * cell (src/core/warnings/line-sides.ts) against `LineZone.side` point by point; and the
 * `never-near` check of a line with those cells against the same check measuring every point.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineZone } from '../../src/core/geo/zones.js';
import type { Unit, Zone } from '../../src/core/model.js';
import type { LonLat } from '../../src/core/position.js';
import { selfCrossing, selfCrossingByPairs } from '../../src/core/scenario/geometry.js';
import { LineSides } from '../../src/core/warnings/line-sides.js';
import { comesNearZone } from '../../src/core/warnings/near.js';

/** A coordinate near (38, 33): on a coarse grid (collinear points, shared vertices, touching edges) or anywhere. */
const coord = (base: number) =>
  fc.oneof(
    fc.integer({ min: 0, max: 6 }).map((k) => base + k * 0.1),
    fc.double({ min: base - 2, max: base + 2, noNaN: true }),
  );
const point = fc.tuple(coord(38), coord(33));

describe('a ring crossing itself, by a sweep', () => {
  it('finds the same pair of edges as comparing every pair', () => {
    fc.assert(
      fc.property(fc.array(point, { minLength: 3, maxLength: 40 }), (pts) => {
        const ring: LonLat[] = [...pts, pts[0]];
        expect(selfCrossing(ring)).toEqual(selfCrossingByPairs(ring));
      }),
      { numRuns: 2000 },
    );
  });

  it('finds the crossing in a ring of a thousand vertices, and none once it is undone', () => {
    const ring: LonLat[] = [];
    for (let i = 0; i < 1000; i++) {
      const a = (i / 1000) * 2 * Math.PI;
      const r = 1 + 0.3 * Math.sin(a * 37);
      ring.push([38 + r * Math.cos(a), 33 + r * Math.sin(a)]);
    }
    ring.push(ring[0]);
    expect(selfCrossing(ring)).toBeUndefined();
    // Two vertices swapped: a figure of eight.
    [ring[500], ring[520]] = [ring[520], ring[500]];
    const x = selfCrossing(ring);
    expect(x).toBeDefined();
    expect(x).toEqual(selfCrossingByPairs(ring));
  });
});

const anyPoints = fc.array(fc.tuple(fc.double({ min: 37.5, max: 38.5, noNaN: true }), fc.double({ min: 32.5, max: 33.5, noNaN: true })), {
  minLength: 2,
  maxLength: 25,
});
/** Lines as drawn (west to east, wandering north and south), or points anywhere (folds, zigzags). */
const linePoints = fc.oneof(
  fc
    .tuple(
      fc.double({ min: 37.5, max: 38, noNaN: true }),
      fc.array(fc.tuple(fc.double({ min: 0.001, max: 0.1, noNaN: true }), fc.double({ min: -0.05, max: 0.05, noNaN: true })), { minLength: 1, maxLength: 24 }),
    )
    .map(([x, steps]) => steps.reduce<[number, number][]>((a, [dx, dy]) => [...a, [a[a.length - 1][0] + dx, a[a.length - 1][1] + dy]], [[x, 33]])),
  anyPoints.map((pts) => pts.sort((a, b) => a[0] - b[0])),
  anyPoints,
);
const far = fc.tuple(fc.double({ min: 34, max: 42, noNaN: true }), fc.double({ min: 29, max: 37, noNaN: true }));

describe("a line's side, by cells", () => {
  it('gives the side LineZone.side gives, and only beyond the distance asked', () => {
    let settled = 0;
    let asked = 0;
    fc.assert(
      fc.property(linePoints, fc.array(far, { minLength: 1, maxLength: 30 }), fc.double({ min: 0, max: 50_000, noNaN: true }), (pts, queries, beyond) => {
        const line = new LineZone(pts, 'left');
        const sides = new LineSides(line);
        for (const [lon, lat] of queries) {
          const s = sides.sideBeyond(lon, lat, beyond);
          asked++;
          if (s === 0) continue;
          settled++;
          const r = line.side(lon, lat);
          expect(r.side).toBe(s);
          expect(r.d).toBeGreaterThan(beyond);
        }
      }),
      { numRuns: 500 },
    );
    // Most far points are settled by a cell: the test is not empty.
    expect(settled).toBeGreaterThan(asked / 4);
  });

  it("gives the never-near check's answers, and the distances it measures, as measuring every point", () => {
    fc.assert(
      fc.property(
        linePoints,
        fc.constantFrom<'left' | 'right'>('left', 'right'),
        fc.array(far, { minLength: 1, maxLength: 12 }),
        fc.double({ min: 1000, max: 30_000, noNaN: true }),
        (pts, forbidden, track, approach) => {
          const shape = new LineZone(pts, forbidden);
          const z = { type: 'line', approach, shape } as unknown as Zone;
          const u = { track: { lon: Float64Array.from(track, (p) => p[0]), lat: Float64Array.from(track, (p) => p[1]) } } as unknown as Unit;
          const boxes = Float64Array.from(shape.bboxes(approach + 900).flat());
          const seenAll = new Float64Array(track.length).fill(NaN);
          const seenFast = new Float64Array(track.length).fill(NaN);
          const want = comesNearZone(u, z, shape, 900, boxes, seenAll);
          expect(comesNearZone(u, z, shape, 900, boxes, seenFast, 0, new LineSides(shape))).toBe(want);
          // What the fast way measured, it measured as the slow way did.
          if (!want) for (let k = 0; k < track.length; k++) if (!Number.isNaN(seenFast[k])) expect(seenFast[k]).toBe(seenAll[k]);
        },
      ),
      { numRuns: 1000 },
    );
  });
});
