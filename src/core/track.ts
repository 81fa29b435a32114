/**
 * Unit tracks: position at any time by linear interpolation in lon/lat between timed
 * waypoints (the same straight edges RFC 7946 uses), before the first fix at the first
 * position and after the last at the last.
 */
import { lonDelta, normalizeLon } from './geo/geodesic.js';
import type { Track } from './model.js';
import type { LonLat } from './position.js';

export function makeTrack(points: { t: number; pos: LonLat }[]): Track {
  const n = points.length;
  // One buffer for the three (memory: each buffer has a cost of its own, about 100 bytes).
  const buf = new Float64Array(3 * n);
  const track: Track = { t: buf.subarray(0, n), lon: buf.subarray(n, 2 * n), lat: buf.subarray(2 * n) };
  for (let i = 0; i < n; i++) {
    track.t[i] = points[i].t;
    track.lon[i] = points[i].pos[0];
    track.lat[i] = points[i].pos[1];
  }
  return track;
}

/** Index of the last fix at or before t (binary search); -1 before the first. */
export function fixIndex(track: Track, t: number): number {
  const times = track.t;
  let lo = 0;
  let hi = times.length - 1;
  if (t < times[0]) return -1;
  if (t >= times[hi]) return hi;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (times[mid] <= t) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Write the position at time t into out[0..1]; `hint` is a starting fix index for monotone calls. */
export function positionAt(track: Track, t: number, out: Float64Array | number[], hint = -1): number {
  const times = track.t;
  const n = times.length;
  let i = hint;
  if (i < 0 || i >= n || times[i] > t) i = fixIndex(track, t);
  else while (i + 1 < n && times[i + 1] <= t) i++;
  if (i < 0) {
    out[0] = track.lon[0];
    out[1] = track.lat[0];
    return 0;
  }
  if (i >= n - 1) {
    out[0] = track.lon[n - 1];
    out[1] = track.lat[n - 1];
    return n - 1;
  }
  const t0 = times[i];
  const f = (t - t0) / (times[i + 1] - t0);
  const lon0 = track.lon[i];
  out[0] = normalizeLon(lon0 + lonDelta(lon0, track.lon[i + 1]) * f);
  out[1] = track.lat[i] + (track.lat[i + 1] - track.lat[i]) * f;
  return i;
}

/** A copy of the track cut at time t (the unit stays where it is from then on). */
export function haltTrack(track: Track, t: number): Track {
  const p = [0, 0];
  const i = positionAt(track, t, p);
  const pts: { t: number; pos: LonLat }[] = [];
  for (let k = 0; k <= i && track.t[k] < t; k++) pts.push({ t: track.t[k], pos: [track.lon[k], track.lat[k]] });
  pts.push({ t, pos: [p[0], p[1]] });
  return makeTrack(pts);
}

/** A copy of the track that leaves its course at time t for `to` at `speed` m/s. */
export function divertTrack(track: Track, t: number, to: LonLat, speed: number, distance: (a: LonLat, b: LonLat) => number): Track {
  const cut = haltTrack(track, t);
  const n = cut.t.length;
  const from: LonLat = [cut.lon[n - 1], cut.lat[n - 1]];
  const d = distance(from, to);
  const pts: { t: number; pos: LonLat }[] = [];
  for (let k = 0; k < n; k++) pts.push({ t: cut.t[k], pos: [cut.lon[k], cut.lat[k]] });
  if (d > 0) pts.push({ t: t + Math.max(1, Math.round((d / speed) * 1000)), pos: to });
  return makeTrack(pts);
}
