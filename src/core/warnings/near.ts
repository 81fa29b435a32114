/**
 * The `never-near` warning's geometry: whether a unit's track comes within a zone's approach band,
 * and, for the units that never do, how close it comes. A generated file of 20,000 units has
 * thousands of such units, so the questions are answered from cheap bounds first:
 *
 * - a Flatbush index of the zones' boxes (grown by the band) gives, for each track, the zones
 *   whose boxes meet the track's box; the track is far from every other polygon and circle;
 * - a leg whose box meets none of a zone's boxes is further than the band from that zone;
 * - a leg whose ends lie further from the edge than the band plus half its length (with a margin
 *   for the metrics) is further than the band all along: the signed distance changes no faster
 *   than the position does;
 *
 * and only the legs left are measured as before (the ends, the crossings of the band's level, and
 * samples finer than the band). The closest distance of a far track starts from the distances
 * measured on the way, and measures a pair of a point and a zone not yet measured only where its
 * lower bound (the distance to the zone's box) could beat it.
 *
 * The reference implementations (`comesNearByScan`, `leastToZonesByScan`) measure every leg and
 * every pair; test/core/warnings-near.test.ts holds the two to the same answers.
 */
import Flatbush from 'flatbush';
import { metresPerDegreeInto, sphereDistanceLL } from '../geo/geodesic.js';
import { segmentDistanceM } from '../geo/edgeindex.js';
import { lonDelta } from '../geo/geodesic.js';
import { LineZone, PolygonZone, lerpLonLat, levelCrossings, type ZoneShape } from '../geo/zones.js';
import type { Unit, Zone } from '../model.js';
import { LineSides } from './line-sides.js';

/** Most samples taken along one track leg when looking for the approach band. */
const MAX_SAMPLES = 4000;
/** Mean radius of the Earth, metres (for the margin of the distance bound). */
const R = 6_371_000;

export type Box = readonly [number, number, number, number];

const K = new Float64Array(2);

/** Whether any of `boxes` (minLon, minLat, maxLon, maxLat, flat) meets the box given. */
function meetsAny(boxes: Float64Array, x0: number, y0: number, x1: number, y1: number): boolean {
  for (let i = 0; i < boxes.length; i += 4) {
    if (boxes[i] <= x1 && x0 <= boxes[i + 2] && boxes[i + 1] <= y1 && y0 <= boxes[i + 3]) return true;
  }
  return false;
}

function holds(boxes: Float64Array, lon: number, lat: number): boolean {
  for (let i = 0; i < boxes.length; i += 4) {
    if (lon >= boxes[i] && lon <= boxes[i + 2] && lat >= boxes[i + 1] && lat <= boxes[i + 3]) return true;
  }
  return false;
}

/** The whole Earth, unwrapped either way: a line's forbidden side reaches beyond any box round the line. */
const WORLD = new Float64Array([-360, -90, 360, 90]);

const flat = (boxes: readonly Box[]): Float64Array => Float64Array.from(boxes.flatMap((b) => [b[0], b[1], b[2], b[3]]));

/** Distance of a zone from a point: 0 inside a polygon or circle; for a line, the distance to the line itself. */
function distance(z: Zone, shape: ZoneShape, lon: number, lat: number): number {
  return fromSigned(z, shape.signedDistance(lon, lat));
}

/** A distance from a zone's signed distance: the forbidden side of a line is a half of the Earth, so what is near a line is near the line. */
function fromSigned(z: Zone, sd: number): number {
  return z.type === 'line' ? Math.abs(sd) : Math.max(0, sd);
}

/**
 * The leg from (lon0, lat0) to (lon1, lat1), whose ends lie d0 and d1 from the zone's edge, measured
 * in full: whether the band's level is crossed, or (for polygons and lines) a sample finer than the
 * band lies within it. `boxes`: the zone's boxes grown by at least the band.
 */
function legComesNear(
  z: Zone,
  shape: ZoneShape,
  boxes: Float64Array,
  level: number,
  lon0: number,
  lat0: number,
  lon1: number,
  lat1: number,
  d0: number,
  d1: number,
): boolean {
  if (levelCrossings(shape, lon0, lat0, lon1, lat1, level, d0, d1).length) return true;
  // A leg may dip into the band between two points outside it (past a polygon's corner):
  // sample it finer than the band is wide.
  if (z.type !== 'circle') {
    // The number of samples only needs the length roughly (within 1 %).
    const len = sphereDistanceLL(lon0, lat0, lon1, lat1) * 1.01;
    const n = Math.min(MAX_SAMPLES, Math.ceil(len / Math.max(1, level / 2)));
    for (let i = 1; i < n; i++) {
      const p = lerpLonLat(lon0, lat0, lon1, lat1, i / n);
      if (holds(boxes, p[0], p[1]) && shape.signedDistance(p[0], p[1]) <= level) return true;
    }
  }
  return false;
}

/**
 * Whether a leg whose ends lie d0 and d1 (both beyond the band) from the edge stays beyond `level`
 * all along: each point of it is within half its length of an end, and the signed distance changes
 * no faster than the position (a polygon's and a line's planar metric is that of the point's own
 * latitude, which adds a change of about distance × tan(latitude) / R per metre moved; the
 * ellipsoid and the sphere differ by under 1 %: the margin covers both).
 */
function provenFar(level: number, lon0: number, lat0: number, lon1: number, lat1: number, d0: number, d1: number): boolean {
  const phi = Math.min(85, Math.max(Math.abs(lat0), Math.abs(lat1))) * (Math.PI / 180);
  const d = Math.max(d0, d1);
  const slope = 1.05 * (1 + (d / R) * (1 + Math.tan(phi)));
  return Math.min(d0, d1) - (sphereDistanceLL(lon0, lat0, lon1, lat1) / 2) * slope > level;
}

/** The zones of a scenario, indexed for the band checks of every unit (see the file's comment). */
export class NearIndex {
  /** Per zone, its boxes grown by its band (the real boxes, lines too), flat. */
  private readonly near: Float64Array[];
  /** Per zone, its boxes (not grown), as the closest distance's lower bound needs. */
  private readonly outer: (readonly Box[])[];
  private readonly index: Flatbush | undefined;
  /** Zone of each box in the index. */
  private readonly boxZone: number[] = [];
  private readonly hits: Uint8Array;
  /**
   * The shapes measured: for lines, copies whose distance index reaches every track (the zone's
   * own index reaches its band, as the engine asks, and a point beyond it costs a scan of every
   * edge); the same answers to the last bit, without changing the engine's index.
   */
  private readonly shapes: ZoneShape[];
  /** Per zone, its distance from a point (see `distance`), measured without allocating for a polygon. */
  private readonly measures: Measure[];
  /** Per line zone, the sides of far cells (see line-sides.ts). */
  private readonly sides: (LineSides | undefined)[];

  constructor(
    private readonly zones: readonly Zone[],
    /** Extra margin of every zone's band, metres (three times the largest position noise). */
    readonly margin: number,
    /** The box of every track point (minLon, minLat, maxLon, maxLat), that the distance indexes should reach. */
    reach?: Box,
  ) {
    this.shapes = zones.map((z) => ownShape(z, reach));
    this.sides = this.shapes.map((s) => (s instanceof LineZone ? new LineSides(s) : undefined));
    this.measures = zones.map((z, k) =>
      z.shape instanceof PolygonZone ? polygonDistance(z.shape) : (lon: number, lat: number) => distance(z, this.shapes[k], lon, lat),
    );
    this.near = zones.map((z) => flat(z.shape.bboxes(z.approach + margin) as Box[]));
    this.outer = zones.map((z) => (z.type === 'circle' ? [] : (z.shape.bboxes(0) as Box[])));
    const all: [number, Box][] = [];
    zones.forEach((z, i) => {
      for (const b of z.shape.bboxes(z.approach + margin) as Box[]) all.push([i, b]);
    });
    this.hits = new Uint8Array(zones.length);
    if (all.length) {
      this.index = new Flatbush(all.length);
      for (const [i, b] of all) {
        this.index.add(b[0], b[1], b[2], b[3]);
        this.boxZone.push(i);
      }
      this.index.finish();
    }
  }

  /**
   * Whether the unit's track comes within the band (or inside) of any of the zones `zi` (indices),
   * its band grown by `margin` (three times the unit's noise).
   */
  comesNear(u: Unit, zi: readonly number[], margin: number): boolean {
    const { lon, lat } = u.track;
    // The zones whose boxes meet the track's: a polygon or circle whose boxes it misses is far.
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    let wide = false;
    for (let k = 0; k < lon.length; k++) {
      if (lon[k] < x0) x0 = lon[k];
      if (lon[k] > x1) x1 = lon[k];
      if (lat[k] < y0) y0 = lat[k];
      if (lat[k] > y1) y1 = lat[k];
      // A leg across the antimeridian has a box that is no bound.
      if (k > 0 && Math.abs(lon[k] - lon[k - 1]) > 180) wide = true;
    }
    const hits = this.hits;
    hits.fill(0);
    if (wide || !this.index) hits.fill(1);
    else for (const b of this.index.search(x0, y0, x1, y1)) hits[this.boxZone[b]] = 1;
    // The signed distances measured on the way, per zone and point, for the closest distance.
    const n = lon.length;
    if (this.seen.length < zi.length * n) this.seen = new Float64Array(zi.length * n);
    const seen = this.seen;
    for (let i = 0; i < zi.length * n; i++) seen[i] = NaN;
    for (let j = 0; j < zi.length; j++) {
      const k = zi[j];
      const z = this.zones[k];
      if (!hits[k] && z.type !== 'line') continue;
      if (comesNearZone(u, z, this.shapes[k], margin, this.near[k], seen, j * n, this.sides[k])) return true;
    }
    this.last = { u, zi, seen };
    return false;
  }

  private seen = new Float64Array(0);
  /** The distances the last `comesNear` measured, when it answered no. */
  private last?: { u: Unit; zi: readonly number[]; seen: Float64Array };

  /**
   * The least distance of the track's points from the zones `zi` (0 inside one; a line's distance
   * to the line itself), metres. Right after `comesNear` said no for the same unit and zones, the
   * distances it measured are not measured again.
   */
  leastTo(u: Unit, zi: readonly number[]): number {
    const last = this.last;
    this.last = undefined;
    return leastToZones(
      zi.map((k) => this.zones[k]),
      zi.map((k) => this.measures[k]),
      zi.map((k) => this.outer[k]),
      u.track.lon,
      u.track.lat,
      last && last.u === u && last.zi === zi ? last.seen : undefined,
    );
  }
}

/**
 * Whether the unit's track comes within the zone's band (or inside) at any point; `boxes`: the
 * zone's boxes grown by at least the band; the signed distances measured go to seen[at + point]. The same answer as `comesNearByScan`, from bounds
 * where they settle it (see the file's comment).
 */
export function comesNearZone(
  u: Unit,
  z: Zone,
  shape: ZoneShape,
  margin: number,
  boxes: Float64Array,
  seen?: Float64Array,
  at = 0,
  sides?: LineSides,
): boolean {
  const { lon, lat } = u.track;
  const level = z.approach + margin;
  const line = z.type === 'line';
  const forbidden = line ? (shape as LineZone).forbiddenSign : 0;
  let d0 = NaN;
  for (let k = 0; k < lon.length; k++) {
    const a = k > 0 ? k - 1 : 0;
    const la = lon[a];
    const pa = lat[a];
    const lb = lon[k];
    const pb = lat[k];
    const wide = Math.abs(lb - la) > 180;
    const meets = wide || meetsAny(boxes, Math.min(la, lb), Math.min(pa, pb), Math.max(la, lb), Math.max(pa, pb));
    if (!meets && !line) {
      d0 = NaN;
      continue;
    }
    if (!meets && sides) {
      // A line's leg beyond its band: only its ends are asked, and where a cell proves an end's
      // side (and that it lies beyond the band) the side alone answers.
      if (Number.isNaN(d0)) {
        const s = sides.sideBeyond(la, pa, level);
        if (s === forbidden) return true;
        if (s === 0) {
          d0 = shape.signedDistance(la, pa);
          if (seen) seen[at + a] = d0;
          if (d0 <= level) return true;
        }
      }
      if (lb === la && pb === pa) continue;
      const s = sides.sideBeyond(lb, pb, level);
      if (s === forbidden) return true;
      if (s !== 0) {
        d0 = NaN;
        continue;
      }
      d0 = shape.signedDistance(lb, pb);
      if (seen) seen[at + k] = d0;
      if (d0 <= level) return true;
      continue;
    }
    if (Number.isNaN(d0)) {
      d0 = shape.signedDistance(la, pa);
      if (seen) seen[at + a] = d0;
    }
    if (d0 <= level) return true;
    const d1 = shape.signedDistance(lb, pb);
    if (seen) seen[at + k] = d1;
    if (d1 <= level) return true;
    // A line's leg that misses its boxes stays further than the band from the line; its side can
    // change only beyond the line's ends, and an end lying on the forbidden side shows it.
    if (!meets || (lb === la && pb === pa) || (!wide && provenFar(level, la, pa, lb, pb, d0, d1))) {
      d0 = d1;
      continue;
    }
    if (legComesNear(z, shape, line ? WORLD : boxes, level, la, pa, lb, pb, d0, d1)) return true;
    d0 = d1;
  }
  return false;
}

/** `comesNearZone` by measuring every leg that meets the zone's boxes (every leg, for a line): the reference. */
export function comesNearByScan(u: Unit, z: Zone, margin: number, boxes: readonly Box[]): boolean {
  const { lon, lat } = u.track;
  const level = z.approach + margin;
  const fb = flat(boxes);
  const line = z.type === 'line';
  let d0 = NaN;
  for (let k = 0; k < lon.length; k++) {
    const a = k > 0 ? k - 1 : 0;
    const leg: Box = [Math.min(lon[a], lon[k]), Math.min(lat[a], lat[k]), Math.max(lon[a], lon[k]), Math.max(lat[a], lat[k])];
    if (!line && leg[2] - leg[0] <= 180 && !meetsAny(fb, leg[0], leg[1], leg[2], leg[3])) {
      d0 = NaN;
      continue;
    }
    if (Number.isNaN(d0)) d0 = z.shape.signedDistance(lon[a], lat[a]);
    if (d0 <= level) return true;
    const d1 = z.shape.signedDistance(lon[k], lat[k]);
    if (d1 <= level) return true;
    if ((lon[k] !== lon[a] || lat[k] !== lat[a]) && legComesNear(z, z.shape, line ? WORLD : fb, level, lon[a], lat[a], lon[k], lat[k], d0, d1)) return true;
    d0 = d1;
  }
  return false;
}

/**
 * A lower bound of `distance` from (lon, lat) to a polygon or line: the distance to its bounding
 * boxes in the same local metric the shape measures in (an edge inside a box is never nearer than
 * the box). 0 inside a box; circles, cheap to measure exactly, get 0.
 */
function boxBound(z: Zone, boxes: readonly Box[], lon: number, lat: number): number {
  if (z.type === 'circle') return 0;
  metresPerDegreeInto(lat, K);
  let best = Infinity;
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    const dy = (lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0) * K[1];
    for (let x = lon - 360; x <= lon + 360; x += 360) {
      const dx = (x < b[0] ? b[0] - x : x > b[2] ? x - b[2] : 0) * K[0];
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < best) best = d;
    }
  }
  return best * (1 - 1e-9);
}

/**
 * The least `distance` over a track's points and the zones. `seen` (optional, zone by zone: zone
 * j's point k at j × points + k) holds signed distances already measured (NaN where not): their
 * least comes first; then a pair not measured is measured only where its lower bound (the
 * distance to the zone's boxes, `boxes` not grown) could beat the least found.
 */
export function leastToZones(
  zones: readonly Zone[],
  measures: readonly Measure[],
  boxes: readonly (readonly Box[])[],
  lon: ArrayLike<number>,
  lat: ArrayLike<number>,
  seen?: Float64Array,
): number {
  const n = lon.length;
  let least = Infinity;
  if (seen) {
    for (let j = 0; j < zones.length; j++) {
      for (let k = 0; k < n; k++) {
        const sd = seen[j * n + k];
        if (Number.isNaN(sd)) continue;
        const d = fromSigned(zones[j], sd);
        if (d < least) least = d;
      }
    }
  }
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < zones.length; i++) {
      if (seen && !Number.isNaN(seen[i * n + k])) continue;
      if (boxBound(zones[i], boxes[i], lon[k], lat[k]) >= least) continue;
      const d = measures[i](lon[k], lat[k]);
      if (d < least) least = d;
    }
  }
  return least;
}

/** `leastToZones` point by point, a zone measured where its bound could beat the least so far: the reference. */
export function leastToZonesByScan(zones: readonly Zone[], boxes: readonly (readonly Box[])[], lon: ArrayLike<number>, lat: ArrayLike<number>): number {
  let least = Infinity;
  for (let k = 0; k < lon.length; k++) {
    for (let i = 0; i < zones.length; i++) {
      if (boxBound(zones[i], boxes[i], lon[k], lat[k]) >= least) continue;
      const d = distance(zones[i], zones[i].shape, lon[k], lat[k]);
      if (d < least) least = d;
    }
  }
  return least;
}

/** Most a copied shape's distance index reaches beyond the zone, metres (beyond it, points are measured by a scan). */
const MAX_REACH = 2_000_000;

/**
 * The shape the warnings measure a zone with (see NearIndex.shapes): a line's copy, its index
 * reaching the tracks (a line is measured at every point of every track it applies to, its
 * forbidden side reaching beyond any box); polygons and circles are their own (a far point is
 * settled by their boxes).
 */
function ownShape(z: Zone, reach: Box | undefined): ZoneShape {
  if (!reach || z.type === 'circle') return z.shape;
  const [x0, y0, x1, y1] = z.shape.bboxes(0)[0];
  // An upper bound of the distance from the zone's box to the farthest corner of the tracks' box.
  const dx = Math.max(0, x0 - reach[0], reach[2] - x1) * 111_320;
  const dy = Math.max(0, y0 - reach[1], reach[3] - y1) * 111_320;
  const far = Math.hypot(dx, dy) * 1.05 + z.approach + 10_000;
  if (z.shape instanceof LineZone && z.forbidden) {
    const copy = new LineZone(z.shape.points, z.forbidden);
    copy.prepare(Math.min(MAX_REACH, far));
    return copy;
  }
  return z.shape;
}

/** A zone's distance from a point, metres (see `distance`). */
type Measure = (lon: number, lat: number) => number;

/**
 * A polygon's distance from a point (0 inside), the value `distance` gives, to the last bit: the
 * even-odd test of the polygon itself, then the nearest edge with the arithmetic of its scan
 * (PolygonZone.boundaryDistanceByScan, which its index agrees with), in its unwrapped longitudes;
 * without the object each edge of that scan allocates (far points, the common case of the closest
 * distance, are beyond its index).
 */
function polygonDistance(shape: PolygonZone): Measure {
  let n = 0;
  let minLon = Infinity;
  let maxLon = -Infinity;
  for (const ring of shape.rings) {
    n += ring.length - 1;
    for (const p of ring) {
      minLon = Math.min(minLon, p[0]);
      maxLon = Math.max(maxLon, p[0]);
    }
  }
  const e = new Float64Array(n * 4);
  let o = 0;
  for (const ring of shape.rings) {
    for (let i = 0; i < ring.length - 1; i++) {
      e[o++] = ring[i][0];
      e[o++] = ring[i][1];
      e[o++] = ring[i + 1][0];
      e[o++] = ring[i + 1][1];
    }
  }
  const mid = (minLon + maxLon) / 2;
  const k = new Float64Array(2);
  return (lon, lat) => {
    if (shape.contains(lon, lat)) return 0;
    const x = mid + lonDelta(mid, lon);
    metresPerDegreeInto(lat, k);
    let best = Infinity;
    for (let i = 0; i < e.length; i += 4) {
      const d = segmentDistanceM(x, lat, e[i], e[i + 1], e[i + 2], e[i + 3], k[0], k[1]);
      if (d < best) best = d;
    }
    return best;
  };
}
