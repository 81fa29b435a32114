/**
 * A run split by units: each part runs an engine on some of the units (on its own thread, see
 * src/io/threads/), and the merge puts their events back into the order one engine gives, byte
 * for byte. Pure: no threads here, only the parts and the merge.
 *
 * Why it can be split: units do not act on each other. A unit's judging, ladder, dwell, strikes
 * and injects read and write only its own state, and the engine works through a tick in a fixed
 * order — injects in scenario order, then judging unit by unit, then the ladders unit by unit,
 * then massing — before sorting the tick's events by time, stably. So an event's place in the
 * whole run is fixed by its time and its place in that order (Engine.eventKey), which a part
 * knows without the others. The one thing that is not a unit's own is massing: it counts the
 * units of every part in a zone's approach band. Parts report each change of band membership;
 * the merge keeps the counts and runs the massing check itself (src/core/massing.ts).
 *
 * Position noise depends on the unit's index in the whole scenario, which parts are given.
 * Exercise messages (injects without a unit) go to part 0.
 */
import { Engine, KEY_JUDGE, KEY_MASSING, type TickBatch } from './engine.js';
import { eventToNdjsonTail, ndjsonWithSeq, type SimEvent } from './events.js';
import { massingCheck } from './massing.js';
import type { Rung, Scenario } from './model.js';

/**
 * The units of part p of n, ascending, interleaved so that parts cost about the same: unit u goes
 * to the part furthest behind its share (`shares`, default equal; ties to the lowest part). With
 * equal shares that is every n-th unit from p.
 */
export function partUnits(unitCount: number, parts: number, p: number, shares?: readonly number[]): number[] {
  const w = shares ?? new Array<number>(parts).fill(1);
  const total = w.reduce((a, b) => a + b, 0);
  const given = new Array<number>(parts).fill(0);
  const out: number[] = [];
  for (let u = 0; u < unitCount; u++) {
    let best = 0;
    let lag = -Infinity;
    for (let q = 0; q < parts; q++) {
      const l = (w[q] / total) * (u + 1) - given[q];
      if (l > lag + 1e-9) {
        lag = l;
        best = q;
      }
    }
    given[best]++;
    if (best === p) out.push(u);
  }
  return out;
}

/** A part's scenario: the given units (ascending), their injects and (with `messages`) the exercise messages. */
export function subScenario(sc: Scenario, units: readonly number[], messages: boolean): { scenario: Scenario; injectPlace: Int32Array } {
  const local = new Map<number, number>();
  units.forEach((u, i) => local.set(u, i));
  const injects: Scenario['injects'] = [];
  const places: number[] = [];
  sc.injects.forEach((inj, i) => {
    if (inj.type === 'message') {
      if (!messages) return;
      injects.push(inj);
    } else {
      const u = local.get(inj.unit);
      if (u === undefined) return;
      injects.push({ ...inj, unit: u });
    }
    places.push(i);
  });
  return {
    scenario: { ...sc, units: units.map((u) => sc.units[u]), injects, expectations: [] },
    injectPlace: Int32Array.from(places),
  };
}

/** A part ready to run: its scenario, its units' indices in the whole one, and its injects' places in the whole one's. */
export interface Part {
  scenario: Scenario;
  units: number[];
  injectPlace: Int32Array;
}

/** Part p of `parts` of sc (see partUnits; exercise messages go to part 0). */
export function partOf(sc: Scenario, parts: number, p: number, shares?: readonly number[]): Part {
  const units = partUnits(sc.units.length, parts, p, shares);
  const sub = subScenario(sc, units, p === 0);
  return { scenario: sub.scenario, units, injectPlace: sub.injectPlace };
}

/** What a part gives for one tick. */
export interface PartTick {
  index: number;
  t: number;
  /** The tick's events, in the part's order (seq is the part's own). */
  events: SimEvent[];
  /** Per event, its place in the whole run's order of the tick's work (see Engine.eventKey). */
  keys: number[];
  /** Changes of approach-band membership: unit (in the whole scenario), zone, +1 or -1, in threes. */
  band: number[];
  /**
   * With SplitPart's `lines`: the tick's events but massing as the tails of their NDJSON lines
   * (eventToNdjsonTail: made by the part's own thread, and cheaper to send than objects), with
   * their times; `events` is then empty and `keys` goes with these.
   */
  tails?: string[];
  times?: number[];
}

/** A merged tick: as one engine gives it, or (lines mode) as its NDJSON lines only, numbered, with `events` empty. */
export type MergedBatch = TickBatch & { lines?: string[] };

/** What a part knows at the end: each of its units' rung and whether it was struck. */
export interface PartEnd {
  units: number[];
  rungs: (Rung | null)[];
  struck: boolean[];
}

/** One part of a split run: an engine on some of the units of `sc`. */
export class SplitPart {
  readonly engine: Engine;
  readonly units: number[];
  private readonly injectPlace: Int32Array;
  private band: number[] = [];
  private readonly lines: boolean;

  /**
   * Part p of `parts` of sc, or a part already made (partOf; or sent by another thread,
   * split-data.ts). `lines`: give the tick's events as NDJSON tails (PartTick.tails).
   */
  constructor(sc: Scenario | Part, parts = 1, p = 0, opts: { seed?: number; checkpointEvery?: number; shares?: readonly number[]; lines?: boolean } = {}) {
    const part = 'injectPlace' in sc ? sc : partOf(sc, parts, p, opts.shares);
    this.lines = !!opts.lines;
    this.units = part.units;
    this.injectPlace = part.injectPlace;
    const unitIndex = Int32Array.from(this.units);
    this.engine = new Engine(part.scenario, {
      seed: opts.seed ?? part.scenario.seed,
      // A split run only goes forward (a recount after seeking would not be reported to the merge).
      checkpointEvery: opts.checkpointEvery ?? Infinity,
      keepEvents: false,
      split: { unitIndex, keyed: true, onBand: (u, z, sign) => this.band.push(unitIndex[u], z, sign) },
    });
  }

  get done(): boolean {
    return this.engine.done;
  }

  /** Run one tick. */
  step(): PartTick {
    this.band = [];
    const b = this.engine.step();
    const keyOf = (e: SimEvent) => {
      const k = this.engine.eventKey(e);
      if (k < KEY_JUDGE) return this.injectPlace[k];
      if (k >= KEY_MASSING) return k;
      const phase = k >= 2 * KEY_JUDGE ? 2 * KEY_JUDGE : KEY_JUDGE;
      return phase + this.units[k - phase];
    };
    if (!this.lines) return { index: b.index, t: b.t, events: b.events, keys: b.events.map(keyOf), band: this.band };
    // The merge works out massing itself: a part's own massing events are dropped here.
    const keys: number[] = [];
    const tails: string[] = [];
    const times: number[] = [];
    for (const e of b.events) {
      if (e.type === 'massing') continue;
      keys.push(keyOf(e));
      tails.push(eventToNdjsonTail(e));
      times.push(e.t);
    }
    return { index: b.index, t: b.t, events: [], keys, band: this.band, tails, times };
  }

  end(): PartEnd {
    const e = this.engine;
    return { units: this.units, rungs: this.units.map((_, i) => e.unitRung(i).rung), struck: this.units.map((_, i) => e.isStruck(i)) };
  }
}

/**
 * Merges the ticks of the parts into the batches one engine gives: the same events in the same
 * order, numbered from 1, with massing worked out from the band changes of all parts.
 */
export class SplitMerge {
  private readonly pending: PartTick[][];
  private readonly massing: Uint8Array;
  private readonly counts: Int32Array;
  private readonly people: Float64Array;
  private readonly members: Set<number>[];
  private readonly personnel: Float64Array;
  private seq = 0;
  /** Events merged so far. */
  eventCount = 0;

  /** `lines`: merge into NDJSON lines (MergedBatch.lines), for parts that give tails or events alike. */
  constructor(
    private readonly sc: Scenario,
    parts: number,
    private readonly lines = false,
  ) {
    this.pending = Array.from({ length: parts }, () => []);
    const nz = sc.zones.length;
    this.massing = new Uint8Array(nz);
    this.counts = new Int32Array(nz);
    this.people = new Float64Array(nz);
    this.members = Array.from({ length: nz }, () => new Set<number>());
    this.personnel = Float64Array.from(sc.units, (u) => u.composition.personnel ?? 0);
  }

  /** A tick of part p (each part's ticks in order). */
  push(p: number, tick: PartTick): void {
    this.pending[p].push(tick);
  }

  /** The merged batches of every tick all parts have given, in order. */
  take(): MergedBatch[] {
    const out: MergedBatch[] = [];
    const parts = this.pending;
    let ready = Infinity;
    for (const q of parts) ready = Math.min(ready, q.length);
    for (let i = 0; i < ready; i++) out.push(this.mergeTick(parts.map((q) => q[i])));
    if (ready) for (const q of parts) q.splice(0, ready);
    return out;
  }

  private mergeTick(ticks: PartTick[]): MergedBatch {
    const { index, t } = ticks[0];
    const evs: { t: number; key: number; e?: SimEvent; tail?: string }[] = [];
    for (const pt of ticks) {
      if (pt.index !== index) throw new Error(`split run: part ticks out of step (${pt.index} and ${index})`);
      if (pt.tails) for (let i = 0; i < pt.tails.length; i++) evs.push({ t: pt.times![i], key: pt.keys[i], tail: pt.tails[i] });
      else for (let i = 0; i < pt.events.length; i++) if (pt.events[i].type !== 'massing') evs.push({ t: pt.events[i].t, key: pt.keys[i], e: pt.events[i] });
      const b = pt.band;
      for (let i = 0; i < b.length; i += 3) {
        const u = b[i];
        const z = b[i + 1];
        const sign = b[i + 2];
        this.counts[z] += sign;
        this.people[z] += sign * this.personnel[u];
        if (sign > 0) this.members[z].add(u);
        else this.members[z].delete(u);
      }
    }
    // Massing from the counts of all parts, after the tick's other work, as the engine does it.
    const members = (z: number) => [...this.members[z]].sort((a, b) => a - b);
    massingCheck(this.sc, this.massing, this.counts, this.people, members, t, (e, z) => evs.push({ t: e.t, key: KEY_MASSING + z, e: { seq: 0, ...e } }));
    // Stable: events with the same time and key are one unit's, from one part, in its order.
    evs.sort((a, b) => a.t - b.t || a.key - b.key);
    this.eventCount += evs.length;
    if (this.lines) {
      const lines = evs.map((x) => ndjsonWithSeq(++this.seq, x.tail ?? eventToNdjsonTail(x.e!)));
      return { index, t, events: [], lines };
    }
    const events = evs.map((x) => {
      if (!x.e) throw new Error('split run: a part gave NDJSON lines to a merge of events');
      x.e.seq = ++this.seq;
      return x.e;
    });
    return { index, t, events };
  }
}
