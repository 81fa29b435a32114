/**
 * The `never-near` geometry from bounds (src/core/warnings/near.ts) gives the answers of the
 * reference that measures every leg and every pair: on the benchmark's workload (polygons, a
 * line, a circle; units near and far) and on random tracks around each kind of zone.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateWorkload, workloadToYaml } from '../../src/bench/workload.js';
import type { Scenario } from '../../src/core/model.js';
import { comesNearByScan, leastToZonesByScan, NearIndex, type Box } from '../../src/core/warnings/near.js';
import { parseScenario } from '../../src/io/node/load.js';

function trackBox(sc: Scenario): Box {
  let b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const u of sc.units)
    for (let k = 0; k < u.track.lon.length; k++)
      b = [Math.min(b[0], u.track.lon[k]), Math.min(b[1], u.track.lat[k]), Math.max(b[2], u.track.lon[k]), Math.max(b[3], u.track.lat[k])];
  return b;
}

/** Both ways, for every unit of the scenario against the zones that apply to it. */
function compare(sc: Scenario): { near: number; far: number } {
  for (const z of sc.zones) z.shape.prepare?.(z.approach + z.hysteresis);
  const maxNoise = sc.units.reduce((m, u) => Math.max(m, u.noise), 0);
  const index = new NearIndex(sc.zones, 3 * maxNoise, trackBox(sc));
  let near = 0;
  let far = 0;
  for (const u of sc.units) {
    const zi = sc.zones.flatMap((z, k) => (z.appliesTo.includes(u.side) ? [k] : []));
    const want = zi.some((k) => comesNearByScan(u, sc.zones[k], 3 * u.noise, sc.zones[k].shape.bboxes(sc.zones[k].approach + 3 * maxNoise)));
    expect(index.comesNear(u, zi, 3 * u.noise), u.id).toBe(want);
    if (want) {
      near++;
      continue;
    }
    far++;
    const least = leastToZonesByScan(
      zi.map((k) => sc.zones[k]),
      zi.map((k) => (sc.zones[k].type === 'circle' ? [] : (sc.zones[k].shape.bboxes(0) as Box[]))),
      u.track.lon,
      u.track.lat,
    );
    expect(index.leastTo(u, zi), u.id).toBe(least);
  }
  return { near, far };
}

describe('never-near from bounds', () => {
  it('agrees with measuring every leg on the benchmark workload', () => {
    const wl = generateWorkload({ units: 300, zones: 20, seed: 7, duration: 3600, tick: 1, waypoints: 20, radius: 300_000 });
    // Inline waypoints: the workload as a scenario of its own, no track file.
    const sc = parseScenario(workloadToYaml(wl), 'w.yaml');
    const { near, far } = compare(sc);
    // Both answers occur, many times.
    expect(near).toBeGreaterThan(50);
    expect(far).toBeGreaterThan(50);
  });

  it('agrees on random tracks around a polygon, a line and a circle', () => {
    const head = `title: T
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
zones:
  - {id: p, name: P, type: polygon, applies_to: [red], approach: 5km, polygon: [[[38.0, 33.0], [38.4, 33.1], [38.2, 33.2], [38.3, 33.5], [38.0, 33.4], [38.0, 33.0]]]}
  - {id: l, name: L, type: line, applies_to: [blue], approach: 3km, forbidden: left, line: [[37.5, 32.5], [37.8, 32.9], [37.7, 33.3], [38.1, 33.6]]}
  - {id: c, name: C, type: circle, applies_to: [green], approach: 10km, center: [38.6, 33.5], radius: 20km}
units:
`;
    const point = fc.tuple(fc.double({ min: 36.5, max: 39.5, noNaN: true }), fc.double({ min: 32, max: 34.5, noNaN: true }));
    const unit = fc.record({
      side: fc.constantFrom('red', 'blue', 'green'),
      noise: fc.constantFrom(0, 300),
      track: fc.array(point, { minLength: 1, maxLength: 8 }),
    });
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 6 }), (units) => {
        const text =
          head +
          units
            .map(
              (u, i) =>
                `  - {id: u${i}, name: U${i}, side: ${u.side}, noise: ${u.noise}m, track: [${u.track
                  .map(([x, y], k) => `{pos: [${x.toFixed(5)}, ${y.toFixed(5)}], t: +${k}h}`)
                  .join(', ')}]}\n`,
            )
            .join('');
        compare(parseScenario(text, 't.yaml'));
      }),
      { numRuns: 200 },
    );
  });
});
