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
import { lerpLonLat, levelCrossings, LineZone } from './geo/zones.js';
import { describeComposition, RUNG_LABEL, RUNG_NOUN, threatScore } from './ladder.js';
import type { Inject, LonLat, Rung, RungSpec, Scenario, Track, Zone } from './model.js';
import { divertTrack, haltTrack, positionAt } from './track.js';
import { formatDistance, formatDuration } from './units.js';

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
  /** Ticks between checkpoints kept for seeking backwards (default 200). */
  checkpointEvery?: number;
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

interface PairState {
  zone: number;
  area: 0 | 1 | 2;
  /** Last signed distance to the edge. */
  d: number;
  /** Position on the scenario's ladder (-1: none). */
  pos: number;
  rung: Rung | null;
  /** The rung before the last change, for events stamped earlier in the same tick. */
  prevRung: Rung | null;
  rungT: number;
  /** Distance to the protected site (or the edge depth) when the last rung fired. */
  refAtRung: number;
  holdUntil: number;
  /** Lines: the crossings reported so far left the unit out, in (on the forbidden side), or back out but still within the hysteresis. */
  lineSide: 'out' | 'in' | 'back';
}

interface UnitState {
  track: Track;
  hint: number;
  struck: boolean;
  pairs: PairState[];
  dwellLon: number;
  dwellLat: number;
  dwellT: number;
  dwellFired: boolean;
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
  return { ...s, pairs: s.pairs.map((p) => ({ ...p })) };
}

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
  private units: UnitState[];
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

  constructor(scenario: Scenario, opts: EngineOptions = {}) {
    this.scenario = scenario;
    this.seed = opts.seed ?? scenario.seed;
    this.decide = opts.decide;
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
    this.index = new Flatbush(Math.max(1, boxes.length));
    for (const b of boxes) this.index.add(b[0], b[1], b[2], b[3]);
    if (!boxes.length) this.index.add(0, 0, 0, 0);
    this.index.finish();
    this.boxZone = Int32Array.from(owner);
    this.zoneStamp = new Int32Array(scenario.zones.length);
    this.applies = scenario.units.map((u) => Uint8Array.from(scenario.zones.map((z) => (z.appliesTo.includes(u.side) ? 1 : 0))));
    this.threat = Float64Array.from(scenario.units.map((u) => threatScore(u.composition, scenario.doctrine.threatWeights)));

    const n = scenario.units.length;
    this.cur = new Float64Array(n * 2);
    this.prev = new Float64Array(n * 2);
    this.units = [];
    this.massing = new Uint8Array(scenario.zones.length);
    this.reset();
  }

  /** Back to before the first tick. */
  reset(): void {
    this.units = this.scenario.units.map((u) => ({ track: u.track, hint: 0, struck: false, pairs: [], dwellLon: NaN, dwellLat: NaN, dwellT: 0, dwellFired: false }));
    this.massing.fill(0);
    this.injCursor = 0;
    this.armed = [];
    this.seq = 0;
    this.k = -1;
    this.events.length = 0;
    this.cur.fill(0);
    this.prev.fill(0);
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
    return this.cur;
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
      const l = p.rung ? RUNG_ORDER[p.rung] : -1;
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

    // Injects due by this tick.
    const injects = this.scenario.injects;
    while (this.injCursor < injects.length && injects[this.injCursor].t <= t) this.applyInject(injects[this.injCursor++]);

    // Move every unit.
    const tmp = this.prev;
    this.prev = this.cur;
    this.cur = tmp;
    const out = [0, 0];
    const units = this.scenario.units;
    for (let u = 0; u < units.length; u++) {
      if (this.extMode?.[u]) {
        // Live input: the position set from outside, else the last one known (NaN: never placed).
        const known = !Number.isNaN(this.ext![u * 2]);
        this.cur[u * 2] = known ? this.ext![u * 2] : k > 0 ? this.prev[u * 2] : NaN;
        this.cur[u * 2 + 1] = known ? this.ext![u * 2 + 1] : k > 0 ? this.prev[u * 2 + 1] : NaN;
        continue;
      }
      const st = this.units[u];
      st.hint = positionAt(st.track, t, out, st.hint);
      let lon = out[0];
      let lat = out[1];
      const amp = units[u].noise;
      if (amp > 0) {
        const m = metresPerDegree(lat);
        lon = normalizeLon(lon + (noise01(this.seed, u, k, 0) * amp) / m.x);
        lat = Math.max(-90, Math.min(90, lat + (noise01(this.seed, u, k, 1) * amp) / m.y));
      }
      this.cur[u * 2] = lon;
      this.cur[u * 2 + 1] = lat;
    }
    if (k === 0) this.prev.set(this.cur);

    // Judge every unit against the zones it may touch.
    for (let u = 0; u < units.length; u++) {
      // A unit placed from outside is judged from the tick it first has a position.
      if (this.extMode && Number.isNaN(this.cur[u * 2])) continue;
      this.judgeUnit(u, t0, t, k === 0 || (this.extMode !== undefined && Number.isNaN(this.prev[u * 2])));
    }

    // The ladder, dwell and massing.
    for (let u = 0; u < units.length; u++) {
      const st = this.units[u];
      if (!st.struck) for (const p of st.pairs) this.climb(u, p, t);
      this.dwell(u, t);
    }
    this.massingCheck(t);

    const evs = this.tickEvents;
    // Stable sort by time: crossings inside the tick come before the rungs they trigger.
    evs.sort((a, b) => a.t - b.t);
    for (const e of evs) {
      e.seq = ++this.seq;
      this.events.push(e);
    }
    if (k % this.checkpointEvery === 0 && !this.checkpoints.has(k)) this.checkpoints.set(k, this.snapshot());
    return { index: k, t, events: evs };
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
    return {
      index: this.k,
      cur: this.cur.slice(),
      prev: this.prev.slice(),
      units: this.units.map(cloneUnit),
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
    this.massing.set(s.massing);
    this.injCursor = s.injCursor;
    this.armed = s.armed.slice();
    this.seq = s.seq;
    this.events.length = s.eventCount;
  }

  /** Signed distance from a unit's current position to a zone's edge, and to its protected site. */
  distances(u: number, z: number): { edge: number; site?: number } {
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
    const applies = this.applies[u];
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
    for (const p of active) this.judgePair(u, p.zone, p, lon0, lat0, lon1, lat1, t0, t1, first);

    const visit = (minX: number, minY: number, maxX: number, maxY: number) => {
      const hits = this.index.search(minX, minY, maxX, maxY);
      for (let h = 0; h < hits.length; h++) {
        const z = this.boxZone[hits[h]];
        if (zs[z] === stamp || !applies[z]) continue;
        zs[z] = stamp;
        this.judgePair(u, z, undefined, lon0, lat0, lon1, lat1, t0, t1, first);
      }
    };
    const dl = lonDelta(lon0, lon1);
    const minY = Math.min(lat0, lat1);
    const maxY = Math.max(lat0, lat1);
    const a = lon0;
    const b = lon0 + dl;
    const minX = Math.min(a, b);
    const maxX = Math.max(a, b);
    if (minX < -180) {
      visit(-180, minY, maxX, maxY);
      visit(minX + 360, minY, 180, maxY);
    } else if (maxX > 180) {
      visit(minX, minY, 180, maxY);
      visit(-180, minY, maxX - 360, maxY);
    } else visit(minX, minY, maxX, maxY);
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
      if (area >= BAND) this.transition(u, p, 'approach', t1, lon1, lat1, d1);
      if (area === INSIDE) this.transition(u, p, 'enter', t1, lon1, lat1, d1);
      if (area === INSIDE) p.lineSide = 'in';
      return;
    }
    const d0 = pair ? pair.d : shape.signedDistance(lon0, lat0);
    if (!pair && d0 > band + h && d1 > band + h && shape.kind !== 'line') {
      // Far at both fixes. Distance to the edge changes no faster than the unit moves, so the
      // movement can only have dipped into the band if it is at least twice as long as the gap.
      const gap = Math.min(d0, d1) - band - h;
      if (sphereDistanceLL(lon0, lat0, lon1, lat1) * 1.02 < 2 * gap) return;
    }
    const p = pair ?? this.addPair(u, z, d0);
    const crossings: { s: number; level: number; down: boolean }[] = [];
    const levels = [0, h, band, band + h];
    for (const level of levels) {
      if (Math.min(d0, d1) > level + 1 && shape.kind !== 'circle') continue;
      const xs = levelCrossings(shape, lon0, lat0, lon1, lat1, level, d0, d1);
      let down = d0 > level;
      for (const s of xs) {
        crossings.push({ s, level, down });
        down = !down;
      }
    }
    crossings.sort((a, b) => a.s - b.s || (a.down ? a.level - b.level : b.level - a.level));
    const dt = t1 - t0;
    for (const c of crossings) {
      const wantsEvent =
        (c.down && c.level === band && p.area === FAR) ||
        (c.down && c.level === 0 && p.area < INSIDE) ||
        (!c.down && c.level === h && p.area === INSIDE) ||
        (!c.down && c.level === band + h && p.area === BAND);
      if (!wantsEvent) continue;
      const [lon, lat] = lerpLonLat(lon0, lat0, lon1, lat1, c.s);
      const t = t0 + Math.round(dt * c.s);
      if (c.down && c.level === band) this.transition(u, p, 'approach', t, lon, lat, c.level);
      else if (c.down && c.level === 0) {
        if (p.area === FAR) this.transition(u, p, 'approach', t, lon, lat, c.level);
        this.transition(u, p, 'enter', t, lon, lat, c.level);
      } else if (!c.down && c.level === h) this.transition(u, p, 'exit', t, lon, lat, c.level);
      else this.transition(u, p, 'exit_band', t, lon, lat, c.level);
    }
    // Whatever the crossings said, the state agrees with where the unit is now.
    if (p.area === INSIDE && d1 > h) this.transition(u, p, 'exit', t1, lon1, lat1, d1);
    if (p.area < INSIDE && d1 <= 0) {
      if (p.area === FAR) this.transition(u, p, 'approach', t1, lon1, lat1, d1);
      this.transition(u, p, 'enter', t1, lon1, lat1, d1);
    }
    if (p.area === FAR && d1 <= band) this.transition(u, p, 'approach', t1, lon1, lat1, d1);
    if (p.area === BAND && d1 > band + h) this.transition(u, p, 'exit_band', t1, lon1, lat1, d1);

    if (shape.kind === 'line' && (d0 > 0 !== d1 > 0 || Math.min(Math.abs(d0), Math.abs(d1)) < 5000)) {
      const line = shape as LineZone;
      for (const c of line.lineCrossings(lon0, lat0, lon1, lat1)) {
        const into = c.toSide === line.forbiddenSign;
        // Hysteresis, as for enter and exit: after crossing back, a unit still within the
        // hysteresis of the line that wanders across it again is not reported again.
        if (into ? p.lineSide !== 'out' : p.lineSide !== 'in') continue;
        p.lineSide = into ? 'in' : 'back';
        const [lon, lat] = lerpLonLat(lon0, lat0, lon1, lat1, c.s);
        this.emit({
          t: t0 + Math.round(dt * c.s),
          type: 'cross',
          unit: this.scenario.units[u].id,
          zone: zone.id,
          rung: rungAt(p, t0 + Math.round(dt * c.s)),
          reason: into ? `crossed ${zone.name} to the forbidden side` : `crossed ${zone.name} back to the permitted side`,
          at: [lon, lat],
          edge_m: 0,
          site_m: this.siteDistance(zone, lon, lat),
          dir: into ? 'into' : 'out_of',
          side: c.toSide === 1 ? 'left' : 'right',
        });
      }
    }
    if (shape.kind === 'line') {
      if (p.area !== INSIDE) p.lineSide = 'out';
      else if (p.lineSide === 'out') p.lineSide = 'in';
      else if (p.lineSide === 'back' && d1 < -h) {
        // Crossed back, then went deep on the forbidden side again without ever leaving.
        p.lineSide = 'in';
        this.emit({ t: t1, type: 'cross', unit: this.scenario.units[u].id, zone: zone.id, rung: rungAt(p, t1), reason: `back on the forbidden side of ${zone.name}, more than ${formatDistance(h)} past the line`, at: [lon1, lat1], edge_m: d1, site_m: this.siteDistance(zone, lon1, lat1), dir: 'into', side: (shape as LineZone).forbiddenSign === 1 ? 'left' : 'right' });
      }
    }
    p.d = d1;
    if (p.area === FAR && p.pos < 0 && p.rung === null) this.dropPair(u, p);
  }

  private addPair(u: number, z: number, d: number): PairState {
    const p: PairState = { zone: z, area: FAR, d, pos: -1, rung: null, prevRung: null, rungT: 0, refAtRung: 0, holdUntil: -Infinity, lineSide: 'out' };
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
    if (i >= 0) pairs.splice(i, 1);
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
    if (from !== null && to !== null && RUNG_ORDER[to] >= RUNG_ORDER[from]) return;
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

  /** Distance used to judge closing and withdrawal: to the protected site, else the edge. */
  private refDistance(u: number, p: PairState): number {
    const zone = this.scenario.zones[p.zone];
    const lon = this.cur[u * 2];
    const lat = this.cur[u * 2 + 1];
    if (zone.protects >= 0) {
      const s = this.scenario.sites[zone.protects].pos;
      return sphereDistanceLL(s[0], s[1], lon, lat);
    }
    return p.d;
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
    return { t, unit: this.scenario.units[u].id, zone: zone.id, at: [lon, lat], edge_m: p.d, site_m: this.siteDistance(zone, lon, lat) };
  }

  private setRung(u: number, p: PairState, rung: Rung, t: number, reason: string, by: 'doctrine' | 'trainee', base: Partial<SimEvent>, action?: string): void {
    const from = p.rung;
    const ladder = this.scenario.ladder;
    let pos = ladder.findIndex((r) => r.rung === rung);
    if (pos < 0) pos = ladder.reduce((acc, r, i) => (RUNG_ORDER[r.rung] <= RUNG_ORDER[rung] ? i : acc), -1);
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
      if (inj.type === 'message' || inj.type === 'hostile_act' || inj.unit !== u || !inj.on || RUNG_ORDER[rung] < RUNG_ORDER[inj.on]) continue;
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
    const deep = p.area === INSIDE && p.d <= -doc.edgeMargin;
    let ref: number | undefined;
    const refNow = () => (ref ??= this.refDistance(u, p));
    const where = () => (hasSite ? `${formatDistance(refNow())} from ${siteName}` : `${formatDistance(-p.d)} past the ${edgeWord}`);
    for (const c of spec.when) {
      switch (c.name) {
        case 'approach':
          if (p.area >= BAND) return p.area === INSIDE ? `inside ${zone.name}` : zone.type === 'line' ? `${formatDistance(p.d)} short of ${zone.name}, in the approach band` : `${formatDistance(p.d)} outside the edge of ${zone.name}, in the approach band`;
          break;
        case 'enter':
          if (p.area === INSIDE) return zone.type === 'line' ? `on the forbidden side of ${zone.name}, ${formatDistance(Math.max(0, -p.d))} past the line` : `inside ${zone.name}, ${formatDistance(Math.max(0, -p.d))} past the edge`;
          break;
        case 'inside':
          if (deep && (c.for === undefined || since >= c.for)) return `still inside ${formatDuration(since)} after ${prev} (${where()})`;
          break;
        case 'closing':
          if (p.area === INSIDE && refNow() <= p.refAtRung - doc.intentDistance) {
            return hasSite
              ? `closed ${formatDistance(p.refAtRung - refNow())} on ${siteName} since ${prev} (movement toward it is hostile intent)`
              : `moved ${formatDistance(p.refAtRung - refNow())} further past ${zone.name} since ${prev} (hostile intent)`;
          }
          break;
        case 'not_withdrawing':
          if (deep && refNow() < p.refAtRung + doc.withdrawDistance) return `still inside ${formatDuration(since)} after ${prev} and not turning away (${where()})`;
          break;
        case 'threat': {
          const score = this.threat[u];
          if (deep && refNow() < p.refAtRung + doc.withdrawDistance && score >= doc.threatThreshold) {
            return `still inside ${formatDuration(since)} after ${prev}, not withdrawing, and assessed a threat: ${describeComposition(this.scenario.units[u].composition)} (threat score ${score} ≥ ${doc.threatThreshold})`;
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
      if (r !== null && RUNG_ORDER[r] >= RUNG_ORDER[inj.on] && !this.units[inj.unit].struck) now = inj.t;
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
    const evBase = { t: inj.t, unit: unit.id, zone: sc.zones[z].id, site: site.id, at, edge_m: p.d, site_m: siteM };
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
      this.emit({
        t,
        type: 'dwell',
        unit: unit.id,
        zone: zone.id,
        rung: near.rung,
        at: [lon, lat],
        edge_m: near.d,
        site_m: this.siteDistance(zone, lon, lat),
        reason: `${unit.name} (${describeComposition(unit.composition)}) has stayed within ${formatDistance(doc.dwellRadius)} for ${formatDuration(t - st.dwellT)}, ${formatDistance(Math.abs(near.d))} ${near.d <= 0 ? 'inside' : 'outside'} the edge of ${zone.name}: possibly building a position`,
      });
    }
  }

  private massingCheck(t: number): void {
    const sc = this.scenario;
    const doc = sc.doctrine;
    const nz = sc.zones.length;
    const counts = new Int32Array(nz);
    const people = new Float64Array(nz);
    const members: number[][] = Array.from({ length: nz }, () => []);
    for (let u = 0; u < this.units.length; u++) {
      if (this.units[u].struck) continue;
      for (const p of this.units[u].pairs) {
        if (p.area !== BAND) continue;
        counts[p.zone]++;
        people[p.zone] += sc.units[u].composition.personnel ?? 0;
        members[p.zone].push(u);
      }
    }
    for (let z = 0; z < nz; z++) {
      const over = counts[z] >= doc.massingUnits || people[z] >= doc.massingPersonnel;
      if (over && !this.massing[z]) {
        this.massing[z] = 1;
        const zone = sc.zones[z];
        this.emit({
          t,
          type: 'massing',
          zone: zone.id,
          reason: `${counts[z]} unit${counts[z] === 1 ? '' : 's'} with ${people[z]} personnel massing in the approach band of ${zone.name} (threshold ${doc.massingUnits} units or ${doc.massingPersonnel} personnel)`,
          count: counts[z],
          personnel: people[z],
          units: members[z].map((u) => sc.units[u].id),
        });
      } else if (!over && this.massing[z] && counts[z] < Math.ceil(doc.massingUnits / 2) && people[z] < doc.massingPersonnel / 2) {
        this.massing[z] = 0;
      }
    }
  }

  private emit(e: Omit<SimEvent, 'seq'>): void {
    this.tickEvents.push({ seq: 0, ...e } as SimEvent);
  }
}

/** The rung a pair was at at time t (a rung set later in the same tick does not count). */
function rungAt(p: PairState, t: number): Rung | null {
  return p.rungT > t ? p.prevRung : p.rung;
}

const RUNG_ORDER: Record<Rung, number> = { monitor: 0, warn: 1, show_of_force: 2, warning_shots: 3, strike: 4 };

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
