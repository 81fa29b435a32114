/**
 * The engine's state that units and pairs share, and the pair and unit records themselves.
 *
 * `Ledger` is the bookkeeping every change of state goes through: per unit a track epoch,
 * dirty flags for snapshots, the proofs' wake-up ticks and the timing wheels, and per zone the
 * units and personnel in its approach band (for massing). Every setter of `PairState` and
 * `UnitState` is a write barrier: it calls `ledger.touch(u)`, which throws away the unit's proofs
 * of quiet and puts it on the wheels at once. So `p.rung = to` reschedules the unit without
 * anything at the call site saying so; that is the point: no change can be forgotten.
 */
import type { Rung, Track } from '../../model.js';
import { BAND, FAR, type Area } from '../areas.js';
import type { Wheel } from '../wheel.js';
import type { ZoneShape } from '../../geo/zones.js';

/** Numbers per unit in the leg cache. */
export const LEG = 7;

/** Fills a unit's position of the tick in `cur` (or of the tick before, in `prev`). */
export interface PositionFill {
  ensure(u: number, prev: boolean): void;
}

/**
 * What units and pairs share with the engine: positions (`cur` holds tick `tick`, `prev` the tick
 * before), the zones' shapes, and bookkeeping kept up to date as state changes: a per-unit track
 * epoch, struck flags, pair counts, and per zone the units in the approach band (for massing).
 */
export class Ledger {
  tick = -1;
  /** Whether distances of quiet pairs are left to be measured when read (see PairState.d). */
  lazy = true;
  /** The pair judgePair is working on. */
  judging: PairState | null = null;
  /** Makes sure unit u's position in `cur` (or `prev`) is that of its tick (positions are filled as needed); set by the engine. */
  fill: PositionFill | null = null;
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

export class PairState {
  private _area: Area = FAR;
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

  get area(): Area {
    return this._area;
  }
  set area(v: Area) {
    if (v !== this._area) {
      if (this._area === BAND) this.ledger.countBand(this.u, this.zone, -1);
      if (v === BAND) this.ledger.countBand(this.u, this.zone, 1);
      this._area = v;
    }
    this.changed();
  }
  /** Position on the scenario's ladder (-1: none). */
  get pos(): number {
    return this._pos;
  }
  set pos(v: number) {
    this._pos = v;
    this.changed();
  }
  get rung(): Rung | null {
    return this._rung;
  }
  set rung(v: Rung | null) {
    this._rung = v;
    this.changed();
  }
  get rungT(): number {
    return this._rungT;
  }
  set rungT(v: number) {
    this._rungT = v;
    this.changed();
  }
  get holdUntil(): number {
    return this._holdUntil;
  }
  set holdUntil(v: number) {
    this._holdUntil = v;
    this.changed();
  }

  /** Every setter's write barrier: proofs of quiet note `ver`, and the unit is looked at again. */
  private changed(): void {
    this.ver++;
    this.ledger.touch(this.u);
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
    readonly ledger: Ledger,
    readonly u: number,
    readonly zone: number,
    d: number,
  ) {
    this._d = d;
    this._dTick = ledger.tick;
  }

  /** Last signed distance to the edge. */
  get d(): number {
    const v = this.ledger;
    if (!v.lazy) return this._d;
    const at = v.judging === this ? v.tick - 1 : v.tick;
    if (this._dTick !== at) {
      v.fill!.ensure(this.u, at !== v.tick);
      const pos = at === v.tick ? v.cur : v.prev;
      this._d = v.shapes[this.zone].signedDistance(pos[this.u * 2], pos[this.u * 2 + 1]);
      this._dTick = at;
    }
    return this._d;
  }

  set d(value: number) {
    this._d = value;
    this._dTick = this.ledger.tick;
  }

  clone(): PairState {
    const c = new PairState(this.ledger, this.u, this.zone, this._d);
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

export class UnitState {
  private _track: Track;
  hint = 0;
  private _struck = false;
  pairs: PairState[] = [];
  dwellLon = NaN;
  dwellLat = NaN;
  dwellT = 0;
  dwellFired = false;

  constructor(
    readonly ledger: Ledger,
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
    this.ledger.epoch[this.u]++;
    this.ledger.trackChanged[this.u] = 1;
    // The cached leg belonged to the old track.
    this.ledger.leg[this.u * LEG] = Infinity;
    this.ledger.touch(this.u);
  }

  get struck(): boolean {
    return this._struck;
  }
  set struck(v: boolean) {
    if (v === this._struck) return;
    // A struck unit no longer counts in any approach band.
    if (v) for (const p of this.pairs) if (p.area === BAND) this.ledger.countBand(this.u, p.zone, -1);
    this.ledger.struck[this.u] = v ? 1 : 0;
    this._struck = v;
    this.ledger.touch(this.u);
    if (!v) for (const p of this.pairs) if (p.area === BAND) this.ledger.countBand(this.u, p.zone, 1);
  }

  clone(): UnitState {
    const c = new UnitState(this.ledger, this.u, this._track);
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

/** The rung a pair was at at time t (a rung set later in the same tick does not count). */
export function rungAt(p: PairState, t: number): Rung | null {
  return p.rungT > t ? p.prevRung : p.rung;
}
