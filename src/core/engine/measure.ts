/**
 * The distances a rung and its event carry, measured now: the exact signed distance to the edge
 * and the reference distance (to the protected site, else the depth past the edge).
 */
import type { LonLat } from '../model.js';
import { exactEdge } from '../geo/crossings.js';
import { geodesicDistanceLL } from '../geo/geodesic.js';
import { ensureCur } from './motion/positions.js';
import type { PairState } from './state/records.js';
import type { World } from './world.js';

/**
 * Distance used to judge closing and withdrawal: to the protected site (WGS84 geodesic), else
 * the depth past the edge (exact): the numbers the events and their reasons carry.
 */
export function refDistance(w: World, u: number, p: PairState): number {
  const zone = w.zones[p.zone];
  if (zone.protects >= 0) {
    const s = w.scenario.sites[zone.protects].pos;
    return geodesicDistanceLL(s[0], s[1], w.cur[u * 2], w.cur[u * 2 + 1]);
  }
  return edgeNow(w, u, p);
}

/** The exact signed distance of unit u now to the edge of the pair's zone (geodesic for a circle). */
export function edgeNow(w: World, u: number, p: PairState): number {
  const shape = w.zones[p.zone].shape;
  // A polygon's or a line's distance is exact as kept; a circle's may be the spherical estimate.
  if (shape.kind !== 'circle') return p.d;
  ensureCur(w, u);
  return exactEdge(shape, w.cur[u * 2], w.cur[u * 2 + 1]);
}

/**
 * The fields every event about a pair carries, in their order: when, who, where, and the
 * distances there (site_m present, undefined for a zone that protects no site). A class, so that
 * the ladder can tell it from other bases and write its events out field by field.
 */
export class PairBase {
  constructor(
    public t: number,
    public unit: string,
    public zone: string,
    public at: LonLat,
    public edge_m: number,
    public site_m: number | undefined,
  ) {}
}

/**
 * One PairBase kept for as long as the module is loaded. Every other one lives for a moment, and
 * V8 collects the hidden class of objects none of which is alive: it would then build it again
 * after each full collection, and throw away the code compiled for the old one.
 */
export const PAIR_BASE_SHAPE = new PairBase(0, '', '', [0, 0], 0, undefined);

/** The fields every event about the pair at time t carries: who, where, and the distances now. */
export function eventBase(w: World, u: number, p: PairState, t: number): PairBase {
  const zone = w.zones[p.zone];
  const lon = w.cur[u * 2];
  const lat = w.cur[u * 2 + 1];
  return new PairBase(t, w.scenario.units[u].id, zone.id, [lon, lat], edgeNow(w, u, p), w.siteDistance(zone, lon, lat));
}
