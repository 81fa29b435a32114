/**
 * The slow, independent reference for crossings: it samples a unit's true track densely (its
 * waypoints and every change a halt, withdrawal, turn or strike made to it, as the track in force
 * at the end of a run holds them), measures the signed distance at every sample with a distance
 * function given by the caller, bisects every change of side of every level, looks into every
 * near miss for a dip through a level and back, and runs the rules of docs/events.md over the
 * crossings found: approach within the band, enter at the edge, exit beyond the hysteresis, exit
 * of the band beyond band + hysteresis. It shares nothing with the engine's search (no path, no
 * Lipschitz bound, no index); the tests use it with the reference geometry (geographiclib and the
 * full scans of polygons and lines), the benchmark's check with the zones' own distances.
 */
import geographiclib from 'geographiclib-geodesic';
import type { LineZone, PolygonZone } from '../core/geo/zones.js';
import type { Scenario, Track, Zone } from '../core/model.js';

const WGS84 = geographiclib.Geodesic.WGS84;

/** Geodesic distance (geographiclib) between two [lon, lat] points. */
export const geodesic = (a: readonly number[], b: readonly number[]) => WGS84.Inverse(a[1], a[0], b[1], b[0]).s12 as number;

/** The signed distance to a zone's edge by the references (no fast path, no index). */
export function referenceEdge(zone: Zone, lon: number, lat: number): number {
  if (zone.type === 'circle') return geodesic(zone.center!, [lon, lat]) - zone.radius!;
  if (zone.type === 'polygon') {
    const s = zone.shape as PolygonZone;
    const d = s.boundaryDistanceByScan(lon, lat);
    return s.containsByScan(lon, lat) ? -d : d;
  }
  const s = zone.shape as LineZone;
  const r = s.sideByScan(lon, lat);
  return r.side === s.forbiddenSign ? -r.d : r.d;
}

export interface RefEvent {
  kind: 'approach' | 'enter' | 'exit' | 'exit_band';
  t: number;
  lon: number;
  lat: number;
}

const RAD = Math.PI / 180;

/** The position on a track at time t: straight in lon/lat between fixes (its own arithmetic). */
export function trackPos(tr: Track, t: number): [number, number] {
  const n = tr.t.length;
  if (t <= tr.t[0]) return [tr.lon[0], tr.lat[0]];
  if (t >= tr.t[n - 1]) return [tr.lon[n - 1], tr.lat[n - 1]];
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const m = (lo + hi) >> 1;
    if (tr.t[m] <= t) lo = m;
    else hi = m;
  }
  const f = (t - tr.t[lo]) / (tr.t[hi] - tr.t[lo]);
  let dl = tr.lon[hi] - tr.lon[lo];
  if (dl > 180) dl -= 360;
  if (dl < -180) dl += 360;
  let lon = tr.lon[lo] + dl * f;
  if (lon >= 180) lon -= 360;
  if (lon < -180) lon += 360;
  return [lon, tr.lat[lo] + (tr.lat[hi] - tr.lat[lo]) * f];
}

/** Metres between two points on a local flat approximation (generous enough for bounds here). */
function metres(a: [number, number], b: [number, number]): number {
  let dl = Math.abs(b[0] - a[0]);
  if (dl > 180) dl = 360 - dl;
  const lat = Math.min(Math.abs(a[1]), Math.abs(b[1]));
  return Math.hypot(dl * 111_320 * Math.cos(lat * RAD), (b[1] - a[1]) * 111_700);
}

/** Largest speed of a track in metres per ms (rough, generous). */
function maxSpeed(tr: Track): number {
  let v = 0;
  for (let i = 0; i + 1 < tr.t.length; i++) {
    let dl = Math.abs(tr.lon[i + 1] - tr.lon[i]);
    if (dl > 180) dl = 360 - dl;
    const dx = dl * 111_320 * Math.cos(Math.min(Math.abs(tr.lat[i]), Math.abs(tr.lat[i + 1])) * RAD);
    const dy = (tr.lat[i + 1] - tr.lat[i]) * 111_700;
    const dt = tr.t[i + 1] - tr.t[i];
    if (dt > 0) v = Math.max(v, Math.hypot(dx, dy) / dt);
  }
  return v;
}

/**
 * The crossing events of one unit and zone, from `start` to `end`, by the reference. `step`
 * metres between samples (the near-miss search covers what falls between them).
 */
export function referenceEvents(
  sc: Scenario,
  track: Track,
  zi: number,
  step = 2,
  edge: (zone: Zone, lon: number, lat: number) => number = referenceEdge,
  /** Leave out legs whose ends are farther from every level than the leg is long (for long runs; not for lines, whose side can flip away from them). */
  skipFar = false,
  /**
   * Position noise: the unit's offsets (degrees of longitude and latitude) from its track at the
   * ticks, which the true position follows evenly in between.
   */
  noise?: { t: number[]; dLon: number[]; dLat: number[] },
): RefEvent[] {
  const zone = sc.zones[zi];
  const at = (t: number): [number, number] => {
    const p = trackPos(track, t);
    if (!noise) return p;
    const nt = noise.t;
    let i = 0;
    let j = nt.length - 1;
    if (t <= nt[0]) j = 0;
    else if (t >= nt[j]) i = j;
    else {
      while (j - i > 1) {
        const m = (i + j) >> 1;
        if (nt[m] <= t) i = m;
        else j = m;
      }
    }
    const f = i === j ? 0 : (t - nt[i]) / (nt[j] - nt[i]);
    let lon = p[0] + noise.dLon[i] + (noise.dLon[j] - noise.dLon[i]) * f;
    if (lon >= 180) lon -= 360;
    if (lon < -180) lon += 360;
    return [lon, p[1] + noise.dLat[i] + (noise.dLat[j] - noise.dLat[i]) * f];
  };
  const levels = [0, zone.hysteresis, zone.approach, zone.approach + zone.hysteresis];
  const g = (t: number) => {
    const p = at(t);
    return edge(zone, p[0], p[1]);
  };
  const t0 = sc.start;
  const t1 = sc.end;
  const v = maxSpeed(track);
  const dtMax = v > 0 ? Math.max(0.5, Math.min(500, step / v)) : Infinity;
  // Samples: the start, every fix in the run, and enough between them.
  const times = new Set<number>([t0, t1]);
  for (const ft of track.t) if (ft > t0 && ft < t1) times.add(ft);
  if (noise) for (const nt of noise.t) if (nt > t0 && nt < t1) times.add(nt);
  const fixes = [...times].sort((a, b) => a - b);
  const ts: number[] = [];
  for (let i = 0; i < fixes.length; i++) {
    ts.push(fixes[i]);
    if (i + 1 < fixes.length) {
      const a = fixes[i];
      const b = fixes[i + 1];
      // Standing still between fixes (before the first, after the last, or a hold): no samples.
      const pa = at(a);
      const pb = at(b);
      const mid = at((a + b) / 2);
      const still = pa[0] === pb[0] && pa[1] === pb[1] && mid[0] === pa[0] && mid[1] === pa[1];
      if (still) continue;
      if (skipFar && zone.type !== 'line') {
        const len = metres(pa, mid) + metres(mid, pb);
        const ga = edge(zone, pa[0], pa[1]);
        const gb = edge(zone, pb[0], pb[1]);
        let far = true;
        for (const L of levels) if (!(Math.min(Math.abs(ga - L), Math.abs(gb - L)) > len * 1.05 + 1e-3 * Math.max(Math.abs(ga), Math.abs(gb)) + 1)) far = false;
        if (far && ga > 0 === gb > 0) continue;
      }
      const n = Math.ceil((b - a) / dtMax);
      for (let j = 1; j < n; j++) ts.push(a + ((b - a) * j) / n);
    }
  }
  const gs = ts.map(g);
  type X = { t: number; level: number; down: boolean };
  const xs: X[] = [];
  const bisect = (a: number, b: number, L: number): number => {
    const above = g(a) > L;
    for (let i = 0; i < 60 && b - a > 1e-7; i++) {
      const m = (a + b) / 2;
      if (g(m) > L === above) a = m;
      else b = m;
    }
    return b;
  };
  for (let li = 0; li < levels.length; li++) {
    const L = levels[li];
    for (let i = 0; i + 1 < ts.length; i++) {
      if (gs[i] > L !== gs[i + 1] > L) xs.push({ t: bisect(ts[i], ts[i + 1], L), level: L, down: gs[i] > L });
    }
    // Near misses: where |g − L| has a small local minimum between samples on one side, find the
    // extreme (golden section) and, if it is on the other side, the way in and out.
    for (let i = 1; i + 1 < ts.length; i++) {
      const a = gs[i - 1] - L;
      const b = gs[i] - L;
      const c = gs[i + 1] - L;
      if (a > 0 !== b > 0 || b > 0 !== c > 0) continue;
      if (!(Math.abs(b) <= Math.abs(a) && Math.abs(b) <= Math.abs(c) && Math.abs(b) < 5 * step)) continue;
      const sgn = b > 0 ? 1 : -1;
      let lo = ts[i - 1];
      let hi = ts[i + 1];
      const phi = (Math.sqrt(5) - 1) / 2;
      for (let k = 0; k < 80 && hi - lo > 1e-6; k++) {
        const m1 = hi - phi * (hi - lo);
        const m2 = lo + phi * (hi - lo);
        if (sgn * (g(m1) - L) < sgn * (g(m2) - L)) hi = m2;
        else lo = m1;
      }
      const tm = (lo + hi) / 2;
      if (g(tm) > L !== b > 0) {
        xs.push({ t: bisect(ts[i - 1], tm, L), level: L, down: b > 0 });
        xs.push({ t: bisect(tm, ts[i + 1], L), level: L, down: !(b > 0) });
      }
    }
  }
  xs.sort((p, q) => p.t - q.t || (p.down ? q.level - p.level : p.level - q.level));
  const out: RefEvent[] = [];
  const h = zone.hysteresis;
  const band = zone.approach;
  const push = (kind: RefEvent['kind'], t: number) => {
    const p = at(t);
    out.push({ kind, t, lon: p[0], lat: p[1] });
  };
  const FAR = 0;
  const BAND = 1;
  const INSIDE = 2;
  const d0 = gs[0];
  let area = d0 <= 0 ? INSIDE : d0 <= band ? BAND : FAR;
  if (area >= BAND) push('approach', t0);
  if (area === INSIDE) push('enter', t0);
  for (const x of xs) {
    if (x.down && x.level === band && area === FAR) {
      push('approach', x.t);
      area = BAND;
    } else if (x.down && x.level === 0 && area < INSIDE) {
      if (area === FAR) push('approach', x.t);
      push('enter', x.t);
      area = INSIDE;
    } else if (!x.down && x.level === h && area === INSIDE) {
      push('exit', x.t);
      area = BAND;
    } else if (!x.down && x.level === band + h && area === BAND) {
      push('exit_band', x.t);
      area = FAR;
    }
  }
  return out;
}
