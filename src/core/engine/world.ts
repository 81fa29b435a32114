/**
 * The engine's world: the scenario and what is built from it once (the zone index, who each zone
 * applies to, threat scores), and every piece of state a tick changes, grouped by the part of the
 * engine that owns it. The parts are functions over a World (motion/, judge/, quiet/, ladder/,
 * injects, area/, state/); `Engine` is the facade that runs them in order. Only state and the
 * small helpers every part needs live here; nothing in this file calls a part.
 */
import Flatbush from 'flatbush';
import type { SimEvent } from '../events.js';
import { geodesicDistanceLL } from '../geo/geodesic.js';
import { MotionBound } from '../geo/motion.js';
import { newPath, type Path, type PathCrossing } from '../geo/crossings.js';
import { rungLevel, threatScore } from '../ladder.js';
import type { Rung, Scenario } from '../model.js';
import { LEG, Ledger, UnitState } from './state/records.js';
import type { Decider, EngineHooks, EngineOptions, Snapshot } from './types.js';
import { RungRec, ZoneRec } from './scenario-recs.js';

export class World {
  // ---- The scenario, and what is built from it once
  readonly scenario: Scenario;
  /** The scenario's zones as the engine reads them (scenario-recs.ts: one shape for all). */
  readonly zones: ZoneRec[];
  /** The scenario's ladder, likewise. */
  readonly ladder: RungRec[];
  readonly seed: number;
  /** Number of ticks in the run (the last one is at the scenario end). */
  readonly tickCount: number;
  readonly decide?: Decider;
  readonly hooks?: EngineHooks;
  /** EngineOptions.skipQuietWork. */
  readonly skipQuiet: boolean;
  /** The zone index (judge/zone-index.ts): its boxes and the zone of each. */
  readonly index: Flatbush;
  readonly boxZone: Int32Array;
  /** Per zone: its index boxes (minX, minY, maxX, maxY each). */
  readonly zoneBoxes: Float64Array[];
  /** Per zone: the levels of its signed distance that matter: the edge, hysteresis, band, band + hysteresis. */
  readonly levels: number[][];
  /** Per unit: which zones apply to its side (one row per side, shared). */
  readonly applies: Uint8Array[];
  readonly threat: Float64Array;
  readonly engineering: Uint8Array;
  readonly noise: Float64Array;

  // ---- The clock and the events
  /** Index of the last tick processed (-1 before the first). */
  k = -1;
  /** Every event so far, in seq order. */
  readonly events: SimEvent[] = [];
  tickEvents: SimEvent[] = [];
  seq = 0;
  readonly keepEvents: boolean;

  // ---- Positions (motion/)
  cur: Float64Array;
  prev: Float64Array;
  /**
   * The tick each unit's position in `cur` and in `prev` is of. When skipping quiet work,
   * positions are only worked out for the units looked at (and for all when they are read from
   * outside, or snapshotted); -2: none.
   */
  curTick: Int32Array;
  prevTick: Int32Array;
  /**
   * Per unit, the leg of its track in force at the last tick (motion/legs.ts): start and end
   * time, duration, start longitude, longitude change, start latitude, latitude change (NaN
   * longitude change: standing at a fix). A start time of Infinity means none.
   */
  readonly leg: Float64Array;
  readonly out = [0, 0];
  /** Live input (setPosition): 1 where a unit's position comes from outside, and that position. */
  extMode?: Uint8Array;
  ext?: Float64Array;
  /** The true path of one unit within the current tick (see pathOf), and whose it is. */
  readonly path: Path = newPath();
  pathU = -1;
  pathK = -1;
  pathEpoch = -1;
  /** The box (minX, minY, maxX, maxY; x unwrapped from the tick before's longitude) of that path, and its metres and largest change of latitude from now. */
  readonly pathExt = new Float64Array(6);
  readonly scratch2 = [0, 0];

  // ---- Units and pairs (state/), and judging them (judge/)
  readonly ledger: Ledger;
  units: UnitState[];
  readonly zoneStamp: Int32Array;
  stamp = 0;
  readonly found: PathCrossing[] = objectArray();

  // ---- Proofs of quiet (quiet/)
  readonly motion: MotionBound[];
  readonly motionEpoch: Int32Array;
  readonly motionLeg: Int32Array;
  /** Per unit: applicable zones near enough to matter before tick `watchEnd`, and through which tick each is quiet. */
  // (Plain arrays: a typed array costs about 200 bytes of its own, more than its few numbers.)
  readonly watchZones: number[][];
  readonly watchUntil: number[][];
  readonly watchEnd: Float64Array;
  readonly watchMin: Float64Array;
  readonly watchStamp: Int32Array;
  watchStampN = 0;
  readonly quietStamp: Int32Array;
  quietStampN = 0;
  quietNow = -1;
  /** Out-parameter of pairBounds and quietInterval: a distance range [lo, hi]. */
  readonly bounds = new Float64Array(2);
  readonly scratchZones: number[] = [];
  /** The ladder's one ConditionFacts (ladder/conditions.ts), made when first needed and reused: the ladder asks often. */
  conditionFacts: unknown = undefined;
  /** The planner's one PlanFacts (quiet/plan.ts), likewise. */
  planFacts: unknown = undefined;

  // ---- Injects, massing, checkpoints
  injCursor = 0;
  /** Reactions (injects with `on`) whose time has come, waiting for their unit to reach the rung: indices into scenario.injects. */
  armed: number[] = [];
  /** Per zone: 1 while massing is reported. */
  massing: Uint8Array;
  readonly checkpointEvery: number;
  readonly checkpoints = new Map<number, Snapshot>();
  /** The unit copies of the last snapshot made or restored (see takeSnapshot). */
  lastSnapUnits: UnitState[] | null = null;

  // ---- Split runs (EngineOptions.split, src/core/split.ts)
  readonly split?: EngineOptions['split'];
  /** The place in the run's order of what is being worked on: phase (KEY_*) × 2^32 + local inject or unit index. */
  key = 0;
  readonly keys = new Map<SimEvent, number>();

  constructor(scenario: Scenario, opts: EngineOptions = {}) {
    this.scenario = scenario;
    this.zones = scenario.zones.map((z) => new ZoneRec(z));
    this.ladder = scenario.ladder.map((r) => new RungRec(r));
    this.seed = opts.seed ?? scenario.seed;
    this.decide = opts.decide;
    this.hooks = opts.hooks;
    this.skipQuiet = opts.skipQuietWork ?? true;
    this.split = opts.split;
    this.keepEvents = opts.keepEvents ?? true;
    this.checkpointEvery = Math.max(1, opts.checkpointEvery ?? 200);
    const span = scenario.end - scenario.start;
    this.tickCount = Math.floor(span / scenario.tick) + 1 + (span % scenario.tick ? 1 : 0);

    const boxes: number[][] = [];
    const owner: number[] = [];
    scenario.zones.forEach((z, i) => {
      for (const b of z.shape.bboxes(z.approach + z.hysteresis + 50)) {
        boxes.push(b);
        owner.push(i);
      }
    });
    // A line's forbidden side reaches as far as its side is defined (wherever its nearest point
    // is not one of its ends), at any distance: it is found wherever a unit is, and proofs of
    // quiet keep the units far from it from being judged again and again.
    scenario.zones.forEach((z, i) => {
      if (z.type !== 'line') return;
      boxes.push([-180, -90, 180, 90]);
      owner.push(i);
    });
    this.index = new Flatbush(Math.max(1, boxes.length));
    for (const b of boxes) this.index.add(b[0], b[1], b[2], b[3]);
    if (!boxes.length) this.index.add(0, 0, 0, 0);
    this.index.finish();
    this.boxZone = Int32Array.from(owner);
    this.zoneStamp = new Int32Array(scenario.zones.length);
    this.zoneBoxes = scenario.zones.map((_, i) => Float64Array.from(boxes.filter((_b, j) => owner[j] === i).flat()));
    for (const z of scenario.zones) z.shape.prepare?.(z.approach + z.hysteresis + 1000);
    this.engineering = Uint8Array.from(scenario.units.map((u) => ((u.composition.engineering ?? 0) ? 1 : 0)));
    // One row per side, shared by the units of that side (memory: not one array per unit).
    const bySide = new Map<string, Uint8Array>();
    this.applies = scenario.units.map((u) => {
      let row = bySide.get(u.side);
      if (!row) bySide.set(u.side, (row = Uint8Array.from(scenario.zones.map((z) => (z.appliesTo.includes(u.side) ? 1 : 0)))));
      return row;
    });
    this.threat = Float64Array.from(scenario.units.map((u) => threatScore(u.composition, scenario.doctrine.threatWeights)));

    const n = scenario.units.length;
    this.cur = new Float64Array(n * 2);
    this.prev = new Float64Array(n * 2);
    this.curTick = new Int32Array(n).fill(-2);
    this.prevTick = new Int32Array(n).fill(-2);
    this.ledger = new Ledger(
      this.cur,
      this.prev,
      scenario.zones.map((z) => z.shape),
      Float64Array.from(scenario.units, (u) => u.composition.personnel ?? 0),
    );
    this.motion = scenario.units.map(() => new MotionBound());
    this.motionEpoch = new Int32Array(n).fill(-1);
    this.motionLeg = new Int32Array(n);
    this.watchZones = new Array(n).fill([]);
    this.watchUntil = new Array(n).fill([]);
    this.watchEnd = new Float64Array(n);
    this.watchMin = new Float64Array(n);
    this.watchStamp = new Int32Array(scenario.zones.length);
    this.quietStamp = new Int32Array(scenario.zones.length);
    this.leg = new Float64Array(n * LEG).fill(Infinity);
    this.ledger.leg = this.leg;
    this.ledger.onBand = opts.split?.onBand;
    this.noise = Float64Array.from(scenario.units, (x) => x.noise);
    this.levels = scenario.zones.map((z) => [0, z.hysteresis, z.approach, z.approach + z.hysteresis]);
    this.units = [];
    this.massing = new Uint8Array(scenario.zones.length);
    const monitor = scenario.ladder.findIndex((r) => r.rung === 'monitor');
    this.monitorPos = monitor >= 0 ? monitor : -1;
  }

  /** The ladder position of `monitor` (-1: the ladder has none). */
  readonly monitorPos: number;
  /** A unit has been brought to a rung: the reactions armed for it act (wired by the Engine to injects). */
  react: (u: number, rung: Rung, t: number) => void = () => {};
  /** The tick at which unit u is next due to be judged. */
  readonly judgeDueAt = (u: number): number => this.ledger.due[u] + 1;
  /** The tick at which unit u is next due to climb or dwell. */
  readonly climbDueAt = (u: number): number => this.ledger.next[u];

  /** Back to before the first tick. */
  reset(): void {
    this.units = this.scenario.units.map((u, i) => new UnitState(this.ledger, i, u.track));
    this.massing.fill(0);
    this.injCursor = 0;
    this.armed = [];
    this.seq = 0;
    this.k = -1;
    this.events.length = 0;
    this.cur.fill(0);
    this.prev.fill(0);
    this.curTick.fill(-2);
    this.prevTick.fill(-2);
    this.ledger.tick = -1;
    this.forgetSkips();
    this.lastSnapUnits = null;
  }

  /** Forget every proof of quiet (after going back in time, or any outside change). */
  forgetSkips(): void {
    this.ledger.judgeWheel = this.ledger.climbWheel = null;
    this.ledger.recount(this.units);
    this.leg.fill(Infinity);
    for (let u = 0; u < this.units.length; u++) this.ledger.trackChanged[u] = this.units[u].track === this.scenario.units[u].track ? 0 : 1;
    this.watchEnd.fill(-1);
    this.watchMin.fill(-1);
    for (const w of this.watchUntil) w.fill(-1);
    for (const st of this.units) for (const p of st.pairs) p.until = p.climbAt = -1;
  }

  tickTime(k: number): number {
    return Math.min(this.scenario.start + k * this.scenario.tick, this.scenario.end);
  }

  /** The last tick at or before time tm (Infinity for Infinity), never before tick k. */
  lastTickBy(tm: number, k: number): number {
    if (tm === Infinity) return Infinity;
    const j = Math.floor((tm - this.scenario.start) / this.scenario.tick);
    return j > k ? j : k;
  }

  /** The first tick, not before `min`, whose time is at or after tm. */
  firstTickAt(tm: number, min: number): number {
    if (tm === -Infinity) return min;
    if (tm > this.scenario.end) return Infinity;
    const j = Math.ceil((tm - this.scenario.start) / this.scenario.tick);
    return j > min ? j : min;
  }

  /** A tick begins: no events yet. */
  startTick(): void {
    this.tickEvents = [];
    if (this.split?.keyed) this.keys.clear();
  }

  /** The tick's events, sorted by time, numbered and kept. */
  flushTick(): SimEvent[] {
    const evs = this.tickEvents;
    // Stable sort by time: crossings inside the tick come before the rungs they trigger.
    evs.sort((a, b) => a.t - b.t);
    for (const e of evs) {
      e.seq = ++this.seq;
      if (this.keepEvents) this.events.push(e);
    }
    return evs;
  }

  /** Add an event to the tick's (its seq is given when the tick ends). */
  emit(e: Omit<SimEvent, 'seq'>): void {
    this.emitEvent({ seq: 0, ...e });
  }

  /**
   * `emit` for an event built with `seq: 0` as its first field (the order `emit` gives), without
   * copying it: the hot paths build their events whole (a literal with fields before a spread is
   * copied field by field at run time).
   */
  emitEvent(ev: SimEvent): void {
    this.tickEvents.push(ev);
    if (this.split?.keyed) this.keys.set(ev, this.key);
  }

  /** Split runs: the unit's index in the whole scenario (its noise depends on it). */
  wholeIndex(u: number): number {
    return this.split ? this.split.unitIndex[u] : u;
  }

  /** Distance (WGS84 geodesic) from a point to the zone's protected site; undefined if it protects none. */
  siteDistance(zone: ZoneRec, lon: number, lat: number): number | undefined {
    if (zone.protects < 0) return undefined;
    const s = this.scenario.sites[zone.protects].pos;
    return geodesicDistanceLL(s[0], s[1], lon, lat);
  }

  /** The highest rung a unit is at over all zones, with that zone's index. */
  unitRung(u: number): { rung: Rung | null; zone: number } {
    let best: Rung | null = null;
    let lvl = -1;
    let zone = -1;
    for (const p of this.units[u].pairs) {
      const l = rungLevel(p.rung);
      if (l > lvl) {
        lvl = l;
        best = p.rung;
        zone = p.zone;
      }
    }
    return { rung: best, zone };
  }
}

/**
 * An empty array that V8 holds as an array of objects from the start. An empty `[]` is an array
 * of small integers until the first object goes in; code compiled for an engine whose array had
 * changed kind would be thrown away on the next engine's, which has not yet.
 */
function objectArray<T>(): T[] {
  const a = [undefined] as T[];
  a.length = 0;
  return a;
}
