/**
 * The deterministic engine. It advances a scenario tick by tick: moves every unit along its
 * track, judges each unit against the zones it may touch (prefiltered by a spatial index),
 * finds crossings between fixes with their interpolated time and point, runs the escalation
 * ladder and produces events. Same scenario + same seed = the same events, byte for byte.
 *
 * State can be snapshotted and restored; `seek` goes back by restoring the nearest checkpoint
 * and replaying, so the state after seeking equals the state reached by playing forward.
 *
 * `Engine` is a facade over a World (world.ts) and the parts that work on it, one job each:
 * motion/ (positions, legs, noise, the path within a tick), judge/ (pairs, crossings,
 * transitions, the zone index), quiet/ (proofs of quiet, the watch lists, the timing wheels),
 * ladder/ (climbing, and the conditions as one table), injects, area/ (dwell, massing),
 * reasons (the wording of events), state/ (the unit and pair records, the ledger, pairs coming
 * and going, checkpoints). `step()` runs them in order.
 */
import type { SimEvent } from '../events.js';
import { geodesicDistance } from '../geo/geodesic.js';
import type { Rung, Scenario, Track } from '../model.js';
import { checkMassing } from './area/massing.js';
import { react, runDueInjects } from './injects.js';
import { judgeEvery } from './judge/judge-unit.js';
import { skipsQuietWork } from './mode.js';
import { ensureCur, ensurePrev, fillPositions, moveAll, swapPositions } from './motion/positions.js';
import { climbDue, climbEvery, judgeDue } from './quiet/schedule.js';
import { checkpointBefore, keepCheckpoint, restoreSnapshot, takeSnapshot } from './state/checkpoints.js';
import type { EngineOptions, Snapshot, TickBatch } from './types.js';
import type { PositionFill } from './state/records.js';
import { World } from './world.js';

/**
 * How a tick is worked: the first tick judges every unit (and finds its first pairs); `every`
 * judges every unit and climbs every ladder (live input, which moves units without bounds, or
 * the exhaustive mode of the tests); `due` looks only at the units the timing wheels say are due.
 */
type TickMode = 'first' | 'every' | 'due';

export class Engine {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Every event so far, in seq order. */
  readonly events: SimEvent[];
  /** Number of ticks in the run (the last one is at the scenario end). */
  readonly tickCount: number;
  private readonly w: World;

  constructor(scenario: Scenario, opts: EngineOptions = {}) {
    const w = (this.w = new World(scenario, opts));
    this.scenario = scenario;
    this.seed = w.seed;
    this.events = w.events;
    this.tickCount = w.tickCount;
    w.ledger.fill = new Fill(w);
    w.react = (u, rung, t) => react(w, u, rung, t);
    w.reset();
  }

  /** Back to before the first tick. */
  reset(): void {
    this.w.reset();
    this.w.hooks?.rewound?.(-1);
  }

  /** The events of the tick being run, so far (unsorted): what a decider's question follows from. */
  get tickSoFar(): readonly SimEvent[] {
    return this.w.tickEvents;
  }

  /** Index of the last tick processed (-1 before the first). */
  get tickIndex(): number {
    return this.w.k;
  }

  /** Simulated time of the last tick processed (the start before the first). */
  get time(): number {
    return this.w.k < 0 ? this.scenario.start : this.w.tickTime(this.w.k);
  }

  /** The last tick has run (or a hook holds the run: training waiting for an answer). */
  get done(): boolean {
    return this.w.k >= this.tickCount - 1 || !!this.w.hooks?.holding?.();
  }

  tickTime(k: number): number {
    return this.w.tickTime(k);
  }

  /** Tick index of the last tick at or before t. */
  tickAt(t: number): number {
    if (t < this.scenario.start) return -1;
    if (t >= this.scenario.end) return this.tickCount - 1;
    return Math.floor((t - this.scenario.start) / this.scenario.tick);
  }

  /** Current positions: lon, lat interleaved per unit (a view; copy it to keep it). */
  get positions(): Float64Array {
    fillPositions(this.w);
    return this.w.cur;
  }

  /**
   * Live input: from the next tick on, unit `u` is at (lon, lat) instead of on its track, until
   * set again. Give NaN, NaN for a unit whose position is not known yet: it keeps its last
   * position, and a unit never placed is not judged at all (no events) until it has one; it is
   * then judged from that tick as if it had just appeared. External positions get no noise; they
   * are not part of snapshots, and reset and seek leave them in force (a live run only goes
   * forward). While a unit never placed waits, its entry in `positions` is NaN.
   */
  setPosition(u: number, lon: number, lat: number): void {
    const w = this.w;
    const n = this.scenario.units.length;
    if (!(u >= 0 && u < n)) throw new RangeError(`no unit ${u}`);
    w.extMode ??= new Uint8Array(n);
    w.ext ??= new Float64Array(n * 2).fill(NaN);
    w.extMode[u] = 1;
    w.ext[u * 2] = lon;
    w.ext[u * 2 + 1] = lat;
  }

  /** Hand a unit set with `setPosition` back to its track (from the next tick on). */
  clearPosition(u: number): void {
    if (this.w.extMode) this.w.extMode[u] = 0;
  }

  /** Whether a unit has been struck. */
  isStruck(u: number): boolean {
    return this.w.units[u].struck;
  }

  /** The highest rung a unit is at over all zones, with that zone's index. */
  unitRung(u: number): { rung: Rung | null; zone: number } {
    return this.w.unitRung(u);
  }

  /** Rung of a unit in one zone. */
  pairRung(u: number, z: number): Rung | null {
    return this.w.units[u].pairs.find((p) => p.zone === z)?.rung ?? null;
  }

  /** Track in force for a unit (after halts, withdrawals and strikes). */
  trackOf(u: number): Track {
    return this.w.units[u].track;
  }

  /** Advance one tick. Returns the tick's events (also appended to `events`). */
  step(): TickBatch {
    const guard = this.w.hooks?.guardStep;
    // A method, not an arrow function per engine: compiled code calling it then stays valid for
    // every engine (an arrow per engine is a new call target for each).
    return guard ? guard(() => this.runTick()) : this.runTick();
  }

  /** One tick: the pipeline of the engine's parts. */
  private runTick(): TickBatch {
    const w = this.w;
    if (this.done) return { index: w.k, t: this.time, events: [] };
    const k = ++w.k;
    const t = w.tickTime(k);
    const mode: TickMode = k === 0 ? 'first' : !w.skipQuiet || !skipsQuietWork() || w.extMode ? 'every' : 'due';
    w.startTick();
    this.keepDistances(mode !== 'every');
    runDueInjects(w, t);
    swapPositions(w);
    if (mode === 'due') {
      w.ledger.tick = k;
      judgeDue(w, t, k);
      climbDue(w, t, k);
    } else {
      moveAll(w, t, k);
      judgeEvery(w, t, k);
      climbEvery(w, t);
    }
    checkMassing(w, t);
    const events = w.flushTick();
    keepCheckpoint(w, k);
    return { index: k, t, events };
  }

  /**
   * Whether the distances of quiet pairs are left to be measured when read (lazy) or kept at
   * every tick (when every pair is judged at every tick).
   */
  private keepDistances(lazy: boolean): void {
    const ledger = this.w.ledger;
    if (!lazy && ledger.lazy) {
      // From now on every pair is judged at every tick: measure the distances left to be measured.
      for (const st of this.w.units) for (const p of st.pairs) void p.d;
    }
    ledger.lazy = lazy;
  }

  /** Run ticks up to and including time t. Returns the events produced. */
  runUntil(t: number): SimEvent[] {
    const from = this.events.length;
    const target = this.tickAt(t);
    while (this.w.k < target && !this.done) this.step();
    return this.events.slice(from);
  }

  /** Run to the end. Returns the events produced. */
  runToEnd(): SimEvent[] {
    const from = this.events.length;
    while (!this.done) this.step();
    return this.events.slice(from);
  }

  /** Step until a tick produces an escalation (or a stand-down); returns that tick's batch, or undefined at the end. */
  nextEscalation(): TickBatch | undefined {
    while (!this.done) {
      const b = this.step();
      if (b.events.some((e) => e.type === 'escalate' || e.type === 'stand_down')) return b;
    }
    return undefined;
  }

  /** Go to tick index k exactly (backwards restores a checkpoint and replays); a hook holding the run stops it on the way. */
  seekTick(k: number): void {
    k = Math.max(-1, Math.min(this.tickCount - 1, k));
    if (k < this.w.k) {
      const c = checkpointBefore(this.w, k);
      if (c) this.restore(c);
      else this.reset();
    }
    while (this.w.k < k && !this.done) this.step();
  }

  /** Go to the last tick at or before time t. */
  seek(t: number): void {
    this.seekTick(this.tickAt(t));
  }

  snapshot(): Snapshot {
    return takeSnapshot(this.w);
  }

  restore(s: Snapshot): void {
    restoreSnapshot(this.w, s);
    this.w.hooks?.rewound?.(s.index);
  }

  /** Signed distance from a unit's current position to a zone's edge, and to its protected site. */
  distances(u: number, z: number): { edge: number; site?: number } {
    const w = this.w;
    ensureCur(w, u);
    const zone = this.scenario.zones[z];
    const lon = w.cur[u * 2];
    const lat = w.cur[u * 2 + 1];
    const edge = zone.shape.signedDistance(lon, lat);
    const site = zone.protects >= 0 ? geodesicDistance([lon, lat], this.scenario.sites[zone.protects].pos) : undefined;
    return { edge, site };
  }

  /** Whether a zone applies to a unit's side. */
  appliesTo(u: number, z: number): boolean {
    return this.w.applies[u][z] === 1;
  }

  /**
   * Split runs (`split.keyed`): where an event of the last tick stands in the order of the tick's
   * work — KEY_INJECT + the inject's place in scenario.injects, KEY_JUDGE or KEY_CLIMB + the unit,
   * KEY_MASSING. Within a tick the engine works in that order (injects, then judging unit by unit,
   * then the ladders unit by unit, then massing), and sorts the tick's events by time, stably.
   */
  eventKey(e: SimEvent): number {
    const k = this.w.keys.get(e);
    if (k === undefined) throw new Error('eventKey: not an event of the last tick of a keyed engine');
    return k;
  }
}

/** Run a whole scenario (or up to `until`) and return its events. */
export function simulate(scenario: Scenario, opts: EngineOptions & { until?: number } = {}): SimEvent[] {
  const engine = new Engine(scenario, opts);
  return opts.until !== undefined ? engine.runUntil(opts.until) : engine.runToEnd();
}

/** What fills a unit's position of a tick when a pair's distance is read (one class for every engine). */
class Fill implements PositionFill {
  constructor(private readonly w: World) {}
  ensure(u: number, prev: boolean): void {
    if (prev) ensurePrev(this.w, u);
    else ensureCur(this.w, u);
  }
}
