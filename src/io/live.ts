/**
 * Live input: positions arrive from outside (NDJSON lines, CoT events) instead of from the
 * scenario's tracks; zones, sites and ladder still come from the scenario, and the same engine
 * runs the same ladder. `LiveRun` holds no I/O of its own: feed it lines and CoT, advance it in
 * time, read its events (the terminal UI can drive one the same way). src/cli/commands/live.ts wires it
 * to standard input, a UDP port and the clock.
 *
 * Time. With the `feed` clock the fixes' own times drive the run: before a fix at time t is
 * applied, every tick before t runs with the positions known so far (so a recorded feed replays
 * the same way every time). With the `wall` clock ticks follow the computer's clock and a fix
 * counts from the next tick. The run's window is the scenario's own when the first fix (feed) or
 * the start (wall) falls inside it, else a window of the same length starting then.
 *
 * Nothing received is lost: every accepted fix is judged, and when the input ends the run goes
 * on to the tick that judges the last fix. A malformed line is reported through `warn` with its
 * line number and skipped.
 *
 * Bounds. Work and memory do not grow with what a feed claims, only with what it brings:
 * - a fix far ahead of the run's clock (a ten-year window, `--tick 1s`) is not caught up in one
 *   go: up to `SYNC_TICKS` ticks run at once, beyond that the fix waits in a queue (later input
 *   behind it, in order) and `pump` runs the ticks a slice of time at a time, so the program
 *   stays responsive and a signal can stop the run (`abandon` then says how many fixes were
 *   never judged);
 * - the fixes kept per unit (for export and closing speeds) are at most `keepPerUnit`; beyond
 *   that the older half is thinned (every second fix dropped), so the newest stay dense and the
 *   whole run stays drawn, in bounded memory (`stats.thinned` counts the fixes dropped);
 * - a CoT datagram gives at most `MAX_COT_EVENTS` events, and at most one warning.
 */
import { didYouMean } from '../core/errors.js';
import { Engine, type TickBatch } from '../core/engine.js';
import type { SimEvent } from '../core/events.js';
import type { Scenario, Track } from '../core/model.js';
import { parsePosition } from '../core/position.js';
import { makeTrack } from '../core/track.js';
import { terminalLine } from '../core/text/safe.js';
import { formatTime } from '../core/units.js';
import { parseCotEvent, splitCotStream } from './cot-read.js';
import type { Fix } from './geodata.js';
import { parseFixTime } from './source.js';

export type LiveClock = 'feed' | 'wall';

export interface LiveOptions {
  clock: LiveClock;
  /** Tick length, ms (default: the scenario's). */
  tick?: number;
  /** Engine seed. */
  seed?: number;
  /** Called with every tick's batch that has events. */
  onEvents?: (b: TickBatch) => void;
  /** Called after every tick, with or without events (a display redraws; the terminal UI records positions). */
  onTick?: (b: TickBatch) => void;
  /** Called with every accepted fix (after it is set on the engine). */
  onFix?: (u: number, fix: Fix, source: string) => void;
  /** A problem with some input, already worded (e.g. `stdin:3: ...`). */
  warn: (message: string) => void;
  /** The wall clock (default Date.now). */
  now?: () => number;
  /** Most fixes kept per unit (default: 200,000 over all units, at least 64 each). */
  keepPerUnit?: number;
}

export interface LiveStats {
  lines: number;
  fixes: number;
  skipped: number;
  late: number;
  cotEvents: number;
  /** Fixes dropped from what is kept for export (bounded memory); all of them were judged. */
  thinned: number;
  /** Fixes received but never judged: the run was stopped while catching up to them. */
  unjudged: number;
}

const UNIT_KEYS = ['unit', 'id', 'uid', 'callsign'] as const;

/** Ticks a fix may need run before it, at once; more are run by `pump` a slice at a time. */
export const SYNC_TICKS = 1000;
/** The time `pump` runs ticks for before letting the program go on, ms. */
export const PUMP_SLICE_MS = 20;
/** Fixes kept over all units (for export and closing speeds): about 30 MB, with the export built from them about 200 MB. */
export const MAX_KEPT_FIXES = 200_000;
/** The fewest kept per unit, however many units. */
const MIN_KEPT_PER_UNIT = 64;
/** Fixes that may wait for the clock at once (CoT over UDP cannot be held back); more are dropped. */
export const MAX_WAITING = 100_000;
/** Events taken from one CoT datagram (one is usual). */
export const MAX_COT_EVENTS = 64;
/** Longest warning, in characters (a position or time quoted whole could be megabytes). */
const MAX_WARNING = 500;
/** Longest text quoted from input in a warning. */
const QUOTE = 60;

/** Text from input quoted in a warning: one line, cut when long. */
function quote(s: string): string {
  const t = s.length > QUOTE ? `${s.slice(0, QUOTE)}… (${s.length} characters)` : s;
  return terminalLine(t);
}

interface PendingFix {
  u: number;
  lon: number;
  lat: number;
  t: number;
  where: string;
  coalesce: boolean;
}

export class LiveRun {
  readonly scenario: Scenario;
  engine?: Engine;
  readonly stats: LiveStats = { lines: 0, fixes: 0, skipped: 0, late: 0, cotEvents: 0, thinned: 0, unjudged: 0 };
  /** The fixes accepted, per unit, in arrival order (the older thinned beyond `keepPerUnit`). */
  readonly received: Fix[][];
  /** Most fixes kept per unit. */
  readonly keepPerUnit: number;
  /** Fixes waiting for the run's clock to reach them (feed clock), in arrival order. */
  private readonly queue: PendingFix[] = [];
  private queueHead = 0;
  /** Fixes were dropped because too many waited (warned once until the queue empties). */
  private overflowed = false;
  /** A warning as one line, whatever the input it quotes holds (src/core/text/safe.ts), and not too long to read. */
  private readonly warn = (m: string): void => {
    const line = terminalLine(m);
    // Not between the two halves of a surrogate pair.
    const cut = MAX_WARNING - (/[\ud800-\udbff]/.test(line.charAt(MAX_WARNING - 1)) ? 1 : 0);
    this.opts.warn(line.length > MAX_WARNING ? `${line.slice(0, cut)}… (cut)` : line);
  };
  private readonly byName = new Map<string, number>();
  /** The tick during which each unit's latest fix was received. */
  private readonly fixTick: number[] = [];
  private readonly unknownCot = new Set<string>();
  /** Time of the latest fix (feed clock). */
  private lastFixT = -Infinity;
  /** A fix has been set since the last tick. */
  private dirty = false;

  constructor(
    scenario: Scenario,
    private readonly opts: LiveOptions,
  ) {
    this.scenario = scenario;
    this.received = scenario.units.map(() => []);
    this.keepPerUnit = opts.keepPerUnit ?? Math.max(MIN_KEPT_PER_UNIT, Math.floor(MAX_KEPT_FIXES / Math.max(1, scenario.units.length)));
    scenario.units.forEach((u, i) => {
      this.byName.set(u.id, i);
      this.byName.set(u.id.toLowerCase(), i);
      this.byName.set(u.name.toLowerCase(), i);
    });
  }

  /** Start the run at time t (the wall clock's now, or the first fix's time). */
  start(t: number): Engine {
    if (this.engine) return this.engine;
    const sc = this.scenario;
    const tick = this.opts.tick ?? sc.tick;
    const span = sc.end - sc.start;
    const inside = t >= sc.start && t <= sc.end;
    const start = inside ? sc.start : Math.floor(t / tick) * tick;
    const shift = start - sc.start;
    const live: Scenario = {
      ...sc,
      start,
      end: start + span,
      tick,
      // Exercise messages come at the same point of the run; halts, withdrawals and hostile acts
      // move scenario tracks, which a live run does not follow.
      injects: sc.injects.filter((i) => i.type === 'message').map((i) => ({ ...i, t: i.t + shift })),
      expectations: [],
    };
    const engine = new Engine(live, { seed: this.opts.seed });
    // Every unit waits for its first fix: the scenario's tracks are not followed.
    for (let u = 0; u < sc.units.length; u++) engine.setPosition(u, NaN, NaN);
    this.engine = engine;
    return engine;
  }

  /** The unit a name, id or callsign stands for. */
  unitIndex(key: string): number | undefined {
    return this.byName.get(key) ?? this.byName.get(key.toLowerCase());
  }

  /** One NDJSON line: {"unit": ID, "lat": .., "lon": .., "t": ISO} (or "pos": [lon, lat] / {lat, lon} / MGRS). */
  line(text: string, lineNo: number, source = 'stdin'): boolean {
    const s = text.trim();
    if (!s) return false;
    this.stats.lines++;
    const where = `${source}:${lineNo}`;
    const skip = (msg: string): false => {
      this.stats.skipped++;
      this.warn(`${where}: ${msg}; line skipped`);
      return false;
    };
    let o: unknown;
    try {
      o = JSON.parse(s);
    } catch (e) {
      return skip(`malformed JSON (${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')})`);
    }
    if (!o || typeof o !== 'object' || Array.isArray(o))
      return skip('expected an object like {"unit": "convoy", "lat": 33.9, "lon": 38.2, "t": "2017-05-18T06:00:00Z"}');
    const rec = o as Record<string, unknown>;
    const key = UNIT_KEYS.map((k) => rec[k]).find((v) => typeof v === 'string' || typeof v === 'number');
    if (key === undefined) return skip('no "unit" field');
    const u = this.unitIndex(String(key));
    if (u === undefined) {
      const guess = didYouMean(
        String(key),
        this.scenario.units.map((x) => x.id),
      );
      return skip(
        `unknown unit '${quote(String(key))}' (${
          guess
            ? `did you mean '${guess}'?`
            : `the scenario's units: ${
                this.scenario.units.length > 20
                  ? `${this.scenario.units
                      .slice(0, 20)
                      .map((x) => x.id)
                      .join(', ')} …`
                  : this.scenario.units.map((x) => x.id).join(', ')
              }`
        })`,
      );
    }
    const posValue = rec.pos ?? (rec.lat !== undefined || rec.lon !== undefined ? { lat: rec.lat, lon: rec.lon } : undefined);
    if (posValue === undefined) return skip('no position ("lat" and "lon", or "pos")');
    const p = parsePosition(posValue);
    if (!p.ok) return skip(p.problem.message);
    let t: number | undefined;
    const tv = rec.t ?? rec.time;
    if (tv !== undefined) {
      t = parseFixTime(tv);
      if (t === undefined) return skip(`"t": ${quote(JSON.stringify(tv) ?? 'undefined')} is not a time (ISO 8601, e.g. 2017-05-18T06:00:00Z)`);
    } else if (this.opts.clock === 'feed') return skip('no "t": with --clock feed every line needs its time');
    this.fix(u, p.value[0], p.value[1], t, where);
    return true;
  }

  /** An input line longer than `maxBytes` was skipped unread (src/io/lines.ts). */
  lineTooLong(lineNo: number, maxBytes: number, source = 'stdin'): void {
    this.stats.lines++;
    this.stats.skipped++;
    const size = maxBytes % (1024 * 1024) === 0 ? `${maxBytes / (1024 * 1024)} MiB` : `${Math.round(maxBytes / 1024)} KiB`;
    this.warn(`${terminalLine(source)}:${lineNo}: the line is longer than ${size} (no line break where one was due); line skipped`);
  }

  /** A UDP datagram (or text) of CoT events. Alerts (b-*) are ignored; units are matched by uid or callsign. */
  cot(text: string, source = 'udp'): number {
    let n = 0;
    const all = splitCotStream(text);
    if (!all.length) {
      this.stats.skipped++;
      this.warn(`${source}: not a CoT event; datagram skipped`);
      return 0;
    }
    const docs = all.length > MAX_COT_EVENTS ? all.slice(0, MAX_COT_EVENTS) : all;
    if (all.length > docs.length) {
      this.stats.skipped += all.length - docs.length;
      this.warn(`${source}: ${all.length} CoT events in one datagram; the first ${MAX_COT_EVENTS} taken, ${all.length - docs.length} skipped`);
    }
    // One warning per datagram for its bad events, however many there are.
    let bad = 0;
    let firstBad = '';
    for (const xml of docs) {
      this.stats.cotEvents++;
      let ev;
      try {
        ev = parseCotEvent(xml, source);
      } catch (e) {
        this.stats.skipped++;
        if (!bad++) firstBad = (e as Error).message;
        continue;
      }
      if (!ev.type.startsWith('a-')) continue;
      const u =
        (ev.unit !== undefined ? this.unitIndex(ev.unit) : undefined) ??
        this.unitIndex(ev.uid) ??
        (ev.callsign !== undefined ? this.unitIndex(ev.callsign) : undefined) ??
        this.unitIndex(ev.uid.replace(/^.*\.unit\./, ''));
      if (u === undefined) {
        if (!this.unknownCot.has(ev.uid)) {
          this.unknownCot.add(ev.uid);
          this.warn(
            `${source}: CoT uid '${quote(ev.uid)}'${ev.callsign ? ` (callsign '${quote(ev.callsign)}')` : ''} is no unit of the scenario; its events are ignored`,
          );
        }
        continue;
      }
      this.fix(u, ev.lon, ev.lat, this.opts.clock === 'feed' ? ev.t : undefined, source);
      n++;
    }
    if (bad)
      this.warn(
        `${terminalLine(firstBad.length > 300 ? `${firstBad.slice(0, 300)}…` : firstBad)}; event skipped${bad > 1 ? ` (and ${bad - 1} more bad event${bad === 2 ? '' : 's'} in the datagram)` : ''}`,
      );
    return n;
  }

  /** A problem with some input, worded and counted by that input (DIS). */
  warnInput(message: string): void {
    this.opts.warn(message);
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  /**
   * A fix from another input (DIS): unit `u` at (lon, lat), at time `t` (feed clock) or now.
   * `coalesce`: of several fixes of a unit within one tick only the latest is kept as received
   * (a simulation reports an entity several times a second; only the latest counts anyway).
   */
  external(u: number, lon: number, lat: number, t: number | undefined, where: string, coalesce = false): void {
    this.fix(u, lon, lat, t, where, coalesce);
  }

  private fix(u: number, lon: number, lat: number, t: number | undefined, where: string, coalesce = false): void {
    const engine = this.engine ?? this.start(t ?? this.now());
    // Behind a fix still waiting, or far ahead of the clock: wait (in order) for `pump`.
    if (this.opts.clock === 'feed' && t !== undefined && (this.busy || (!engine.done && this.ticksBefore(t) > SYNC_TICKS))) {
      if (this.waiting >= MAX_WAITING) {
        this.stats.skipped++;
        if (!this.overflowed) this.warn(`${where}: ${MAX_WAITING} fixes already wait for the run's clock to reach them; fixes dropped until it has`);
        this.overflowed = true;
        return;
      }
      this.queue.push({ u, lon, lat, t, where, coalesce });
      return;
    }
    this.overflowed = false;
    this.apply(u, lon, lat, t, where, coalesce);
  }

  /** How many ticks run before a fix at time t can be applied (feed clock). */
  private ticksBefore(t: number): number {
    const engine = this.engine!;
    const next = engine.tickTime(engine.tickIndex + 1);
    // No more than the window has left.
    return t <= next ? 0 : Math.min(engine.tickCount - 1 - engine.tickIndex, Math.ceil((t - next) / engine.scenario.tick));
  }

  /** Fixes wait for the run's clock to reach them (run `pump` until this is false). */
  get busy(): boolean {
    return this.queueHead < this.queue.length;
  }

  /** Fixes waiting for the run's clock. */
  get waiting(): number {
    return this.queue.length - this.queueHead;
  }

  /**
   * Run the ticks the waiting fixes need, and apply them, for about `sliceMs` (at least one
   * tick); returns whether fixes still wait. With `sliceMs` Infinity, until none waits.
   */
  pump(sliceMs = PUMP_SLICE_MS): boolean {
    const engine = this.engine;
    if (!engine) return false;
    const until = sliceMs === Infinity ? Infinity : Date.now() + sliceMs;
    let n = 0;
    while (this.busy) {
      const f = this.queue[this.queueHead];
      if (!engine.done && engine.tickTime(engine.tickIndex + 1) < f.t) {
        this.step();
        // The clock is read every 64 ticks only.
        if ((++n & 63) === 0 && Date.now() >= until) break;
        continue;
      }
      this.queueHead++;
      this.apply(f.u, f.lon, f.lat, f.t, f.where, f.coalesce);
    }
    if (!this.busy && this.queueHead) {
      this.queue.length = 0;
      this.queueHead = 0;
    }
    return this.busy;
  }

  /** The run is stopped while fixes still wait: they are never judged (counted in `stats.unjudged`). */
  abandon(): number {
    const n = this.waiting;
    this.stats.unjudged += n;
    this.queue.length = 0;
    this.queueHead = 0;
    return n;
  }

  private apply(u: number, lon: number, lat: number, t: number | undefined, where: string, coalesce = false): void {
    const engine = this.engine!;
    if (this.opts.clock === 'feed' && t !== undefined) {
      // Run every tick before this fix with the positions known so far.
      while (!engine.done && engine.tickTime(engine.tickIndex + 1) < t) this.step();
      if (engine.tickIndex >= 0 && t < engine.time) {
        this.stats.late++;
        this.warn(`${where}: this fix (${formatTime(t)}) is older than the run's clock (${formatTime(engine.time)}); it counts from the next tick`);
      }
    }
    if (engine.done) {
      this.stats.skipped++;
      this.warn(`${where}: the run's window ended at ${formatTime(engine.scenario.end)}; fix not used`);
      return;
    }
    engine.setPosition(u, lon, lat);
    this.dirty = true;
    const ft = t ?? this.now();
    if (t !== undefined) this.lastFixT = Math.max(this.lastFixT, t);
    const f = { t: ft, lon, lat };
    const rec = this.received[u];
    if (coalesce && rec.length && this.fixTick[u] === engine.tickIndex) rec[rec.length - 1] = f;
    else this.keep(u, f);
    this.fixTick[u] = engine.tickIndex;
    this.stats.fixes++;
    this.opts.onFix?.(u, f, where);
  }

  /** Keep a fix for export and closing speeds, in bounded memory: beyond the cap, the older half is thinned. */
  private keep(u: number, f: Fix): void {
    const list = this.received[u];
    list.push(f);
    if (list.length <= this.keepPerUnit) return;
    // Drop every second fix of the older half (the first fix stays): amortised constant time.
    const half = list.length >> 1;
    let w = 1;
    for (let r = 1; r < half; r++) if (r % 2 === 0) list[w++] = list[r];
    const dropped = half - w;
    list.copyWithin(w, half);
    list.length -= dropped;
    this.stats.thinned += dropped;
  }

  /** One tick. */
  step(): TickBatch | undefined {
    const engine = this.engine;
    if (!engine || engine.done) return undefined;
    const b = engine.step();
    this.dirty = false;
    if (b.events.length) this.opts.onEvents?.(b);
    this.opts.onTick?.(b);
    return b;
  }

  /**
   * Run every tick up to time t (the wall clock), for about `sliceMs` at most; returns whether
   * ticks up to t remain (call again soon).
   */
  advanceTo(t: number, sliceMs = Infinity): boolean {
    const engine = this.engine;
    if (!engine) return false;
    const until = sliceMs === Infinity ? Infinity : Date.now() + sliceMs;
    const due = () => !engine.done && engine.tickTime(engine.tickIndex + 1) <= t;
    let n = 0;
    while (due()) {
      this.step();
      if ((++n & 63) === 0 && Date.now() >= until) return due();
    }
    return false;
  }

  /** The input has ended: run on to the tick that judges the last fix (nothing received is lost). */
  finish(): void {
    const engine = this.engine;
    if (!engine) return;
    this.pump(Infinity);
    if (this.opts.clock === 'feed') while (!engine.done && (engine.tickIndex < 0 || engine.time < this.lastFixT)) this.step();
    // A fix set since the last tick (a late one, or any with the wall clock) gets its tick.
    if (this.dirty && !engine.done) this.step();
  }

  get done(): boolean {
    return this.engine?.done ?? false;
  }

  /** The events so far. */
  get events(): readonly SimEvent[] {
    return this.engine?.events ?? [];
  }

  /**
   * A unit's received fixes as a track, in time order (of two at the same time, the later
   * received); `last`: only the newest that many received. Empty for a unit never heard from.
   */
  receivedTrack(u: number, last = Infinity): Track {
    const fixes = this.received[u];
    // Array sort is stable: fixes at the same time stay in the order they came.
    const sorted = fixes.slice(Math.max(0, fixes.length - last)).sort((a, b) => a.t - b.t);
    const pts: { t: number; pos: [number, number] }[] = [];
    for (const f of sorted) {
      if (pts.length && f.t <= pts[pts.length - 1].t) pts[pts.length - 1] = { t: pts[pts.length - 1].t, pos: [f.lon, f.lat] };
      else pts.push({ t: f.t, pos: [f.lon, f.lat] });
    }
    return makeTrack(pts);
  }

  /** Each unit's received fixes as a track (for export). */
  receivedTracks(): Track[] {
    return this.received.map((_, u) => this.receivedTrack(u));
  }
}
