/**
 * What the screen is built from: an engine to read, the events to show, and a version that
 * changes when any of it does. A replay (ReplaySession) also has a `playback` that moves time;
 * a live run (LiveSession) has none, since its time belongs to the run: which commands move
 * time is a matter of types, not of methods that refuse.
 */
import type { Engine } from '../../core/engine.js';
import type { SimEvent } from '../../core/events.js';
import type { Track } from '../../core/model.js';
import type { LiveStatus } from '../live/status.js';

/** Time moved by the user: played, stepped, rewound exactly, searched for escalations. */
export interface Playback {
  /** Simulated seconds per second while playing. */
  readonly speed: number;
  /** Whether the clock is running. */
  readonly playing: boolean;
  /** Escalations still to find for `n` (more than one when `n` is pressed again while seeking). */
  readonly seeking: number;
  play(): void;
  pause(): void;
  toggle(): void;
  /** One tick forward (pauses). */
  stepForward(): void;
  /** One tick back, exactly (pauses). */
  stepBack(): void;
  /** Go to a tick exactly (pauses). */
  seekTick(k: number): void;
  /** Back to before the first tick (pauses). */
  restart(): void;
  faster(): void;
  slower(): void;
  /** Run to the next tick with an escalation or a stand-down and pause there. */
  nextEscalation(): void;
  /** Back to the last tick before this one that changed a rung, exactly, and pause there. */
  previousEscalation(): void;
}

export interface ScreenSource {
  /** The engine shown (a live session gets its own once the run's window is known). */
  readonly engine: Engine;
  /** Last message for the status line (e.g. "end of scenario"). */
  note: string;
  /** The events shown (the log, the details). */
  readonly shownEvents: readonly SimEvent[];
  /** The events the timeline marks. */
  readonly timelineEvents: readonly SimEvent[];
  /** A live run's state; undefined when replaying a scenario. */
  readonly live?: LiveStatus;
  /** Moving time: a replay's; undefined in a live run. */
  readonly playback?: Playback;
  /** The track drawn for a unit (trails, closing speed, closest approach). */
  trackOf(u: number): Track;
  /** What a unit's closing speed is measured on: a track and the moment the measurement ends. */
  closingBasis(u: number): { track: Track; end: number } | undefined;
  /** Hear about changes (for useSyncExternalStore); returns the way to stop. */
  subscribe(fn: () => void): () => void;
  /** A number that changes whenever anything shown does. */
  getVersion(): number;
  /** Stop whatever runs (a playing clock) and every listener. */
  dispose(): void;
}
