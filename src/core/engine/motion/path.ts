/**
 * A unit's true path within the current tick, and its extent: what crossings are found along
 * and what the index is searched with.
 */
import { pushVertex, type Path } from '../../geo/crossings.js';
import { lonDelta } from '../../geo/geodesic.js';
import type { MotionBound } from '../../geo/motion.js';
import { fixIndex, positionAt } from '../../track.js';
import { LEG } from '../state/records.js';
import type { World } from '../world.js';

/**
 * Unit u's true path within the current tick, from its position at the tick before to its
 * position now: the track in force (after any halt, withdrawal or turn of this tick, which
 * leaves the track before its time as it was) has a vertex at every waypoint between the two
 * ticks; position noise, drawn at the ticks, is taken as changing evenly in between. Live
 * input has no track: its path is straight. Both positions must be in place.
 */
export function pathOf(w: World, u: number): Path {
  const k = w.ledger.tick;
  const epoch = w.ledger.epoch[u];
  const p = w.path;
  if (w.pathU === u && w.pathK === k && w.pathEpoch === epoch) return p;
  w.pathU = u;
  w.pathK = k;
  w.pathEpoch = epoch;
  p.count = 0;
  const t1 = w.tickTime(k);
  const t0 = k > 0 ? w.tickTime(k - 1) : t1;
  const lon0 = w.prev[u * 2];
  const lat0 = w.prev[u * 2 + 1];
  const lon1 = w.cur[u * 2];
  const lat1 = w.cur[u * 2 + 1];
  pushVertex(p, t0, lon0, lat0);
  const c = u * LEG;
  // The cached leg spans the whole tick: no waypoint in between (the common case).
  if (t1 > t0 && !w.extMode?.[u] && !(w.leg[c] <= t0 && w.leg[c + 1] >= t1)) {
    const track = w.units[u].track;
    const ts = track.t;
    let i = fixIndex(track, t0) + 1;
    if (i < ts.length && ts[i] < t1) {
      let n0x = 0;
      let n0y = 0;
      let n1x = 0;
      let n1y = 0;
      if (w.noise[u] > 0) {
        const q = w.scratch2;
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
export function pathExtent(w: World, u: number, mb?: MotionBound): Float64Array {
  const e = w.pathExt;
  const lon0 = w.prev[u * 2];
  const lat0 = w.prev[u * 2 + 1];
  const lat1 = w.cur[u * 2 + 1];
  const p = pathOf(w, u);
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
  if (n <= 2 && mb) m = mb.segmentMetres(lonDelta(lon0, w.cur[u * 2]), lat1 - lat0);
  e[0] = minX;
  e[1] = minY;
  e[2] = maxX;
  e[3] = maxY;
  e[4] = m;
  e[5] = dLat;
  return e;
}
