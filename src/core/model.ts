/**
 * The compiled scenario: what the loader produces and the engine runs. Times are epoch
 * milliseconds (UTC), distances metres, speeds metres per second, positions [lon, lat].
 */
import type { ZoneShape } from './geo/zones.js';
import type { LonLat } from './position.js';
import type { CompositionKey, ConditionName, Rung } from './schema.js';

export type { Rung, ConditionName, CompositionKey, LonLat };

export interface Source {
  outlet: string;
  date: string;
  title?: string;
  author?: string;
  file?: string;
  facts?: string[];
}

export interface Site {
  id: string;
  name: string;
  pos: LonLat;
  side: string;
  description?: string;
}

export interface Zone {
  id: string;
  name: string;
  type: 'circle' | 'polygon' | 'line';
  appliesTo: string[];
  /** Index into Scenario.sites of the protected site, or -1. */
  protects: number;
  /** Width of the approach band outside the edge, metres. */
  approach: number;
  /** Distance beyond the edge a unit must pass to count as out again, metres. */
  hysteresis: number;
  shape: ZoneShape;
  /** Circle only. */
  center?: LonLat;
  radius?: number;
  /** Line only: which side is forbidden. */
  forbidden?: 'left' | 'right';
  description?: string;
}

export type Composition = Partial<Record<CompositionKey, number>>;

/** A track compiled to strictly increasing times (holds become two points at one place). */
export interface Track {
  t: Float64Array;
  lon: Float64Array;
  lat: Float64Array;
}

export interface Unit {
  id: string;
  name: string;
  side: string;
  composition: Composition;
  sidc?: string;
  track: Track;
  /** Position noise (1-sigma-ish amplitude), metres; 0 for none. */
  noise: number;
  description?: string;
  /** In a live run (--dis-in): the DIS entity id that moves the unit, or the force id of the unknown entity that takes it. */
  dis?: { site: number; application: number; entity: number } | { force: number };
}

/**
 * A timed inject. Halt, withdraw and turn may be reactions (`on`): armed at `t`, they happen when
 * the unit is brought to that rung or higher (a unit that heeds the warning); without `on` they
 * happen at `t` whatever the ladder did.
 */
export type Inject =
  | { t: number; type: 'message'; text?: string; expected?: string; notes?: string; pause?: boolean; index: number }
  | { t: number; type: 'hostile_act'; unit: number; target: number; text?: string; expected?: string; notes?: string; pause?: boolean; index: number }
  | { t: number; type: 'halt'; unit: number; on?: Rung; text?: string; expected?: string; notes?: string; pause?: boolean; index: number }
  | {
      t: number;
      type: 'withdraw';
      unit: number;
      to?: LonLat;
      speed?: number;
      on?: Rung;
      text?: string;
      expected?: string;
      notes?: string;
      pause?: boolean;
      index: number;
    }
  | {
      t: number;
      type: 'turn';
      unit: number;
      to: LonLat;
      speed?: number;
      on?: Rung;
      text?: string;
      expected?: string;
      notes?: string;
      pause?: boolean;
      index: number;
    };

export interface Condition {
  name: ConditionName;
  /** For `inside for 20m`: how long since the previous rung. */
  for?: number;
}

export interface RungSpec {
  rung: Rung;
  action: string;
  when: Condition[];
  /** Minimum time since the previous rung, ms. */
  wait: number;
}

export interface Doctrine {
  threatThreshold: number;
  threatWeights: Record<CompositionKey, number>;
  intentDistance: number;
  withdrawDistance: number;
  massingUnits: number;
  massingPersonnel: number;
  dwellTime: number;
  dwellRadius: number;
  /** Depth inside the edge below which time alone does not escalate (position error), metres. */
  edgeMargin: number;
  haltOnStrike: boolean;
}

export interface Expectation {
  index: number;
  unit?: number;
  zone?: number;
  reaches?: Rung;
  before?: number;
  after?: number;
  neverPasses?: Rung;
  neverReaches?: Rung;
  order?: (Rung | 'stand_down')[];
  event?: string;
  count?: number;
  skipsLadder?: boolean;
  note?: string;
  /** The expectation as written, for reports. */
  text: string;
}

/** Something the loader changed in a valid file (e.g. recorded fixes sorted); `message` is the one line to show. */
export interface ScenarioWarning {
  file: string;
  line: number;
  column: number;
  field: string;
  message: string;
}

export interface Scenario {
  /** Where it was read from (for messages). */
  file: string;
  /** What the loader changed while reading (recorded tracks sorted, duplicates dropped, gaps held); shown before a run. */
  warnings?: ScenarioWarning[];
  title: string;
  description?: string;
  /** The title students see in training (never the outcome). */
  studentTitle?: string;
  /** What students are told before the clock starts in training. */
  briefing?: string;
  sources: Source[];
  start: number;
  end: number;
  tick: number;
  seed: number;
  sites: Site[];
  zones: Zone[];
  units: Unit[];
  injects: Inject[];
  ladder: RungSpec[];
  /** True when the ladder is the built-in default. */
  defaultLadder: boolean;
  doctrine: Doctrine;
  expectations: Expectation[];
}
