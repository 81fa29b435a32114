/**
 * Values a scenario gives, checked: positions, references to ids, distances; and recorded fixes
 * made into a track.
 */
import { didYouMean } from '../errors.js';
import { geodesicDistance } from '../geo/geodesic.js';
import type { Track } from '../model.js';
import { parsePosition, type LonLat, type PositionContext } from '../position.js';
import { parseDistance } from '../units.js';
import type { Locator, Path } from './document.js';
import { fixColumns, type FixColumns } from './geodata.js';
import { describe } from './issues.js';

/** Longest gap between recorded fixes that a unit is moved across in a straight line, unless the track sets max_gap. */
export const DEFAULT_MAX_GAP = 10 * 60_000;
/** Longest distance a scenario may give (half the Earth's circumference is about 20 004 km). */
export const MAX_DISTANCE = 20_000_000;
/** Longest hold at a waypoint (ten years): beyond it, times would leave the calendar. */
export const MAX_HOLD = 10 * 365.25 * 86_400_000;

/** A position at `path`; `ctx` resolves relative ones ({from: SITE, bearing, distance}, or from the previous point). */
export function position(loc: Locator, v: unknown, path: Path, ctx?: PositionContext): LonLat {
  const r = parsePosition(v, ctx);
  if (!r.ok) throw loc.error([...path, ...(r.problem.sub ?? [])], r.problem.message, r.problem.hint);
  return r.value;
}

export function ref(loc: Locator, ids: Map<string, number>, id: string, what: string, path: Path): number {
  const i = ids.get(id);
  if (i === undefined) {
    const guess = didYouMean(id, [...ids.keys()]);
    throw loc.error(
      path,
      `unknown ${what} '${id}'`,
      guess ? `did you mean '${guess}'?` : ids.size ? `known ${what}s: ${[...ids.keys()].slice(0, 8).join(', ')}` : `there are no ${what}s in this scenario`,
    );
  }
  return i;
}

export function dist(loc: Locator, v: unknown, path: Path, what: string, positive = true): number {
  const d = parseDistance(v);
  if (d === undefined) throw loc.error(path, `${describe(v)} is not a distance`, 'e.g. 55km, 250m or 3nm');
  if (positive && !(d > 0)) throw loc.error(path, `${what} must be greater than zero`, 'e.g. 55km');
  if (d > MAX_DISTANCE)
    throw loc.error(
      path,
      `${typeof v === 'string' ? `'${v}'` : String(v)} is further than any two places on Earth are apart`,
      `a ${what} stays under ${MAX_DISTANCE / 1000} km`,
    );
  return d;
}

/** A gap between recorded fixes further apart than this (m) is held, not interpolated. */
const GAP_MOVE = 100;

/**
 * Recorded fixes as a track the engine can follow: sorted by time (stably, so equal times keep
 * the file's order), a second fix at a time already recorded dropped, and across a gap longer
 * than `maxGap` the unit held at its last fix until just before the next one, rather than moved
 * along a straight line nobody recorded (a gap where it moved less than GAP_MOVE is a halt, and
 * holding is what interpolation would do anyway). `maxGap` Infinity: no gap is held. Says what it changed.
 */
export function recordedTrack(
  fixes: readonly { t: number; pos: LonLat }[],
  maxGap: number,
): { points: { t: number; pos: LonLat }[]; unordered: number; duplicates: number; gaps: { from: number; length: number }[] } {
  let unordered = 0;
  let latest = -Infinity;
  for (const f of fixes) {
    if (f.t < latest) unordered++;
    else latest = f.t;
  }
  const sorted = unordered
    ? fixes
        .map((f, i) => ({ f, i }))
        .sort((a, b) => a.f.t - b.f.t || a.i - b.i)
        .map((x) => x.f)
    : fixes;
  const points: { t: number; pos: LonLat }[] = [];
  const gaps: { from: number; length: number }[] = [];
  let duplicates = 0;
  for (const f of sorted) {
    const prev = points[points.length - 1];
    if (prev && f.t === prev.t) {
      duplicates++;
      continue;
    }
    if (prev && f.t - prev.t > maxGap && geodesicDistance(prev.pos, f.pos) > GAP_MOVE) {
      gaps.push({ from: prev.t, length: f.t - prev.t });
      if (f.t - 1 > prev.t) points.push({ t: f.t - 1, pos: prev.pos });
    }
    // The fix itself (not a copy): the points are only read.
    points.push(f);
  }
  return { points, unordered, duplicates, gaps };
}

/**
 * The same as recordedTrack, for fixes given as columns (a CSV track): the compiled Track made
 * directly, with no object per fix. Equal to makeTrack(recordedTrack(...).points), which a
 * property test checks.
 */
export function recordedColumns(
  fixes: FixColumns,
  maxGap: number,
): { track: Track; unordered: number; duplicates: number; gaps: { from: number; length: number }[] } {
  const { t, lon, lat } = fixes;
  const n = t.length;
  let unordered = 0;
  let latest = -Infinity;
  for (let i = 0; i < n; i++) {
    if (t[i] < latest) unordered++;
    else latest = t[i];
  }
  let order: number[] | undefined;
  if (unordered) {
    order = Array.from({ length: n }, (_, i) => i);
    order.sort((a, b) => t[a] - t[b] || a - b);
  }
  // First pass: which fixes are kept, and before which a gap point is added (their count sizes the track).
  const gaps: { from: number; length: number }[] = [];
  const gapBefore: number[] = [];
  let duplicates = 0;
  let size = 0;
  let prev = -1;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    if (prev >= 0 && t[i] === t[prev]) {
      duplicates++;
      continue;
    }
    if (prev >= 0 && t[i] - t[prev] > maxGap && geodesicDistance([lon[prev], lat[prev]], [lon[i], lat[i]]) > GAP_MOVE) {
      gaps.push({ from: t[prev], length: t[i] - t[prev] });
      if (t[i] - 1 > t[prev]) {
        gapBefore.push(k);
        size++;
      }
    }
    size++;
    prev = i;
  }
  // Nothing dropped, moved or added (a recording in order without gaps): the columns as they are,
  // not copied (a track is never written to once compiled; a CSV's are views of the file's columns).
  if (!order && size === n) return { track: { t, lon, lat }, unordered, duplicates, gaps };
  const track: Track = fixColumns(size);
  let j = 0;
  let g = 0;
  prev = -1;
  for (let k = 0; k < n; k++) {
    const i = order ? order[k] : k;
    if (prev >= 0 && t[i] === t[prev]) continue;
    if (g < gapBefore.length && gapBefore[g] === k) {
      track.t[j] = t[i] - 1;
      track.lon[j] = lon[prev];
      track.lat[j] = lat[prev];
      j++;
      g++;
    }
    track.t[j] = t[i];
    track.lon[j] = lon[i];
    track.lat[j] = lat[i];
    j++;
    prev = i;
  }
  return { track, unordered, duplicates, gaps };
}
