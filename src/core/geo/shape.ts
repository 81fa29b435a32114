/** What every zone shape answers (circle.ts, polygon.ts, line.ts). */
import type { LonLat } from './geodesic.js';

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export interface ZoneShape {
  readonly kind: 'circle' | 'polygon' | 'line';
  /**
   * Signed distance in metres from the edge: negative inside the zone (for a line: on the
   * forbidden side). Exact within 1 cm wherever the result is close to one of `levels`.
   */
  signedDistance(lon: number, lat: number): number;
  /** Bounding boxes (more than one when split at the antimeridian) grown by `margin` metres. */
  bboxes(margin: number): BBox[];
  /**
   * Parameters s in (0, 1], sorted, where the movement from (lon0, lat0) to (lon1, lat1) crosses
   * the edge itself, found exactly for polygons and lines and by bisection for circles.
   */
  edgeCrossings(lon0: number, lat0: number, lon1: number, lat1: number): number[];
  /** Sample points of the outline for drawing: closed rings, or the line (`steps`: the sides of a circle). */
  outline(steps?: number): LonLat[][];
  /**
   * Optional hint: queries will mostly come within `margin` metres of the edge (the engine passes
   * the approach band plus hysteresis). Only speed depends on it, never a result.
   */
  prepare?(margin: number): void;
}
