/**
 * The deterministic engine. It advances a scenario tick by tick: moves every unit along its
 * track, judges each unit against the zones it may touch (prefiltered by a spatial index),
 * finds crossings between fixes with their interpolated time and point, runs the escalation
 * ladder and produces events. Same scenario + same seed = the same events, byte for byte.
 *
 * State can be snapshotted and restored; `seek` goes back by restoring the nearest checkpoint
 * and replaying, so the state after seeking equals the state reached by playing forward.
 */
import Flatbush from 'flatbush';
import type { SimEvent } from './events.js';
import { geodesicDistance, geodesicDistanceLL, lonDelta, metresPerDegree, normalizeLon, sphereDistanceLL } from './geo/geodesic.js';
import { CHANGE_ESTIMATE, CHANGE_GEODESIC, CHANGE_PLANE, CHANGE_SPHERE, MotionBound } from './geo/motion.js';
import { exactEdge, newPath, pathCrossings, pushVertex, type Path, type PathCrossing } from './geo/crossings.js';
import { LineZone, type CircleZone, type PolygonZone, type ZoneShape } from './geo/zones.js';
import { describeComposition, RUNG_LABEL, RUNG_NOUN, rungLevel, threatScore } from './ladder.js';
import type { Inject, LonLat, Rung, RungSpec, Scenario, Track, Zone } from './model.js';
import { divertTrack, fixIndex, haltTrack, positionAt } from './track.js';
import { formatDistance, formatSpan } from './units.js';
import { massingCheck } from './massing.js';

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
}

export type Choice = Rung | 'stand_down' | 'hold';

/** Returns the choice to apply, or undefined to let doctrine decide. */
export type Decider = (p: Proposal) => { choice: Choice; reason?: string } | undefined;

export interface EngineOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  decide?: Decider;
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

const FAR = 0;
const BAND = 1;
const INSIDE = 2;

/**
 * Which units are due at which tick, so that a tick looks only at them instead of at every unit:
 * a timing wheel of WHEEL slots (a unit due at tick d waits in slot d mod WHEEL), plus the units
 * due at once. Entries may be stale (a unit rescheduled since): `take` checks each against the
 * unit's due tick, keeps those for a later lap of the wheel, and drops the rest.
 */
class Wheel {
  private readonly slots: number[][] = Array.from({ length: WHEEL }, () => []);
  private now: number[] = [];
  private readonly seen: Int32Array;
  private stamp = 0;
  private out = new Int32Array(64);

  constructor(n: number) {
    this.seen = new Int32Array(n);
  }

  /** Unit u is due at tick d (d ≤ the current tick: at once; Infinity: not). */
  add(u: number, d: number, k: number): void {
    if (d <= k) this.now.push(u);
    else if (d !== Infinity) this.slots[d % WHEEL].push(u);
  }

  /** Unit u is due at once. */
  addNow(u: number): void {
    this.now.push(u);
  }

  clear(): void {
    for (const s of this.slots) s.length = 0;
    this.now.length = 0;
  }

  /**
   * The units due at tick k (whose due tick, by `dueAt`, is at or before k), ascending, without
   * repeats; their entries are removed. Returns how many, in `items`.
   */
  take(k: number, dueAt: (u: number) => number): number {
    const slot = this.slots[k % WHEEL];
    const stamp = ++this.stamp;
    let count = 0;
    const push = (u: number) => {
      if (this.seen[u] === stamp) return;
      this.seen[u] = stamp;
      if (count === this.out.length) {
        const bigger = new Int32Array(count * 2);
        bigger.set(this.out);
        this.out = bigger;
      }
      this.out[count++] = u;
    };
    let keep = 0;
    for (let i = 0; i < slot.length; i++) {
      const u = slot[i];
      const d = dueAt(u);
      if (d <= k) push(u);
      else if (d !== Infinity && d % WHEEL === k % WHEEL && d > k) slot[keep++] = u; // a later lap
    }
    slot.length = keep;
    const now = this.now;
    this.now = [];
    for (let i = 0; i < now.length; i++) if (dueAt(now[i]) <= k) push(now[i]);
    const items = this.out.subarray(0, count);
    items.sort();
    return count;
  }

  get items(): Int32Array {
    return this.out;
  }
}

/**
 * What units and pairs share with the engine: positions (`cur` holds tick `tick`, `prev` the tick
 * before), the zones' shapes, and bookkeeping kept up to date as state changes: a per-unit track
 * epoch, struck flags, pair counts, and per zone the units in the approach band (for massing).
 */
class PositionView {
  tick = -1;
  /** Whether distances of quiet pairs are left to be measured when read (see PairState.d). */
  lazy = true;
  /** The pair judgePair is working on. */
  judging: PairState | null = null;
  /** Make sure unit u's position in `cur` (or `prev`) is that of its tick (positions are filled as needed). */
  ensure: (u: number, prev: boolean) => void = () => {};
  /** Per unit: nothing to judge through tick `due`; nothing to climb or dwell on before tick `next`. */
  readonly due: Float64Array;
  readonly next: Float64Array;
  /** Per unit: no pair can climb before tick climbAt. */
  readonly climbAt: Float64Array;
  /** Per unit: the track is no longer the scenario's (halted, diverted, struck). */
  readonly trackChanged: Uint8Array;
  /** The engine's leg cache (7 numbers per unit, the first the leg's start time). */
  leg: Float64Array = new Float64Array(0);
  /** Per unit: dwell has nothing to do before tick dwellAt. */
  readonly dwellAt: Float64Array;
  /** Per unit: changed since the last snapshot (unchanged units share their snapshot copy). */
  readonly dirty: Uint8Array;
  readonly epoch: Int32Array;
  readonly struck: Uint8Array;
  readonly pairCount: Int32Array;
  readonly band: Int32Array;
  readonly people: Float64Array;
  readonly personnel: Float64Array;
  constructor(
    public cur: Float64Array,
    public prev: Float64Array,
    readonly shapes: ZoneShape[],
    personnel: Float64Array,
  ) {
    const n = personnel.length;
    this.epoch = new Int32Array(n);
    this.struck = new Uint8Array(n);
    this.pairCount = new Int32Array(n);
    this.due = new Float64Array(n).fill(-1);
    this.next = new Float64Array(n).fill(-1);
    this.climbAt = new Float64Array(n).fill(-1);
    this.trackChanged = new Uint8Array(n);
    this.dwellAt = new Float64Array(n).fill(-1);
    this.dirty = new Uint8Array(n).fill(1);
    this.band = new Int32Array(shapes.length);
    this.people = new Float64Array(shapes.length);
    this.personnel = personnel;
  }

  /** Something about unit u or one of its pairs changed: look at all its pairs again. */
  touch(u: number): void {
    if (this.due[u] !== -1) {
      this.due[u] = -1;
      this.judgeWheel?.addNow(u);
    }
    if (this.next[u] !== -1) {
      this.next[u] = -1;
      this.climbWheel?.addNow(u);
    }
    this.climbAt[u] = -1;
    this.dwellAt[u] = -1;
    this.dirty[u] = 1;
  }

  /** Units due to be judged (at tick due + 1) and to climb or dwell (at tick next). */
  judgeWheel: Wheel | null = null;
  climbWheel: Wheel | null = null;

  /** A pair of unit u with zone z enters (+1) or leaves (-1) the approach band. */
  countBand(u: number, z: number, sign: 1 | -1): void {
    if (this.struck[u]) return;
    this.band[z] += sign;
    this.people[z] += sign * this.personnel[u];
    this.onBand?.(u, z, sign);
  }
  /** Split runs: hears each change of band membership. */
  onBand?: (u: number, z: number, sign: 1 | -1) => void;

  /** Recount everything from the units (after reset or restore). */
  recount(units: UnitState[]): void {
    // A recount finds the membership already reported to onBand: nothing changes for it.
    const onBand = this.onBand;
    this.onBand = undefined;
    try {
      this.recountAll(units);
    } finally {
      this.onBand = onBand;
    }
  }

  private recountAll(units: UnitState[]): void {
    this.band.fill(0);
    this.people.fill(0);
    for (let u = 0; u < units.length; u++) {
      const st = units[u];
      this.struck[u] = st.struck ? 1 : 0;
      this.pairCount[u] = st.pairs.length;
      this.epoch[u]++;
      this.touch(u);
      if (st.struck) continue;
      for (const p of st.pairs) if (p.area === BAND) this.countBand(u, p.zone, 1);
    }
  }
}

class PairState {
  private _area: 0 | 1 | 2 = FAR;
  private _pos = -1;
  private _rung: Rung | null = null;
  private _rungT = 0;
  private _holdUntil = -Infinity;
  /** Bumped by every change of area, position, rung, rung time or hold: proofs of quiet note it. */
  ver = 0;
  /** The rung before the last change, for events stamped earlier in the same tick. */
  prevRung: Rung | null = null;
  /** Distance to the protected site (or the edge depth) when the last rung fired. */
  refAtRung = 0;
  /** Lines: the crossings reported so far left the unit out, in (on the forbidden side), or back out but still within the hysteresis. */
  lineSide: 'out' | 'in' | 'back' = 'out';

  get area(): 0 | 1 | 2 {
    return this._area;
  }
  set area(v: 0 | 1 | 2) {
    if (v !== this._area) {
      if (this._area === BAND) this.view.countBand(this.u, this.zone, -1);
      if (v === BAND) this.view.countBand(this.u, this.zone, 1);
      this._area = v;
    }
    this.ver++;
    this.view.touch(this.u);
  }
  /** Position on the scenario's ladder (-1: none). */
  get pos(): number {
    return this._pos;
  }
  set pos(v: number) {
    this._pos = v;
    this.ver++;
    this.view.touch(this.u);
  }
  get rung(): Rung | null {
    return this._rung;
  }
  set rung(v: Rung | null) {
    this._rung = v;
    this.ver++;
    this.view.touch(this.u);
  }
  get rungT(): number {
    return this._rungT;
  }
  set rungT(v: number) {
    this._rungT = v;
    this.ver++;
    this.view.touch(this.u);
  }
  get holdUntil(): number {
    return this._holdUntil;
  }
  set holdUntil(v: number) {
    this._holdUntil = v;
    this.ver++;
    this.view.touch(this.u);
  }

  /**
   * The last signed distance to the edge, `d`, is kept lazily. A pair is judged (or proved quiet,
   * which stands for judging) at every tick, so `d` is the distance at the unit's current
   * position, except while judgePair works on this very pair: then it is still the distance of
   * the tick before (or the one a hostile act set). `_d` caches the distance at tick `_dTick`.
   */
  _d: number;
  _dTick: number;
  /** Skipping the judgement: quiet through tick `until` while `ver` and the unit's track epoch are as noted. */
  until = -1;
  jVer = -1;
  jEpoch = -1;
  /** Skipping the ladder: no rung can fire before tick `climbAt` while `ver` and the track epoch are as noted. */
  climbAt = -1;
  cVer = -1;
  cEpoch = -1;

  constructor(
    readonly view: PositionView,
    readonly u: number,
    readonly zone: number,
    d: number,
  ) {
    this._d = d;
    this._dTick = view.tick;
  }

  /** Last signed distance to the edge. */
  get d(): number {
    const v = this.view;
    if (!v.lazy) return this._d;
    const at = v.judging === this ? v.tick - 1 : v.tick;
    if (this._dTick !== at) {
      v.ensure(this.u, at !== v.tick);
      const pos = at === v.tick ? v.cur : v.prev;
      this._d = v.shapes[this.zone].signedDistance(pos[this.u * 2], pos[this.u * 2 + 1]);
      this._dTick = at;
    }
    return this._d;
  }

  set d(value: number) {
    this._d = value;
    this._dTick = this.view.tick;
  }

  clone(): PairState {
    const c = new PairState(this.view, this.u, this.zone, this._d);
    // Not through the setters: a copy is not counted anywhere until it is restored (then all is recounted).
    c._area = this._area;
    c._pos = this._pos;
    c._rung = this._rung;
    c.prevRung = this.prevRung;
    c._rungT = this._rungT;
    c.refAtRung = this.refAtRung;
    c._holdUntil = this._holdUntil;
    c.lineSide = this.lineSide;
    c._dTick = this._dTick;
    return c;
  }
}

class UnitState {
  private _track: Track;
  hint = 0;
  private _struck = false;
  pairs: PairState[] = [];
  dwellLon = NaN;
  dwellLat = NaN;
  dwellT = 0;
  dwellFired = false;

  constructor(
    readonly view: PositionView,
    readonly u: number,
    track: Track,
  ) {
    this._track = track;
  }

  /** The track in force; a new one bumps the unit's epoch (cached legs and proofs assumed the old). */
  get track(): Track {
    return this._track;
  }
  set track(v: Track) {
    this._track = v;
    this.view.epoch[this.u]++;
    this.view.trackChanged[this.u] = 1;
    // The cached leg belonged to the old track.
    this.view.leg[this.u * LEG] = Infinity;
    this.view.touch(this.u);
  }

  get struck(): boolean {
    return this._struck;
  }
  set struck(v: boolean) {
    if (v === this._struck) return;
    // A struck unit no longer counts in any approach band.
    if (v) for (const p of this.pairs) if (p.area === BAND) this.view.countBand(this.u, p.zone, -1);
    this.view.struck[this.u] = v ? 1 : 0;
    this._struck = v;
    this.view.touch(this.u);
    if (!v) for (const p of this.pairs) if (p.area === BAND) this.view.countBand(this.u, p.zone, 1);
  }

  clone(): UnitState {
    const c = new UnitState(this.view, this.u, this._track);
    c.hint = this.hint;
    c._struck = this._struck;
    c.pairs = this.pairs.map((p) => p.clone());
    c.dwellLon = this.dwellLon;
    c.dwellLat = this.dwellLat;
    c.dwellT = this.dwellT;
    c.dwellFired = this.dwellFired;
    return c;
  }
}

interface Snapshot {
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

function cloneUnit(s: UnitState): UnitState {
  return s.clone();
}

/**
 * Judge every pair and climb every ladder at every tick, as a straightforward engine would,
 * instead of skipping what is proved quiet. The results are the same; tests compare the two.
 */
let exhaustive = false;

/** @internal For tests: turn skipping off (true) or on (false). */
export function setExhaustive(on: boolean): void {
  exhaustive = on;
}

/** Phases of a tick's work, for EngineOptions.split (see Engine.eventKey). */
export const KEY_INJECT = 0;
export const KEY_JUDGE = 2 ** 32;
export const KEY_CLIMB = 2 * 2 ** 32;
export const KEY_MASSING = 3 * 2 ** 32;

/** Horizon (ms) of a unit's list of nearby zones. */
const WATCH_HORIZON = 600_000;
/** Numbers per unit in the leg cache. */
const LEG = 7;
/** Slots of the timing wheels of due units. */
const WHEEL = 4096;

/** Margin (m) kept between a proved distance range and a level. */
const LEVEL_MARGIN = 1e-3;

/** Deterministic hash noise in [-1, 1) for (seed, unit, tick, axis). */
function noise01(seed: number, u: number, k: number, axis: number): number {
  let h = (seed | 0) ^ Math.imul(u + 1, 0x9e3779b1) ^ Math.imul(k + 1, 0x85ebca77) ^ Math.imul(axis + 1, 0xc2b2ae3d);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h ^= h >>> 16;
  return (h >>> 0) / 2147483648 - 1;
}

export class Engine {
  readonly scenario: Scenario;
  readonly seed: number;
  /** Every event so far, in seq order. */
  readonly events: SimEvent[] = [];
  /** Number of ticks in the run (the last one is at the scenario end). */
  readonly tickCount: number;

  private readonly decide?: Decider;
  private readonly checkpointEvery: number;
  private readonly checkpoints = new Map<number, Snapshot>();
  private readonly index: Flatbush;
  private readonly boxZone: Int32Array;
  private readonly applies: Uint8Array[];
  private readonly threat: Float64Array;
  private readonly zoneStamp: Int32Array;
  private stamp = 0;

  private cur: Float64Array;
  private prev: Float64Array;
  /**
   * The tick each unit's position in `cur` and in `prev` is of. When skipping quiet work,
   * positions are only worked out for the units looked at (and for all when they are read from
   * outside, or snapshotted); -2: none.
   */
  private curTick: Int32Array;
  private prevTick: Int32Array;
  private readonly view: PositionView;
  private units: UnitState[];
  // Skipping what is proved quiet (see judgeUnitFast, pairQuiet, watchQuiet and planClimb).
  /** Per zone: its index boxes (minX, minY, maxX, maxY each). */
  private readonly zoneBoxes: Float64Array[];
  private readonly engineering: Uint8Array;
  private readonly motion: MotionBound[];
  private readonly motionEpoch: Int32Array;
  private readonly motionLeg: Int32Array;
  /** Per unit: applicable zones near enough to matter before tick `watchEnd`, and through which tick each is quiet. */
  // (Plain arrays: a typed array costs about 200 bytes of its own, more than its few numbers.)
  private readonly watchZones: number[][];
  private readonly watchUntil: number[][];
  private readonly watchEnd: Float64Array;
  private readonly watchMin: Float64Array;
  private readonly watchStamp: Int32Array;
  private watchStampN = 0;
  private readonly quietStamp: Int32Array;
  private quietStampN = 0;
  private quietNow = -1;
  private readonly bounds = new Float64Array(2);
  /** The leg each unit was last on (see cacheLeg). */
  /**
   * Per unit, the leg of its track in force at the last tick: start and end time, duration,
   * start longitude, longitude change, start latitude, latitude change (NaN longitude change:
   * standing at a fix). A start time of Infinity means none.
   */
  private readonly leg: Float64Array;
  private readonly noise: Float64Array;
  private readonly out = [0, 0];
  /** The unit copies of the last snapshot made or restored (see snapshot). */
  private lastSnapUnits: UnitState[] | null = null;
  private readonly scratchZones: number[] = [];
  private massing: Uint8Array;
  private injCursor = 0;
  /** Reactions (injects with `on`) whose time has come, waiting for their unit to reach the rung: indices into scenario.injects. */
  private armed: number[] = [];
  private seq = 0;
  private k = -1;
  private tickEvents: SimEvent[] = [];
  /** Live input (setPosition): 1 where a unit's position comes from outside, and that position. */
  private extMode?: Uint8Array;
  private ext?: Float64Array;
  // ---- Split runs (EngineOptions.split, src/core/split.ts)
  private readonly split?: EngineOptions['split'];
  private readonly keepEvents: boolean;
  /** The place in the run's order of what is being worked on: phase (KEY_*) × 2^32 + local inject or unit index. */
  private key = 0;
  private readonly keys = new Map<SimEvent, number>();
  /** Per zone: the levels of its signed distance that matter: the edge, hysteresis, band, band + hysteresis. */
  private readonly levels: number[][];
  /** The true path of one unit within the current tick (see pathOf), and whose it is. */
  private readonly path: Path = newPath();
  private pathU = -1;
  private pathK = -1;
  private pathEpoch = -1;
  /** The box (minX, minY, maxX, maxY; x unwrapped from the tick before's longitude) of that path, and its metres and largest change of latitude from now. */
  private readonly pathExt = new Float64Array(6);
  private readonly found: PathCrossing[] = [];
  private readonly scratch2 = [0, 0];

  constructor(scenario: Scenario, opts: EngineOptions = {}) {
    this.scenario = scenario;
    this.seed = opts.seed ?? scenario.seed;
    this.decide = opts.decide;
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
    this.view = new PositionView(this.cur, this.prev, scenario.zones.map((z) => z.shape), Float64Array.from(scenario.units, (u) => u.composition.personnel ?? 0));
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
    this.view.leg = this.leg;
    this.view.ensure = (u, prev) => (prev ? this.ensurePrev(u) : this.ensureCur(u));
    this.view.onBand = opts.split?.onBand;
    this.noise = Float64Array.from(scenario.units, (x) => x.noise);
    this.levels = scenario.zones.map((z) => [0, z.hysteresis, z.approach, z.approach + z.hysteresis]);
    this.units = [];
    this.massing = new Uint8Array(scenario.zones.length);
    this.reset();
  }

  /** Back to before the first tick. */
  reset(): void {
    this.units = this.scenario.units.map((u, i) => new UnitState(this.view, i, u.track));
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
    this.view.tick = -1;
    this.forgetSkips();
    this.lastSnapUnits = null;
  }

  /**
   * Unit u's position at time t on its track (into this.out) and its leg into the cache, with the
   * arithmetic of positionAt. Returns positionAt's index. (The tracks are read where they are: a
   * flat copy of them saved little time, since this runs only when a unit changes legs, and cost
   * 24 bytes a fix.)
   */
  private legAt(u: number, track: Track, hint: number, t: number): number {
    const out = this.out;
    const i = positionAt(track, t, out, hint);
    if (!(this.noise[u] > 0) && !this.extMode) {
      const ts = track.t;
      const m = ts.length;
      if (t < ts[0]) this.cacheLeg(u, -Infinity, ts[0], track.lon[0], track.lat[0], NaN, NaN);
      else if (i >= m - 1) this.cacheLeg(u, ts[m - 1], Infinity, track.lon[m - 1], track.lat[m - 1], NaN, NaN);
      else this.cacheLeg(u, ts[i], ts[i + 1], track.lon[i], track.lat[i], track.lon[i + 1], track.lat[i + 1]);
    }
    return i;
  }

  /**
   * Cache unit u's leg from fix a (time t0, position lon0, lat0) to fix b (t1, lon1, lat1); a
   * standing leg (before the first fix or after the last) when lon1 is NaN, from t0 to t1.
   */
  private cacheLeg(u: number, t0: number, t1: number, lon0: number, lat0: number, lon1: number, lat1: number): void {
    const c = u * LEG;
    const leg = this.leg;
    leg[c] = t0;
    leg[c + 1] = t1;
    leg[c + 2] = t1 - t0;
    leg[c + 3] = lon0;
    leg[c + 4] = lon1 !== lon1 ? NaN : lonDelta(lon0, lon1);
    leg[c + 5] = lat0;
    leg[c + 6] = lat1 - lat0;
  }

  /** Forget every proof of quiet (after going back in time, or any outside change). */
  private forgetSkips(): void {
    this.view.judgeWheel = this.view.climbWheel = null;
    this.view.recount(this.units);
    this.leg.fill(Infinity);
    for (let u = 0; u < this.units.length; u++) this.view.trackChanged[u] = this.units[u].track === this.scenario.units[u].track ? 0 : 1;
    this.watchEnd.fill(-1);
    this.watchMin.fill(-1);
    for (const w of this.watchUntil) w.fill(-1);
    for (const st of this.units) for (const p of st.pairs) p.until = p.climbAt = -1;
  }

  /** The events of the tick being run, so far (unsorted): what a decider's question follows from. */
  get tickSoFar(): readonly SimEvent[] {
    return this.tickEvents;
  }

  /** Index of the last tick processed (-1 before the first). */
  get tickIndex(): number {
    return this.k;
  }

  /** Simulated time of the last tick processed (the start before the first). */
  get time(): number {
    return this.k < 0 ? this.scenario.start : this.tickTime(this.k);
  }

  get done(): boolean {
    return this.k >= this.tickCount - 1;
  }

  tickTime(k: number): number {
    return Math.min(this.scenario.start + k * this.scenario.tick, this.scenario.end);
  }

  /** Tick index of the last tick at or before t. */
  tickAt(t: number): number {
    if (t < this.scenario.start) return -1;
    if (t >= this.scenario.end) return this.tickCount - 1;
    return Math.floor((t - this.scenario.start) / this.scenario.tick);
  }

  /** Current positions: lon, lat interleaved per unit (a view; copy it to keep it). */
  get positions(): Float64Array {
    this.fillPositions();
    return this.cur;
  }

  /** Work out every unit's position of the current tick (and of the tick before) that is not yet. */
  private fillPositions(): void {
    if (this.view.tick < 0 || this.extMode) return;
    const n = this.scenario.units.length;
    for (let u = 0; u < n; u++) {
      this.ensureCur(u);
      this.ensurePrev(u);
    }
  }

  private ensureCur(u: number): void {
    const k = this.view.tick;
    if (this.curTick[u] !== k && k >= 0) {
      this.place(u, k, this.cur);
      this.curTick[u] = k;
    }
  }

  private ensurePrev(u: number): void {
    const k = this.view.tick - 1;
    if (this.prevTick[u] !== k && k >= 0) {
      this.place(u, k, this.prev);
      this.prevTick[u] = k;
    }
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
    const n = this.scenario.units.length;
    if (!(u >= 0 && u < n)) throw new RangeError(`no unit ${u}`);
    this.extMode ??= new Uint8Array(n);
    this.ext ??= new Float64Array(n * 2).fill(NaN);
    this.extMode[u] = 1;
    this.ext[u * 2] = lon;
    this.ext[u * 2 + 1] = lat;
  }

  /** Hand a unit set with `setPosition` back to its track (from the next tick on). */
  clearPosition(u: number): void {
    if (this.extMode) this.extMode[u] = 0;
  }

  /** Whether a unit has been struck. */
  isStruck(u: number): boolean {
    return this.units[u].struck;
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

  /** Rung of a unit in one zone. */
  pairRung(u: number, z: number): Rung | null {
    return this.units[u].pairs.find((p) => p.zone === z)?.rung ?? null;
  }

  /** Track in force for a unit (after halts, withdrawals and strikes). */
  trackOf(u: number): Track {
    return this.units[u].track;
  }

  /** Advance one tick. Returns the tick's events (also appended to `events`). */
  step(): TickBatch {
    if (this.done) return { index: this.k, t: this.time, events: [] };
    const k = ++this.k;
    const t = this.tickTime(k);
    const t0 = k > 0 ? this.tickTime(k - 1) : t;
    this.tickEvents = [];
    if (this.split?.keyed) this.keys.clear();
    const lazy = k === 0 || (!exhaustive && !this.extMode);
    if (!lazy && this.view.lazy) {
      // From now on every pair is judged at every tick: measure the distances left to be measured.
      for (const st of this.units) for (const p of st.pairs) void p.d;
    }
    this.view.lazy = lazy;

    // Injects due by this tick.
    const injects = this.scenario.injects;
    while (this.injCursor < injects.length && injects[this.injCursor].t <= t) {
      this.key = KEY_INJECT + this.injCursor;
      const inj = injects[this.injCursor++];
      // An inject reads its unit's position of the last tick.
      if (inj.type !== 'message') this.ensureCur(inj.unit);
      this.applyInject(inj);
    }

    // Move every unit.
    const tmp = this.prev;
    this.prev = this.cur;
    this.cur = tmp;
    const tmpTick = this.prevTick;
    this.prevTick = this.curTick;
    this.curTick = tmpTick;
    this.view.prev = this.prev;
    this.view.cur = this.cur;
    // Judge every unit against the zones it may touch. Live input moves units without bounds,
    // so nothing is skipped then.
    const fast = !exhaustive && !this.extMode && k > 0;
    if (!fast) {
      // Every unit is looked at: every position, now and at the last tick.
      this.view.tick = k;
      if (k > 0 && !this.extMode) for (let u = 0; u < this.scenario.units.length; u++) this.ensurePrev(u);
      this.moveUnits(t, k);
      this.curTick.fill(k);
      if (k === 0) {
        this.prev.set(this.cur);
        this.prevTick.fill(-1);
      }
    }
    this.view.tick = k;
    if (fast) this.judgeQuick(t0, t, k);
    else {
      const units = this.scenario.units;
      for (let u = 0; u < units.length; u++) {
        // A unit placed from outside is judged from the tick it first has a position.
        if (this.extMode && Number.isNaN(this.cur[u * 2])) continue;
        this.judgeUnit(u, t0, t, k === 0 || (this.extMode !== undefined && Number.isNaN(this.prev[u * 2])));
      }
      if (k === 0) this.forgetSkips();
      this.view.judgeWheel = this.view.climbWheel = null;
    }

    // The ladder, dwell and massing.
    this.climbAll(t, k, fast);
    this.massingCheck(t);

    const evs = this.tickEvents;
    // Stable sort by time: crossings inside the tick come before the rungs they trigger.
    evs.sort((a, b) => a.t - b.t);
    for (const e of evs) {
      e.seq = ++this.seq;
      if (this.keepEvents) this.events.push(e);
    }
    if (this.checkpointEvery !== Infinity && k % this.checkpointEvery === 0 && !this.checkpoints.has(k)) this.checkpoints.set(k, this.snapshot());
    return { index: k, t, events: evs };
  }

  /** Move every unit to its position at time t (tick k). */
  private moveUnits(t: number, k: number): void {
    const n = this.scenario.units.length;
    const cur = this.cur;
    const leg = this.leg;
    for (let u = 0, c = 0; u < n; u++, c += LEG) {
      // Most ticks stay on the leg of the tick before: interpolate on the cached leg, with the
      // same arithmetic as positionAt.
      if (t >= leg[c] && t < leg[c + 1]) {
        const dl = leg[c + 4];
        if (dl !== dl) {
          cur[u * 2] = leg[c + 3];
          cur[u * 2 + 1] = leg[c + 5];
        } else {
          const f = (t - leg[c]) / leg[c + 2];
          const lon = leg[c + 3] + dl * f;
          cur[u * 2] = lon >= -180 && lon < 180 ? lon : normalizeLon(lon);
          cur[u * 2 + 1] = leg[c + 5] + leg[c + 6] * f;
        }
      } else this.moveUnit(u, t, k);
    }
  }

  /** Unit u's position at tick `tick` into arr (not for live input), as moveUnits works it out. */
  private place(u: number, tick: number, arr: Float64Array): void {
    const t = this.tickTime(tick);
    const c = u * LEG;
    const leg = this.leg;
    if (t >= leg[c] && t < leg[c + 1]) {
      const dl = leg[c + 4];
      if (dl !== dl) {
        arr[u * 2] = leg[c + 3];
        arr[u * 2 + 1] = leg[c + 5];
      } else {
        const f = (t - leg[c]) / leg[c + 2];
        const lon = leg[c + 3] + dl * f;
        arr[u * 2] = lon >= -180 && lon < 180 ? lon : normalizeLon(lon);
        arr[u * 2 + 1] = leg[c + 5] + leg[c + 6] * f;
      }
      return;
    }
    const st = this.units[u];
    const out = this.out;
    st.hint = this.legAt(u, st.track, st.hint, t);
    let lon = out[0];
    let lat = out[1];
    const amp = this.noise[u];
    if (amp > 0) {
      const m = metresPerDegree(lat);
      lon = normalizeLon(lon + (noise01(this.seed, this.wholeIndex(u), tick, 0) * amp) / m.x);
      lat = Math.max(-90, Math.min(90, lat + (noise01(this.seed, this.wholeIndex(u), tick, 1) * amp) / m.y));
    }
    arr[u * 2] = lon;
    arr[u * 2 + 1] = lat;
  }

  /** Move one unit the long way (a new leg, noise, or live input). */
  private moveUnit(u: number, t: number, k: number): void {
    const st = this.units[u];
    if (this.extMode?.[u]) {
      // Live input: the position set from outside, else the last one known (NaN: never placed).
      const known = !Number.isNaN(this.ext![u * 2]);
      this.cur[u * 2] = known ? this.ext![u * 2] : k > 0 ? this.prev[u * 2] : NaN;
      this.cur[u * 2 + 1] = known ? this.ext![u * 2 + 1] : k > 0 ? this.prev[u * 2 + 1] : NaN;
      return;
    }
    const out = this.out;
    // (The index is only where the next search starts: a snapshot may keep an older one.)
    st.hint = this.legAt(u, st.track, st.hint, t);
    let lon = out[0];
    let lat = out[1];
    const amp = this.noise[u];
    if (amp > 0) {
      const m = metresPerDegree(lat);
      lon = normalizeLon(lon + (noise01(this.seed, this.wholeIndex(u), k, 0) * amp) / m.x);
      lat = Math.max(-90, Math.min(90, lat + (noise01(this.seed, this.wholeIndex(u), k, 1) * amp) / m.y));
    }
    this.cur[u * 2] = lon;
    this.cur[u * 2 + 1] = lat;
  }

  /**
   * Unit u's true path within the current tick, from its position at the tick before to its
   * position now: the track in force (after any halt, withdrawal or turn of this tick, which
   * leaves the track before its time as it was) has a vertex at every waypoint between the two
   * ticks; position noise, drawn at the ticks, is taken as changing evenly in between. Live
   * input has no track: its path is straight. Both positions must be in place.
   */
  private pathOf(u: number): Path {
    const k = this.view.tick;
    const epoch = this.view.epoch[u];
    const p = this.path;
    if (this.pathU === u && this.pathK === k && this.pathEpoch === epoch) return p;
    this.pathU = u;
    this.pathK = k;
    this.pathEpoch = epoch;
    p.count = 0;
    const t1 = this.tickTime(k);
    const t0 = k > 0 ? this.tickTime(k - 1) : t1;
    const lon0 = this.prev[u * 2];
    const lat0 = this.prev[u * 2 + 1];
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    pushVertex(p, t0, lon0, lat0);
    const c = u * LEG;
    // The cached leg spans the whole tick: no waypoint in between (the common case).
    if (t1 > t0 && !this.extMode?.[u] && !(this.leg[c] <= t0 && this.leg[c + 1] >= t1)) {
      const track = this.units[u].track;
      const ts = track.t;
      let i = fixIndex(track, t0) + 1;
      if (i < ts.length && ts[i] < t1) {
        let n0x = 0;
        let n0y = 0;
        let n1x = 0;
        let n1y = 0;
        if (this.noise[u] > 0) {
          const q = this.scratch2;
          positionAt(track, t0, q);
          n0x = lonDelta(q[0], lon0);
          n0y = lat0 - q[1];
          positionAt(track, t1, q);
          n1x = lonDelta(q[0], lon1);
          n1y = lat1 - q[1];
        }
        for (; i < ts.length && ts[i] < t1; i++) {
          const f = (ts[i] - t0) / (t1 - t0);
          pushVertex(p, ts[i], track.lon[i] + n0x + (n1x - n0x) * f, track.lat[i] + n0y + (n1y - n0y) * f);
        }
      }
    }
    pushVertex(p, t1, lon1, lat1);
    return p;
  }

  /**
   * The extent of unit u's path in this tick into pathExt: its box (x unwrapped from the tick
   * before's longitude), the metres it covers (bounded above with mb's metric, when given) and its
   * largest change of latitude from the position now.
   */
  private pathExtent(u: number, mb?: MotionBound): Float64Array {
    const e = this.pathExt;
    const lon0 = this.prev[u * 2];
    const lat0 = this.prev[u * 2 + 1];
    const lat1 = this.cur[u * 2 + 1];
    const p = this.pathOf(u);
    const n = p.count;
    let minX = Infinity;
    let maxX = -Infinity;
    let minY = Infinity;
    let maxY = -Infinity;
    let m = 0;
    let dLat = 0;
    for (let i = 0; i < n; i++) {
      const x = lon0 + (p.lon[i] - p.lon[0]);
      const y = p.lat[i];
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
      if (Math.abs(y - lat1) > dLat) dLat = Math.abs(y - lat1);
      if (i > 0 && mb) m += mb.segmentMetres(p.lon[i] - p.lon[i - 1], y - p.lat[i - 1]);
    }
    if (n <= 2 && mb) m = mb.segmentMetres(lonDelta(lon0, this.cur[u * 2]), lat1 - lat0);
    e[0] = minX;
    e[1] = minY;
    e[2] = maxX;
    e[3] = maxY;
    e[4] = m;
    e[5] = dLat;
    return e;
  }

  /** Judge every unit whose proofs of quiet have run out (or changed). */
  private judgeQuick(t0: number, t: number, k: number): void {
    const v = this.view;
    const due = v.due;
    if (!v.judgeWheel) {
      // Wheels are (re)built by a full pass after anything that did not keep them.
      const n = this.scenario.units.length;
      v.judgeWheel = new Wheel(n);
      for (let u = 0; u < n; u++) {
        if (k > due[u]) this.judgeUnitFast(u, t0, t, k);
        else v.judgeWheel.add(u, due[u] + 1, k);
      }
      return;
    }
    const count = v.judgeWheel.take(k, this.judgeDueAt);
    const items = v.judgeWheel.items;
    for (let i = 0; i < count; i++) this.judgeUnitFast(items[i], t0, t, k);
  }

  /** The tick at which unit u is next due to be judged. */
  private readonly judgeDueAt = (u: number): number => this.view.due[u] + 1;
  /** The tick at which unit u is next due to climb or dwell. */
  private readonly climbDueAt = (u: number): number => this.view.next[u];

  /** The ladder and dwell of every unit, in unit order (pairs in zone order). */
  private climbAll(t: number, k: number, fast: boolean): void {
    const n = this.scenario.units.length;
    const v = this.view;
    if (!fast) {
      v.judgeWheel = v.climbWheel = null;
      for (let u = 0; u < n; u++) this.climbOne(u, t, k, false);
      return;
    }
    if (!v.climbWheel) {
      v.climbWheel = new Wheel(n);
      for (let u = 0; u < n; u++) {
        if (k < v.next[u]) v.climbWheel.add(u, v.next[u], k);
        else this.climbOne(u, t, k, true);
      }
      return;
    }
    const count = v.climbWheel.take(k, this.climbDueAt);
    const items = v.climbWheel.items;
    for (let i = 0; i < count; i++) this.climbOne(items[i], t, k, true);
  }

  /** The ladder and dwell of one unit; with `fast`, only what may act, and when to look again. */
  private climbOne(u: number, t: number, k: number, fast: boolean): void {
    this.key = KEY_CLIMB + u;
    this.ensureCur(u);
    const v = this.view;
    const pairCount = v.pairCount;
    const engineering = this.engineering;
    if (pairCount[u] !== 0 && !(fast && k < v.climbAt[u])) this.climbUnit(u, t, k, fast);
    if (engineering[u] && !(fast && k < v.dwellAt[u])) {
      this.dwell(u, t);
      v.dirty[u] = 1;
      if (fast) this.planDwell(u, k, t);
    }
    if (fast) {
      const next = Math.min(pairCount[u] !== 0 ? v.climbAt[u] : Infinity, engineering[u] ? v.dwellAt[u] : Infinity);
      v.next[u] = next;
      v.climbWheel!.add(u, next <= k ? k + 1 : next, k);
    }
  }

  private climbUnit(u: number, t: number, k: number, fast: boolean): void {
    const st = this.units[u];
    const pairs = st.pairs;
    const epoch = this.view.epoch[u];
    if (!st.struck) {
      for (let i = 0; i < pairs.length; i++) {
        const p = pairs[i];
        if (fast && k < p.climbAt && p.ver === p.cVer && epoch === p.cEpoch) continue;
        this.climb(u, p, t);
        if (fast) this.planClimb(u, p, k, t);
      }
    }
    if (fast) {
      // The next tick any pair of this unit may climb (a struck unit climbs no more).
      let next = Infinity;
      if (!st.struck) {
        const e = this.view.epoch[u];
        for (let i = 0; i < pairs.length; i++) {
          const p = pairs[i];
          const at = p.ver === p.cVer && e === p.cEpoch ? p.climbAt : -1;
          if (at < next) next = at;
        }
      }
      this.view.climbAt[u] = next;
    }
  }

  /** Run ticks up to and including time t. Returns the events produced. */
  runUntil(t: number): SimEvent[] {
    const from = this.events.length;
    const target = this.tickAt(t);
    while (this.k < target && !this.done) this.step();
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

  /** Go to tick index k exactly (backwards restores a checkpoint and replays). */
  seekTick(k: number): void {
    k = Math.max(-1, Math.min(this.tickCount - 1, k));
    if (k >= this.k) {
      while (this.k < k) this.step();
      return;
    }
    let best = -1;
    for (const c of this.checkpoints.keys()) if (c <= k && c > best) best = c;
    if (best < 0) this.reset();
    else this.restore(this.checkpoints.get(best)!);
    while (this.k < k) this.step();
  }

  /** Go to the last tick at or before time t. */
  seek(t: number): void {
    this.seekTick(this.tickAt(t));
  }

  snapshot(): Snapshot {
    this.fillPositions();
    // Snapshots are never changed, so a unit unchanged since the last one shares its copy. (Not
    // while distances are kept eagerly: a copy holds the distance of when it was made.)
    const last = this.view.lazy ? this.lastSnapUnits : null;
    const dirty = this.view.dirty;
    const units = this.units.map((st, u) => (last && !dirty[u] ? last[u] : cloneUnit(st)));
    this.lastSnapUnits = units;
    dirty.fill(0);
    return {
      index: this.k,
      cur: this.cur.slice(),
      prev: this.prev.slice(),
      units,
      massing: this.massing.slice(),
      injCursor: this.injCursor,
      armed: this.armed.slice(),
      seq: this.seq,
      eventCount: this.events.length,
    };
  }

  restore(s: Snapshot): void {
    this.k = s.index;
    this.cur.set(s.cur);
    this.prev.set(s.prev);
    this.units = s.units.map(cloneUnit);
    this.curTick.fill(s.index);
    this.prevTick.fill(s.index === 0 ? -1 : s.index - 1);
    this.view.tick = s.index;
    this.forgetSkips();
    this.lastSnapUnits = s.units;
    this.view.dirty.fill(0);
    this.massing.set(s.massing);
    this.injCursor = s.injCursor;
    this.armed = s.armed.slice();
    this.seq = s.seq;
    this.events.length = s.eventCount;
  }

  /** Signed distance from a unit's current position to a zone's edge, and to its protected site. */
  distances(u: number, z: number): { edge: number; site?: number } {
    this.ensureCur(u);
    const zone = this.scenario.zones[z];
    const lon = this.cur[u * 2];
    const lat = this.cur[u * 2 + 1];
    const edge = zone.shape.signedDistance(lon, lat);
    const site = zone.protects >= 0 ? geodesicDistance([lon, lat], this.scenario.sites[zone.protects].pos) : undefined;
    return { edge, site };
  }

  /** Whether a zone applies to a unit's side. */
  appliesTo(u: number, z: number): boolean {
    return this.applies[u][z] === 1;
  }

  // ---------------------------------------------------------------- geometry

  private judgeUnit(u: number, t0: number, t1: number, first: boolean): void {
    this.key = KEY_JUDGE + u;
    const lon0 = this.prev[u * 2];
    const lat0 = this.prev[u * 2 + 1];
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    const stamp = ++this.stamp;
    const st = this.units[u];
    const zs = this.zoneStamp;
    // Zones already tracked for this unit are judged whatever the index says.
    for (let i = 0; i < st.pairs.length; i++) {
      const p = st.pairs[i];
      zs[p.zone] = stamp;
    }
    const active = st.pairs.slice();
    for (const p of active) {
      this.view.judging = p;
      this.judgePair(u, p.zone, p, lon0, lat0, lon1, lat1, t0, t1, first);
    }
    this.view.judging = null;
    this.visitIndex(u, stamp, t0, t1, first);
  }

  /** Judge the zones the index finds along the unit's movement (the box of its path), except those stamped `stamp`. */
  private visitIndex(u: number, stamp: number, t0: number, t1: number, first: boolean): void {
    const e = first ? null : this.pathExtent(u);
    const minX = e ? e[0] : this.cur[u * 2];
    const minY = e ? e[1] : this.cur[u * 2 + 1];
    const maxX = e ? e[2] : this.cur[u * 2];
    const maxY = e ? e[3] : this.cur[u * 2 + 1];
    if (minX < -180) {
      this.visitBox(u, stamp, -180, minY, maxX, maxY, t0, t1, first);
      this.visitBox(u, stamp, minX + 360, minY, 180, maxY, t0, t1, first);
    } else if (maxX > 180) {
      this.visitBox(u, stamp, minX, minY, 180, maxY, t0, t1, first);
      this.visitBox(u, stamp, -180, minY, maxX - 360, maxY, t0, t1, first);
    } else this.visitBox(u, stamp, minX, minY, maxX, maxY, t0, t1, first);
  }

  private visitBox(u: number, stamp: number, minX: number, minY: number, maxX: number, maxY: number, t0: number, t1: number, first: boolean): void {
    const applies = this.applies[u];
    const zs = this.zoneStamp;
    const hits = this.index.search(minX, minY, maxX, maxY);
    for (let h = 0; h < hits.length; h++) {
      const z = this.boxZone[hits[h]];
      if (zs[z] === stamp || !applies[z]) continue;
      zs[z] = stamp;
      if (this.quietStamp[z] === this.quietNow) continue;
      this.judgePair(u, z, undefined, this.prev[u * 2], this.prev[u * 2 + 1], this.cur[u * 2], this.cur[u * 2 + 1], t0, t1, first);
    }
  }


  // ---------------------------------------------------------------- skipping what is quiet
  //
  // A straightforward engine judges every unit against every zone near it at every tick, and
  // climbs every ladder. Most of that work finds nothing. Here each unit carries proofs of quiet:
  // "this pair cannot cross a level before tick N", "this zone is out of reach before tick N",
  // "no rung can fire before tick N". A proof rests on how far the unit can move (geo/motion.ts)
  // and on how fast a distance can change with it; when it runs out, or anything it assumed
  // changes, the full work is done again. Nothing is skipped unless the full work would have
  // produced no event and no change of state, so the events are the same to the byte
  // (test/bench/equivalence.test.ts compares both ways on generated workloads).

  /** The motion bound of unit u now (recomputed when its track or leg changes). */
  private motionOf(u: number): MotionBound {
    const st = this.units[u];
    const mb = this.motion[u];
    const epoch = this.view.epoch[u];
    if (this.motionEpoch[u] !== epoch || this.motionLeg[u] !== st.hint) {
      if (this.motionEpoch[u] !== epoch) {
        // A new track (halt, withdrawal, strike): earlier proofs assumed the old one.
        this.watchEnd[u] = -1;
        this.watchMin[u] = -1;
        this.watchUntil[u].fill(-1);
      }
      mb.set(st.track, st.hint, this.scenario.units[u].noise);
      this.motionEpoch[u] = epoch;
      this.motionLeg[u] = st.hint;
    }
    return mb;
  }

  /** The last tick at or before time tm (Infinity for Infinity), never before tick k. */
  private lastTickBy(tm: number, k: number): number {
    if (tm === Infinity) return Infinity;
    const j = Math.floor((tm - this.scenario.start) / this.scenario.tick);
    return j > k ? j : k;
  }

  private judgeUnitFast(u: number, t0: number, t1: number, k: number): void {
    this.key = KEY_JUDGE + u;
    this.ensureCur(u);
    this.ensurePrev(u);
    const st = this.units[u];
    const pairs = st.pairs;
    const epoch = this.view.epoch[u];
    let mb: MotionBound | undefined;
    let dropped: number[] | undefined;
    for (let i = 0; i < pairs.length; ) {
      const p = pairs[i];
      if (k <= p.until && p.ver === p.jVer && epoch === p.jEpoch) {
        i++;
        continue;
      }
      mb ??= this.motionOf(u);
      if (this.pairQuiet(u, p, mb, k, t1)) {
        i++;
        continue;
      }
      this.view.judging = p;
      this.judgePair(u, p.zone, p, this.prev[u * 2], this.prev[u * 2 + 1], this.cur[u * 2], this.cur[u * 2 + 1], t0, t1, false);
      this.view.judging = null;
      this.view.dirty[u] = 1;
      if (pairs[i] === p) {
        this.planPair(u, p, mb, k, t1);
        i++;
      } else {
        this.rearmWatch(u, p.zone);
        (dropped ??= []).push(p.zone);
      }
    }
    // Through which tick no pair of the unit needs judging.
    let next = Infinity;
    for (let i = 0; i < pairs.length; i++) if (pairs[i].until < next) next = pairs[i].until;
    if (epoch !== this.motionEpoch[u]) mb = this.motionOf(u);
    if (k > this.watchMin[u]) {
      // The zones that had a pair at the start of the tick are not visited (as in judgeUnit).
      const stamp = ++this.stamp;
      const zs = this.zoneStamp;
      for (let i = 0; i < pairs.length; i++) zs[pairs[i].zone] = stamp;
      if (dropped) for (const z of dropped) zs[z] = stamp;
      this.judgeWatch(u, mb ?? this.motionOf(u), stamp, k, t0, t1);
    }
    const due = Math.min(next, this.watchMin[u]);
    this.view.due[u] = due;
    this.view.judgeWheel?.add(u, due < k ? k + 1 : due + 1, k);
  }

  /** The unit no longer has a pair with zone z: watch the zone again from now on. */
  private rearmWatch(u: number, z: number): void {
    const zones = this.watchZones[u];
    for (let j = 0; j < zones.length; j++) if (zones[j] === z) this.watchUntil[u][j] = -1;
    this.watchMin[u] = -1;
  }

  /**
   * Where the pair's distance lies now: [lo, hi] written to `bounds`, exact for polygons and lines
   * (lo = hi = d, which is also cached as the pair's distance) and the chord interval of the exact
   * geodesic for circles. Returns how far the distance can change along the movement of this
   * tick, given the movement's length.
   */
  private pairBounds(u: number, z: number, mb: MotionBound, p: PairState | undefined, k: number): number {
    const shape = this.scenario.zones[z].shape;
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    // The whole path of the tick, not only its chord.
    const ext = this.pathExtent(u, mb);
    const dLat = ext[5];
    const m = ext[4];
    const b = this.bounds;
    if (shape.kind === 'circle') {
      (shape as CircleZone).geodesicBounds(lon1, lat1, b);
      const r = (shape as CircleZone).radius;
      b[0] -= r;
      b[1] -= r;
      return m;
    }
    const d = shape.signedDistance(lon1, lat1);
    if (p) {
      p._d = d;
      p._dTick = k;
    }
    b[0] = d;
    b[1] = d;
    return mb.planeChange(m, dLat, Math.abs(d));
  }

  /**
   * For a polygon without a pair: if the unit's distance to its bounding box (a lower bound of the
   * distance to its edge) keeps this movement beyond the approach band, how long it surely stays
   * so (ms); else -1.
   */
  private farFromPolygon(u: number, z: number, mb: MotionBound): number {
    const zone = this.scenario.zones[z];
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    const lb = (zone.shape as PolygonZone).boxDistance(lon1, lat1);
    if (!(lb > 0)) return -1;
    const ext = this.pathExtent(u, mb);
    const move = mb.planeChange(ext[4], ext[5], lb);
    if (!(lb - move - LEVEL_MARGIN > zone.approach)) return -1;
    return mb.maxTime(lb - zone.approach, CHANGE_PLANE, lb);
  }

  /**
   * The open interval of distances within which judgePair leaves the pair as it is (no event, no
   * change of state but the distance kept), written to bounds[0], bounds[1]; false if there is
   * none. It follows from judgePair: inside, only going out past the hysteresis acts; in the band,
   * only entering (0) or going out past band + hysteresis; far, only coming within the band. A
   * line also reports every crossing of itself, so its interval never holds 0. A far pair without
   * a rung is dropped, so it is never left as it is.
   */
  private quietInterval(z: number, p: PairState | undefined, d: number): boolean {
    const zone = this.scenario.zones[z];
    let a: number;
    let b: number;
    const area = p ? p.area : FAR;
    if (p && area === FAR && p.pos < 0 && p.rung === null) return false;
    if (zone.type === 'line' && p && p.lineSide !== (area === INSIDE ? (p.lineSide === 'back' ? 'back' : 'in') : 'out')) return false; // judgePair moves lineSide on
    if (area === INSIDE) {
      a = -Infinity;
      b = zone.hysteresis;
      if (zone.type === 'line') {
        if (d < 0) b = 0;
        else a = 0;
        // Crossed back: going deeper than the hysteresis on the forbidden side is reported again.
        if (p && p.lineSide === 'back' && d < 0) a = -zone.hysteresis;
      }
    } else if (area === BAND) {
      a = 0;
      b = zone.approach + zone.hysteresis;
    } else {
      a = zone.approach;
      b = Infinity;
    }
    this.bounds[0] = a;
    this.bounds[1] = b;
    return true;
  }

  /** How long (ms) a distance at [lo, hi] stays inside (a, b): a circle's exact distance or a plane distance. */
  private quietTime(z: number, mb: MotionBound, lo: number, hi: number, a: number, b: number): number {
    const gap = Math.min(lo - a, b - hi);
    if (this.scenario.zones[z].shape.kind === 'circle') return mb.maxTime(gap, CHANGE_GEODESIC);
    const absD = Math.max(Math.abs(lo), Math.abs(hi));
    return mb.maxTime(gap, CHANGE_PLANE, absD);
  }

  private markPair(p: PairState, st: UnitState, until: number): void {
    p.until = until;
    p.jVer = p.ver;
    p.jEpoch = this.view.epoch[st.u];
  }

  /**
   * If judging zone z for unit u at this tick would do nothing (no event, no change of state but
   * the distance kept), the last tick through which that stays so; else -1. For a pair: its
   * distance stays between the same two levels over the whole movement and its state agrees with
   * them. For a zone without a pair: the movement misses the zone's index boxes, or stays beyond
   * the approach band plus hysteresis. For a line, whose side can flip without crossing it, the
   * side must also be proved constant over where the unit can be.
   */
  private quietUntil(u: number, z: number, p: PairState | undefined, mb: MotionBound, k: number, t: number): number {
    if (!mb.usable) return -1;
    if (!p) {
      const boxT = this.boxClearTime(u, z, mb);
      if (boxT >= 0) return this.lastTickBy(t + boxT, k);
    }
    const zone = this.scenario.zones[z];
    if (!p && zone.type === 'polygon') {
      // Far from a polygon, its bounding box proves enough and needs no edge at all.
      const T = this.farFromPolygon(u, z, mb);
      if (T >= 0) return this.lastTickBy(t + T, k);
    }
    const move = this.pairBounds(u, z, mb, p, k);
    const lo = this.bounds[0];
    const hi = this.bounds[1];
    if (!this.quietInterval(z, p, lo)) return -1;
    const a = this.bounds[0];
    const b = this.bounds[1];
    if (!(lo - move - LEVEL_MARGIN > a && hi + move + LEVEL_MARGIN < b)) return -1;
    let T = this.quietTime(z, mb, lo, hi, a, b);
    if (zone.type === 'line') {
      const sideT = this.lineSideTime(u, z, mb, Math.max(0, T), lo);
      if (sideT < 0) return -1;
      if (sideT < T) T = sideT;
    }
    return T < 0 ? k : this.lastTickBy(t + T, k);
  }

  /**
   * How long (ms, at most `maxT`) unit u surely stays on its present side of line z (as `side()`
   * decides it), this tick's movement included; -1 if not even this movement is sure.
   */
  private lineSideTime(u: number, z: number, mb: MotionBound, maxT: number, sd: number): number {
    const absD = Math.abs(sd);
    const line = this.scenario.zones[z].shape as LineZone;
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    // The box of the whole path of the tick, in the line's longitudes.
    const ext = this.pathExtent(u, mb);
    const x1 = line.unwrapLon(lon1);
    const shift = x1 - (this.prev[u * 2] + lonDelta(this.prev[u * 2], lon1));
    const x0 = ext[0] + shift;
    const xb = ext[2] + shift;
    const lat0 = ext[1];
    const latb = ext[3];
    const side = sd < 0 ? line.forbiddenSign : (-line.forbiddenSign as 1 | -1);
    // Where the unit can be within maxT: this movement, grown by the distance covered since.
    // (A unit that cannot move on has maxT = Infinity: no 0 × Infinity.)
    const eyMax = (mb.vLat > 0 ? mb.dLat(maxT) : mb.nLat) * 1.01 + 1e-9;
    // The nearest segment of a point within `reach` metres lies within (|d| + 2 reach)(1 + δ)² of
    // here (δ: the change of metres per degree over the latitudes covered); reach grows with T.
    const delta = Math.expm1((eyMax + (latb - lat0)) * (Math.PI / 180) * mb.dLogK);
    const f = (1 + delta) * (1 + delta);
    const r0 = (absD + 2 * (mb.nM + Math.max(ext[4], mb.segmentMetres(xb - x0, latb - lat0)))) * f + 1;
    const r1 = 2 * mb.vM * f;
    const n0x = mb.nLon * 1.01 + 1e-9;
    const n0y = mb.nLat * 1.01 + 1e-9;
    const T = line.sideClearTime(lon1, lat1, r0, r1, maxT, side, x0 - n0x, lat0 - n0y, xb + n0x, latb + n0y, mb.vLon * 1.01, mb.vLat * 1.01);
    return T < 0 ? -1 : Math.min(T, maxT);
  }

  private pairQuiet(u: number, p: PairState, mb: MotionBound, k: number, t: number): boolean {
    const until = this.quietUntil(u, p.zone, p, mb, k, t);
    if (until < 0) return false;
    this.markPair(p, this.units[u], until);
    return true;
  }

  /** After judgePair: when to look at the pair next. */
  private planPair(u: number, p: PairState, mb: MotionBound, k: number, t: number): void {
    const until = this.quietUntil(u, p.zone, p, mb, k, t);
    this.markPair(p, this.units[u], until < 0 ? k : until);
  }

  /**
   * The zones without a pair: those of the unit's watch list whose proof has run out are looked
   * at; if one of them may be entered or approached, the index is visited exactly as judgeUnit
   * does, so that new pairs come in the same order.
   */
  private judgeWatch(u: number, mb: MotionBound, stamp: number, k: number, t0: number, t1: number): void {
    if (k > this.watchEnd[u]) this.refreshWatch(u, mb, k, t1);
    const zones = this.watchZones[u];
    const untils = this.watchUntil[u];
    const zs = this.zoneStamp;
    let min = this.watchEnd[u];
    let visit = false;
    for (let j = 0; j < zones.length; j++) {
      const z = zones[j];
      if (zs[z] === stamp) {
        // Had a pair at the start of this tick, so it is not visited now (as in judgeUnit). While
        // the pair lasts the entry sleeps; once it is dropped, the zone is watched from the next tick.
        if (this.units[u].pairs.some((p) => p.zone === z)) untils[j] = Infinity;
        else {
          untils[j] = -1;
          min = -1;
        }
        continue;
      }
      if (k <= untils[j]) {
        if (untils[j] < min) min = untils[j];
        continue;
      }
      const until = this.watchQuiet(u, z, mb, k, t1);
      if (until < k) {
        visit = true;
        untils[j] = -1;
      } else {
        untils[j] = until;
        if (until < min) min = until;
      }
    }
    if (visit) {
      // Zones proved quiet at this tick need no judging: judgePair would do nothing to them.
      const qs = ++this.quietStampN;
      for (let j = 0; j < zones.length; j++) if (untils[j] >= k) this.quietStamp[zones[j]] = qs;
      this.quietNow = qs;
      this.visitIndex(u, stamp, t0, t1, false);
      this.quietNow = -1;
      min = -1;
    }
    this.watchMin[u] = min;
  }

  /** A new watch list for unit u: the applicable zones whose boxes it can reach within the horizon. */
  private refreshWatch(u: number, mb: MotionBound, k: number, t: number): void {
    const still = mb.still || !mb.usable;
    const H = mb.still ? Infinity : mb.usable ? WATCH_HORIZON : 0;
    const ex = (still ? 0 : mb.dLon(H) * 1.01) + mb.nLon + 1e-9;
    const ey = (still ? 0 : mb.dLat(H) * 1.01) + mb.nLat + 1e-9;
    // The box of this tick's whole path, grown by how far the unit can go within the horizon.
    const e = this.pathExtent(u);
    const minX = e[0] - ex;
    const maxX = e[2] + ex;
    const minY = Math.max(-90, e[1] - ey);
    const maxY = Math.min(90, e[3] + ey);
    const ws = ++this.watchStampN;
    const zones = this.scratchZones;
    zones.length = 0;
    if (maxX - minX >= 360) this.collectZones(u, ws, zones, -180, minY, 180, maxY);
    else if (minX < -180) {
      this.collectZones(u, ws, zones, -180, minY, maxX, maxY);
      this.collectZones(u, ws, zones, minX + 360, minY, 180, maxY);
    } else if (maxX > 180) {
      this.collectZones(u, ws, zones, minX, minY, 180, maxY);
      this.collectZones(u, ws, zones, -180, minY, maxX - 360, maxY);
    } else this.collectZones(u, ws, zones, minX, minY, maxX, maxY);
    zones.sort((x, y) => x - y);
    // Proofs of quiet already made for zones that stay on the list still hold (they say through
    // which tick, whatever the horizon); new zones are looked at now.
    const old = this.watchZones[u];
    const oldUntil = this.watchUntil[u];
    let same = old.length === zones.length;
    for (let i = 0; same && i < zones.length; i++) same = old[i] === zones[i];
    if (!same) {
      const until = new Array<number>(zones.length).fill(-1);
      for (let i = 0, j = 0; i < zones.length; i++) {
        while (j < old.length && old[j] < zones[i]) j++;
        if (j < old.length && old[j] === zones[i]) until[i] = oldUntil[j];
      }
      this.watchZones[u] = zones.slice();
      this.watchUntil[u] = until;
    }
    this.watchEnd[u] = H === Infinity ? Infinity : this.lastTickBy(t + H, k);
  }

  /** The applicable zones (not yet in `zones`, by stamp ws) whose index boxes meet a box. */
  private collectZones(u: number, ws: number, zones: number[], minX: number, minY: number, maxX: number, maxY: number): void {
    const applies = this.applies[u];
    const nz = this.scenario.zones.length;
    if (nz <= 64) {
      // Few zones: a scan of their boxes is cheaper than the index (and allocates nothing).
      for (let z = 0; z < nz; z++) {
        if (!applies[z] || this.watchStamp[z] === ws) continue;
        const b = this.zoneBoxes[z];
        for (let i = 0; i < b.length; i += 4) {
          if (maxX < b[i] || maxY < b[i + 1] || minX > b[i + 2] || minY > b[i + 3]) continue;
          this.watchStamp[z] = ws;
          zones.push(z);
          break;
        }
      }
      return;
    }
    const hits = this.index.search(minX, minY, maxX, maxY);
    for (let h = 0; h < hits.length; h++) {
      const z = this.boxZone[hits[h]];
      if (!applies[z] || this.watchStamp[z] === ws) continue;
      this.watchStamp[z] = ws;
      zones.push(z);
    }
  }

  private watchQuiet(u: number, z: number, mb: MotionBound, k: number, t: number): number {
    return this.quietUntil(u, z, undefined, mb, k, t);
  }

  /**
   * If this tick's movement misses every index box of zone z (as the index search would find),
   * how long (ms) the unit surely stays clear of them; else -1.
   */
  private boxClearTime(u: number, z: number, mb: MotionBound): number {
    const lon1 = this.cur[u * 2];
    const lat1 = this.cur[u * 2 + 1];
    const e = this.pathExtent(u);
    let minX = e[0];
    let maxX = e[2];
    const minY = e[1];
    const maxY = e[3];
    // The same query boxes as visitIndex.
    let minX2 = NaN;
    let maxX2 = NaN;
    if (minX < -180) {
      minX2 = minX + 360;
      maxX2 = 180;
      minX = -180;
    } else if (maxX > 180) {
      minX2 = -180;
      maxX2 = maxX - 360;
      maxX = 180;
    }
    const boxes = this.zoneBoxes[z];
    let clear = Infinity;
    for (let i = 0; i < boxes.length; i += 4) {
      const bx0 = boxes[i];
      const by0 = boxes[i + 1];
      const bx1 = boxes[i + 2];
      const by1 = boxes[i + 3];
      const yMiss = maxY < by0 || minY > by1;
      if (!yMiss && !(maxX < bx0 || minX > bx1)) return -1;
      if (!yMiss && minX2 === minX2 && !(maxX2 < bx0 || minX2 > bx1)) return -1;
      // Time until the unit could reach the box in both longitude and latitude.
      const gx = lonGap(lon1, bx0, bx1);
      const gy = lat1 < by0 ? by0 - lat1 : lat1 > by1 ? lat1 - by1 : 0;
      const tx = reachTime(gx, mb.vLon, mb.nLon);
      const ty = reachTime(gy, mb.vLat, mb.nLat);
      const tb = Math.max(tx, ty);
      if (tb < clear) clear = tb;
    }
    return clear;
  }

  /**
   * After climbing a pair at tick k: the first tick at which one of the next rung's conditions
   * could hold (see `condition`), with the state it assumed. Conditions on time wait for their
   * time; conditions on distance wait until the unit could have moved far enough.
   */
  private planClimb(u: number, p: PairState, k: number, t: number): void {
    p.cVer = p.ver;
    p.cEpoch = this.view.epoch[u];
    p.climbAt = k + 1;
    const next = this.scenario.ladder[p.pos + 1];
    if (!next) {
      p.climbAt = Infinity;
      return;
    }
    const mb = this.motionOf(u);
    if (!mb.usable) return;
    const gate = this.firstTickAt(Math.max(p.holdUntil, p.rung !== null ? p.rungT + next.wait : -Infinity), k + 1);
    const doc = this.scenario.doctrine;
    const inside = p.area === INSIDE;
    let best = Infinity;
    for (const c of next.when) {
      let j: number;
      switch (c.name) {
        case 'approach':
          j = p.area >= BAND ? gate : Infinity;
          break;
        case 'enter':
          j = inside ? gate : Infinity;
          break;
        case 'inside':
          j = inside ? Math.max(gate, this.firstTickAt(p.rungT + (c.for ?? 0), k + 1), this.deepTick(u, p, mb, k, t)) : Infinity;
          break;
        case 'closing':
          j = inside ? Math.max(gate, this.refTick(u, p, mb, k, t, p.refAtRung - doc.intentDistance, true)) : Infinity;
          break;
        case 'not_withdrawing':
          j = inside ? Math.max(gate, this.deepTick(u, p, mb, k, t), this.refTick(u, p, mb, k, t, p.refAtRung + doc.withdrawDistance, false)) : Infinity;
          break;
        case 'threat':
          j = inside && this.threat[u] >= doc.threatThreshold ? Math.max(gate, this.deepTick(u, p, mb, k, t), this.refTick(u, p, mb, k, t, p.refAtRung + doc.withdrawDistance, false)) : Infinity;
          break;
        default:
          j = k + 1;
      }
      if (j < best) best = j;
      if (best <= k + 1) break;
    }
    p.climbAt = best;
  }

  /**
   * After dwell ran for unit u at tick k: the first tick at which it could do anything but look
   * (see `dwell`). Without a pair in or near a zone, or struck, it only forgets where the unit
   * stopped, until something changes (which touches the unit). Otherwise it re-anchors once the
   * unit is farther than the dwell radius from where it stopped, and fires once the dwell time has
   * passed: neither can happen before the unit could move the rest of the radius, or the time comes.
   */
  private planDwell(u: number, k: number, t: number): void {
    const st = this.units[u];
    const at = this.view.dwellAt;
    let near = false;
    for (const p of st.pairs) if (p.area >= BAND) near = true;
    if (!near || st.struck) {
      at[u] = Infinity;
      return;
    }
    const mb = this.motionOf(u);
    const doc = this.scenario.doctrine;
    let next = st.dwellFired ? Infinity : this.firstTickAt(st.dwellT + doc.dwellTime, k + 1);
    if (mb.usable) {
      const r = sphereDistanceLL(st.dwellLon, st.dwellLat, this.cur[u * 2], this.cur[u * 2 + 1]);
      const T = mb.maxTime(doc.dwellRadius - r, CHANGE_SPHERE);
      next = Math.min(next, T < 0 ? k + 1 : this.lastTickBy(t + T, k) + 1);
    } else next = k + 1;
    at[u] = next;
  }

  /** The first tick, not before `min`, whose time is at or after tm. */
  private firstTickAt(tm: number, min: number): number {
    if (tm === -Infinity) return min;
    if (tm > this.scenario.end) return Infinity;
    const j = Math.ceil((tm - this.scenario.start) / this.scenario.tick);
    return j > min ? j : min;
  }

  /** How long (ms) the pair's edge distance, as `d` gives it (now at d), surely changes by less than gap. */
  private edgeTime(z: number, mb: MotionBound, gap: number, d: number): number {
    const shape = this.scenario.zones[z].shape;
    // A circle's `d` is the spherical estimate (within 1 %) or the exact distance.
    if (shape.kind === 'circle') return mb.maxTime(gap, CHANGE_ESTIMATE, (shape as CircleZone).radius, Math.abs(d));
    return mb.maxTime(gap, CHANGE_PLANE, Math.abs(d));
  }

  /** First tick at which the pair could be deep inside (d ≤ -edgeMargin). */
  private deepTick(u: number, p: PairState, mb: MotionBound, k: number, t: number): number {
    const d = p.d;
    const x = -this.scenario.doctrine.edgeMargin;
    if (d <= x) return k + 1;
    const T = this.edgeTime(p.zone, mb, d - x, d);
    return T < 0 ? k + 1 : this.lastTickBy(t + T, k) + 1;
  }

  /** First tick at which the reference distance could be ≤ x (`orEqual`) or < x. */
  private refTick(u: number, p: PairState, mb: MotionBound, k: number, t: number, x: number, orEqual: boolean): number {
    const zone = this.scenario.zones[p.zone];
    const r = this.refDistance(u, p);
    if (orEqual ? r <= x : r < x) return k + 1;
    const T = zone.protects >= 0 ? mb.maxTime(r - x, CHANGE_SPHERE) : this.edgeTime(p.zone, mb, r - x, r);
    return T < 0 ? k + 1 : this.lastTickBy(t + T, k) + 1;
  }

  private judgePair(u: number, z: number, pair: PairState | undefined, lon0: number, lat0: number, lon1: number, lat1: number, t0: number, t1: number, first: boolean): void {
    const zone = this.scenario.zones[z];
    const shape = zone.shape;
    const h = zone.hysteresis;
    const band = zone.approach;
    const d1 = shape.signedDistance(lon1, lat1);
    if (first) {
      const area = d1 <= 0 ? INSIDE : d1 <= band ? BAND : FAR;
      if (area === FAR) return;
      const p = this.addPair(u, z, d1);
      const e1 = exactEdge(shape, lon1, lat1);
      if (area >= BAND) this.transition(u, p, 'approach', t1, lon1, lat1, e1);
      if (area === INSIDE) this.transition(u, p, 'enter', t1, lon1, lat1, e1);
      if (area === INSIDE) p.lineSide = 'in';
      return;
    }
    const d0 = pair ? pair.d : undefined;
    // Every crossing of a level along the unit's true path in this tick, in order.
    const path = this.pathOf(u);
    const found = this.found;
    found.length = 0;
    pathCrossings(shape, this.levels[z], path, found);
    // Far all the way, and no pair to keep: nothing to do.
    if (!pair && found.length === 0 && d1 > band) return;
    const p = pair ?? this.addPair(u, z, d0 ?? shape.signedDistance(lon0, lat0));
    if (found.length > 1) found.sort((a, b) => a.leg - b.leg || a.s - b.s || (a.down ? b.level - a.level : a.level - b.level));
    for (const c of found) {
      const wantsEvent =
        (c.down && c.level === band && p.area === FAR) ||
        (c.down && c.level === 0 && p.area < INSIDE) ||
        (!c.down && c.level === h && p.area === INSIDE) ||
        (!c.down && c.level === band + h && p.area === BAND);
      if (!wantsEvent) continue;
      // The exact distance there (on the new side, where the side of a line jumps beyond its ends).
      const e = exactEdge(shape, c.lon, c.lat);
      if (c.down && c.level === band) this.transition(u, p, 'approach', c.t, c.lon, c.lat, e);
      else if (c.down && c.level === 0) {
        if (p.area === FAR) this.transition(u, p, 'approach', c.t, c.lon, c.lat, e);
        this.transition(u, p, 'enter', c.t, c.lon, c.lat, e);
      } else if (!c.down && c.level === h) this.transition(u, p, 'exit', c.t, c.lon, c.lat, e);
      else this.transition(u, p, 'exit_band', c.t, c.lon, c.lat, e);
    }
    // Whatever the crossings said, the state agrees with where the unit is now.
    let e1 = NaN;
    const edge1 = () => (e1 === e1 ? e1 : (e1 = exactEdge(shape, lon1, lat1)));
    if (p.area === INSIDE && d1 > h) this.transition(u, p, 'exit', t1, lon1, lat1, edge1());
    if (p.area < INSIDE && d1 <= 0) {
      if (p.area === FAR) this.transition(u, p, 'approach', t1, lon1, lat1, edge1());
      this.transition(u, p, 'enter', t1, lon1, lat1, edge1());
    }
    if (p.area === FAR && d1 <= band) this.transition(u, p, 'approach', t1, lon1, lat1, edge1());
    if (p.area === BAND && d1 > band + h) this.transition(u, p, 'exit_band', t1, lon1, lat1, edge1());

    if (shape.kind === 'line') {
      const line = shape as LineZone;
      for (let j = 0; j + 1 < path.count; j++) {
        const ta = path.t[j];
        const dt = path.t[j + 1] - ta;
        const x0 = path.lon[j];
        const y0 = path.lat[j];
        const x1 = path.lon[j + 1];
        const y1 = path.lat[j + 1];
        for (const c of line.lineCrossings(normalizeLon(x0), y0, normalizeLon(x1), y1)) {
          const into = c.toSide === line.forbiddenSign;
          // Hysteresis, as for enter and exit: after crossing back, a unit still within the
          // hysteresis of the line that wanders across it again is not reported again.
          if (into ? p.lineSide !== 'out' : p.lineSide !== 'in') continue;
          p.lineSide = into ? 'in' : 'back';
          const lon = normalizeLon(x0 + (x1 - x0) * c.s);
          const lat = y0 + (y1 - y0) * c.s;
          const t = c.s >= 1 ? path.t[j + 1] : Math.round(ta + dt * c.s);
          this.emit({
            t,
            type: 'cross',
            unit: this.scenario.units[u].id,
            zone: zone.id,
            rung: rungAt(p, t),
            reason: into ? `crossed ${zone.name} to the forbidden side` : `crossed ${zone.name} back to the permitted side`,
            at: [lon, lat],
            edge_m: line.signedDistance(lon, lat),
            site_m: this.siteDistance(zone, lon, lat),
            dir: into ? 'into' : 'out_of',
            side: c.toSide === 1 ? 'left' : 'right',
          });
        }
      }
      if (p.area !== INSIDE) p.lineSide = 'out';
      else if (p.lineSide === 'out') p.lineSide = 'in';
      else if (p.lineSide === 'back' && d1 < -h) {
        // Crossed back, then went deep on the forbidden side again without ever leaving.
        p.lineSide = 'in';
        this.emit({ t: t1, type: 'cross', unit: this.scenario.units[u].id, zone: zone.id, rung: rungAt(p, t1), reason: `back on the forbidden side of ${zone.name}, more than ${formatDistance(h)} past the line`, at: [lon1, lat1], edge_m: d1, site_m: this.siteDistance(zone, lon1, lat1), dir: 'into', side: line.forbiddenSign === 1 ? 'left' : 'right' });
      }
    }
    p.d = d1;
    if (p.area === FAR && p.pos < 0 && p.rung === null) this.dropPair(u, p);
  }

  private addPair(u: number, z: number, d: number): PairState {
    const p = new PairState(this.view, u, z, d);
    this.view.pairCount[u]++;
    this.view.touch(u);
    const pairs = this.units[u].pairs;
    // Keep pairs in zone order so that event order never depends on discovery order.
    let i = pairs.length;
    while (i > 0 && pairs[i - 1].zone > z) i--;
    pairs.splice(i, 0, p);
    return p;
  }

  private dropPair(u: number, p: PairState): void {
    const pairs = this.units[u].pairs;
    const i = pairs.indexOf(p);
    if (i >= 0) {
      pairs.splice(i, 1);
      this.view.pairCount[u]--;
      this.view.dirty[u] = 1;
    }
  }

  private siteDistance(zone: Zone, lon: number, lat: number): number | undefined {
    if (zone.protects < 0) return undefined;
    const s = this.scenario.sites[zone.protects].pos;
    return geodesicDistanceLL(s[0], s[1], lon, lat);
  }

  private transition(u: number, p: PairState, kind: 'approach' | 'enter' | 'exit' | 'exit_band', t: number, lon: number, lat: number, d: number): void {
    const zone = this.scenario.zones[p.zone];
    const unit = this.scenario.units[u];
    const base = { t, unit: unit.id, zone: zone.id, at: [lon, lat] as LonLat, edge_m: d, site_m: this.siteDistance(zone, lon, lat) };
    const isLine = zone.type === 'line';
    const rungNow = rungAt(p, t);
    if (kind === 'approach') {
      p.area = BAND;
      this.emit({ ...base, type: 'approach', rung: rungNow, reason: `within the ${formatDistance(zone.approach)} approach band of ${zone.name}${isLine ? ' (the permitted side)' : ''}` });
    } else if (kind === 'enter') {
      p.area = INSIDE;
      this.emit({ ...base, type: 'enter', rung: rungNow, reason: isLine ? `on the forbidden side of ${zone.name}` : `entered ${zone.name}` });
    } else if (kind === 'exit') {
      p.area = BAND;
      this.emit({ ...base, type: 'exit', area: 'zone', rung: rungNow, reason: `${isLine ? `back on the permitted side of ${zone.name}` : `left ${zone.name}`}, more than ${formatDistance(zone.hysteresis)} beyond the ${isLine ? 'line' : 'edge'}` });
      if (p.rung !== null && !this.units[u].struck) {
        const monitor = this.scenario.ladder.findIndex((r) => r.rung === 'monitor');
        this.standDown(u, p, t, monitor >= 0 ? monitor : -1, `${isLine ? `back on the permitted side of ${zone.name}` : `left ${zone.name}`}: stand down${monitor >= 0 ? ' to monitoring in the approach band' : ''}`, base);
      }
    } else {
      p.area = FAR;
      this.emit({ ...base, type: 'exit', area: 'band', rung: rungNow, reason: `left the approach band of ${zone.name}` });
      if (p.rung !== null && !this.units[u].struck) this.standDown(u, p, t, -1, `moved away from ${zone.name}: monitoring ends`, base);
    }
  }

  private standDown(u: number, p: PairState, t: number, toPos: number, reason: string, base: Partial<SimEvent>): void {
    const from = p.rung;
    const to = toPos >= 0 ? this.scenario.ladder[toPos].rung : null;
    if (from !== null && to !== null && rungLevel(to) >= rungLevel(from)) return;
    const d = this.ask({ t, unit: u, zone: p.zone, kind: 'stand_down', from, to, reason });
    const choice = d?.choice;
    if (choice === 'hold') return;
    if (choice !== undefined && choice !== 'stand_down') {
      this.setRung(u, p, choice, t, `${reason}; trainee chose ${RUNG_LABEL[choice]}${d?.reason ? `: ${d.reason}` : ''}`, 'trainee', base);
      return;
    }
    p.pos = toPos;
    p.prevRung = p.rung;
    p.rung = to;
    p.rungT = t;
    p.refAtRung = this.refDistance(u, p);
    this.emit({ ...base, t, type: 'stand_down', rung: to, from, reason: d?.reason ? `${reason} (trainee: ${d.reason})` : reason, by: d ? 'trainee' : 'doctrine' } as SimEvent);
  }

  // ---------------------------------------------------------------- ladder

  /**
   * Distance used to judge closing and withdrawal: to the protected site (WGS84 geodesic), else
   * the depth past the edge (exact): the numbers the events and their reasons carry.
   */
  private refDistance(u: number, p: PairState): number {
    const zone = this.scenario.zones[p.zone];
    if (zone.protects >= 0) {
      const s = this.scenario.sites[zone.protects].pos;
      return geodesicDistanceLL(s[0], s[1], this.cur[u * 2], this.cur[u * 2 + 1]);
    }
    return this.edgeNow(u, p);
  }

  /** The exact signed distance of unit u now to the edge of the pair's zone (geodesic for a circle). */
  private edgeNow(u: number, p: PairState): number {
    const shape = this.scenario.zones[p.zone].shape;
    // A polygon's or a line's distance is exact as kept; a circle's may be the spherical estimate.
    if (shape.kind !== 'circle') return p.d;
    this.ensureCur(u);
    return exactEdge(shape, this.cur[u * 2], this.cur[u * 2 + 1]);
  }

  private climb(u: number, p: PairState, t: number): void {
    const ladder = this.scenario.ladder;
    for (let guard = 0; guard < ladder.length; guard++) {
      const next = ladder[p.pos + 1];
      if (!next || t < p.holdUntil) return;
      if (p.rung !== null && t - p.rungT < next.wait) return;
      const why = this.condition(u, p, next, t);
      if (!why) return;
      const reason = `${next.action}: ${why}`;
      const d = this.ask({ t, unit: u, zone: p.zone, kind: 'escalate', from: p.rung, to: next.rung, reason });
      if (d && d.choice === 'hold') {
        p.holdUntil = t + Math.max(next.wait, 5 * 60_000);
        return;
      }
      if (d && d.choice === 'stand_down') {
        const monitor = ladder.findIndex((r) => r.rung === 'monitor');
        this.standDown(u, p, t, p.area >= BAND && monitor >= 0 && p.rung !== 'monitor' ? monitor : -1, `trainee stood the unit down${d.reason ? `: ${d.reason}` : ''}`, this.eventBase(u, p, t));
        p.holdUntil = t + Math.max(next.wait, 5 * 60_000);
        return;
      }
      const chosen = d ? d.choice : next.rung;
      this.setRung(u, p, chosen as Rung, t, d ? `trainee chose ${RUNG_LABEL[chosen as Rung]}${d.reason ? `: ${d.reason}` : ''} (doctrine: ${reason})` : reason, d ? 'trainee' : 'doctrine', this.eventBase(u, p, t));
      if (this.units[u].struck) return;
    }
  }

  private eventBase(u: number, p: PairState, t: number): Partial<SimEvent> {
    const zone = this.scenario.zones[p.zone];
    const lon = this.cur[u * 2];
    const lat = this.cur[u * 2 + 1];
    return { t, unit: this.scenario.units[u].id, zone: zone.id, at: [lon, lat], edge_m: this.edgeNow(u, p), site_m: this.siteDistance(zone, lon, lat) };
  }

  private setRung(u: number, p: PairState, rung: Rung, t: number, reason: string, by: 'doctrine' | 'trainee', base: Partial<SimEvent>, action?: string): void {
    const from = p.rung;
    const ladder = this.scenario.ladder;
    let pos = ladder.findIndex((r) => r.rung === rung);
    if (pos < 0) pos = ladder.reduce((acc, r, i) => (rungLevel(r.rung) <= rungLevel(rung) ? i : acc), -1);
    p.pos = pos;
    p.prevRung = p.rung;
    p.rung = rung;
    p.rungT = t;
    p.refAtRung = this.refDistance(u, p);
    const spec = ladder.find((r) => r.rung === rung);
    this.emit({
      ...base,
      t,
      type: 'escalate',
      rung,
      from,
      reason,
      action: action ?? spec?.action ?? RUNG_LABEL[rung],
      by,
      ...(rung === 'strike' ? { threat: this.threat[u] } : {}),
    } as SimEvent);
    if (rung === 'strike') this.strike(u, t);
    else if (this.armed.length) this.react(u, rung, t);
  }

  /** A unit brought to `rung` does what the reactions armed for it say. */
  private react(u: number, rung: Rung, t: number): void {
    const injects = this.scenario.injects;
    for (const i of this.armed.slice()) {
      const inj = injects[i];
      if (inj.type === 'message' || inj.type === 'hostile_act' || inj.unit !== u || !inj.on || rungLevel(rung) < rungLevel(inj.on)) continue;
      this.armed.splice(this.armed.indexOf(i), 1);
      this.applyInject(inj, t);
    }
  }

  private strike(u: number, t: number): void {
    const st = this.units[u];
    st.struck = true;
    if (this.scenario.doctrine.haltOnStrike) st.track = haltTrack(st.track, t);
  }

  /** Why the rung's condition holds now, or '' if none of them does. */
  private condition(u: number, p: PairState, spec: RungSpec, t: number): string {
    const zone = this.scenario.zones[p.zone];
    const doc = this.scenario.doctrine;
    const since = t - p.rungT;
    const prev = p.rung ? RUNG_NOUN[p.rung] : 'detection';
    const hasSite = zone.protects >= 0;
    const siteName = hasSite ? this.scenario.sites[zone.protects].name : '';
    const edgeWord = zone.type === 'line' ? 'line' : 'edge';
    // Time alone escalates only a unit clearly inside: within `edgeMargin` of the edge, position
    // error could put it on either side, so jitter at the edge never climbs the ladder.
    // The exact distances of now, as the event carries them (worked out when needed).
    let edgeV: number | undefined;
    const edge = () => (edgeV ??= this.edgeNow(u, p));
    const deep = () => p.area === INSIDE && edge() <= -doc.edgeMargin;
    let ref: number | undefined;
    const refNow = () => (ref ??= hasSite ? this.refDistance(u, p) : edge());
    const where = () => (hasSite ? `${formatDistance(refNow())} from ${siteName}` : `${formatDistance(-edge())} past the ${edgeWord}`);
    for (const c of spec.when) {
      switch (c.name) {
        case 'approach':
          if (p.area >= BAND) return p.area === INSIDE ? `inside ${zone.name}` : zone.type === 'line' ? `${formatDistance(edge())} short of ${zone.name}, in the approach band` : `${formatDistance(edge())} outside the edge of ${zone.name}, in the approach band`;
          break;
        case 'enter':
          if (p.area === INSIDE) return zone.type === 'line' ? `on the forbidden side of ${zone.name}, ${formatDistance(Math.max(0, -edge()))} past the line` : `inside ${zone.name}, ${formatDistance(Math.max(0, -edge()))} past the edge`;
          break;
        case 'inside':
          if (deep() && (c.for === undefined || since >= c.for)) return `still inside ${formatSpan(since)} after ${prev} (${where()})`;
          break;
        case 'closing':
          if (p.area === INSIDE && refNow() <= p.refAtRung - doc.intentDistance) {
            return hasSite
              ? `closed ${formatDistance(p.refAtRung - refNow())} on ${siteName} since ${prev} (movement toward it is hostile intent)`
              : `moved ${formatDistance(p.refAtRung - refNow())} further past ${zone.name} since ${prev} (hostile intent)`;
          }
          break;
        case 'not_withdrawing':
          if (deep() && refNow() < p.refAtRung + doc.withdrawDistance) return `still inside ${formatSpan(since)} after ${prev} and not turning away (${where()})`;
          break;
        case 'threat': {
          const score = this.threat[u];
          if (score >= doc.threatThreshold && deep() && refNow() < p.refAtRung + doc.withdrawDistance) {
            return `still inside ${formatSpan(since)} after ${prev}, not withdrawing, and assessed a threat: ${describeComposition(this.scenario.units[u].composition)} (threat score ${score} ≥ ${doc.threatThreshold})`;
          }
          break;
        }
      }
    }
    return '';
  }

  private ask(p: Proposal): { choice: Choice; reason?: string } | undefined {
    if (!this.decide) return undefined;
    const d = this.decide(p);
    if (!d) return undefined;
    // A choice equal to doctrine's is doctrine's, recorded as the trainee's.
    return d;
  }

  // ---------------------------------------------------------------- injects

  /** Apply an inject at its time, or (`now`) as a reaction to a rung. */
  private applyInject(inj: Inject, now?: number): void {
    const sc = this.scenario;
    if (now === undefined && inj.type !== 'message' && inj.type !== 'hostile_act' && inj.on) {
      // A reaction: armed from its time; it happens at once if the unit is already at the rung.
      const r = this.unitRung(inj.unit).rung;
      if (r !== null && rungLevel(r) >= rungLevel(inj.on) && !this.units[inj.unit].struck) now = inj.t;
      else {
        this.armed.push(sc.injects.indexOf(inj));
        return;
      }
    }
    const t = now ?? inj.t;
    const base = { t, inject: inj.index, kind: inj.type, ...(inj.text ? { text: inj.text } : {}) };
    if (inj.type === 'message') {
      this.emit({ ...base, type: 'inject', reason: `exercise message${inj.text ? `: ${inj.text}` : ''}` });
      return;
    }
    const u = inj.unit;
    const unit = sc.units[u];
    const st = this.units[u];
    const here = [0, 0];
    positionAt(st.track, t, here);
    const at: LonLat = [here[0], here[1]];
    const after = inj.type !== 'hostile_act' && inj.on ? ` after the ${RUNG_LABEL[inj.on]}` : '';
    if (inj.type === 'halt') {
      st.track = haltTrack(st.track, t);
      st.hint = 0;
      this.emit({ ...base, type: 'inject', unit: unit.id, at, reason: `${unit.name} halts${after}${inj.text ? `: ${inj.text}` : ''}` });
      return;
    }
    if (inj.type === 'withdraw' || inj.type === 'turn') {
      const to: LonLat = inj.to ?? [unit.track.lon[0], unit.track.lat[0]];
      const speed = inj.speed ?? averageSpeed(unit.track) ?? 30 / 3.6;
      st.track = divertTrack(st.track, t, to, speed, geodesicDistance);
      st.hint = 0;
      const verb = inj.type === 'turn' ? `turns toward ${Math.abs(to[1]).toFixed(4)}° ${to[1] < 0 ? 'S' : 'N'} ${Math.abs(to[0]).toFixed(4)}° ${to[0] < 0 ? 'W' : 'E'}` : 'withdraws';
      this.emit({ ...base, type: 'inject', unit: unit.id, at, reason: `${unit.name} ${verb}${after}${inj.text ? `: ${inj.text}` : ''}` });
      return;
    }
    // A hostile act skips the ladder: a self-defence strike at once.
    const site = sc.sites[inj.target];
    const siteM = geodesicDistance(at, site.pos);
    this.emit({ ...base, type: 'hostile_act', unit: unit.id, site: site.id, at, site_m: siteM, reason: `${unit.name} fired on ${site.name}${inj.text ? `: ${inj.text}` : ''}` });
    if (st.struck) return;
    let z = sc.zones.findIndex((zz, i) => zz.protects === inj.target && this.applies[u][i]);
    if (z < 0) z = sc.zones.findIndex((_, i) => this.applies[u][i]);
    if (z < 0) z = sc.zones.findIndex((zz) => zz.protects === inj.target);
    if (z < 0) return;
    let p = st.pairs.find((pp) => pp.zone === z);
    if (!p) {
      p = this.addPair(u, z, sc.zones[z].shape.signedDistance(at[0], at[1]));
      p.area = p.d <= 0 ? INSIDE : p.d <= sc.zones[z].approach ? BAND : FAR;
    }
    const from = p.rung;
    const reason = `self-defence strike: ${unit.name} fired on ${site.name} (a hostile act); the ladder is skipped${from ? ` from ${RUNG_LABEL[from]}` : ''}`;
    const d = this.ask({ t: inj.t, unit: u, zone: z, kind: 'self_defence', from, to: 'strike', reason });
    // The distances where the act took place, at its time.
    const evBase = { t: inj.t, unit: unit.id, zone: sc.zones[z].id, site: site.id, at, edge_m: exactEdge(sc.zones[z].shape, at[0], at[1]), site_m: siteM };
    if (d && d.choice !== 'strike') {
      if (d.choice === 'hold' || d.choice === 'stand_down') {
        this.emit({ ...evBase, type: 'escalate', rung: from, from, reason: `trainee held at ${from ? RUNG_LABEL[from] : 'no rung'} after a hostile act${d.reason ? `: ${d.reason}` : ''} (doctrine: ${reason})`, by: 'trainee' } as SimEvent);
        return;
      }
      this.setRung(u, p, d.choice, inj.t, `trainee chose ${RUNG_LABEL[d.choice]} after a hostile act${d.reason ? `: ${d.reason}` : ''} (doctrine: ${reason})`, 'trainee', evBase);
      return;
    }
    this.setRung(u, p, 'strike', inj.t, reason, d ? 'trainee' : 'doctrine', evBase, 'self-defence strike');
  }

  // ---------------------------------------------------------------- dwell and massing

  private dwell(u: number, t: number): void {
    const unit = this.scenario.units[u];
    if (!(unit.composition.engineering ?? 0)) return;
    const st = this.units[u];
    const near = st.pairs.find((p) => p.area >= BAND);
    const lon = this.cur[u * 2];
    const lat = this.cur[u * 2 + 1];
    if (!near || st.struck) {
      st.dwellLon = NaN;
      return;
    }
    const doc = this.scenario.doctrine;
    if (Number.isNaN(st.dwellLon) || sphereDistanceLL(st.dwellLon, st.dwellLat, lon, lat) > doc.dwellRadius) {
      st.dwellLon = lon;
      st.dwellLat = lat;
      st.dwellT = t;
      st.dwellFired = false;
      return;
    }
    if (!st.dwellFired && t - st.dwellT >= doc.dwellTime) {
      st.dwellFired = true;
      const zone = this.scenario.zones[near.zone];
      const edge = this.edgeNow(u, near);
      this.emit({
        t,
        type: 'dwell',
        unit: unit.id,
        zone: zone.id,
        rung: near.rung,
        at: [lon, lat],
        edge_m: edge,
        site_m: this.siteDistance(zone, lon, lat),
        reason: `${unit.name} (${describeComposition(unit.composition)}) has stayed within ${formatDistance(doc.dwellRadius)} for ${formatSpan(t - st.dwellT)}, ${formatDistance(Math.abs(edge))} ${edge <= 0 ? 'inside' : 'outside'} the edge of ${zone.name}: possibly building a position`,
      });
    }
  }

  private massingCheck(t: number): void {
    this.key = KEY_MASSING;
    const units = this.units;
    // Counts are kept up to date as pairs change area and units are struck (PositionView.countBand);
    // the units of a zone's band, in unit order, are only needed when massing is reported.
    const members = (z: number) => {
      const out: number[] = [];
      for (let u = 0; u < units.length; u++) if (!units[u].struck && units[u].pairs.some((p) => p.zone === z && p.area === BAND)) out.push(u);
      return out;
    };
    massingCheck(this.scenario, this.massing, this.view.band, this.view.people, members, t, (e) => this.emit(e));
  }

  private emit(e: Omit<SimEvent, 'seq'>): void {
    const ev = { seq: 0, ...e } as SimEvent;
    this.tickEvents.push(ev);
    if (this.split?.keyed) this.keys.set(ev, this.key);
  }

  /** Split runs: the unit's index in the whole scenario (its noise depends on it). */
  private wholeIndex(u: number): number {
    return this.split ? this.split.unitIndex[u] : u;
  }

  /**
   * Split runs (`split.keyed`): where an event of the last tick stands in the order of the tick's
   * work — KEY_INJECT + the inject's place in scenario.injects, KEY_JUDGE or KEY_CLIMB + the unit,
   * KEY_MASSING. Within a tick the engine works in that order (injects, then judging unit by unit,
   * then the ladders unit by unit, then massing), and sorts the tick's events by time, stably.
   */
  eventKey(e: SimEvent): number {
    const k = this.keys.get(e);
    if (k === undefined) throw new Error('eventKey: not an event of the last tick of a keyed engine');
    return k;
  }
}

/** The rung a pair was at at time t (a rung set later in the same tick does not count). */
function rungAt(p: PairState, t: number): Rung | null {
  return p.rungT > t ? p.prevRung : p.rung;
}


function averageSpeed(track: Track): number | undefined {
  const n = track.t.length;
  if (n < 2) return undefined;
  let d = 0;
  for (let i = 1; i < n; i++) d += geodesicDistance([track.lon[i - 1], track.lat[i - 1]], [track.lon[i], track.lat[i]]);
  const dt = (track.t[n - 1] - track.t[0]) / 1000;
  return d > 0 && dt > 0 ? d / dt : undefined;
}

/** Run a whole scenario (or up to `until`) and return its events. */
export function simulate(scenario: Scenario, opts: EngineOptions & { until?: number } = {}): SimEvent[] {
  const engine = new Engine(scenario, opts);
  return opts.until !== undefined ? engine.runUntil(opts.until) : engine.runToEnd();
}

/** Degrees of longitude from x to the interval [a, b] (0 inside), the short way round. */
function lonGap(x: number, a: number, b: number): number {
  if (x >= a && x <= b) return 0;
  const da = (((a - x) % 360) + 360) % 360;
  const db = (((x - b) % 360) + 360) % 360;
  return Math.min(da, db);
}

/** Time (ms) before a unit moving at `v` degrees per ms (plus `noise` degrees) can cover `gap` degrees. */
function reachTime(gap: number, v: number, noise: number): number {
  const g = gap * (1 - 1e-9) - 1e-12 - noise;
  if (g <= 0) return 0;
  if (v === 0) return Infinity;
  return (g / v) * 0.999;
}
