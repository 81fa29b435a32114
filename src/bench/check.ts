/**
 * The membership check: for every unit update of a run, the engine and the baseline must put the
 * unit in the same zones (on the same side of the line). Where they differ on a circle, the exact
 * WGS84 distance (geographiclib) says who is right: the baseline's spherical turf.distance is off
 * by up to 0.5 %, so near the edge it is sometimes wrong; those are counted as the baseline's
 * errors. Any other difference is the engine's error.
 *
 * The engine's membership is its own geometry (the zone shapes it judges with, a point being in
 * when the signed distance is ≤ 0), checked against the state its run reached: a unit the engine
 * holds inside a zone is within the hysteresis of it, and one it holds outside is outside. That
 * state comes from skipping what is proved quiet, so this checks the skipping too.
 *
 * Between the ticks, the crossings of a sample of the units (every `crossingStride`-th) are
 * compared with the dense reference of crossref.ts: the approach, enter and exit events of each
 * unit and zone must be the same, at the same time (1 ms) and point (0.1 m).
 */
import type { SimEvent } from '../core/events.js';
import { geodesicDistanceLL } from '../core/geo/geodesic.js';
import { Engine } from '../core/engine.js';
import type { Scenario, Zone } from '../core/model.js';
import { positionAt } from '../core/track.js';
import { baselineInside, baselineZone } from './baseline.js';
import { geodesic, referenceEvents, type RefEvent } from './crossref.js';

export interface CheckResult {
  updates: number;
  /** Unit-zone memberships compared. */
  memberships: number;
  /** Of which inside (per the engine). */
  inside: number;
  /** Baseline wrong, engine right (verified with geographiclib). */
  baselineErrors: number;
  /** Engine and baseline differ and the engine is not proved right. */
  engineErrors: number;
  /** The engine's state disagrees with its geometry. */
  stateErrors: number;
  /** Positions where the baseline's interpolation differs from the engine's (tracks not changed by injects). */
  positionErrors: number;
  /** Memberships of a line beyond the reach of the engine's index, for units without a pair (not judged, not compared); none since a line's forbidden side is judged at any distance. */
  notJudged: number;
  /** Units whose crossings were compared with the dense reference, and their unit-zone pairs. */
  crossingUnits: number;
  crossingPairs: number;
  /** Approach, enter and exit events compared (the engine's and the reference's, one to one), and how many were equal. */
  crossingsCompared: number;
  crossingsEqual: number;
  examples: string[];
  ms: number;
}

const INSIDE = 2;

/** The engine's pairs, in its World, for the state check (a benchmark may look inside). */
type Inner = { units: { pairs: { zone: number; area: number }[]; track: unknown }[] };

export function checkMembership(sc: Scenario, maxExamples = 5, crossingStride = 100): CheckResult {
  const t0 = performance.now();
  const engine = new Engine(sc);
  const inner = (engine as unknown as { w: Inner }).w;
  const zones = sc.zones.map(baselineZone);
  // Prefilter: a point outside a zone's box is outside it for both (the boxes hold the zones).
  // A line's forbidden side has no box: it is compared everywhere.
  const boxes = sc.zones.map((z) => (z.type === 'line' ? [[-180, -90, 180, 90]] : z.shape.bboxes(0)));
  const applies = sc.units.map((u) => sc.zones.map((z, i) => (z.appliesTo.includes(u.side) ? i : -1)).filter((i) => i >= 0));
  const res: CheckResult = {
    updates: 0,
    memberships: 0,
    inside: 0,
    baselineErrors: 0,
    engineErrors: 0,
    stateErrors: 0,
    positionErrors: 0,
    notJudged: 0,
    crossingUnits: 0,
    crossingPairs: 0,
    crossingsCompared: 0,
    crossingsEqual: 0,
    examples: [],
    ms: 0,
  };
  const out = [0, 0];
  const hints = new Int32Array(sc.units.length);
  const note = (s: string) => {
    if (res.examples.length < maxExamples) res.examples.push(s);
  };
  // Flat boxes (at most two per zone, split at the antimeridian) and per-unit zone lists.
  const nz = sc.zones.length;
  const box = new Float64Array(nz * 8).fill(NaN);
  boxes.forEach((bs, z) => bs.slice(0, 2).forEach((b, j) => box.set(b, z * 8 + j * 4)));
  const isLine = Uint8Array.from(sc.zones, (z) => (z.type === 'line' ? 1 : 0));
  const hyst = Float64Array.from(sc.zones, (z) => z.hysteresis);
  const lists = applies.map((a) => Int32Array.from(a));
  const inBoxOf = (z: number, lon: number, lat: number): boolean => {
    const o = z * 8;
    if (lon >= box[o] && lon <= box[o + 2] && lat >= box[o + 1] && lat <= box[o + 3]) return true;
    return lon >= box[o + 4] && lon <= box[o + 6] && lat >= box[o + 5] && lat <= box[o + 7];
  };
  while (!engine.done) {
    engine.step();
    const k = engine.tickIndex;
    const t = engine.tickTime(k);
    const pos = engine.positions;
    for (let u = 0; u < sc.units.length; u++) {
      res.updates++;
      const lon = pos[u * 2];
      const lat = pos[u * 2 + 1];
      const st = inner.units[u];
      if (st.track === sc.units[u].track && sc.units[u].noise === 0) {
        hints[u] = positionAt(sc.units[u].track, t, out, hints[u]);
        if (out[0] !== lon || out[1] !== lat) {
          res.positionErrors++;
          note(`position of ${sc.units[u].id} at tick ${k}: baseline ${out[0]},${out[1]} engine ${lon},${lat}`);
        }
      }
      const list = lists[u];
      const pairs = st.pairs;
      for (let j = 0; j < list.length; j++) {
        const z = list[j];
        res.memberships++;
        let pair: { zone: number; area: number } | undefined;
        for (let i = 0; i < pairs.length; i++) if (pairs[i].zone === z) pair = pairs[i];
        let inBox = inBoxOf(z, lon, lat);
        if (!inBox && isLine[z]) {
          if (pair) inBox = true;
          else {
            res.notJudged++;
            continue;
          }
        }
        if (!inBox) {
          // Outside for both; the engine may still hold it inside, within the hysteresis.
          if (pair && pair.area === INSIDE && sc.zones[z].shape.signedDistance(lon, lat) > hyst[z]) {
            res.stateErrors++;
            note(`${sc.units[u].id} held inside ${sc.zones[z].id} at tick ${k}, beyond the hysteresis`);
          }
          continue;
        }
        const d = sc.zones[z].shape.signedDistance(lon, lat);
        const engineIn = d <= 0;
        const baseIn = baselineInside(zones[z], lon, lat);
        if (engineIn) res.inside++;
        if (engineIn !== baseIn) {
          const zone = sc.zones[z];
          if (zone.type === 'circle') {
            const exact = geodesicDistanceLL(zone.center![0], zone.center![1], lon, lat) <= zone.radius!;
            if (exact === engineIn) res.baselineErrors++;
            else {
              res.engineErrors++;
              note(`${sc.units[u].id} vs ${zone.id} at tick ${k}: engine ${engineIn}, geographiclib ${exact}`);
            }
          } else {
            res.engineErrors++;
            note(`${sc.units[u].id} vs ${zone.id} at tick ${k} (${lon}, ${lat}): engine ${engineIn}, baseline ${baseIn}`);
          }
        }
        // The run's state agrees with the geometry: held inside ⇒ within the hysteresis; else outside.
        const heldIn = pair !== undefined && pair.area === INSIDE;
        if (heldIn ? d > hyst[z] : d <= 0) {
          res.stateErrors++;
          note(`${sc.units[u].id} vs ${sc.zones[z].id} at tick ${k}: held ${heldIn ? 'inside' : 'outside'} at ${d.toFixed(2)} m`);
        }
      }
    }
  }
  compareCrossings(sc, engine, crossingStride, res, note);
  res.ms = performance.now() - t0;
  return res;
}

type Kind = RefEvent['kind'];
const kindOf = (e: SimEvent): Kind | undefined =>
  e.type === 'approach' || e.type === 'enter' ? e.type : e.type === 'exit' ? (e.area === 'band' ? 'exit_band' : 'exit') : undefined;

/**
 * The crossings between ticks of every `stride`-th unit, against the dense reference: 5 m between
 * samples, circles by geographiclib, polygons and lines by their own signed distance (the
 * membership check above covers that geometry), legs far from every level of a circle or a
 * polygon left out.
 */
function compareCrossings(sc: Scenario, engine: Engine, stride: number, res: CheckResult, note: (s: string) => void): void {
  const edge = (zone: Zone, lon: number, lat: number) =>
    zone.type === 'circle' ? geodesic(zone.center!, [lon, lat]) - zone.radius! : zone.shape.signedDistance(lon, lat);
  const byPair = new Map<string, SimEvent[]>();
  for (const e of engine.events) {
    if (!kindOf(e)) continue;
    const key = `${e.unit}|${e.zone}`;
    let list = byPair.get(key);
    if (!list) byPair.set(key, (list = []));
    list.push(e);
  }
  for (let u = 0; u < sc.units.length; u += stride) {
    res.crossingUnits++;
    const unit = sc.units[u];
    const track = engine.trackOf(u);
    sc.zones.forEach((zone, z) => {
      if (!zone.appliesTo.includes(unit.side)) return;
      res.crossingPairs++;
      const ref = referenceEvents(sc, track, z, 5, edge, true);
      const got = byPair.get(`${unit.id}|${zone.id}`) ?? [];
      const n = Math.max(ref.length, got.length);
      for (let i = 0; i < n; i++) {
        res.crossingsCompared++;
        const e = got[i];
        const r = ref[i];
        if (!e || !r) {
          note(`${unit.id} × ${zone.id}: ${got.length} crossing events, the reference ${ref.length}`);
          continue;
        }
        const dm = geodesicDistanceLL(e.at![0], e.at![1], r.lon, r.lat);
        if (kindOf(e) === r.kind && Math.abs(e.t - r.t) <= 1 && dm <= 0.1) res.crossingsEqual++;
        else
          note(
            `${unit.id} × ${zone.id}: ${kindOf(e)} at ${new Date(e.t).toISOString()}, the reference ${r.kind} at ${new Date(Math.round(r.t)).toISOString()} (${dm.toFixed(2)} m apart)`,
          );
      }
    });
  }
}
