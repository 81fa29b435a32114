import { distance as turfDistance, point } from '@turf/turf';
import fc from 'fast-check';
import geographiclib from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { geodesicDestination, geodesicDistance } from '../../src/core/geo/geodesic.js';
import { CircleZone } from '../../src/core/geo/zones.js';

const WGS84 = geographiclib.Geodesic.WGS84;
const TANF: [number, number] = [38.61778, 33.50583];

describe('circle membership on the WGS84 ellipsoid', () => {
  it('puts a unit 1 m outside a 55 km circle outside, and 1 m inside inside, on every bearing', () => {
    const zone = new CircleZone(TANF, 55_000);
    for (let b = 0; b < 360; b += 5) {
      const out = geodesicDestination(TANF, b, 55_001);
      const inn = geodesicDestination(TANF, b, 54_999);
      expect(zone.signedDistance(out[0], out[1]), `bearing ${b}`).toBeGreaterThan(0);
      expect(zone.signedDistance(inn[0], inn[1]), `bearing ${b}`).toBeLessThan(0);
    }
  });

  it('is exact where turf.distance (a sphere) is wrong by more than 100 m', () => {
    const zone = new CircleZone(TANF, 55_000);
    let sphereWrong = 0;
    for (let b = 0; b < 360; b += 1) {
      const p = geodesicDestination(TANF, b, 55_001);
      const km = turfDistance(point(TANF), point(p), { units: 'kilometers' });
      if (km * 1000 <= 55_000) sphereWrong++;
      expect(zone.signedDistance(p[0], p[1])).toBeCloseTo(1, 3);
    }
    // The sphere misplaces the edge on many bearings: that is why it never decides.
    expect(sphereWrong).toBeGreaterThan(10);
  });

  it('agrees with geographiclib for random points at least 1 cm from the edge, at any latitude to 89°, across the antimeridian', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.double({ min: -180, max: 180, noNaN: true, maxExcluded: true }),
        fc.double({ min: 100, max: 2_000_000, noNaN: true }),
        fc.double({ min: 0, max: 360, noNaN: true, maxExcluded: true }),
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        (lat, lon, radius, bearing, offset) => {
          if (Math.abs(offset) < 0.01) return;
          const centre: [number, number] = [lon, lat];
          const zone = new CircleZone(centre, radius);
          const dest = WGS84.Direct(lat, lon, bearing, Math.max(0, radius + offset));
          const p: [number, number] = [dest.lon2!, dest.lat2!];
          const truth = WGS84.Inverse(lat, lon, p[1], ((p[0] + 540) % 360) - 180).s12! - radius;
          if (Math.abs(truth) < 0.01) return;
          expect(zone.signedDistance(((p[0] + 540) % 360) - 180, p[1]) > 0).toBe(truth > 0);
        },
      ),
      { numRuns: 3000, seed: 20170518 },
    );
  });

  it('handles circles across the antimeridian', () => {
    const centre: [number, number] = [179.9, -16.5];
    const zone = new CircleZone(centre, 30_000);
    const east = geodesicDestination(centre, 90, 29_999);
    expect(east[0]).toBeLessThan(0); // wrapped to the western hemisphere
    expect(zone.signedDistance(east[0], east[1])).toBeLessThan(0);
    const out = geodesicDestination(centre, 90, 30_001);
    expect(zone.signedDistance(out[0], out[1])).toBeGreaterThan(0);
  });

  it('geodesicDistance matches geographiclib and the garrison coordinates', () => {
    const p = geodesicDestination(TANF, 318, 80_000);
    expect(geodesicDistance(TANF, p)).toBeCloseTo(80_000, 6);
  });
});
