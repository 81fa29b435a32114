/**
 * Closest approach: the least distance a unit came to a protected site (or to a zone's edge),
 * and when. The after-action report measures it on the positions a run judged, tick by tick
 * (`Nearest`); the terminal UI on a unit's track in force, up to the tick shown
 * (`closestOnTrack`). Both keep the first moment the least distance was reached.
 */
import { geodesicDistance, sphereDistanceLL } from '../geo/geodesic.js';
import type { LonLat, Track } from '../model.js';
import { positionAt } from '../track.js';

export interface Approach {
  /** Metres (to an edge: signed, negative inside). */
  m: number;
  /** Epoch ms. */
  t: number;
}

/** The least of a series of distances offered in time order, and the time of the first that reached it. */
export class Nearest implements Approach {
  m = Infinity;
  t = 0;

  offer(m: number, t: number): void {
    if (m < this.m) {
      this.m = m;
      this.t = t;
    }
  }
}

/** What an approach is measured to: a site (metres on WGS84), or a zone's edge (signed metres). */
export type ApproachTarget = { site: LonLat } | { edge: { signedDistance(lon: number, lat: number): number } };

/**
 * The closest approach of a track, sampled at ticks 0..`last` (`timeOf(k)` the time of tick k),
 * to a target. A site is searched on the sphere, which is cheap enough for every frame, and the
 * closest is measured again on WGS84; an edge by its signed distance.
 */
export function closestOnTrack(track: Track, timeOf: (k: number) => number, last: number, target: ApproachTarget): Approach {
  const site = 'site' in target ? target.site : undefined;
  const measure = site
    ? (lon: number, lat: number) => sphereDistanceLL(lon, lat, site[0], site[1])
    : 'edge' in target
      ? (lon: number, lat: number) => target.edge.signedDistance(lon, lat)
      : () => Infinity;
  const p = [0, 0];
  const near = new Nearest();
  near.t = timeOf(0);
  for (let k = 0, hint = -1; k <= last; k++) {
    const t = timeOf(k);
    hint = positionAt(track, t, p, hint);
    near.offer(measure(p[0], p[1]), t);
  }
  if (!site) return { m: near.m, t: near.t };
  positionAt(track, near.t, p);
  return { m: geodesicDistance([p[0], p[1]], site), t: near.t };
}
