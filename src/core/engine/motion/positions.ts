/**
 * Motion: where each unit is at a tick. `cur` holds the current tick's positions and `prev` the
 * tick before's; when quiet work is skipped they are worked out only for the units looked at
 * (`curTick`/`prevTick` say which tick each entry is of), and for all when read from outside.
 * A position is the unit's track in force at the tick's time (the cached leg, else a search of
 * the track), plus its noise; live input (Engine.setPosition) replaces the track.
 */
import { positionAt } from '../../track.js';
import type { Track } from '../../model.js';
import type { World } from '../world.js';
import { cacheLeg, onLeg } from './legs.js';
import { jitter } from './noise.js';

/**
 * Unit u's position at time t on its track (into w.out) and its leg into the cache, with the
 * arithmetic of positionAt. Returns positionAt's index. (The tracks are read where they are: a
 * flat copy of them saved little time, since this runs only when a unit changes legs, and cost
 * 24 bytes a fix.)
 */
function legAt(w: World, u: number, track: Track, hint: number, t: number): number {
  const out = w.out;
  const i = positionAt(track, t, out, hint);
  if (!(w.noise[u] > 0) && !w.extMode) {
    const ts = track.t;
    const m = ts.length;
    if (t < ts[0]) cacheLeg(w.leg, u, -Infinity, ts[0], track.lon[0], track.lat[0], NaN, NaN);
    else if (i >= m - 1) cacheLeg(w.leg, u, ts[m - 1], Infinity, track.lon[m - 1], track.lat[m - 1], NaN, NaN);
    else cacheLeg(w.leg, u, ts[i], ts[i + 1], track.lon[i], track.lat[i], track.lon[i + 1], track.lat[i + 1]);
  }
  return i;
}

/** Unit u's position on its track at time t (tick `tick`), noise included, into arr; its leg is cached. */
function onTrack(w: World, u: number, t: number, tick: number, arr: Float64Array): void {
  const st = w.units[u];
  // (The index is only where the next search starts: a snapshot may keep an older one.)
  st.hint = legAt(w, u, st.track, st.hint, t);
  jitter(w.seed, w.wholeIndex(u), tick, w.noise[u], w.out[0], w.out[1], arr, u);
}

/** Work out every unit's position of the current tick (and of the tick before) that is not yet. */
export function fillPositions(w: World): void {
  if (w.ledger.tick < 0 || w.extMode) return;
  const n = w.scenario.units.length;
  for (let u = 0; u < n; u++) {
    ensureCur(w, u);
    ensurePrev(w, u);
  }
}

/** Make sure unit u's entry in `cur` is its position of the current tick. */
export function ensureCur(w: World, u: number): void {
  const k = w.ledger.tick;
  if (w.curTick[u] !== k && k >= 0) {
    place(w, u, k, w.cur);
    w.curTick[u] = k;
  }
}

/** Make sure unit u's entry in `prev` is its position of the tick before. */
export function ensurePrev(w: World, u: number): void {
  const k = w.ledger.tick - 1;
  if (w.prevTick[u] !== k && k >= 0) {
    place(w, u, k, w.prev);
    w.prevTick[u] = k;
  }
}

/** The positions of the tick before become `prev`; `cur` is free for the new tick. */
export function swapPositions(w: World): void {
  const tmp = w.prev;
  w.prev = w.cur;
  w.cur = tmp;
  const tmpTick = w.prevTick;
  w.prevTick = w.curTick;
  w.curTick = tmpTick;
  w.ledger.prev = w.prev;
  w.ledger.cur = w.cur;
}

/** Every unit looked at (tick k at time t, not skipping): every position, now and at the tick before. */
export function moveAll(w: World, t: number, k: number): void {
  w.ledger.tick = k;
  if (k > 0 && !w.extMode) for (let u = 0; u < w.scenario.units.length; u++) ensurePrev(w, u);
  moveUnits(w, t, k);
  w.curTick.fill(k);
  if (k === 0) {
    w.prev.set(w.cur);
    w.prevTick.fill(-1);
  }
}

/** Move every unit to its position at time t (tick k). */
function moveUnits(w: World, t: number, k: number): void {
  const n = w.scenario.units.length;
  const cur = w.cur;
  const leg = w.leg;
  // Most ticks stay on the leg of the tick before: one interpolation on the cached leg.
  for (let u = 0; u < n; u++) if (!onLeg(leg, u, t, cur)) moveUnit(w, u, t, k);
}

/** Unit u's position at tick `tick` into arr (not for live input), as moveUnits works it out. */
function place(w: World, u: number, tick: number, arr: Float64Array): void {
  const t = w.tickTime(tick);
  if (!onLeg(w.leg, u, t, arr)) onTrack(w, u, t, tick, arr);
}

/** Move one unit the long way (a new leg, noise, or live input). */
function moveUnit(w: World, u: number, t: number, k: number): void {
  if (w.extMode?.[u]) {
    // Live input: the position set from outside, else the last one known (NaN: never placed).
    const known = !Number.isNaN(w.ext![u * 2]);
    w.cur[u * 2] = known ? w.ext![u * 2] : k > 0 ? w.prev[u * 2] : NaN;
    w.cur[u * 2 + 1] = known ? w.ext![u * 2 + 1] : k > 0 ? w.prev[u * 2 + 1] : NaN;
    return;
  }
  onTrack(w, u, t, k, w.cur);
}
