/** What every screen source needs to tell the screen it changed, and the record of events seen. */
import type { SimEvent } from '../../core/events.js';

/** A version number whose listeners hear of changes once per burst of them (one microtask later). */
export class ChangeSignal {
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private queued = false;
  private closed = false;

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getVersion = (): number => this.version;

  /** Mark a change. */
  changed(): void {
    this.version++;
    if (this.queued || this.closed) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      for (const f of this.listeners) f();
    });
  }

  /** No listener hears anything any more. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }

  get isClosed(): boolean {
    return this.closed;
  }
}

/**
 * Extend the record of events seen with the engine's new ones: the longest run seen so far (the
 * engine is deterministic, so it is a prefix-consistent record), for timeline marks ahead of the
 * clock after going back.
 */
export function recordEvents(known: SimEvent[], events: readonly SimEvent[]): void {
  if (events.length > known.length) for (let i = known.length; i < events.length; i++) known.push(events[i]);
}
