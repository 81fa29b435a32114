/**
 * The edge index and the circle's chord bounds only speed geometry up: every indexed answer
 * must equal a full scan to the last bit, and the chord bounds must hold the exact geodesic.
 */
import { describe, expect, it } from 'vitest';
import { generateWorkload, rng, STANDARD, workloadToScenario } from '../../src/bench/workload.js';
import { geodesicDistanceLL } from '../../src/core/geo/geodesic.js';
import { CircleZone, LineZone, PolygonZone } from '../../src/core/geo/zones.js';
import type { LonLat } from '../../src/core/position.js';

const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 4, zones: 20 }));
const polygons = sc.zones.filter((z) => z.type === 'polygon').map((z) => z.shape as PolygonZone);
const line = sc.zones.find((z) => z.type === 'line')!.shape as LineZone;

/** A full scan of every segment of a movement (the reference for crossings). */
function scanCrossings(edges: [LonLat, LonLat][], lon0: number, lat0: number, lon1: number, lat1: number): number[] {
  const out: number[] = [];
  for (const [a, b] of edges) {
    const rx = lon1 - lon0;
    const ry = lat1 - lat0;
    const sx = b[0] - a[0];
    const sy = b[1] - a[1];
    const den = rx * sy - ry * sx;
    if (den === 0) continue;
    const qx = a[0] - lon0;
    const qy = a[1] - lat0;
    const t = (qx * sy - qy * sx) / den;
    const u = (qx * ry - qy * rx) / den;
    if (t > 0 && t <= 1 && u >= 0 && u < 1) out.push(t);
  }
  return out.sort((a, b) => a - b);
}

describe('edge index', () => {
  it('gives polygon distances and insideness identical to a full scan', () => {
    const r = rng(11);
    let n = 0;
    for (const z of polygons) {
      z.prepare(10_250);
      const [minX, minY, maxX, maxY] = z.bboxes(25_000)[0];
      for (let i = 0; i < 1500; i++) {
        // Half the points near a vertex (where the nearest edge is contested), half anywhere.
        let lon: number;
        let lat: number;
        if (i % 2) {
          const ring = z.rings[0];
          const v = ring[Math.floor(r() * (ring.length - 1))];
          lon = v[0] + (r() - 0.5) * 0.01;
          lat = v[1] + (r() - 0.5) * 0.01;
        } else {
          lon = minX + (maxX - minX) * r();
          lat = minY + (maxY - minY) * r();
        }
        expect(z.boundaryDistance(lon, lat)).toBe(z.boundaryDistanceByScan(lon, lat));
        expect(z.contains(lon, lat)).toBe(z.containsByScan(lon, lat));
        n++;
      }
    }
    expect(n).toBe(18 * 1500);
  });

  it('gives line sides and distances identical to a full scan, also exactly at vertices', () => {
    const r = rng(12);
    const [minX, minY, maxX, maxY] = line.bboxes(25_000)[0];
    for (let i = 0; i < 20_000; i++) {
      const lon = minX + (maxX - minX) * r();
      const lat = minY + (maxY - minY) * r();
      expect(line.side(lon, lat)).toEqual(line.sideByScan(lon, lat));
    }
    for (const p of line.points) expect(line.side(p[0], p[1])).toEqual(line.sideByScan(p[0], p[1]));
  });

  it('finds the same edge crossings as a full scan', () => {
    const r = rng(13);
    const z = polygons[polygons.length - 1];
    const ring = z.rings[0];
    const edges = ring.slice(0, -1).map((a, i) => [a, ring[i + 1]] as [LonLat, LonLat]);
    for (let i = 0; i < 3000; i++) {
      const v = ring[Math.floor(r() * (ring.length - 1))];
      const lon0 = v[0] + (r() - 0.5) * 0.05;
      const lat0 = v[1] + (r() - 0.5) * 0.05;
      const lon1 = lon0 + (r() - 0.5) * 0.05;
      const lat1 = lat0 + (r() - 0.5) * 0.05;
      expect(z.edgeCrossings(lon0, lat0, lon1, lat1)).toEqual(scanCrossings(edges, lon0, lat0, lon1, lat1));
    }
    const segs = line.points.slice(0, -1).map((a, i) => [a, line.points[i + 1]] as [LonLat, LonLat]);
    for (let i = 0; i < 3000; i++) {
      const v = line.points[Math.floor(r() * line.points.length)];
      const lon0 = v[0] + (r() - 0.5) * 0.2;
      const lat0 = v[1] + (r() - 0.5) * 0.2;
      const lon1 = lon0 + (r() - 0.5) * 0.2;
      const lat1 = lat0 + (r() - 0.5) * 0.2;
      expect(line.edgeCrossings(lon0, lat0, lon1, lat1)).toEqual(scanCrossings(segs, lon0, lat0, lon1, lat1));
    }
  });

  it('works for polygons across the antimeridian and with holes', () => {
    const z = new PolygonZone([
      [
        [179, -17],
        [-179, -17],
        [-179, -15],
        [179, -15],
        [179, -17],
      ],
      [
        [179.8, -16.2],
        [-179.8, -16.2],
        [-179.8, -15.8],
        [179.8, -15.8],
        [179.8, -16.2],
      ],
    ]);
    const r = rng(14);
    for (let i = 0; i < 5000; i++) {
      const lon = 178 + r() * 4;
      const lat = -18 + r() * 4;
      const wrapped = lon >= 180 ? lon - 360 : lon;
      expect(z.boundaryDistance(wrapped, lat)).toBe(z.boundaryDistanceByScan(wrapped, lat));
      expect(z.contains(wrapped, lat)).toBe(z.containsByScan(wrapped, lat));
    }
  });
});

describe('circle chord bounds', () => {
  it('always hold the exact WGS84 geodesic distance, within 0.4 m at the 55 km edge', () => {
    const c = new CircleZone([38.61778, 33.50583], 55_000);
    const r = rng(15);
    const out = new Float64Array(2);
    for (let i = 0; i < 20_000; i++) {
      const lon = 38.61778 + (r() - 0.5) * 2;
      const lat = 33.50583 + (r() - 0.5) * 2;
      c.geodesicBounds(lon, lat, out);
      const g = geodesicDistanceLL(38.61778, 33.50583, lon, lat);
      expect(out[0]).toBeLessThanOrEqual(g);
      expect(out[1]).toBeGreaterThanOrEqual(g);
      if (g < 66_000) expect(out[1] - out[0]).toBeLessThan(0.4);
    }
  });

  it('hold anywhere on the globe, including long distances and high latitudes', () => {
    const r = rng(16);
    const out = new Float64Array(2);
    for (let i = 0; i < 3000; i++) {
      const c = new CircleZone([r() * 360 - 180, r() * 170 - 85], 10_000);
      const lon = c.center[0] + (r() - 0.5) * 20;
      const lat = Math.max(-89.9, Math.min(89.9, c.center[1] + (r() - 0.5) * 20));
      c.geodesicBounds(lon, lat, out);
      const g = geodesicDistanceLL(c.center[0], c.center[1], lon, lat);
      expect(out[0]).toBeLessThanOrEqual(g + 1e-9);
      expect(out[1]).toBeGreaterThanOrEqual(g - 1e-9);
    }
  });
});
