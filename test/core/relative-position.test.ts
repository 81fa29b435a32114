/**
 * Relative positions: `{from, bearing, distance}` is the geodesic Direct on WGS84 from a site or
 * a position, and without `from` (in tracks, rings and lines) from the previous point.
 */
import fc from 'fast-check';
import geographiclib from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { geodesicDistance } from '../../src/core/geo/geodesic.js';
import { parseScenario } from '../../src/io/node/load.js';
import { parsePosition, type LonLat } from '../../src/core/position.js';

const WGS84 = geographiclib.Geodesic.WGS84;

/** Distance in metres between two points, exact on WGS84. */
const gap = (a: LonLat, b: LonLat) => geodesicDistance(a, b);

describe('relative positions', () => {
  it("agree with geographiclib's Direct to 1 mm, from a site and from a position", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -179.999, max: 179.999, noNaN: true }),
        fc.double({ min: -89.9, max: 89.9, noNaN: true }),
        fc.double({ min: 0, max: 360, noNaN: true }),
        fc.integer({ min: 0, max: 5_000_000_000 }),
        (lon, lat, bearing, mm) => {
          const metres = mm / 1000;
          const d = WGS84.Direct(lat, lon, bearing, metres);
          const want: LonLat = [d.lon2 as number, d.lat2 as number];
          const fromSite = parsePosition({ from: 'here', bearing, distance: metres }, { sites: new Map([['here', [lon, lat]]]) });
          const fromPos = parsePosition({ from: { lat, lon }, bearing, distance: `${(mm / 1e6).toFixed(6)}km` });
          const fromPrev = parsePosition({ bearing, distance: metres }, { previous: [lon, lat] });
          for (const r of [fromSite, fromPos, fromPrev]) {
            expect(r.ok).toBe(true);
            if (r.ok) expect(gap(r.value, want)).toBeLessThan(0.001);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('crosses the antimeridian into [-180, 180)', () => {
    const r = parsePosition({ from: [179.9, 0], bearing: 90, distance: '50km' });
    expect(r.ok && r.value[0]).toBeLessThan(-179);
  });

  it('explains what is wrong, with the sub-field', () => {
    const bad = (v: unknown, ctx = {}) => {
      const r = parsePosition(v, ctx);
      if (r.ok) throw new Error('accepted');
      return r.problem;
    };
    expect(bad({ from: 'tanf', bearing: 300, distance: '70km' })).toMatchObject({ message: "unknown site 'tanf'", sub: ['from'] });
    expect(bad({ from: [38, 33], bearing: 400, distance: '70km' })).toMatchObject({ sub: ['bearing'] });
    expect(bad({ from: [38, 33], bearing: 10, distance: '70 parsecs' })).toMatchObject({ sub: ['distance'] });
    expect(bad({ from: [38, 133], bearing: 10, distance: '7km' })).toMatchObject({ sub: ['from', 1] });
    expect(bad({ bearing: 10, distance: '7km' }).message).toMatch(/needs 'from' here/);
    expect(bad({ from: [38, 33], bearing: 10 }).message).toMatch(/needs 'distance'/);
    expect(bad({ from: [38, 33], bearing: 10, distance: '1km', lat: 3 })).toMatchObject({ sub: ['lat'] });
  });
});

const SCENARIO = `title: Relative
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
sites:
  - {id: tanf, name: At Tanf garrison, side: coalition, pos: [38.61778, 33.50583]}
  - {id: obs, name: Observation post, side: coalition, pos: {from: tanf, bearing: 90, distance: 20km}}
zones:
  - {id: dz, name: the zone, type: circle, center: {from: obs, bearing: 270, distance: 20km}, radius: 55km, applies_to: [red]}
  - id: box
    name: the box
    type: polygon
    applies_to: [red]
    polygon:
      - - {from: tanf, bearing: 0, distance: 5km}
        - {bearing: 90, distance: 5km}
        - {bearing: 180, distance: 5km}
        - {from: tanf, bearing: 0, distance: 5km}
units:
  - id: convoy
    name: Convoy
    side: red
    track:
      - {pos: {from: tanf, bearing: 300, distance: 70km}, t: 2017-05-18T06:00:00Z}
      - {pos: {bearing: 120, distance: 30km}, speed: 30km/h}
      - {pos: {bearing: 120, distance: 20km}, speed: 30km/h}
injects:
  - {t: +2h, type: turn, unit: convoy, to: {from: tanf, bearing: 300, distance: 90km}}
`;

describe('relative positions in a scenario', () => {
  it('resolve from sites, from sites defined above, and leg by leg from the previous waypoint', () => {
    const sc = parseScenario(SCENARIO, 'rel.yaml');
    const tanf: LonLat = [38.61778, 33.50583];
    expect(gap(sc.sites[1].pos, tanf)).toBeCloseTo(20_000, 3);
    expect(gap(sc.zones[0].center!, sc.sites[1].pos)).toBeCloseTo(20_000, 3);
    expect(gap(sc.zones[0].center!, tanf)).toBeLessThan(100);
    const tr = sc.units[0].track;
    const p = (k: number): LonLat => [tr.lon[k], tr.lat[k]];
    expect(gap(p(0), tanf)).toBeCloseTo(70_000, 3);
    expect(gap(p(0), p(1))).toBeCloseTo(30_000, 3);
    expect(gap(p(1), p(2))).toBeCloseTo(20_000, 3);
    // The time of a speed leg follows from the geodesic distance: 30 km at 30 km/h is an hour.
    expect(tr.t[1] - tr.t[0]).toBe(3_600_000);
    const turn = sc.injects[0];
    expect(turn.type === 'turn' && gap(turn.to, tanf)).toBeCloseTo(90_000, 3);
  });

  it('reports a bad relative position at its field, with file:line:column', () => {
    const bad = SCENARIO.replace('{from: tanf, bearing: 300, distance: 70km}', '{from: tnaf, bearing: 300, distance: 70km}');
    let err: unknown;
    try {
      parseScenario(bad, 'rel.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as ScenarioError).message).toBe(
      "rel.yaml:23:22: units[0].track[0].pos.from: unknown site 'tnaf' (from names a site defined above (tanf, obs) or a position)",
    );
  });
});
