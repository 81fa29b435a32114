/**
 * The terminal UI's session on a live run: the panels read the LiveRun's engine as they read a
 * replay's, while time belongs to the run (the wall clock's ticks or the feed's times) and only
 * goes forward. It is the run's front end (LiveFrontEnd): every tick, accepted fix, input problem
 * and note comes here and the screen is redrawn.
 *
 * Trails come from the positions the engine judged, tick by tick (the scenario's tracks are not
 * followed in a live run); closing speeds from the fixes received, by their own times, so that a
 * feed sparser than the tick does not make them jump between nothing and a burst. With the feed clock the run's window is
 * known only at the first fix: until then the panels show the scenario's zones on a stand-in
 * engine that never runs. It has no playback: nothing on the screen can play, step or rewind it.
 */
import { Engine, type TickBatch } from '../../core/engine.js';
import type { SimEvent } from '../../core/events.js';
import type { Track } from '../../core/model.js';
import type { Fix } from '../../io/geodata.js';
import type { LiveFeed, LiveFrontEnd } from '../../io/live-feed.js';
import type { LiveClock, LiveRun } from '../../io/live.js';
import { ChangeSignal, recordEvents } from '../playback/signal.js';
import type { ScreenSource } from '../playback/source.js';
import { PROBLEMS_KEPT, type LiveStatus } from './status.js';

const NOTES_KEPT = 50;
/**
 * How many of a unit's newest fixes its closing speed is measured on: two minutes' worth at one a
 * second; with faster fixes the speed is measured over the span these cover.
 */
const CLOSING_FIXES = 128;

/** A track that grows at its end (positions as judged, tick by tick). */
class GrowingTrack {
  n = 0;
  private t = new Float64Array(8);
  private lon = new Float64Array(8);
  private lat = new Float64Array(8);
  private view: Track | undefined;

  push(t: number, lon: number, lat: number): void {
    if (this.n === this.t.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.t = grow(this.t);
      this.lon = grow(this.lon);
      this.lat = grow(this.lat);
    }
    this.t[this.n] = t;
    this.lon[this.n] = lon;
    this.lat[this.n] = lat;
    this.n++;
    this.view = undefined;
  }

  get lastT(): number {
    return this.t[this.n - 1];
  }

  get lastLon(): number {
    return this.lon[this.n - 1];
  }

  get lastLat(): number {
    return this.lat[this.n - 1];
  }

  /** The points so far, as a Track (views, no copy). */
  track(): Track {
    return (this.view ??= { t: this.t.subarray(0, this.n), lon: this.lon.subarray(0, this.n), lat: this.lat.subarray(0, this.n) });
  }
}

export interface LiveSessionOptions {
  clock: LiveClock;
  /** Tick length, ms. */
  tick: number;
  seed?: number;
}

export class LiveSession implements ScreenSource, LiveFrontEnd {
  /** The engine shown: a stand-in until the run has its own. */
  engine: Engine;
  note = '';
  /** Every event seen, for the timeline's marks. */
  private readonly known: SimEvent[] = [];
  private readonly signal = new ChangeSignal();
  readonly subscribe = this.signal.subscribe;
  readonly getVersion = this.signal.getVersion;
  /** Time is the run's: nothing on the screen can play, step or rewind it. */
  readonly playback = undefined;
  private readonly judged: GrowingTrack[];
  private readonly problems: string[] = [];
  private problemCount = 0;
  private readonly notes: string[] = [];
  private lastFix: LiveStatus['lastFix'];
  private readonly perUnit: { fixes: number; last?: number }[];

  constructor(
    readonly run: LiveRun,
    readonly feed: LiveFeed,
    private readonly o: LiveSessionOptions,
  ) {
    this.engine = run.engine ?? LiveSession.standIn(run, o.seed);
    this.judged = run.scenario.units.map(() => new GrowingTrack());
    this.perUnit = run.scenario.units.map(() => ({ fixes: 0 }));
  }

  /** Until the feed's first fix fixes the window: the scenario's zones and units, no positions, never run. */
  private static standIn(run: LiveRun, seed?: number): Engine {
    const engine = new Engine({ ...run.scenario, injects: [], expectations: [] }, { seed });
    for (let u = 0; u < run.scenario.units.length; u++) engine.setPosition(u, NaN, NaN);
    return engine;
  }

  /** Take the run's engine once it has one. */
  private sync(): void {
    const e = this.run.engine;
    if (e && e !== this.engine) this.engine = e;
  }

  private changed(): void {
    this.signal.changed();
  }

  private record(): void {
    recordEvents(this.known, this.engine.events);
  }

  dispose(): void {
    this.signal.close();
  }

  /** The events shown: the run's engine's so far. */
  get shownEvents(): readonly SimEvent[] {
    return this.engine.events;
  }

  get timelineEvents(): readonly SimEvent[] {
    return this.known;
  }

  get live(): LiveStatus {
    return {
      clock: this.o.clock,
      tickMs: this.o.tick,
      sources: this.feed.describe(),
      stats: this.run.stats,
      started: this.run.engine !== undefined,
      problems: this.problems,
      problemCount: this.problemCount,
      notes: this.notes,
      lastFix: this.lastFix,
      perUnit: this.perUnit,
      ended: this.feed.endedBy,
      dis: this.feed.dis?.summary(),
    };
  }

  trackOf(u: number): Track {
    return this.judged[u].track();
  }

  /**
   * Closing speed over the minute before the unit's newest fix, on the fixes received. With
   * fixes sparser than the tick, the judged track stands still between fixes and jumps at each,
   * and a window ending now would swing with where it falls between them; ending at the newest
   * fix, a steady course gives a steady speed. Undefined until a unit has two fixes at
   * different times.
   */
  closingBasis(u: number): { track: Track; end: number } | undefined {
    const track = this.run.receivedTrack(u, CLOSING_FIXES);
    const n = track.t.length;
    return n >= 2 ? { track, end: track.t[n - 1] } : undefined;
  }

  // ------------------------------------------------------------------ LiveFrontEnd

  events(): void {
    // Events are read from the engine when the tick is reported.
  }

  tick(b: TickBatch): void {
    this.sync();
    const e = this.engine;
    const pos = e.positions;
    const prevT = b.index > 0 ? e.tickTime(b.index - 1) : b.t;
    for (let u = 0; u < this.judged.length; u++) {
      const lon = pos[2 * u];
      const lat = pos[2 * u + 1];
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) continue;
      const g = this.judged[u];
      if (g.n === 0) g.push(b.t, lon, lat);
      else if (lon !== g.lastLon || lat !== g.lastLat) {
        // It stood still until the tick before: the trail keeps the corner.
        if (g.lastT < prevT) g.push(prevT, g.lastLon, g.lastLat);
        g.push(b.t, lon, lat);
      }
    }
    this.record();
    this.changed();
  }

  fix(u: number, f: Fix, source: string): void {
    this.sync();
    const p = this.perUnit[u];
    p.fixes++;
    p.last = f.t;
    this.lastFix = { unit: this.run.scenario.units[u].id, t: f.t, source };
    this.changed();
  }

  warn(message: string): void {
    this.problemCount++;
    this.problems.push(message);
    if (this.problems.length > PROBLEMS_KEPT) this.problems.splice(0, this.problems.length - PROBLEMS_KEPT);
    this.changed();
  }

  notice(message: string): void {
    this.notes.push(message);
    if (this.notes.length > NOTES_KEPT) this.notes.splice(0, this.notes.length - NOTES_KEPT);
    this.changed();
  }

  redraw(): void {
    this.sync();
    this.changed();
  }

  /** Lines for the normal screen once the UI is closed: the input problems it showed (the last few). */
  afterwards(max = 10): string[] {
    if (!this.problemCount) return [];
    const shown = this.problems.slice(-max);
    const n = this.problemCount;
    return [`${n} input problem${n === 1 ? '' : 's'}${shown.length < n ? ` (the last ${shown.length})` : ''}:`, ...shown.map((p) => `  ${p}`)];
  }
}
