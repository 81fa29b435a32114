/**
 * Zone geometry. Every zone answers one question exactly where it decides — how far is this
 * point from the edge, negative inside (or on the forbidden side of a line) — and finds where a
 * straight movement between two fixes crosses a given distance from the edge.
 *
 * - Circles are judged by WGS84 geodesic distance. A spherical fast path is used only when it
 *   is farther than its error bound from every level that matters, so no point is misclassified.
 * - Polygons and lines follow RFC 7946: edges are straight in longitude/latitude. Polygons
 *   and lines that cross the antimeridian are unwrapped into one continuous longitude range.
 */
export type { BBox, ZoneShape } from './shape.js';
export { bisect, lerpLonLat } from './planar.js';
export { CircleZone, geodesicCircle } from './circle.js';
export { PolygonZone } from './polygon.js';
export { LineZone } from './line.js';
export { levelCrossings } from './level-crossings.js';

import type { CircleZone } from './circle.js';
import type { LineZone } from './line.js';
import type { PolygonZone } from './polygon.js';

/** Every zone shape, for narrowing on `kind`. */
export type Shape = CircleZone | PolygonZone | LineZone;
