/**
 * fast-check generators of whole scenarios, written out as YAML text so that every property
 * goes through the real loader: zones of every type (anywhere, across the antimeridian too),
 * sites, units with random tracks, noise and compositions, injects (hostile acts included),
 * default and custom ladders, doctrine settings and seeds.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { CONDITIONS, RUNGS } from '../../src/core/schema.js';

export const T0 = Date.UTC(2020, 0, 1, 6);
export const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

/** A point `east`, `north` metres from (lon, lat), on a local flat approximation (fine for tests). */
export function offset(lon: number, lat: number, east: number, north: number): [number, number] {
  const la = Math.max(-89.5, Math.min(89.5, lat + north / 111_320));
  let lo = lon + east / (111_320 * Math.cos((la * Math.PI) / 180));
  lo = ((((lo + 180) % 360) + 360) % 360) - 180;
  return [round(lo), round(la)];
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;

const km = (min: number, max: number) => fc.integer({ min: min * 1000, max: max * 1000 });

export interface GenOptions {
  /** Allow hostile-act injects (and so self-defence strikes). */
  hostile?: boolean;
  /** Allow custom ladders. */
  customLadder?: boolean;
}

/** A random scenario as a plain object ready for YAML. */
export function scenarioObject(opts: GenOptions = {}): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      lat: fc.integer({ min: -70, max: 70 }),
      lon: fc.oneof(fc.integer({ min: -180, max: 179 }), fc.constantFrom(179.8, -179.8)),
      hours: fc.integer({ min: 1, max: 3 }),
      tick: fc.constantFrom('10s', '20s', '30s', '1m'),
      seed: fc.integer({ min: 0, max: 1_000_000 }),
      nSites: fc.integer({ min: 1, max: 2 }),
      nZones: fc.integer({ min: 1, max: 3 }),
      nUnits: fc.integer({ min: 1, max: 4 }),
    })
    .chain((g) => {
      const at = (e: number, n: number) => offset(g.lon, g.lat, e, n);
      const end = T0 + g.hours * 3_600_000;
      const site = (i: number) =>
        fc.record({ e: km(-20, 20), n: km(-20, 20) }).map(({ e, n }) => ({ id: `s${i}`, name: `Site ${i}`, side: 'blue', pos: at(e, n) }));
      const common = (i: number) =>
        fc
          .record({
            approach: fc.integer({ min: 1, max: 15 }).map((k) => `${k}km`),
            hysteresis: fc.integer({ min: 50, max: 500 }).map((m) => `${m}m`),
            applies: fc.constantFrom(['red'], ['red', 'blue']),
            protects: fc.option(fc.integer({ min: 0, max: g.nSites - 1 }), { nil: undefined }),
          })
          .map((c) => ({
            id: `z${i}`,
            name: `Zone ${i}`,
            approach: c.approach,
            hysteresis: c.hysteresis,
            applies_to: c.applies,
            ...(c.protects !== undefined ? { protects: `s${c.protects}` } : {}),
          }));
      const circle = (i: number) =>
        fc
          .tuple(common(i), km(-25, 25), km(-25, 25), fc.integer({ min: 2, max: 40 }), fc.boolean())
          .map(([c, e, n, r, onSite]) =>
            onSite && c.protects
              ? { ...c, type: 'circle', center: c.protects, radius: `${r}km` }
              : { ...c, type: 'circle', center: at(e, n), radius: `${r}km` },
          );
      const polygon = (i: number) =>
        fc.tuple(common(i), km(-25, 25), km(-25, 25), km(2, 30), km(2, 30)).map(([c, e, n, w, h]) => {
          const ring = [at(e - w, n - h), at(e + w, n - h), at(e + w, n + h), at(e - w, n + h)];
          return { ...c, type: 'polygon', polygon: [[...ring, ring[0]]] };
        });
      const line = (i: number) =>
        fc.tuple(common(i), km(-40, -5), km(-20, 20), km(5, 40), km(-20, 20), fc.constantFrom('left', 'right')).map(([c, e0, n0, e1, n1, side]) => ({
          ...c,
          type: 'line',
          line: [at(e0, n0), at(0, (n0 + n1) / 2 + 1000), at(e1, n1)],
          forbidden: side,
        }));
      const zone = (i: number) => fc.oneof(circle(i), polygon(i), line(i));
      const waypoint = fc.record({
        e: km(-60, 60),
        n: km(-60, 60),
        dt: fc.integer({ min: 2, max: 90 }),
        hold: fc.option(fc.constantFrom('5m', '20m', '45m'), { nil: undefined }),
      });
      const unit = (i: number) =>
        fc
          .record({
            side: fc.constantFrom('red', 'red', 'blue'),
            noise: fc.option(fc.integer({ min: 5, max: 60 }), { nil: undefined }),
            tanks: fc.integer({ min: 0, max: 2 }),
            technicals: fc.integer({ min: 0, max: 4 }),
            engineering: fc.integer({ min: 0, max: 1 }),
            personnel: fc.integer({ min: 0, max: 80 }),
            first: fc.integer({ min: 0, max: 40 }),
            wps: fc.array(waypoint, { minLength: 1, maxLength: 5 }),
          })
          .map((u) => {
            let t = T0 + u.first * 60_000;
            const track = u.wps.map((w, k) => {
              if (k > 0) t += w.dt * 60_000;
              const wp = { pos: at(w.e, w.n), t: iso(t), ...(w.hold ? { hold: w.hold } : {}) };
              if (w.hold) t += Number.parseInt(w.hold, 10) * 60_000;
              return wp;
            });
            return {
              id: `u${i}`,
              name: `Unit ${i}`,
              side: u.side,
              composition: { tanks: u.tanks, technicals: u.technicals, engineering: u.engineering, personnel: u.personnel },
              ...(u.noise ? { noise: `${u.noise}m` } : {}),
              track,
            };
          });
      const minutes = g.hours * 60;
      const inject = fc.oneof(
        fc.record({ m: fc.integer({ min: 0, max: minutes }) }).map(({ m }) => ({ t: `+${m}m`, type: 'message', text: 'radio check' })),
        fc
          .record({ m: fc.integer({ min: 0, max: minutes }), u: fc.integer({ min: 0, max: g.nUnits - 1 }) })
          .map(({ m, u }) => ({ t: `+${m}m`, type: 'halt', unit: `u${u}` })),
        fc
          .record({ m: fc.integer({ min: 0, max: minutes }), u: fc.integer({ min: 0, max: g.nUnits - 1 }) })
          .map(({ m, u }) => ({ t: `+${m}m`, type: 'withdraw', unit: `u${u}`, speed: '30km/h' })),
        ...(opts.hostile === false
          ? []
          : [
              fc
                .record({ m: fc.integer({ min: 0, max: minutes }), u: fc.integer({ min: 0, max: g.nUnits - 1 }), s: fc.integer({ min: 0, max: g.nSites - 1 }) })
                .map(({ m, u, s }) => ({ t: `+${m}m`, type: 'hostile_act', unit: `u${u}`, target: `s${s}` })),
            ]),
      );
      const rungSpec = fc.record({
        when: fc.subarray([...CONDITIONS], { minLength: 1 }),
        forMin: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
        wait: fc.option(fc.constantFrom('1m', '5m', '10m'), { nil: undefined }),
      });
      const ladder =
        opts.customLadder === false
          ? fc.constant('default' as const)
          : fc.oneof(
              fc.constant('default' as const),
              fc.subarray([...RUNGS], { minLength: 1 }).chain((rungs) =>
                fc.tuple(...rungs.map(() => rungSpec)).map((specs) =>
                  rungs.map((rung, k) => ({
                    rung,
                    when: specs[k].when.map((c) => (c === 'inside' && specs[k].forMin ? `inside for ${specs[k].forMin}m` : c)),
                    ...(specs[k].wait ? { wait: specs[k].wait } : {}),
                  })),
                ),
              ),
            );
      const doctrine = fc.record(
        {
          threat_threshold: fc.integer({ min: 1, max: 9 }),
          edge_margin: fc.integer({ min: 50, max: 300 }).map((m) => `${m}m`),
          intent_distance: fc.integer({ min: 1, max: 5 }).map((k) => `${k}km`),
        },
        { requiredKeys: [] },
      );
      return fc
        .record({
          sites: fc.tuple(...Array.from({ length: g.nSites }, (_, i) => site(i))),
          zones: fc.tuple(...Array.from({ length: g.nZones }, (_, i) => zone(i))),
          units: fc.tuple(...Array.from({ length: g.nUnits }, (_, i) => unit(i))),
          injects: fc.array(inject, { maxLength: 3 }),
          ladder,
          doctrine,
        })
        .map((r) => ({
          title: `Generated at ${g.lat}, ${g.lon}`,
          start: iso(T0),
          end: iso(end),
          tick: g.tick,
          seed: g.seed,
          sites: r.sites,
          zones: r.zones,
          units: r.units,
          ...(r.injects.length ? { injects: r.injects } : {}),
          ...(r.ladder !== 'default' ? { ladder: r.ladder } : {}),
          ...(Object.keys(r.doctrine).length ? { doctrine: r.doctrine } : {}),
        }));
    });
}

/** A random scenario as YAML text. */
export function scenarioText(opts: GenOptions = {}): fc.Arbitrary<string> {
  return scenarioObject(opts).map((o) => stringify(o));
}
