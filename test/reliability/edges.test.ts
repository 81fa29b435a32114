/**
 * Edges, end to end: scenarios written as YAML, loaded and run, judged against geographiclib;
 * and boundary jitter, where a unit sits on an edge with ±30 m of position noise every tick.
 * (test/core/geodesy.test.ts checks CircleZone itself; these check what the engine reports.)
 */
import fc from 'fast-check';
import geographiclib from 'geographiclib-geodesic';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Engine, simulate } from '../../src/core/engine.js';
import { rungLevel } from '../../src/core/ladder.js';
import { parseScenario } from '../../src/io/node/load.js';
import { iso, offset, T0 } from './arbitraries.js';

const WGS84 = geographiclib.Geodesic.WGS84;
const wrap = (lon: number) => ((((lon + 180) % 360) + 360) % 360) - 180;

describe('membership, end to end', () => {
  it('a unit is reported inside a circle exactly when geographiclib puts it inside, for points at least 1 cm from the edge, at any latitude to 89°, across the antimeridian', () => {
    let inside = 0;
    let outside = 0;
    fc.assert(
      fc.property(
        fc.double({ min: -89, max: 89, noNaN: true }),
        fc.oneof(
          fc.double({ min: -180, max: 180, noNaN: true, maxExcluded: true }),
          fc.double({ min: 179, max: 180, noNaN: true, maxExcluded: true }),
          fc.double({ min: -180, max: -179, noNaN: true }),
        ),
        fc.double({ min: 50, max: 2_000_000, noNaN: true }),
        // Probes: a bearing, and an offset from the edge of 1 cm to 2 m, or 1 m to 5 km, either way.
        fc.array(
          fc.tuple(
            fc.double({ min: 0, max: 360, noNaN: true, maxExcluded: true }),
            fc.oneof(
              fc.integer({ min: 1, max: 200 }).map((cm) => cm / 100),
              fc.integer({ min: 1, max: 5000 }),
            ),
            fc.boolean(),
          ),
          { minLength: 1, maxLength: 12 },
        ),
        (lat, lon, radius, probes) => {
          const units: { id: string; name: string; side: string; track: { pos: number[]; t: string }[] }[] = [];
          const truth: boolean[] = [];
          for (const [bearing, size, out] of probes) {
            const d = WGS84.Direct(lat, lon, bearing, Math.max(0, radius + (out ? size : -size)));
            const p = [wrap(d.lon2!), d.lat2!];
            const s = WGS84.Inverse(lat, lon, p[1], p[0]).s12! - radius;
            if (Math.abs(s) < 0.01) continue;
            truth.push(s < 0);
            units.push({ id: `p${units.length}`, name: 'probe', side: 'red', track: [{ pos: p, t: iso(T0) }] });
          }
          if (!units.length) return;
          const text = stringify({
            title: 'membership',
            start: iso(T0),
            end: iso(T0 + 60_000),
            tick: '1m',
            // Radius in metres as a plain number: exact, whatever its decimals.
            zones: [{ id: 'c', name: 'circle', type: 'circle', center: [lon, lat], radius, approach: '1m', hysteresis: '1m', applies_to: ['red'] }],
            units,
          });
          const sc = parseScenario(text, 'membership.yaml');
          expect(sc.zones[0].radius).toBe(radius);
          const e = new Engine(sc);
          const batch = e.step();
          units.forEach((u, i) => {
            const entered = batch.events.some((ev) => ev.type === 'enter' && ev.unit === u.id);
            expect(entered, `${u.id} at ${JSON.stringify(u.track[0].pos)} (inside: ${truth[i]})`).toBe(truth[i]);
            expect(e.distances(i, 0).edge < 0).toBe(truth[i]);
            if (truth[i]) inside++;
            else outside++;
          });
        },
      ),
      { numRuns: 250, seed: 20170518 },
    );
    expect(inside).toBeGreaterThan(100);
    expect(outside).toBeGreaterThan(100);
  });
});

/** A scenario with one unit sitting on a zone's edge (within ±20 m) for three hours, with 30 m of noise. */
const jitterScenario = fc
  .record({
    lat: fc.integer({ min: -80, max: 80 }),
    lon: fc.oneof(fc.integer({ min: -180, max: 179 }), fc.constantFrom(179.99, -179.99)),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    onEdge: fc.integer({ min: -20, max: 20 }),
    shape: fc.constantFrom('circle', 'polygon', 'line'),
    size: fc.integer({ min: 2, max: 80 }),
    bearing: fc.double({ min: 0, max: 360, noNaN: true, maxExcluded: true }),
    hysteresis: fc.integer({ min: 100, max: 400 }),
    tanks: fc.integer({ min: 0, max: 3 }),
    tick: fc.constantFrom('5s', '10s', '30s'),
  })
  .map((g) => {
    const r = g.size * 1000;
    let zone: Record<string, unknown>;
    let pos: [number, number];
    if (g.shape === 'circle') {
      zone = { type: 'circle', center: [g.lon, g.lat], radius: `${g.size}km` };
      const d = WGS84.Direct(g.lat, g.lon, g.bearing, r + g.onEdge);
      pos = [wrap(d.lon2!), d.lat2!];
    } else if (g.shape === 'polygon') {
      // A square; the unit sits on the middle of its southern side.
      const ring = [offset(g.lon, g.lat, -r, -r), offset(g.lon, g.lat, r, -r), offset(g.lon, g.lat, r, r), offset(g.lon, g.lat, -r, r)];
      zone = { type: 'polygon', polygon: [[...ring, ring[0]]] };
      pos = offset(g.lon, g.lat, 0, -r - g.onEdge);
    } else {
      // A west-east line; south of it is forbidden (right of its direction).
      zone = { type: 'line', line: [offset(g.lon, g.lat, -r, 0), offset(g.lon, g.lat, r, 0)], forbidden: 'right' };
      pos = offset(g.lon, g.lat, 0, -g.onEdge);
    }
    const sc = {
      title: 'jitter',
      start: iso(T0),
      end: iso(T0 + 3 * 3_600_000),
      tick: g.tick,
      seed: g.seed,
      zones: [{ id: 'z', name: 'the zone', ...zone, hysteresis: `${g.hysteresis}m`, applies_to: ['red'] }],
      units: [{ id: 'j', name: 'Edge sitter', side: 'red', noise: '30m', composition: { tanks: g.tanks, personnel: 20 }, track: [{ pos, t: iso(T0) }] }],
    };
    return { g, text: stringify(sc) };
  });

describe('boundary jitter', () => {
  it('a unit wandering ±30 m around an edge every tick enters once at most, never exits, crosses a line once each way at most, and climbs no rung past the one entering gives', () => {
    let entered = 0;
    fc.assert(
      fc.property(jitterScenario, ({ g, text }) => {
        const sc = parseScenario(text, 'jitter.yaml');
        const evs = simulate(sc);
        const d = (t: string) => evs.filter((e) => e.type === t);
        expect(d('enter').length, `${g.shape}: enter/exit storm`).toBeLessThanOrEqual(1);
        expect(d('exit')).toHaveLength(0);
        expect(d('stand_down')).toHaveLength(0);
        // A line's own crossings have the same hysteresis: one crossing over and at most one back, not a storm.
        expect(d('cross').filter((e) => e.dir === 'into').length, `${g.shape}: a storm of crossings`).toBeLessThanOrEqual(1);
        expect(d('cross').filter((e) => e.dir === 'out_of').length, `${g.shape}: a storm of crossings`).toBeLessThanOrEqual(1);
        const top = Math.max(-1, ...d('escalate').map((e) => rungLevel(e.rung)));
        expect(top, `${g.shape}: climbed to ${evs.find((e) => rungLevel(e.rung) === top)?.rung} on jitter alone`).toBeLessThanOrEqual(rungLevel('warn'));
        if (d('enter').length) entered++;
      }),
      { numRuns: 60, seed: 30 },
    );
    // Most units on the edge do get pushed in by the noise once: the property is not vacuous.
    expect(entered).toBeGreaterThan(30);
  });
});

describe('crossing a line, with its hysteresis', () => {
  const line = (track: string) =>
    parseScenario(
      `title: t
start: 2020-01-01T00:00:00Z
end: 2020-01-01T02:00:00Z
tick: 10s
zones: [{id: river, name: the river line, type: line, line: [[40, 35], [41, 35]], forbidden: left, hysteresis: 200m, applies_to: [red]}]
units:
  - id: w
    name: W
    side: red
    track:
${track}`,
      'line.yaml',
    );
  const crosses = (sc: ReturnType<typeof line>) =>
    simulate(sc)
      .filter((e) => e.type === 'cross')
      .map((e) => `${e.dir} ${e.reason}`);

  it('reports crossing over, back, and over again when the unit really leaves in between', () => {
    // Crossings between ticks (a position exactly on the line at a tick is another case).
    const sc = line(`      - {pos: [40.5, 34.99], t: 2020-01-01T00:00:00Z}
      - {pos: [40.5, 35.01], t: 2020-01-01T00:10:03Z}
      - {pos: [40.5, 34.99], t: 2020-01-01T00:20:07Z}
      - {pos: [40.5, 35.01], t: 2020-01-01T00:30:01Z}`);
    expect(crosses(sc)).toEqual([
      'into crossed the river line to the forbidden side',
      'out_of crossed the river line back to the permitted side',
      'into crossed the river line to the forbidden side',
    ]);
  });

  it('reports a unit that crossed back but stayed within the hysteresis once it is deep on the forbidden side again', () => {
    // 35.0005 is about 55 m north of the line, 34.9995 about 55 m south: within the 200 m hysteresis.
    const sc = line(`      - {pos: [40.5, 34.99], t: 2020-01-01T00:00:00Z}
      - {pos: [40.5, 35.0005], t: 2020-01-01T00:10:00Z}
      - {pos: [40.5, 34.9995], t: 2020-01-01T00:12:00Z}
      - {pos: [40.5, 35.0005], t: 2020-01-01T00:14:00Z}
      - {pos: [40.5, 34.9995], t: 2020-01-01T00:16:00Z}
      - {pos: [40.5, 35.01], t: 2020-01-01T00:30:00Z}`);
    const c = crosses(sc);
    expect(c).toEqual([
      'into crossed the river line to the forbidden side',
      'out_of crossed the river line back to the permitted side',
      'into back on the forbidden side of the river line, more than 200 m past the line',
    ]);
    expect(simulate(sc).filter((e) => e.type === 'enter')).toHaveLength(1);
  });
});
