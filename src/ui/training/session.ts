/**
 * The terminal UI's session on a training run. While a decision is pending the run stands inside the
 * question's tick (see Trainer.pending): the events that tick produced before the question are
 * shown with the rest, so the log, the details, the clock and the map all describe that moment.
 * The timeline marks only what has happened up to now: nothing on the student's screen tells
 * where a later rung fires.
 */
import type { SimEvent } from '../../core/events.js';
import { ReplaySession, type SessionOptions } from '../playback/replay.js';
import type { Trainer } from '../../training/trainer.js';

export class TrainSession extends ReplaySession {
  private cache?: { base: number; soFar: readonly SimEvent[]; events: readonly SimEvent[] };

  constructor(
    readonly trainer: Trainer,
    opts: SessionOptions = {},
  ) {
    super(trainer.engine, opts);
  }

  override get shownEvents(): readonly SimEvent[] {
    const base = this.engine.events;
    const soFar = this.trainer.pending ? this.trainer.tickSoFar : [];
    if (!soFar.length) return base;
    const c = this.cache;
    if (c && c.base === base.length && c.soFar === soFar && c.events[base.length - 1] === base[base.length - 1]) return c.events;
    const events = [...base, ...soFar];
    this.cache = { base: base.length, soFar, events };
    return events;
  }

  override get timelineEvents(): readonly SimEvent[] {
    return this.shownEvents;
  }
}
