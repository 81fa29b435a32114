import { booleanPointInPolygon, point, polygon } from '@turf/turf';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CircleZone, levelCrossings, lerpLonLat, LineZone, PolygonZone } from '../../src/core/geo/zones.js';
import type { LonLat } from '../../src/core/position.js';

const square: LonLat[] = [
  [38, 33],
  [39, 33],
  [39, 34],
  [38, 34],
  [38, 33],
];
const hole: LonLat[] = [
  [38.4, 33.4],
  [38.6, 33.4],
  [38.6, 33.6],
  [38.4, 33.6],
  [38.4, 33.4],
];

describe('polygons (RFC 7946: straight edges in lon/lat)', () => {
  it('knows inside, outside and holes', () => {
    const z = new PolygonZone([square, hole]);
    expect(z.signedDistance(38.2, 33.2)).toBeLessThan(0);
    expect(z.signedDistance(38.5, 33.5)).toBeGreaterThan(0); // in the hole
    expect(z.signedDistance(39.5, 33.5)).toBeGreaterThan(0);
  });

  it('measures the distance to the nearest edge in metres', () => {
    const z = new PolygonZone([square]);
    // 0.1° of latitude is about 11.09 km at 33°N.
    expect(z.signedDistance(38.5, 33.1)).toBeCloseTo(-11_090, -2);
    expect(z.signedDistance(38.5, 32.9)).toBeCloseTo(11_090, -2);
  });

  it('agrees with turf.booleanPointInPolygon away from the edges', () => {
    const z = new PolygonZone([square, hole]);
    const tp = polygon([square, hole]);
    fc.assert(
      fc.property(fc.double({ min: 37.5, max: 39.5, noNaN: true }), fc.double({ min: 32.5, max: 34.5, noNaN: true }), (lon, lat) => {
        const d = z.signedDistance(lon, lat);
        if (Math.abs(d) < 1) return;
        expect(d < 0).toBe(booleanPointInPolygon(point([lon, lat]), tp));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('works across the antimeridian', () => {
    const z = new PolygonZone([
      [
        [179, -17],
        [-179, -17],
        [-179, -16],
        [179, -16],
        [179, -17],
      ],
    ]);
    expect(z.signedDistance(179.5, -16.5)).toBeLessThan(0);
    expect(z.signedDistance(-179.5, -16.5)).toBeLessThan(0);
    expect(z.signedDistance(-178.5, -16.5)).toBeGreaterThan(0);
    expect(z.signedDistance(178.5, -16.5)).toBeGreaterThan(0);
    const boxes = z.bboxes(1000);
    expect(boxes.length).toBe(2);
    // A movement across the antimeridian enters once.
    const xs = z.edgeCrossings(178.5, -16.5, -179.5, -16.5);
    expect(xs.length).toBe(1);
    expect(lerpLonLat(178.5, -16.5, -179.5, -16.5, xs[0])[0]).toBeCloseTo(179, 9);
  });

  it('finds every edge crossing of a movement, exactly', () => {
    const z = new PolygonZone([square]);
    // Straight through, west to east along 33.5°N: in at 38°E, out at 39°E.
    const xs = z.edgeCrossings(37.5, 33.5, 39.5, 33.5);
    expect(xs).toHaveLength(2);
    expect(xs[0]).toBeCloseTo(0.25, 12);
    expect(xs[1]).toBeCloseTo(0.75, 12);
  });
});

describe('lines with a forbidden side', () => {
  const line: LonLat[] = [
    [40, 35],
    [41, 35],
    [42, 34],
  ];

  it('tells left from right of the line direction', () => {
    const z = new LineZone(line, 'left');
    expect(z.side(40.5, 35.1).side).toBe(1); // north of an eastward line is left
    expect(z.side(40.5, 34.9).side).toBe(-1);
    expect(z.signedDistance(40.5, 35.1)).toBeLessThan(0); // forbidden
    expect(z.signedDistance(40.5, 34.9)).toBeGreaterThan(0);
    expect(new LineZone(line, 'right').signedDistance(40.5, 34.9)).toBeLessThan(0);
  });

  it('decides sides correctly around a bend', () => {
    const z = new LineZone(line, 'left');
    // The line turns right at (41, 35): just north-east of the vertex is left of both segments.
    expect(z.side(41.05, 35.05).side).toBe(1);
    // Inside the bend, south-west of the vertex, is right.
    expect(z.side(40.95, 34.9).side).toBe(-1);
  });

  it('reports each crossing with its direction and interpolated point', () => {
    const z = new LineZone(line, 'left');
    const xs = z.lineCrossings(40.5, 34.9, 40.5, 35.1);
    expect(xs).toHaveLength(1);
    expect(xs[0].s).toBeCloseTo(0.5, 12);
    expect(xs[0].toSide).toBe(1);
    const back = z.lineCrossings(40.5, 35.1, 40.5, 34.9);
    expect(back[0].toSide).toBe(-1);
    // A movement that ends exactly on the line still crosses in its own direction.
    expect(z.lineCrossings(40.5, 35.1, 40.5, 35)[0]?.toSide ?? -1).toBe(-1);
    const onto = z.lineCrossings(40.5, 34.9, 40.5, 35);
    expect(onto.map((c) => c.toSide)).toEqual(onto.length ? [1] : []);
    // A movement that crosses twice (over the bend) gives two crossings in order.
    const twice = z.lineCrossings(40.7, 35.1, 41.5, 34.8);
    expect(twice.map((c) => c.segment)).toEqual([0, 1]);
    expect(twice[0].s).toBeCloseTo(1 / 3, 9);
    expect(twice[0].toSide).toBe(-1);
    expect(twice[1].s).toBeCloseTo(0.4, 9);
    expect(twice[1].toSide).toBe(1);
  });
});

describe('level crossings between two fixes', () => {
  it('finds the time a movement crosses a circle edge, to the centimetre', () => {
    const c = new CircleZone([38.61778, 33.50583], 55_000);
    const a: LonLat = [38.03808, 34.04047]; // 80 km out
    const b: LonLat = [38.36505, 33.74008]; // 35 km out
    const xs = levelCrossings(c, a[0], a[1], b[0], b[1], 0, c.signedDistance(...a), c.signedDistance(...b));
    expect(xs).toHaveLength(1);
    const p = lerpLonLat(a[0], a[1], b[0], b[1], xs[0]);
    expect(Math.abs(c.signedDistance(p[0], p[1]))).toBeLessThan(0.01);
  });

  it('finds a pass through the edge and back between two fixes (a chord)', () => {
    const c = new CircleZone([0, 0], 1000);
    // Both ends 1.1 km out, passing 900 m from the centre.
    const y = 900 / 110_574;
    const xs = levelCrossings(c, -0.02, y, 0.02, y, 0, c.signedDistance(-0.02, y), c.signedDistance(0.02, y));
    expect(xs).toHaveLength(2);
    expect(xs[0]).toBeLessThan(0.5);
    expect(xs[1]).toBeGreaterThan(0.5);
  });

  it('finds nothing when a movement stays on one side', () => {
    const c = new CircleZone([0, 0], 1000);
    expect(levelCrossings(c, 0.1, 0.1, 0.1, 0.2, 0, c.signedDistance(0.1, 0.1), c.signedDistance(0.1, 0.2))).toEqual([]);
  });
});
