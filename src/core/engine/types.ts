/**
 * The engine's public types: what a tick returns, what a decider is asked and answers, the
 * options and the hooks a caller (training) plugs in, and what a snapshot holds.
 */
import type { SimEvent } from '../events.js';
import type { ConditionName, Rung } from '../model.js';
import type { UnitState } from './state/records.js';

/**
 * The facts behind a proposal, without doctrine's conclusion: what a decider (a trainee) weighs.
 * The engine fills them in; a proposal read back from a session file has none.
 */
export interface ProposalWhy {
  /** What holds, in words: the rung's condition, the hostile act, or the move that ends the rung. */
  facts: string;
  /** An escalation: the ladder condition that held. */
  condition?: ConditionName;
  /** Signed distance from the unit to the zone's edge (m, negative inside), as the event carries it. */
  edge_m?: number;
  /** Distance from the unit to the zone's protected site (m), if it has one. */
  site_m?: number;
  /** An escalation: time (ms) since the current rung was set, and the next rung's minimum wait. */
  since_ms?: number;
  wait_ms?: number;
}

/** A change of rung that doctrine would make, offered to a decider (training mode). */
export interface Proposal {
  t: number;
  unit: number;
  zone: number;
  kind: 'escalate' | 'stand_down' | 'self_defence';
  from: Rung | null;
  /** The rung doctrine would move to (null: none, after standing down from monitor). */
  to: Rung | null;
  reason: string;
  /** The facts behind it, structured (set by the engine; absent on a proposal read from a session file). */
  why?: ProposalWhy;
}

export type Choice = Rung | 'stand_down' | 'hold';

/** Returns the choice to apply, or undefined to let doctrine decide. */
export type Decider = (p: Proposal) => { choice: Choice; reason?: string } | undefined;

/**
 * What a caller that runs the engine under its own control plugs in (training: a tick that reaches
 * an unanswered decision is undone and waits for the answer).
 */
export interface EngineHooks {
  /** Every step goes through here: `run` runs the tick; the hook may return without running it. */
  guardStep?(run: () => TickBatch): TickBatch;
  /** The engine went back to before tick `index + 1` (reset: -1; restore: the snapshot's tick). */
  rewound?(index: number): void;
  /** While true the engine counts as done: loops that step until done (run, seek, play) stop. */
  holding?(): boolean;
}

export interface EngineOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  decide?: Decider;
  hooks?: EngineHooks;
  /**
   * Skip the work proved quiet (default true). false judges every pair and climbs every ladder at
   * every tick, as a straightforward engine would: the same events, more slowly (for comparisons).
   */
  skipQuietWork?: boolean;
  /** Ticks between checkpoints kept for seeking backwards (default 200; Infinity: none, seeking back replays from the start). */
  checkpointEvery?: number;
  /**
   * Keep every event in `events` (default true). A run that writes each tick's events as it goes
   * (`deconflict run`) needs none of them later: false saves their memory (and `events`, and what
   * runUntil and runToEnd return, stay empty).
   */
  keepEvents?: boolean;
  /**
   * Part of a split run (src/core/split.ts): the engine runs a sub-scenario holding some of the
   * units. `unitIndex[u]` is local unit u's index in the whole scenario (its position noise
   * depends on it); `keyed` notes each event's place in the whole run's order (eventKey);
   * `onBand` hears every change of a zone's approach-band membership (for massing).
   */
  split?: { unitIndex: ArrayLike<number>; keyed: boolean; onBand?: (u: number, z: number, sign: 1 | -1) => void };
}

export interface TickBatch {
  /** Tick index, from 0. */
  index: number;
  t: number;
  events: SimEvent[];
}

/** Phases of a tick's work, for EngineOptions.split (see Engine.eventKey). */
export const KEY_INJECT = 0;
export const KEY_JUDGE = 2 ** 32;
export const KEY_CLIMB = 2 * 2 ** 32;
export const KEY_MASSING = 3 * 2 ** 32;

/** The engine's state at the end of a tick (see Engine.snapshot); never changed once taken. */
export interface Snapshot {
  index: number;
  cur: Float64Array;
  prev: Float64Array;
  units: UnitState[];
  massing: Uint8Array;
  injCursor: number;
  armed: number[];
  seq: number;
  eventCount: number;
}
