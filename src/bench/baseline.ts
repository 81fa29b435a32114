/**
 * The straightforward implementation the benchmark compares against: every unit update is one
 * RxJS Observable emission, and each update is tested against every zone that applies to the
 * unit with no index — turf.distance against the circle, turf.booleanPointInPolygon for every
 * polygon, and for the deconfliction line turf.booleanPointInPolygon against the polygon of its
 * forbidden side (the line closed 10° beyond it). Membership changes are counted as enter and
 * exit events. There is no ladder: the baseline does less work than the engine.
 */
import { booleanPointInPolygon, distance, point, polygon } from '@turf/turf';
import type { Feature, Polygon } from 'geojson';
import { Observable } from 'rxjs';
import type { LineZone, PolygonZone } from '../core/geo/zones.js';
import type { LonLat, Scenario, Zone } from '../core/model.js';
import { positionAt } from '../core/track.js';

/** A zone as the baseline tests it. */
export type BaselineZone = { kind: 'circle'; center: LonLat; radius: number } | { kind: 'polygon'; feature: Feature<Polygon> };

/** The forbidden side of a line as a polygon: the line, closed far on its forbidden side. */
function forbiddenSide(line: LineZone): Feature<Polygon> {
  const pts = line.points;
  const a = pts[0];
  const b = pts[pts.length - 1];
  // The side to the right of the direction a → b, pushed 10° out (the lines here run north-south or
  // east-west across the theatre).
  const dx = b[0] - a[0];
  const dy = b[1] - a[1];
  const len = Math.hypot(dx, dy) || 1;
  const s = line.forbiddenSign === -1 ? 1 : -1; // right of the direction: (dy, -dx)
  const ox = ((s * dy) / len) * 10;
  const oy = ((s * -dx) / len) * 10;
  const ring: LonLat[] = pts.map((p) => [p[0], p[1]] as LonLat);
  ring.push([b[0] + ox, b[1] + oy], [a[0] + ox, a[1] + oy], [a[0], a[1]]);
  return polygon([ring]);
}

export function baselineZone(z: Zone): BaselineZone {
  if (z.type === 'circle') return { kind: 'circle', center: z.center!, radius: z.radius! };
  if (z.type === 'polygon') return { kind: 'polygon', feature: polygon((z.shape as PolygonZone).rings.map((r) => r.map((p) => [p[0], p[1]]))) };
  return { kind: 'polygon', feature: forbiddenSide(z.shape as LineZone) };
}

/** Whether a point is in a zone (on the forbidden side of a line), the straightforward way. */
export function baselineInside(z: BaselineZone, lon: number, lat: number): boolean {
  if (z.kind === 'circle') return distance(z.center, [lon, lat], { units: 'meters' }) <= z.radius;
  return booleanPointInPolygon(point([lon, lat]), z.feature);
}

export interface Update {
  unit: number;
  tick: number;
  lon: number;
  lat: number;
}

export interface BaselineResult {
  updates: number;
  enters: number;
  exits: number;
  ms: number;
}

/**
 * Run the baseline over some units for every tick of the scenario: positions on the tracks,
 * one emission per update, every applicable zone tested.
 */
export function runBaseline(sc: Scenario, units: number[]): BaselineResult {
  const zones = sc.zones.map(baselineZone);
  const applies = units.map((u) => sc.zones.map((z, i) => (z.appliesTo.includes(sc.units[u].side) ? i : -1)).filter((i) => i >= 0));
  const inside = units.map(() => new Set<number>());
  const ticks = Math.floor((sc.end - sc.start) / sc.tick) + 1 + ((sc.end - sc.start) % sc.tick ? 1 : 0);
  const updates$ = new Observable<Update>((sub) => {
    const out = [0, 0];
    const hints = units.map(() => 0);
    for (let k = 0; k < ticks; k++) {
      const t = Math.min(sc.start + k * sc.tick, sc.end);
      for (let i = 0; i < units.length; i++) {
        hints[i] = positionAt(sc.units[units[i]].track, t, out, hints[i]);
        sub.next({ unit: i, tick: k, lon: out[0], lat: out[1] });
      }
    }
    sub.complete();
  });
  let n = 0;
  let enters = 0;
  let exits = 0;
  const t0 = performance.now();
  updates$.subscribe((upd) => {
    n++;
    const set = inside[upd.unit];
    for (const z of applies[upd.unit]) {
      const now = baselineInside(zones[z], upd.lon, upd.lat);
      if (now !== set.has(z)) {
        if (now) {
          set.add(z);
          enters++;
        } else {
          set.delete(z);
          exits++;
        }
      }
    }
  });
  return { updates: n, enters, exits, ms: performance.now() - t0 };
}
