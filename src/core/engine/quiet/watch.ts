/**
 * Watch lists: per unit, the applicable zones near enough to matter within a horizon, and
 * through which tick each is proved quiet. Zones without a pair are looked at only when their
 * proof runs out; then the index is visited exactly as judging every unit would.
 */
import type { MotionBound } from '../../geo/motion.js';
import { visitIndex } from '../judge/judge-unit.js';
import { collectZones, splitLon } from '../judge/zone-index.js';
import { pathExtent } from '../motion/path.js';
import type { World } from '../world.js';
import { quietUntil } from './proofs.js';

/** Horizon (ms) of a unit's list of nearby zones. */
const WATCH_HORIZON = 600_000;

const lonRanges = new Float64Array(4);

/**
 * The zones without a pair: those of the unit's watch list whose proof has run out are looked
 * at; if one of them may be entered or approached, the index is visited exactly as judgeUnit
 * does, so that new pairs come in the same order.
 */
export function judgeWatch(w: World, u: number, mb: MotionBound, stamp: number, k: number, t1: number): void {
  if (k > w.watchEnd[u]) refreshWatch(w, u, mb, k, t1);
  const zones = w.watchZones[u];
  const untils = w.watchUntil[u];
  const zs = w.zoneStamp;
  let min = w.watchEnd[u];
  let visit = false;
  for (let j = 0; j < zones.length; j++) {
    const z = zones[j];
    if (zs[z] === stamp) {
      // Had a pair at the start of this tick, so it is not visited now (as in judgeUnit). While
      // the pair lasts the entry sleeps; once it is dropped, the zone is watched from the next tick.
      if (hasPair(w, u, z)) untils[j] = Infinity;
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
    const until = quietUntil(w, u, z, undefined, mb, k, t1);
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
    const qs = ++w.quietStampN;
    for (let j = 0; j < zones.length; j++) if (untils[j] >= k) w.quietStamp[zones[j]] = qs;
    w.quietNow = qs;
    visitIndex(w, u, stamp, t1, false);
    w.quietNow = -1;
    min = -1;
  }
  w.watchMin[u] = min;
}

/** A new watch list for unit u: the applicable zones whose boxes it can reach within the horizon. */
export function refreshWatch(w: World, u: number, mb: MotionBound, k: number, t: number): void {
  const still = mb.still || !mb.usable;
  const H = mb.still ? Infinity : mb.usable ? WATCH_HORIZON : 0;
  const ex = (still ? 0 : mb.dLon(H) * 1.01) + mb.nLon + 1e-9;
  const ey = (still ? 0 : mb.dLat(H) * 1.01) + mb.nLat + 1e-9;
  // The box of this tick's whole path, grown by how far the unit can go within the horizon.
  const e = pathExtent(w, u);
  const minX = e[0] - ex;
  const maxX = e[2] + ex;
  const minY = Math.max(-90, e[1] - ey);
  const maxY = Math.min(90, e[3] + ey);
  const ws = ++w.watchStampN;
  const zones = w.scratchZones;
  zones.length = 0;
  if (maxX - minX >= 360) collectZones(w, u, ws, zones, -180, minY, 180, maxY);
  else {
    const s = lonRanges;
    const n = splitLon(minX, maxX, s);
    const x0 = s[0],
      x1 = s[1],
      x2 = s[2],
      x3 = s[3];
    collectZones(w, u, ws, zones, x0, minY, x1, maxY);
    if (n === 2) collectZones(w, u, ws, zones, x2, minY, x3, maxY);
  }
  sortZones(zones);
  // Proofs of quiet already made for zones that stay on the list still hold (they say through
  // which tick, whatever the horizon); new zones are looked at now.
  const old = w.watchZones[u];
  const oldUntil = w.watchUntil[u];
  let same = old.length === zones.length;
  for (let i = 0; same && i < zones.length; i++) same = old[i] === zones[i];
  if (!same) {
    const until = new Array<number>(zones.length).fill(-1);
    for (let i = 0, j = 0; i < zones.length; i++) {
      while (j < old.length && old[j] < zones[i]) j++;
      if (j < old.length && old[j] === zones[i]) until[i] = oldUntil[j];
    }
    w.watchZones[u] = zones.slice();
    w.watchUntil[u] = until;
  }
  w.watchEnd[u] = H === Infinity ? Infinity : w.lastTickBy(t + H, k);
}

/** The unit no longer has a pair with zone z: watch the zone again from now on. */
export function rearmWatch(w: World, u: number, z: number): void {
  const zones = w.watchZones[u];
  for (let j = 0; j < zones.length; j++) if (zones[j] === z) w.watchUntil[u][j] = -1;
  w.watchMin[u] = -1;
}

function hasPair(w: World, u: number, z: number): boolean {
  const pairs = w.units[u].pairs;
  for (let i = 0; i < pairs.length; i++) if (pairs[i].zone === z) return true;
  return false;
}

/** Ascending, in place: by insertion for the short lists of nearby zones (the built-in sort copies its array on every call). */
function sortZones(a: number[]): void {
  if (a.length > 64) {
    a.sort((x, y) => x - y);
    return;
  }
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    let j = i - 1;
    while (j >= 0 && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}
