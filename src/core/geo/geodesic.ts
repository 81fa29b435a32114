/**
 * Distances on the WGS84 ellipsoid. `geodesicDistance` is exact (geographiclib); the fast
 * helpers are only ever used with an error bound that sends close calls to the exact one.
 */
import geographiclib from 'geographiclib-geodesic';

/** A position: longitude and latitude in degrees, in that order (GeoJSON's). */
export type LonLat = [number, number];

const { Geodesic } = geographiclib;
const WGS84 = Geodesic.WGS84;
const DISTANCE = Geodesic.DISTANCE;

export const WGS84_A = 6378137;
export const WGS84_F = 1 / 298.257223563;
const E2 = WGS84_F * (2 - WGS84_F);
/** IUGG mean radius, used by the spherical fast path. */
export const MEAN_RADIUS = 6371008.8;
/**
 * Bound on the relative difference between the spherical (mean radius) and the ellipsoidal
 * distance between the same two points. The true bound is about 0.56 % (the meridional radius
 * of curvature ranges from 0.9944 to 1.0045 times the mean radius); 1 % leaves margin.
 */
export const SPHERE_REL_ERROR = 0.01;

const RAD = Math.PI / 180;

/**
 * Exact geodesic distance in metres between two points on WGS84 (geographiclib, accurate to
 * nanometres).
 * @example geodesicDistance([38.61778, 33.50583], [38.61778, 34.0]) // ≈ 54 790
 */
export function geodesicDistance(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0], DISTANCE).s12 as number;
}

/**
 * The last few distances asked for, by their four coordinates: the engine often asks for the same
 * one again straight away (an event's distance to the site, then the ladder's reference distance;
 * both ends of a stationary unit's path), and geographiclib's answer is costly and allocates.
 * Inputs of zero are not kept (0 and -0 are equal to `===`).
 */
const MEMO = 4;
const memo = new Float64Array(MEMO * 5).fill(NaN);
let memoNext = 0;

export function geodesicDistanceLL(lon1: number, lat1: number, lon2: number, lat2: number): number {
  for (let i = 0; i < MEMO * 5; i += 5) {
    if (memo[i] === lon1 && memo[i + 1] === lat1 && memo[i + 2] === lon2 && memo[i + 3] === lat2) return memo[i + 4];
  }
  const s12 = WGS84.Inverse(lat1, lon1, lat2, lon2, DISTANCE).s12 as number;
  if (lon1 !== 0 && lat1 !== 0 && lon2 !== 0 && lat2 !== 0) {
    const i = memoNext;
    memo[i] = lon1;
    memo[i + 1] = lat1;
    memo[i + 2] = lon2;
    memo[i + 3] = lat2;
    memo[i + 4] = s12;
    memoNext = (i + 5) % (MEMO * 5);
  }
  return s12;
}

/** The point at `distance` metres from `from` on initial bearing `azimuth` (degrees), on WGS84. */
export function geodesicDestination(from: LonLat, azimuth: number, distance: number): LonLat {
  const r = WGS84.Direct(from[1], from[0], azimuth, distance);
  return [normalizeLon(r.lon2 as number), r.lat2 as number];
}

/** Initial bearing (degrees, clockwise from north) of the geodesic from a to b. */
export function geodesicAzimuth(a: LonLat, b: LonLat): number {
  return WGS84.Inverse(a[1], a[0], b[1], b[0], Geodesic.AZIMUTH).azi1 as number;
}

/** Haversine distance on the mean-radius sphere; fast, within SPHERE_REL_ERROR of the truth. */
export function sphereDistanceLL(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const s1 = Math.sin((lat2 - lat1) * RAD * 0.5);
  const s2 = Math.sin((lon2 - lon1) * RAD * 0.5);
  const h = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * MEAN_RADIUS * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Wrap a longitude into [-180, 180). */
export function normalizeLon(lon: number): number {
  if (lon >= -180 && lon < 180) return lon;
  return ((((lon + 180) % 360) + 360) % 360) - 180;
}

/** Longitude difference b - a wrapped into (-180, 180]. */
export function lonDelta(a: number, b: number): number {
  let d = b - a;
  if (d > 180) d -= 360;
  else if (d <= -180) d += 360;
  return d;
}

/**
 * Metres per degree of longitude and latitude at a latitude, from the ellipsoid's radii of
 * curvature (prime vertical N and meridional M). Used for local plane approximations.
 */
export function metresPerDegree(lat: number): { x: number; y: number } {
  const s = Math.sin(lat * RAD);
  const w = Math.sqrt(1 - E2 * s * s);
  const n = WGS84_A / w;
  const m = (WGS84_A * (1 - E2)) / (w * w * w);
  return { x: n * Math.cos(lat * RAD) * RAD, y: m * RAD };
}

/**
 * `metresPerDegree` without allocating: writes x into out[0] and y into out[1]. The arithmetic
 * is the same, so the values are identical to the last bit.
 */
export function metresPerDegreeInto(lat: number, out: Float64Array | number[]): void {
  const s = Math.sin(lat * RAD);
  const w = Math.sqrt(1 - E2 * s * s);
  const n = WGS84_A / w;
  const m = (WGS84_A * (1 - E2)) / (w * w * w);
  out[0] = n * Math.cos(lat * RAD) * RAD;
  out[1] = m * RAD;
}

/** First eccentricity squared of WGS84. */
export const WGS84_E2 = E2;
