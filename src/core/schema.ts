/**
 * The scenario file format, as a zod schema. It checks the structure of a file (fields, types,
 * patterns) and generates the published JSON Schema; the loader then checks what needs the whole
 * file (references, time order, geometry) and compiles the model.
 */
import * as z from 'zod';
import { DISTANCE_PATTERN, DURATION_PATTERN, SPEED_PATTERN, TIME_PATTERN } from './units.js';

import { COMPOSITION_KEYS, CONDITIONS, FILE_FORMATS, RUNGS, type CompositionKey } from './vocabulary.js';

export { COMPOSITION_KEYS, CONDITIONS, FILE_FORMATS, INJECT_TYPES, RUNGS } from './vocabulary.js';
export type { CompositionKey, ConditionName, Rung } from './vocabulary.js';

/** Marker used by the JSON Schema generator to replace the permissive position check. */
const POSITION_ID = 'Position';

const positionJsonSchema = {
  description:
    'A position: [lon, lat] (GeoJSON order), {lat, lon}, an MGRS grid reference such as "37S DT 64499 07430", or {from, bearing, distance} relative to a site or a position.',
  oneOf: [
    {
      type: 'array',
      prefixItems: [
        { type: 'number', minimum: -180, maximum: 180 },
        { type: 'number', minimum: -90, maximum: 90 },
      ],
      minItems: 2,
      maxItems: 3,
    },
    {
      type: 'object',
      properties: { lat: { type: 'number', minimum: -90, maximum: 90 }, lon: { type: 'number', minimum: -180, maximum: 180 } },
      required: ['lat', 'lon'],
      additionalProperties: false,
    },
    { type: 'string', pattern: '^\\s*\\d{1,2}\\s*[C-HJ-NP-Xc-hj-np-x]\\s*[A-HJ-NP-Za-hj-np-z]{2}\\s*\\d{1,5}\\s*\\d{1,5}\\s*$' },
    {
      type: 'object',
      description:
        'Relative to what is there: the geodesic (WGS84) point at a distance on an initial bearing from a site or a position, e.g. {from: tanf, bearing: 300, distance: 70km}. Without from (in a track, polygon ring or line): from the previous waypoint or vertex.',
      properties: {
        from: { description: 'A site id, or a position.', anyOf: [{ type: 'string' }, { $ref: '#/$defs/Position' }] },
        bearing: { type: 'number', minimum: 0, maximum: 360, description: 'Initial bearing, degrees clockwise from true north.' },
        distance: {
          anyOf: [
            { type: 'string', pattern: DISTANCE_PATTERN },
            { type: 'number', minimum: 0 },
          ],
          description: 'A distance: a number with a unit (m, km, nm, mi), e.g. "70km"; a bare number is metres.',
        },
      },
      required: ['bearing', 'distance'],
      additionalProperties: false,
    },
  ],
};

/** Any value; the loader checks positions itself to give precise messages. */
export const position = z.unknown().meta({ id: POSITION_ID });

const distance = z.union([z.string().regex(new RegExp(DISTANCE_PATTERN, 'i')), z.number().positive()]).meta({
  description: 'A distance: a number with a unit (m, km, nm, mi), e.g. "55km" or "250m"; a bare number is metres.',
});
const duration = z.string().regex(new RegExp(DURATION_PATTERN)).meta({ description: 'A duration, e.g. "10s", "15m", "1h30m".' });
const speed = z.string().regex(new RegExp(SPEED_PATTERN, 'i')).meta({ description: 'A speed, e.g. "40km/h", "12m/s", "20kn".' });
const time = z.string().regex(new RegExp(TIME_PATTERN)).meta({
  description: 'An ISO 8601 UTC time such as "2017-05-18T09:00:00Z", or a time after the start such as "+1h30m".',
});
const id = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+$/)
  .meta({ description: 'An identifier: letters, digits, "_", "-" and "."' });

const source = z.strictObject({
  outlet: z.string().meta({ description: 'Who published the report.' }),
  date: z.string().meta({ description: 'When it was published (YYYY-MM-DD, or a month).' }),
  title: z.string().optional(),
  author: z.string().optional(),
  file: z.string().optional().meta({ description: 'Where a copy of the report is kept.' }),
  facts: z.array(z.string()).optional().meta({ description: 'The facts this scenario takes from the report.' }),
});

const site = z.strictObject({
  id,
  name: z.string(),
  pos: position,
  side: z.string().meta({ description: 'The side the site belongs to, e.g. "coalition".' }),
  description: z.string().optional(),
});

const zoneCommon = {
  id,
  name: z.string(),
  applies_to: z.array(z.string()).min(1).meta({ description: 'The sides whose units this zone is judged against.' }),
  protects: id.optional().meta({ description: 'The id of the site the zone protects.' }),
  approach: distance.optional().meta({ description: 'Width of the approach band outside the edge where units are monitored (default 10km).' }),
  hysteresis: distance.optional().meta({ description: 'How far beyond the edge a unit must go before it counts as out again (default 250m).' }),
  description: z.string().optional(),
};

const circleZone = z.strictObject({
  ...zoneCommon,
  type: z.literal('circle'),
  center: z.union([id, position]).meta({ description: 'A site id, or a position.' }),
  radius: distance,
});

const fileFormat = z.enum(FILE_FORMATS).meta({ description: 'The format of the file (default: from its extension, else its content).' });
const filePath = z.string().min(1).meta({ description: 'A GPX, KML, GeoJSON or CSV file, relative to the scenario file (and inside its folder).' });

/** A zone's shape from a KML or GeoJSON file, in place of polygon: or line:. */
const zoneFile = {
  file: filePath.optional(),
  format: fileFormat.optional(),
  feature: z.string().optional().meta({ description: 'Which polygon or line of the file: its name or id (needed when the file has several).' }),
};

const ring = z.array(position);
const polygonZone = z.strictObject({
  ...zoneCommon,
  type: z.literal('polygon'),
  polygon: z
    .array(ring)
    .min(1)
    .optional()
    .meta({ description: 'Rings in GeoJSON order: the outer ring first, then holes; each closed (last position = first). Or give file: instead.' }),
  ...zoneFile,
});

const forbiddenSide = z.union([z.enum(['left', 'right']), z.strictObject({ side_of: position })]);

const lineZone = z.strictObject({
  ...zoneCommon,
  type: z.literal('line'),
  line: z.array(position).optional().meta({ description: 'The line, as a list of positions in order. Or give file: instead.' }),
  ...zoneFile,
  forbidden: forbiddenSide.meta({
    description: "The side the applying units must not cross to: left or right of the line's direction, or {side_of: POSITION}.",
  }),
});

export const zoneSchema = z.discriminatedUnion('type', [circleZone, polygonZone, lineZone]);

const composition = z
  .strictObject(
    Object.fromEntries(COMPOSITION_KEYS.map((k) => [k, z.number().int().nonnegative().optional()])) as Record<CompositionKey, z.ZodOptional<z.ZodNumber>>,
  )
  .meta({
    description: 'What the unit is made of: counts of tanks, artillery, air_defence, armed_vehicles, technicals, engineering (bulldozers...), personnel.',
  });

const waypoint = z.strictObject({
  pos: position,
  t: time.optional().meta({ description: 'When the unit is here. The first waypoint needs a time; later ones need a time or a speed.' }),
  speed: speed.optional().meta({ description: 'Speed on the leg that ends here; the time follows from the distance.' }),
  hold: duration.optional().meta({ description: 'How long the unit stays here before moving on.' }),
});

/** A unit's track read from another tool's file. */
const trackFile = z.strictObject({
  file: filePath,
  format: fileFormat.optional(),
  name: z.string().optional().meta({ description: 'Which track of the file: its name (GPX/KML name, GeoJSON name or unit property, CSV unit value).' }),
  id: z.string().optional().meta({ description: 'Which track of the file: its id (KML placemark id, GeoJSON feature id, CSV unit value).' }),
  columns: z
    .strictObject({ unit: z.string().optional(), time: z.string().optional(), lat: z.string().optional(), lon: z.string().optional() })
    .optional()
    .meta({ description: 'CSV: the names of the unit, time, latitude and longitude columns (default: found by their usual names).' }),
  starts: time.optional().meta({ description: 'When the track starts: moves a timed track so that its first fix is then; required for a path without times.' }),
  speed: speed.optional().meta({ description: 'Speed along a path without times (a KML LineString with a TimeStamp, or no time at all).' }),
  max_gap: duration.optional().meta({
    description:
      'The longest gap between recorded fixes the unit is moved across in a straight line (default 10m); across a longer gap it stays at its last fix until the next one.',
  }),
});

const unit = z.strictObject({
  id,
  name: z.string(),
  side: z.string(),
  composition: composition.optional(),
  sidc: z
    .string()
    .regex(/^[A-Za-z0-9*-]{10,30}$/)
    .optional()
    .meta({ description: 'Optional MIL-STD-2525 symbol identification code.' }),
  track: z.union([z.array(waypoint), trackFile]).meta({
    description:
      'Timed waypoints (the unit moves in a straight line, in lon/lat, between them), or {file: ...} to read the track from a GPX, KML, GeoJSON or CSV file.',
  }),
  noise: distance.optional().meta({ description: 'Seeded position noise added every tick (sensor error), e.g. "30m".' }),
  description: z.string().optional(),
  dis: z
    .strictObject({
      site: z.number().int().min(0).max(65535).optional(),
      application: z.number().int().min(0).max(65535).optional(),
      entity: z.number().int().min(0).max(65535).optional(),
      force: z
        .union([z.number().int().min(0).max(255), z.enum(['other', 'friendly', 'opposing', 'neutral'])])
        .optional()
        .meta({ description: 'A DIS force id (0 other, 1 friendly, 2 opposing, 3 neutral, or its name).' }),
    })
    .optional()
    .meta({
      description:
        "Live runs (--dis-in): {site, application, entity}: the DIS entity whose Entity State PDUs move this unit (else the PDU's marking is matched to the unit's id or name); {force}: a place for an entity the scenario does not name — the first unknown entity of that force takes this unit (and its side).",
    }),
});

const injectCommon = {
  t: time,
  text: z.string().optional().meta({ description: 'What happens, in words (shown to the students).' }),
  expected: z.string().optional().meta({ description: 'The response the trainer expects (used by the after-action report).' }),
  notes: z.string().optional().meta({ description: "The trainer's or evaluator's notes (used by the after-action report)." }),
  pause: z
    .boolean()
    .optional()
    .meta({ description: 'In training, stop the clock at this inject until the students acknowledge it (default: true for a message, false otherwise).' }),
};
/** A unit that heeds a rung: the inject happens when the unit is brought to this rung, at or after its time. */
const reaction = z.enum(RUNGS).optional().meta({
  description:
    'Make the inject a reaction: it happens when the unit is brought to this rung (or higher) at or after t, not at t. Without it a unit ignores every warning.',
});

export const injectSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...injectCommon, type: z.literal('message') }),
  z.strictObject({ ...injectCommon, type: z.literal('hostile_act'), unit: id, target: id.meta({ description: 'The site fired upon.' }) }),
  z.strictObject({ ...injectCommon, type: z.literal('halt'), unit: id, on: reaction }),
  z.strictObject({
    ...injectCommon,
    type: z.literal('withdraw'),
    unit: id,
    to: position.optional().meta({ description: 'Where the unit withdraws to (default: where its track began).' }),
    speed: speed.optional(),
    on: reaction,
  }),
  z.strictObject({
    ...injectCommon,
    type: z.literal('turn'),
    unit: id,
    to: position.meta({ description: 'Where the unit heads from the inject on.' }),
    speed: speed.optional().meta({ description: 'Its speed on the new course (default: its average speed).' }),
    on: reaction,
  }),
]);

const condition = z
  .string()
  .regex(new RegExp(`^(${CONDITIONS.join('|')})(\\s+for\\s+\\S+)?$`))
  .meta({
    description: `When the rung fires: one of ${CONDITIONS.join(', ')}, optionally "inside for 20m".`,
  });

const rungSpec = z.strictObject({
  rung: z.enum(RUNGS),
  action: z.string().optional().meta({ description: 'What is done at this rung, in words.' }),
  when: z.union([condition, z.array(condition).min(1)]).meta({ description: 'Conditions, any of which fires the rung.' }),
  wait: duration.optional().meta({ description: 'Minimum time since the previous rung.' }),
});

export const ladderSchema = z.union([z.literal('default'), z.array(rungSpec).min(1)]);

const doctrine = z.strictObject({
  threat_threshold: z
    .number()
    .nonnegative()
    .optional()
    .meta({ description: 'Threat score from composition at or above which a strike is justified (default 5).' }),
  threat_weights: z
    .strictObject(
      Object.fromEntries(COMPOSITION_KEYS.map((k) => [k, z.number().nonnegative().optional()])) as Record<CompositionKey, z.ZodOptional<z.ZodNumber>>,
    )
    .optional(),
  intent_distance: distance.optional().meta({ description: 'Closing on the site by this much since the last rung shows hostile intent (default 2km).' }),
  withdraw_distance: distance.optional().meta({ description: 'Opening from the site by this much counts as turning away (default 500m).' }),
  massing_units: z.number().int().positive().optional(),
  massing_personnel: z.number().int().positive().optional(),
  dwell_time: duration.optional(),
  dwell_radius: distance.optional(),
  edge_margin: distance
    .optional()
    .meta({ description: 'Depth inside the edge below which time alone does not escalate: position error could put the unit on either side (default 100m).' }),
  halt_on_strike: z.boolean().optional(),
});

const expectation = z.strictObject({
  unit: id.optional(),
  zone: id.optional(),
  reaches: z.enum(RUNGS).optional(),
  before: time.optional(),
  after: time.optional(),
  never_passes: z.enum(RUNGS).optional(),
  never_reaches: z.enum(RUNGS).optional(),
  order: z
    .array(z.enum([...RUNGS, 'stand_down']))
    .min(1)
    .optional(),
  event: z
    .enum(['approach', 'enter', 'exit', 'cross', 'dwell', 'massing', 'escalate', 'stand_down', 'hostile_act', 'inject'])
    .optional()
    .meta({ description: 'An event type that must occur (for the unit or zone given).' }),
  count: z.number().int().nonnegative().optional().meta({ description: 'With event: how many times exactly.' }),
  skips_ladder: z.boolean().optional().meta({ description: 'The strike comes with no warning rung before it.' }),
  note: z.string().optional(),
});

/** A unit and a track file's reference, for the loader's own check of plain units (scenario/unit-check.ts), which builds its output in their fields' order. */
export const unitSchema = unit;
export const trackFileSchema = trackFile;
export const waypointSchema = waypoint;

export const scenarioSchema = z
  .strictObject({
    $schema: z.string().optional(),
    title: z.string(),
    description: z.string().optional(),
    student_title: z
      .string()
      .optional()
      .meta({ description: "The title students see in training, which must not give the outcome away (default: 'Training exercise')." }),
    briefing: z.string().optional().meta({
      description: 'What the students are told before the clock starts in training: the situation, the zone, the rules of engagement in force, their role.',
    }),
    sources: z.array(source).optional(),
    start: time,
    end: time,
    tick: duration.optional().meta({ description: 'Simulation step (default 10s).' }),
    seed: z.number().int().optional().meta({ description: 'Random seed for position noise (default 1).' }),
    sites: z.array(site).optional(),
    zones: z.array(zoneSchema).min(1),
    units: z.array(unit).min(1),
    injects: z.array(injectSchema).optional(),
    ladder: ladderSchema.optional(),
    doctrine: doctrine.optional(),
    expect: z.array(expectation).optional(),
  })
  .meta({ title: 'deconflict scenario', description: 'A deconflict scenario: zones, sites, unit tracks, injects, ladder and expectations.' });

/** A master scenario events list (MSEL) file: injects kept apart from the scenario, for exercise variants. */
export const mselSchema = z
  .strictObject({
    $schema: z.string().optional(),
    title: z.string().optional(),
    description: z.string().optional(),
    injects: z.array(injectSchema),
  })
  .meta({ title: 'deconflict MSEL', description: "A master scenario events list: timed injects run against a scenario in place of the scenario's own." });

export type RawScenario = z.infer<typeof scenarioSchema>;
export type RawInject = z.infer<typeof injectSchema>;
export type RawZone = z.infer<typeof zoneSchema>;
export type RawLadder = z.infer<typeof ladderSchema>;

/** The JSON Schema (draft 2020-12) for scenario files. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, {
    target: 'draft-2020-12',
    override: (ctx) => {
      const meta = z.globalRegistry.get(ctx.zodSchema as unknown as z.ZodType) as { id?: string } | undefined;
      if (meta?.id === POSITION_ID) {
        for (const k of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[k];
        Object.assign(ctx.jsonSchema, positionJsonSchema);
      }
    },
  }) as Record<string, unknown>;
  return schema;
}
