/** Where a unit is with respect to a zone: beyond the approach band, in it, or inside the zone. */
export const FAR = 0;
export const BAND = 1;
export const INSIDE = 2;
export type Area = 0 | 1 | 2;
