/**
 * Judging one pair (a unit and a zone) over one tick: every crossing of a level of the zone's
 * signed distance (edge, hysteresis, band, band + hysteresis) along the unit's true path, in
 * order, becomes a transition; then the state is made to agree with where the unit is now; a
 * line also reports each crossing of itself. A pair far from the zone with no rung is dropped.
 */
import { exactEdge, pathCrossings, type Path, type PathCrossing } from '../../geo/crossings.js';
import { normalizeLon } from '../../geo/geodesic.js';
import type { LineZone, ZoneShape } from '../../geo/zones.js';
import type { ZoneRec } from '../scenario-recs.js';
import { BAND, FAR, INSIDE } from '../areas.js';
import { pathOf } from '../motion/path.js';
import { reasons } from '../reasons.js';
import { rungAt, type PairState } from '../state/records.js';
import { addPair, dropPair } from '../state/pairs.js';
import type { World } from '../world.js';
import { transition } from './transitions.js';

/** Judge zone z for unit u over the tick from (lon0, lat0) at the tick before to (lon1, lat1) at t1; `first`: the unit has just appeared. */
export function judgePair(
  w: World,
  u: number,
  z: number,
  pair: PairState | undefined,
  lon0: number,
  lat0: number,
  lon1: number,
  lat1: number,
  t1: number,
  first: boolean,
): void {
  const zone = w.zones[z];
  const shape = zone.shape;
  const h = zone.hysteresis;
  const band = zone.approach;
  const d1 = shape.signedDistance(lon1, lat1);
  if (first) {
    const area = d1 <= 0 ? INSIDE : d1 <= band ? BAND : FAR;
    if (area === FAR) return;
    const p = addPair(w, u, z, d1);
    const e1 = exactEdge(shape, lon1, lat1);
    if (area >= BAND) transition(w, u, p, 'approach', t1, lon1, lat1, e1);
    if (area === INSIDE) transition(w, u, p, 'enter', t1, lon1, lat1, e1);
    if (area === INSIDE) p.lineSide = 'in';
    return;
  }
  const d0 = pair ? pair.d : undefined;
  // Every crossing of a level along the unit's true path in this tick, in order.
  const path = pathOf(w, u);
  const found = w.found;
  found.length = 0;
  pathCrossings(shape, w.levels[z], path, found);
  // Far all the way, and no pair to keep: nothing to do.
  if (!pair && found.length === 0 && d1 > band) return;
  const p = pair ?? addPair(w, u, z, d0 ?? shape.signedDistance(lon0, lat0));
  if (found.length) crossingsToTransitions(w, u, p, shape, found, band, h);
  // Whatever the crossings said, the state agrees with where the unit is now (the exact distance
  // here measured once, when the first event needs it).
  let e1 = NaN;
  if (p.area === INSIDE && d1 > h) transition(w, u, p, 'exit', t1, lon1, lat1, (e1 = exactEdge(shape, lon1, lat1)));
  if (p.area < INSIDE && d1 <= 0) {
    if (e1 !== e1) e1 = exactEdge(shape, lon1, lat1);
    if (p.area === FAR) transition(w, u, p, 'approach', t1, lon1, lat1, e1);
    transition(w, u, p, 'enter', t1, lon1, lat1, e1);
  }
  if (p.area === FAR && d1 <= band) transition(w, u, p, 'approach', t1, lon1, lat1, e1 === e1 ? e1 : (e1 = exactEdge(shape, lon1, lat1)));
  if (p.area === BAND && d1 > band + h) transition(w, u, p, 'exit_band', t1, lon1, lat1, e1 === e1 ? e1 : (e1 = exactEdge(shape, lon1, lat1)));
  if (shape.kind === 'line') judgeLine(w, u, zone, shape as LineZone, p, path, d1, t1, lon1, lat1);
  p.d = d1;
  if (p.area === FAR && p.pos < 0 && p.rung === null) dropPair(w, u, p);
}

/**
 * The crossings of the tick's path, in order along it, as transitions (only those that change
 * the pair's area). Kept out of judgePair: most judgements find none, and a function compiled
 * only for the common case is smaller and is not thrown away when this one first runs.
 */
function crossingsToTransitions(w: World, u: number, p: PairState, shape: ZoneShape, found: PathCrossing[], band: number, h: number): void {
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
    if (c.down && c.level === band) transition(w, u, p, 'approach', c.t, c.lon, c.lat, e);
    else if (c.down && c.level === 0) {
      if (p.area === FAR) transition(w, u, p, 'approach', c.t, c.lon, c.lat, e);
      transition(w, u, p, 'enter', c.t, c.lon, c.lat, e);
    } else if (!c.down && c.level === h) transition(w, u, p, 'exit', c.t, c.lon, c.lat, e);
    else transition(w, u, p, 'exit_band', c.t, c.lon, c.lat, e);
  }
}

/** A line also reports each crossing of itself along the path, and a unit back deep on the forbidden side. */
function judgeLine(w: World, u: number, zone: ZoneRec, line: LineZone, p: PairState, path: Path, d1: number, t1: number, lon1: number, lat1: number): void {
  const h = zone.hysteresis;
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
      w.emit({
        t,
        type: 'cross',
        unit: w.scenario.units[u].id,
        zone: zone.id,
        rung: rungAt(p, t),
        reason: reasons.crossed(zone, into),
        at: [lon, lat],
        edge_m: line.signedDistance(lon, lat),
        site_m: w.siteDistance(zone, lon, lat),
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
    w.emit({
      t: t1,
      type: 'cross',
      unit: w.scenario.units[u].id,
      zone: zone.id,
      rung: rungAt(p, t1),
      reason: reasons.backDeep(zone),
      at: [lon1, lat1],
      edge_m: d1,
      site_m: w.siteDistance(zone, lon1, lat1),
      dir: 'into',
      side: line.forbiddenSign === 1 ? 'left' : 'right',
    });
  }
}
