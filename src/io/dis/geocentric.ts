/**
 * Geocentric (earth-centred, earth-fixed) coordinates to WGS84 latitude, longitude and height:
 * what DIS positions are in. The JavaScript GeographicLib (geographiclib-geodesic) has the
 * geodesic routines only, not its Geocentric class, so this is a port of GeographicLib's
 * `Geocentric::IntReverse` (C. F. F. Karney, after H. Vermeille, "An analytical method to
 * transform geocentric into geodetic coordinates", J. Geodesy 85, 2011): closed form, accurate to
 * nanometres everywhere, with the WGS84 constants geographiclib uses.
 */
import { WGS84_A, WGS84_F } from '../../core/geo/geodesic.js';

const A = WGS84_A;
const F = WGS84_F;
const E2 = F * (2 - F);
const E2M = (1 - F) * (1 - F);
const E2A = Math.abs(E2);
const E4A = E2 * E2;
const MAXRAD = (2 * A) / Number.EPSILON;
const DEG = 180 / Math.PI;

export interface Geodetic {
  lat: number;
  lon: number;
  /** Height above the ellipsoid, m. */
  h: number;
}

/** ECEF X, Y, Z (m) to WGS84 latitude and longitude (degrees) and height (m). */
export function ecefToGeodetic(X: number, Y: number, Z: number): Geodetic {
  const R = Math.hypot(X, Y);
  let slam = R !== 0 ? Y / R : 0;
  let clam = R !== 0 ? X / R : 1;
  let h = Math.hypot(R, Z);
  let sphi: number;
  let cphi: number;
  if (h > MAXRAD) {
    // Far from the earth: the geocentric direction (scaled so that nothing overflows).
    const RR = R / 2;
    const ZZ = Z / 2;
    const HH = Math.hypot(RR, ZZ);
    sphi = ZZ / HH;
    cphi = RR / HH;
  } else {
    let p = (R / A) ** 2;
    let q = E2M * (Z / A) ** 2;
    const r = (p + q - E4A) / 6;
    if (F < 0) [p, q] = [q, p];
    if (!(E4A * q === 0 && r <= 0)) {
      const S = (E4A * p * q) / 4;
      const r2 = r * r;
      const r3 = r * r2;
      const disc = S * (2 * r3 + S);
      let u = r;
      if (disc >= 0) {
        let T3 = S + r3;
        T3 += T3 < 0 ? -Math.sqrt(disc) : Math.sqrt(disc);
        const T = Math.cbrt(T3);
        u += T + (T !== 0 ? r2 / T : 0);
      } else {
        const ang = Math.atan2(Math.sqrt(-disc), -(S + r3));
        u += 2 * r * Math.cos(ang / 3);
      }
      const v = Math.sqrt(u * u + E4A * q);
      const uv = u < 0 ? (E4A * q) / (v - u) : u + v;
      const w = Math.max(0, (E2A * (uv - q)) / (2 * v));
      const k = uv / (Math.sqrt(uv + w * w) + w);
      const k1 = F >= 0 ? k : k - E2;
      const k2 = F >= 0 ? k + E2 : k;
      const d = (k1 * R) / k2;
      const H = Math.hypot(Z / k1, R / k2);
      sphi = Z / k1 / H;
      cphi = R / k2 / H;
      h = (1 - E2M / k1) * Math.hypot(d, Z);
    } else {
      // On the equatorial plane inside the focal circle (deep inside the earth).
      const zz = Math.sqrt((F >= 0 ? E4A - p : p) / E2M);
      const xx = Math.sqrt(F < 0 ? E4A - p : p);
      const H = Math.hypot(zz, xx);
      sphi = zz / H;
      cphi = xx / H;
      if (Z < 0) sphi = -sphi;
      h = (-A * (F >= 0 ? E2M : 1) * H) / E4A;
    }
  }
  if (R === 0) {
    slam = 0;
    clam = 1;
  }
  return { lat: Math.atan2(sphi, cphi) * DEG, lon: Math.atan2(slam, clam) * DEG, h };
}

/** WGS84 latitude, longitude (degrees) and height (m) to ECEF X, Y, Z (m): the textbook forward formula. */
export function geodeticToEcef(lat: number, lon: number, h = 0): [number, number, number] {
  const phi = lat / DEG;
  const lam = lon / DEG;
  const s = Math.sin(phi);
  const N = A / Math.sqrt(1 - E2 * s * s);
  return [(N + h) * Math.cos(phi) * Math.cos(lam), (N + h) * Math.cos(phi) * Math.sin(lam), (N * (1 - E2) + h) * s];
}
