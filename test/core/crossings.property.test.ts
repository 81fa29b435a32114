/**
 * Crossings between ticks, against an independent reference (crossings-reference.ts): random
 * tracks, slow and fast, with waypoints and halts, withdrawals and turns between ticks, and
 * strikes that halt a unit, many of them passing near a zone's vertices or a line's ends; random
 * circles, concave polygons with holes (some across the antimeridian) and lines; ticks from 1 s
 * to 1 min; position noise on some units (drawn at the ticks, followed evenly in between). The engine must give the same approach, enter and exit events as the reference, at
 * the same time (1 ms) and point (0.1 m), and every number an event carries must be exact. The
 * engine that skips what it proves quiet must give the same bytes as one that judges everything.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { Engine, setExhaustive } from '../../src/core/engine.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import { parseScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { referenceEvents, trackPos, type RefEvent } from '../../src/bench/crossref.js';
import { eventNumberProblems } from './event-numbers.js';

const T0 = Date.UTC(2021, 2, 1, 6);
const RAD = Math.PI / 180;

/** A point `east`, `north` metres from (lon, lat) on a local flat approximation. */
function offset(lon: number, lat: number, east: number, north: number): [number, number] {
  const la = lat + north / 111_320;
  let lo = lon + east / (111_320 * Math.cos(la * RAD));
  lo = ((((lo + 180) % 360) + 360) % 360) - 180;
  return [Math.round(lo * 1e7) / 1e7, Math.round(la * 1e7) / 1e7];
}

const metres = (a: [number, number], b: [number, number]) => {
  let dl = b[0] - a[0];
  if (dl > 180) dl -= 360;
  if (dl < -180) dl += 360;
  return Math.hypot(dl * 111_320 * Math.cos(((a[1] + b[1]) / 2) * RAD), (b[1] - a[1]) * 110_950);
};

const unitF = fc.double({ min: 0, max: 1, noNaN: true });

/** A random scenario built to make crossings between ticks hard to find. */
const scenarioArb = fc
  .record({
    lon: fc.oneof(fc.constantFrom(38.6, 179.96, -179.97), fc.double({ min: -179, max: 179, noNaN: true })),
    lat: fc.double({ min: -60, max: 60, noNaN: true }),
    tick: fc.constantFrom(1, 7, 10, 30, 60),
    zones: fc.array(
      fc.record({
        kind: fc.constantFrom('circle', 'polygon', 'line'),
        e: fc.integer({ min: -6000, max: 6000 }),
        n: fc.integer({ min: -6000, max: 6000 }),
        size: fc.integer({ min: 2000, max: 10000 }),
        radial: fc.array(fc.double({ min: 0.35, max: 1, noNaN: true }), { minLength: 4, maxLength: 9 }),
        hole: fc.boolean(),
        steps: fc.array(fc.record({ len: fc.integer({ min: 2000, max: 9000 }), head: fc.integer({ min: 0, max: 359 }) }), { minLength: 1, maxLength: 4 }),
        forbidden: fc.constantFrom('left', 'right'),
        approach: fc.integer({ min: 300, max: 4000 }),
        hysteresis: fc.integer({ min: 10, max: 400 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    units: fc.array(
      fc.record({
        delay: fc.integer({ min: 0, max: 60_000 }),
        noise: fc.oneof(fc.constant(0), fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 40 })),
        threat: fc.boolean(),
        fast: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        wps: fc.array(
          fc.record({
            near: fc.boolean(),
            which: unitF,
            e: fc.integer({ min: -400, max: 400 }),
            n: fc.integer({ min: -400, max: 400 }),
            x: fc.integer({ min: -12000, max: 12000 }),
            y: fc.integer({ min: -12000, max: 12000 }),
            speed: unitF,
            hold: fc.integer({ min: 0, max: 3 }),
          }),
          { minLength: 2, maxLength: 6 },
        ),
        injects: fc.array(
          fc.record({
            kind: fc.constantFrom('halt', 'turn', 'withdraw'),
            at: unitF,
            x: fc.integer({ min: -12000, max: 12000 }),
            y: fc.integer({ min: -12000, max: 12000 }),
            speed: fc.integer({ min: 10, max: 900 }),
          }),
          { maxLength: 2 },
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  })
  .map((g) => {
    const at = (e: number, n: number) => offset(g.lon, g.lat, e, n);
    // Features units are steered near: the zones' vertices, a line's ends, points on a circle.
    const features: [number, number][] = [];
    const zones = g.zones.map((z, i) => {
      const c = at(z.e, z.n);
      const common = { id: `z${i}`, name: `Zone ${i}`, applies_to: ['red'], approach: `${z.approach}m`, hysteresis: `${z.hysteresis}m` };
      if (z.kind === 'circle') {
        for (let k = 0; k < 4; k++) features.push(offset(c[0], c[1], z.size * Math.cos(k * 1.7), z.size * Math.sin(k * 1.7)));
        return { ...common, type: 'circle', center: c, radius: `${z.size}m` };
      }
      if (z.kind === 'polygon') {
        const n = z.radial.length;
        const ring = z.radial.map((r, k) => offset(c[0], c[1], z.size * r * Math.cos((k / n) * 2 * Math.PI), z.size * r * Math.sin((k / n) * 2 * Math.PI)));
        features.push(...ring);
        ring.push(ring[0]);
        const rings = [ring];
        if (z.hole) {
          const hr = z.size * 0.3 * Math.min(...z.radial);
          const hole = [0, 1, 2, 3].map((k) => offset(c[0], c[1], hr * Math.cos(k * 1.57 + 0.3), hr * Math.sin(k * 1.57 + 0.3)));
          features.push(...hole);
          hole.push(hole[0]);
          rings.push(hole);
        }
        return { ...common, type: 'polygon', polygon: rings };
      }
      const pts: [number, number][] = [c];
      let p = c;
      for (const s of z.steps) {
        p = offset(p[0], p[1], s.len * Math.sin(s.head * RAD), s.len * Math.cos(s.head * RAD));
        pts.push(p);
      }
      features.push(pts[0], pts[pts.length - 1], ...pts);
      return { ...common, type: 'line', line: pts, forbidden: z.forbidden };
    });
    let end = T0;
    const injects: Record<string, unknown>[] = [];
    const units = g.units.map((u, i) => {
      let t = T0 + u.delay;
      let prev: [number, number] | undefined;
      const track: Record<string, unknown>[] = [];
      u.wps.forEach((w, k) => {
        const pos = w.near ? offset(...features[Math.floor(w.which * features.length) % features.length], w.e, w.n) : at(w.x, w.y);
        if (prev) {
          // Slow (5–60 km/h) or fast (300–1,000 km/h) legs.
          const kmh = u.fast[k % 6] ? 300 + 700 * w.speed : 5 + 55 * w.speed;
          t += Math.max(1, Math.round((metres(prev, pos) / (kmh / 3.6)) * 1000));
        }
        track.push({ pos, t: `+${t - T0}ms` });
        prev = pos;
        if (w.hold && k + 1 < u.wps.length) {
          t += w.hold * 17_321;
          track.push({ pos, t: `+${t - T0}ms` });
        }
      });
      const last = t;
      end = Math.max(end, last);
      for (const inj of u.injects) {
        const ti = Math.round(T0 + u.delay + (last - T0 - u.delay) * inj.at) + 1;
        const base = { t: `+${ti - T0}ms`, unit: `u${i}` };
        if (inj.kind === 'halt') injects.push({ ...base, type: 'halt' });
        else if (inj.kind === 'withdraw') injects.push({ ...base, type: 'withdraw', speed: `${inj.speed}km/h` });
        else injects.push({ ...base, type: 'turn', to: at(inj.x, inj.y), speed: `${inj.speed}km/h` });
      }
      return {
        id: `u${i}`,
        name: `Unit ${i}`,
        side: 'red',
        composition: u.threat ? { tanks: 2, technicals: 2, personnel: 20 } : { technicals: 1, personnel: 5 },
        ...(u.noise ? { noise: `${u.noise}m` } : {}),
        track,
      };
    });
    injects.sort((a, b) => Number(String(a.t).slice(1, -2)) - Number(String(b.t).slice(1, -2)));
    const doc = {
      title: 'crossings between ticks',
      start: new Date(T0).toISOString(),
      end: `+${Math.ceil((end - T0) / 1000) + 600}s`,
      tick: `${g.tick}s`,
      zones,
      units,
      ...(injects.length ? { injects } : {}),
    };
    return stringify(doc);
  });

type Kind = RefEvent['kind'];
const kindOf = (e: SimEvent): Kind | undefined =>
  e.type === 'approach' || e.type === 'enter' ? e.type : e.type === 'exit' ? (e.area === 'band' ? 'exit_band' : 'exit') : undefined;

/** Differences between the engine's crossing events and the reference's (empty: the same). */
function compare(sc: Scenario, engine: Engine, ticks: { t: number[]; pos: Float64Array[] }): string[] {
  const problems: string[] = [];
  sc.units.forEach((unit, u) => {
    const track = engine.trackOf(u);
    // Noise: the unit's offsets from its track at the ticks, as the run drew them.
    let noise: { t: number[]; dLon: number[]; dLat: number[] } | undefined;
    if (unit.noise > 0) {
      noise = { t: ticks.t, dLon: [], dLat: [] };
      ticks.t.forEach((t, k) => {
        const p = trackPos(track, t);
        let dl = ticks.pos[k][u * 2] - p[0];
        if (dl > 180) dl -= 360;
        if (dl < -180) dl += 360;
        noise!.dLon.push(dl);
        noise!.dLat.push(ticks.pos[k][u * 2 + 1] - p[1]);
      });
    }
    sc.zones.forEach((zone, z) => {
      if (!zone.appliesTo.includes(unit.side)) return;
      const ref = referenceEvents(sc, track, z, 2, undefined, false, noise);
      const got = engine.events.filter((e) => e.unit === unit.id && e.zone === zone.id && kindOf(e));
      const show = () =>
        `\n  engine:    ${got.map((e) => `${kindOf(e)}@${new Date(e.t).toISOString()}`).join(' ')}\n  reference: ${ref.map((r) => `${r.kind}@${new Date(Math.round(r.t)).toISOString()}(${r.t.toFixed(3)})`).join(' ')}`;
      if (got.length !== ref.length) {
        problems.push(`${unit.id} × ${zone.id} (${zone.type}): ${got.length} events, the reference ${ref.length}${show()}`);
        return;
      }
      got.forEach((e, i) => {
        const r = ref[i];
        const dt = Math.abs(e.t - r.t);
        const dm = metres(e.at!, [r.lon, r.lat]);
        if (kindOf(e) !== r.kind || !(dt <= 1) || !(dm <= 0.1))
          problems.push(`${unit.id} × ${zone.id} (${zone.type}) event ${i}: ${kindOf(e)} vs ${r.kind}, ${dt.toFixed(3)} ms, ${dm.toFixed(3)} m apart${show()}`);
      });
    });
  });
  return problems;
}

describe('crossings between ticks against a dense reference', () => {
  it('the engine finds the same approach, enter and exit events, at the same time and point, with exact numbers', () => {
    let compared = 0;
    fc.assert(
      fc.property(scenarioArb, (yaml) => {
        const sc = parseScenario(yaml, 'generated.yaml');
        const engine = new Engine(sc);
        const ticks = { t: [] as number[], pos: [] as Float64Array[] };
        while (!engine.done) {
          const b = engine.step();
          ticks.t.push(b.t);
          ticks.pos.push(engine.positions.slice());
        }
        const problems = compare(sc, engine, ticks);
        expect(problems, yaml).toEqual([]);
        expect(eventNumberProblems(sc, engine.events), yaml).toEqual([]);
        // Skipping what is proved quiet misses nothing on these paths either.
        setExhaustive(true);
        try {
          expect(new Engine(parseScenario(yaml, 'generated.yaml')).runToEnd().map(eventToNdjson).join(''), yaml).toBe(
            engine.events.map(eventToNdjson).join(''),
          );
        } finally {
          setExhaustive(false);
        }
        compared += engine.events.filter(kindOf).length;
      }),
      { numRuns: Number(process.env.CROSSING_RUNS ?? 25), seed: Number(process.env.CROSSING_SEED ?? 1107) },
    );
    // The runs did compare crossings (not only empty lists).
    expect(compared).toBeGreaterThan(100);
  }, 240_000);
});
