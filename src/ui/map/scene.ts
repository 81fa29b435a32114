/**
 * What the map draws that does not move, computed once per scenario: zone edges, approach-band
 * outlines, the forbidden side of lines, sites, and the bounds that "fit" shows. Circles are
 * traced with exact WGS84 geodesics around their centre; the band of polygons and lines is the
 * outline offset outward (round joins on convex corners) in a local metric plane.
 */
import { geodesicCircle } from '../../core/geo/circle.js';
import { lonDelta, metresPerDegree } from '../../core/geo/geodesic.js';
import type { LonLat, Scenario, Zone } from '../../core/model.js';
import { emptyBounds, extend, type Bounds } from './view.js';

export interface SceneZone {
  index: number;
  id: string;
  kind: Zone['type'];
  /** Edge rings (polygons, circles) or the line's points. */
  edge: LonLat[][];
  /** Outline of the approach band's outer side. */
  band: LonLat[][];
  /** Lines only: whether the forbidden side is left of the line's direction (in lon/lat). */
  forbiddenLeft?: boolean;
  /** Where to write the zone's id. */
  labelAt: LonLat;
}

export interface SceneSite {
  id: string;
  name: string;
  pos: LonLat;
}

export interface MapScene {
  zones: SceneZone[];
  sites: SceneSite[];
  /** Everything: zones with their bands, sites and every unit's whole track. */
  bounds: Bounds;
}

/** Sides of a circle as the map draws it. */
const CIRCLE_STEPS = 360;

/**
 * Offset a polyline (or closed ring) by `dist` metres to one side: `side` +1 is left of the
 * direction of travel, -1 right. Convex corners get round joins, concave ones a mitre.
 */
export function offsetCurve(points: LonLat[], closed: boolean, dist: number, side: 1 | -1): LonLat[] {
  const n0 =
    closed && points.length > 1 && points[0][0] === points[points.length - 1][0] && points[0][1] === points[points.length - 1][1]
      ? points.length - 1
      : points.length;
  if (n0 < 2 || !(dist > 0)) return [];
  const lon0 = points[0][0];
  let latSum = 0;
  for (let i = 0; i < n0; i++) latSum += points[i][1];
  const lat0 = latSum / n0;
  const m = metresPerDegree(lat0);
  const P = Array.from({ length: n0 }, (_, i) => [lonDelta(lon0, points[i][0]) * m.x, (points[i][1] - lat0) * m.y] as [number, number]);
  const nSeg = closed ? n0 : n0 - 1;
  const normals: [number, number][] = [];
  for (let i = 0; i < nSeg; i++) {
    const a = P[i];
    const b = P[(i + 1) % n0];
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const len = Math.hypot(dx, dy) || 1;
    // Left normal of (dx, dy) is (-dy, dx).
    normals.push([(-dy / len) * dist * side, (dx / len) * dist * side]);
  }
  const out: [number, number][] = [];
  const join = (j: number, na: [number, number], nb: [number, number]) => {
    const p = P[j];
    const cross = na[0] * nb[1] - na[1] * nb[0];
    const dot = na[0] * nb[0] + na[1] * nb[1];
    const ang = Math.atan2(cross, dot);
    // Turning away from the offset side opens a gap there: round it.
    if (ang * side < -1e-9 || Math.abs(ang) < 1e-9) {
      const steps = Math.max(1, Math.ceil(Math.abs(ang) / (Math.PI / 18)));
      for (let s = 0; s <= steps; s++) {
        const a = (ang * s) / steps;
        const c = Math.cos(a);
        const sn = Math.sin(a);
        out.push([p[0] + na[0] * c - na[1] * sn, p[1] + na[0] * sn + na[1] * c]);
      }
    } else {
      // Mitre: the offset point on the bisector, limited to avoid spikes.
      const bx = na[0] + nb[0];
      const by = na[1] + nb[1];
      const bl = Math.hypot(bx, by) || 1;
      const cosHalf = Math.cos(ang / 2);
      const len = Math.min(dist / Math.max(0.25, Math.abs(cosHalf)), dist * 4);
      out.push([p[0] + (bx / bl) * len, p[1] + (by / bl) * len]);
    }
  };
  if (closed) {
    for (let j = 0; j < n0; j++) join(j, normals[(j - 1 + nSeg) % nSeg], normals[j]);
    out.push(out[0]);
  } else {
    out.push([P[0][0] + normals[0][0], P[0][1] + normals[0][1]]);
    for (let j = 1; j < n0 - 1; j++) join(j, normals[j - 1], normals[j]);
    out.push([P[n0 - 1][0] + normals[nSeg - 1][0], P[n0 - 1][1] + normals[nSeg - 1][1]]);
  }
  return out.map(([x, y]) => [lon0 + x / m.x, lat0 + y / m.y] as LonLat);
}

/** Which side (+1 left, -1 right of the direction) of a polyline lies outside the zone. */
function outsideSide(zone: Zone, pts: LonLat[]): 1 | -1 {
  // Probe beside the midpoint of the longest segment.
  let best = 0;
  let bl = -1;
  for (let i = 0; i < pts.length - 1; i++) {
    const l = Math.hypot(pts[i + 1][0] - pts[i][0], pts[i + 1][1] - pts[i][1]);
    if (l > bl) {
      bl = l;
      best = i;
    }
  }
  const a = pts[best];
  const b = pts[best + 1] ?? a;
  const mid: LonLat = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const m = metresPerDegree(mid[1]);
  const dx = lonDelta(a[0], b[0]) * m.x;
  const dy = (b[1] - a[1]) * m.y;
  const len = Math.hypot(dx, dy) || 1;
  const probe = Math.min(50, len / 4);
  const left: LonLat = [mid[0] + ((-dy / len) * probe) / m.x, mid[1] + ((dx / len) * probe) / m.y];
  return zone.shape.signedDistance(left[0], left[1]) > 0 ? 1 : -1;
}

function northmost(rings: LonLat[][]): LonLat {
  let best: LonLat = rings[0]?.[0] ?? [0, 0];
  for (const r of rings) for (const p of r) if (p[1] > best[1]) best = p;
  return best;
}

export function buildScene(sc: Scenario): MapScene {
  const b = emptyBounds();
  const zones: SceneZone[] = sc.zones.map((z, index) => {
    let edge: LonLat[][];
    let band: LonLat[][];
    let forbiddenLeft: boolean | undefined;
    if (z.type === 'circle' && z.center && z.radius !== undefined) {
      edge = z.shape.outline(CIRCLE_STEPS);
      band = z.approach > 0 ? [geodesicCircle(z.center, z.radius + z.approach, CIRCLE_STEPS)] : [];
    } else if (z.type === 'line') {
      const pts = z.shape.outline()[0] ?? [];
      edge = [pts];
      const out = outsideSide(z, pts);
      forbiddenLeft = out === -1;
      band = z.approach > 0 ? [offsetCurve(pts, false, z.approach, out)] : [];
    } else {
      edge = z.shape.outline();
      band = z.approach > 0 ? edge.map((r) => offsetCurve(r, true, z.approach, outsideSide(z, r))).filter((r) => r.length > 1) : [];
    }
    for (const ring of [...edge, ...band]) for (const p of ring) extend(b, p[0], p[1]);
    return { index, id: z.id, kind: z.type, edge, band, forbiddenLeft, labelAt: northmost(edge) };
  });
  const sites = sc.sites.map((s) => ({ id: s.id, name: s.name, pos: s.pos }));
  for (const s of sites) extend(b, s.pos[0], s.pos[1]);
  for (const u of sc.units) for (let i = 0; i < u.track.t.length; i++) extend(b, u.track.lon[i], u.track.lat[i]);
  if (!Number.isFinite(b[0])) {
    b[0] = -1;
    b[1] = -1;
    b[2] = 1;
    b[3] = 1;
  }
  return { zones, sites, bounds: b };
}
