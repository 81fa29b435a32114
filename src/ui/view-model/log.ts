/**
 * What the event log shows: the events that match a filter (every word, case-insensitive), kept
 * incrementally as events arrive.
 */
import type { SimEvent } from '../../core/events.js';

/** The text a filter is matched against: what an event concerns and says. */
export function eventText(e: SimEvent): string {
  return `${e.unit ?? ''} ${e.zone ?? ''} ${e.type} ${e.type.replace('_', ' ')} ${e.rung ?? ''} ${e.from ?? ''} ${e.reason}`.toLowerCase();
}

/** Whether an event matches a filter: every word must appear (case-insensitive). */
export function matchesFilter(e: SimEvent, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return true;
  const text = eventText(e);
  return words.every((w) => text.includes(w));
}

export interface LogView {
  /** Number of matching events. */
  count: number;
  /** Index in the event list of the k-th match. */
  at(k: number): number;
}

/**
 * Incremental filter over a growing event list: indices of matching events, extended as events
 * arrive; rebuilt when the list was cut back (a seek or a restart) or the filter changed.
 */
export class LogIndex {
  private filter = '';
  private scanned = 0;
  private last: SimEvent | undefined;
  private idx: number[] = [];

  view(events: readonly SimEvent[], filter: string): LogView {
    if (!filter.trim()) return { count: events.length, at: (k) => k };
    if (filter !== this.filter || events.length < this.scanned || (this.scanned > 0 && events[this.scanned - 1] !== this.last)) {
      this.filter = filter;
      this.scanned = 0;
      this.idx = [];
    }
    for (let i = this.scanned; i < events.length; i++) if (matchesFilter(events[i], filter)) this.idx.push(i);
    this.scanned = events.length;
    this.last = events[events.length - 1];
    const idx = this.idx;
    return { count: idx.length, at: (k) => idx[k] };
  }
}
