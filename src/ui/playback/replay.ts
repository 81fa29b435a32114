/**
 * The replay behind the terminal UI: one Engine, played in real time with the RxJS clock of the
 * core (one emission per tick batch), stepped, rewound exactly with `seekTick`, and watched by
 * the UI through a version number. Nothing runs while paused: no timer, no subscription.
 */
import type { Subscription } from 'rxjs';
import type { Engine } from '../../core/engine.js';
import type { SimEvent } from '../../core/events.js';
import type { Track } from '../../core/model.js';
import { realTimeClock, run$ } from '../../core/stream.js';
import { ChangeSignal, recordEvents } from './signal.js';
import type { Playback, ScreenSource } from './source.js';

/** Playback speeds (simulated seconds per second) that `]` and `[` step through. */
export const SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200];

/** Wall time between clock emissions while playing (one frame). */
export const FRAME_MS = 50;

/** Longest a key handler may step the engine before yielding to the event loop. */
const SLICE_MS = 40;

export interface SessionOptions {
  speed?: number;
  frameMs?: number;
  /** Scheduling of long seeks (tests can make it synchronous). */
  defer?: (f: () => void) => void;
}

/** A speed that plays the whole scenario in about four minutes. */
export function defaultSpeed(spanMs: number): number {
  const want = spanMs / 1000 / 240;
  let best = SPEEDS[0];
  for (const s of SPEEDS) if (Math.abs(Math.log(s / want)) < Math.abs(Math.log(best / want))) best = s;
  return best;
}

/** A scenario replayed: the screen's source, and its own playback. */
export class ReplaySession implements ScreenSource, Playback {
  readonly engine: Engine;
  speed: number;
  /** Whether the clock is running. */
  playing = false;
  /** Escalations still to find for `n` (more than one when `n` is pressed again while seeking). */
  seeking = 0;
  /** The longest run seen so far (the engine is deterministic, so it is a prefix-consistent record); for timeline marks ahead of the current time after rewinding. */
  readonly known: SimEvent[] = [];
  /** Last message for the status line (e.g. "end of scenario"). */
  note = '';
  private readonly signal = new ChangeSignal();
  private sub?: Subscription;
  private readonly frameMs: number;
  private readonly defer: (f: () => void) => void;

  constructor(engine: Engine, opts: SessionOptions = {}) {
    this.engine = engine;
    this.speed = opts.speed ?? defaultSpeed(engine.scenario.end - engine.scenario.start);
    this.frameMs = opts.frameMs ?? FRAME_MS;
    this.defer = opts.defer ?? ((f) => setImmediate(f));
  }

  // ------------------------------------------------------------------ observation

  readonly subscribe = this.signal.subscribe;
  readonly getVersion = this.signal.getVersion;

  /** Mark a change; listeners hear once per burst of changes (one microtask later). */
  private changed(): void {
    this.signal.changed();
  }

  private record(): void {
    recordEvents(this.known, this.engine.events);
  }

  /** The events shown (the log, the details): the engine's so far. */
  get shownEvents(): readonly SimEvent[] {
    return this.engine.events;
  }

  /** The events the timeline marks: every one seen so far, also ahead of the clock after going back. */
  get timelineEvents(): readonly SimEvent[] {
    return this.known;
  }

  /** A replay moves time itself. */
  get playback(): Playback {
    return this;
  }

  /** The track drawn for a unit (trails, closing speed, closest approach): its track in force. */
  trackOf(u: number): Track {
    return this.engine.trackOf(u);
  }

  /** What a unit's closing speed is measured on: its track in force, up to now. */
  closingBasis(u: number): { track: Track; end: number } | undefined {
    return { track: this.trackOf(u), end: this.engine.time };
  }

  // ------------------------------------------------------------------ playback

  play(): void {
    if (this.playing || this.signal.isClosed) return;
    this.seeking = 0;
    if (this.engine.done) {
      this.note = 'at the end: press r to restart';
      this.changed();
      return;
    }
    this.note = '';
    this.playing = true;
    this.sub = run$(
      this.engine,
      realTimeClock(this.engine, () => this.speed, this.frameMs),
    ).subscribe({
      next: () => {
        this.record();
        this.changed();
      },
      complete: () => {
        this.playing = false;
        this.sub = undefined;
        this.note = 'end of scenario';
        this.changed();
      },
    });
    this.changed();
  }

  pause(): void {
    this.seeking = 0;
    if (!this.playing) return;
    this.playing = false;
    this.sub?.unsubscribe();
    this.sub = undefined;
    this.changed();
  }

  toggle(): void {
    if (this.playing) this.pause();
    else this.play();
  }

  /** One tick forward (pauses). */
  stepForward(): void {
    this.pause();
    this.note = '';
    if (this.engine.done) this.note = 'at the end';
    else {
      // Before the start, the first tick is at the start time itself: run it and the next, so the clock moves.
      if (this.engine.tickIndex < 0) this.engine.step();
      if (!this.engine.done) this.engine.step();
    }
    this.record();
    this.changed();
  }

  /** One tick back, exactly (pauses). */
  stepBack(): void {
    this.pause();
    this.note = '';
    if (this.engine.tickIndex < 0) this.note = 'at the start';
    else this.engine.seekTick(this.engine.tickIndex - 1);
    this.changed();
  }

  /** Go to a tick exactly (pauses). */
  seekTick(k: number): void {
    this.pause();
    this.note = '';
    this.engine.seekTick(k);
    this.record();
    this.changed();
  }

  /** Back to before the first tick (pauses). */
  restart(): void {
    this.pause();
    this.note = '';
    this.engine.reset();
    this.changed();
  }

  faster(): void {
    this.speed = SPEEDS.find((s) => s > this.speed) ?? this.speed;
    this.changed();
  }

  slower(): void {
    this.speed = [...SPEEDS].reverse().find((s) => s < this.speed) ?? this.speed;
    this.changed();
  }

  /**
   * Run to the next tick with an escalation or a stand-down and pause there. Long searches are
   * cut into slices so the UI stays responsive; pressing `n` again while searching asks for one
   * more.
   */
  nextEscalation(): void {
    if (this.playing) this.pause();
    this.note = '';
    if (this.seeking > 0) {
      this.seeking++;
      this.changed();
      return;
    }
    this.seeking = 1;
    this.seekSlice();
  }

  /**
   * Back to the last tick before this one that changed a rung (an escalation or a stand-down),
   * exactly, and pause there: the state right after that change, as `n` leaves it.
   */
  previousEscalation(): void {
    this.pause();
    this.note = '';
    const e = this.engine;
    const ev = e.events;
    for (let i = ev.length - 1; i >= 0; i--) {
      if (ev[i].type !== 'escalate' && ev[i].type !== 'stand_down') continue;
      const k = e.tickAt(ev[i].t);
      if (k < e.tickIndex) {
        e.seekTick(k);
        this.changed();
        return;
      }
    }
    this.note = 'no earlier escalation';
    this.changed();
  }

  private seekSlice(): void {
    if (this.signal.isClosed || this.seeking <= 0) return;
    const engine = this.engine;
    const t0 = performance.now();
    while (this.seeking > 0) {
      if (engine.done) {
        this.seeking = 0;
        this.note = 'no further escalation: end of scenario';
        break;
      }
      const b = engine.step();
      if (b.events.some((e) => e.type === 'escalate' || e.type === 'stand_down')) {
        this.seeking--;
        continue;
      }
      if (performance.now() - t0 > SLICE_MS) {
        this.record();
        this.changed();
        this.defer(() => this.seekSlice());
        return;
      }
    }
    this.record();
    this.changed();
  }

  dispose(): void {
    this.pause();
    this.signal.close();
  }
}
