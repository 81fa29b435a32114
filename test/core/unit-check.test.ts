/**
 * The loader's own check of plain units (src/core/scenario/unit-check.ts) against zod's: the same
 * output, field order included, for every unit it takes; and the scenario's whole check
 * (checkScenarioSchema) the same as zod's over the whole file.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkScenarioSchema } from '../../src/core/load.js';
import { scenarioSchema, trackFileSchema, unitSchema, waypointSchema } from '../../src/core/schema.js';
import { unitCheck } from '../../src/core/scenario/unit-check.js';
import { scenarioObject } from '../reliability/arbitraries.js';

const plainUnit = unitCheck({
  unit: Object.keys(unitSchema.shape),
  trackFile: Object.keys(trackFileSchema.shape),
  waypoint: Object.keys(waypointSchema.shape),
});

/** Values of every kind a field may be given, good and bad. */
const anyValue = fc.oneof(
  fc.constantFrom('u1', 'a b', '', '55km', '30m', '40km/h', '10m', '1h30m', '+1h', '2017-05-18T06:00:00Z', 'tracks.csv', 'csv', 'gpx', 'xml', 'x'),
  fc.constantFrom(0, -0, 1, 2.5, -3, 1e300, Number.MAX_SAFE_INTEGER + 2, NaN, Infinity, null, true),
  fc.constantFrom([], [38, 33], {}, { file: 'a.csv' }),
);
const key = fc.constantFrom(
  'id',
  'name',
  'side',
  'composition',
  'track',
  'noise',
  'description',
  'sidc',
  'dis',
  'file',
  'format',
  'columns',
  'starts',
  'speed',
  'max_gap',
  'pos',
  't',
  'hold',
  'tanks',
  'personnel',
  'toString',
  '__proto__',
);
/** An object from a base, some fields changed, removed or added, in any order. */
const vary = (base: Record<string, unknown>) =>
  fc.tuple(fc.array(fc.tuple(key, anyValue), { maxLength: 2 }), fc.array(key, { maxLength: 1 }), fc.boolean()).map(([set, drop, reverse]) => {
    const o: Record<string, unknown> = { ...base };
    for (const [k, v] of set) Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
    for (const k of drop) delete o[k];
    return reverse ? Object.fromEntries(Object.entries(o).reverse()) : o;
  });
const fileUnit = fc
  .record({ id: fc.constantFrom('u1', 'u-2.x'), side: fc.constantFrom('red', 'blue'), tanks: fc.nat(4), personnel: fc.nat(90) })
  .chain(({ id, side, tanks, personnel }) =>
    fc
      .tuple(vary({ file: 'w.csv', id }), vary({ tanks, personnel }))
      .chain(([track, composition]) => vary({ id, name: `unit ${id}`, side, composition, track, description: 'd', noise: '30m' })),
  );
const waypointUnit = fc
  .array(
    vary({ pos: [38.5, 33.5], t: '2017-05-18T06:00:00Z', hold: '5m' }).chain((w) => fc.constantFrom(w, { pos: w.pos, speed: '40km/h' })),
    { maxLength: 4 },
  )
  .chain((track) => vary({ id: 'u1', name: 'u', side: 'red', track }));

describe('the quick check of plain units', () => {
  it('takes only units zod takes, and gives what zod gives (the same fields in the same order)', () => {
    let taken = 0;
    fc.assert(
      fc.property(fc.oneof(fileUnit, waypointUnit), (u) => {
        const quick = plainUnit(u);
        if (quick === undefined) return;
        taken++;
        const z = unitSchema.safeParse(u);
        expect(z.success, JSON.stringify(u)).toBe(true);
        expect(JSON.stringify(quick)).toBe(JSON.stringify(z.data));
        expect(quick).toStrictEqual(z.data);
      }),
      { numRuns: 3000, seed: 41 },
    );
    // The generator makes plain units often enough for the comparison to mean something.
    expect(taken).toBeGreaterThan(300);
  });

  it('whole scenarios: checkScenarioSchema gives what scenarioSchema.safeParse gives', () => {
    fc.assert(
      fc.property(scenarioObject(), fc.array(fc.oneof(fileUnit, waypointUnit), { maxLength: 4 }), (sc, extra) => {
        const raw = { ...sc, units: [...(sc.units as unknown[]), ...extra] };
        const a = checkScenarioSchema(raw);
        const b = scenarioSchema.safeParse(raw);
        expect(a.success).toBe(b.success);
        if (a.success && b.success) {
          expect(JSON.stringify(a.data)).toBe(JSON.stringify(b.data));
          expect(a.data).toStrictEqual(b.data);
        } else expect(a.error?.issues).toEqual(b.error?.issues);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it("zones' rings and lines set aside from zod's walk: the same result, whatever the zones hold", () => {
    const pos = fc.oneof(
      fc.constant([38.5, 33.5]),
      fc.constant({ lat: 33.5, lon: 38.5 }),
      fc.constant('37S DT 64499 07430'),
      fc.constant(null),
      fc.constant(7),
    );
    const list = fc.oneof(fc.array(pos, { maxLength: 5 }), fc.constantFrom('x', 3, null, {}));
    const shape = fc.record(
      {
        id: fc.constantFrom('z1', 'z 2'),
        name: fc.constant('zone'),
        type: fc.constantFrom('polygon', 'line', 'circle', 'square'),
        applies_to: fc.constantFrom(['red'], [], 'red'),
        polygon: fc.oneof(fc.array(list, { maxLength: 3 }), list),
        line: list,
        forbidden: fc.constantFrom('left', 'up', { side_of: [38, 33] }),
        center: fc.constant([38.6, 33.5]),
        radius: fc.constantFrom('55km', 3),
      },
      { requiredKeys: ['id', 'name', 'type', 'applies_to'] },
    );
    fc.assert(
      fc.property(scenarioObject(), fc.array(shape, { maxLength: 3 }), fc.array(fileUnit, { minLength: 2, maxLength: 3 }), (sc, zones, units) => {
        const raw = { ...sc, zones: [...(sc.zones as unknown[]), ...zones], units: [...(sc.units as unknown[]), ...units] };
        const a = checkScenarioSchema(raw);
        const b = scenarioSchema.safeParse(raw);
        expect(a.success).toBe(b.success);
        if (a.success && b.success) {
          expect(JSON.stringify(a.data)).toBe(JSON.stringify(b.data));
          expect(a.data).toStrictEqual(b.data);
        } else expect(a.error?.issues).toEqual(b.error?.issues);
      }),
      { numRuns: 500, seed: 43 },
    );
  });
});
