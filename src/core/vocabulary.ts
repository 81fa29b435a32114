/**
 * The fixed names of the scenario format (rungs, conditions, composition keys, file formats,
 * inject types), apart from the zod schema (./schema.ts) so that code which only needs a name
 * (the ladder, the event text) does not evaluate the schema: the command line's start-up and
 * `--version` never load zod.
 */
export const RUNGS = ['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike'] as const;
export type Rung = (typeof RUNGS)[number];

export const CONDITIONS = ['approach', 'enter', 'inside', 'closing', 'not_withdrawing', 'threat'] as const;
export type ConditionName = (typeof CONDITIONS)[number];

export const COMPOSITION_KEYS = ['tanks', 'artillery', 'air_defence', 'armed_vehicles', 'technicals', 'engineering', 'personnel'] as const;
export type CompositionKey = (typeof COMPOSITION_KEYS)[number];

/** Formats of the track and zone files a scenario can refer to. */
export const FILE_FORMATS = ['gpx', 'kml', 'geojson', 'csv'] as const;

export const INJECT_TYPES = ['message', 'hostile_act', 'halt', 'withdraw', 'turn'] as const;
