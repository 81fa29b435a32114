/**
 * The extent of a polygon or a line, unwrapped into one continuous longitude range (it may run
 * past ±180): what both shapes need to bring a longitude into that range and to give their
 * bounding boxes.
 */
import { degreeMargins, wrapBox } from './bbox.js';
import { lonDelta, type LonLat } from './geodesic.js';
import type { BBox } from './shape.js';

export abstract class LonLatExtent {
  protected readonly minLon: number;
  protected readonly maxLon: number;
  protected readonly minLat: number;
  protected readonly maxLat: number;

  /** `parts`: the shape's unwrapped rings (or its one line). */
  constructor(parts: readonly (readonly LonLat[])[]) {
    let minLon = Infinity;
    let maxLon = -Infinity;
    let minLat = Infinity;
    let maxLat = -Infinity;
    for (const part of parts) {
      for (const [x, y] of part) {
        minLon = Math.min(minLon, x);
        maxLon = Math.max(maxLon, x);
        minLat = Math.min(minLat, y);
        maxLat = Math.max(maxLat, y);
      }
    }
    this.minLon = minLon;
    this.maxLon = maxLon;
    this.minLat = minLat;
    this.maxLat = maxLat;
  }

  /** A longitude shifted into this shape's unwrapped range. */
  protected shiftLon(lon: number): number {
    const mid = (this.minLon + this.maxLon) / 2;
    return mid + lonDelta(mid, lon);
  }

  bboxes(margin: number): BBox[] {
    const { dlon, dlat } = degreeMargins(margin, this.minLat, this.maxLat);
    return wrapBox(this.minLon - dlon, this.minLat - dlat, this.maxLon + dlon, this.maxLat + dlat);
  }
}
