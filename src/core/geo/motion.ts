/**
 * How far a unit can get, and how much a distance can change, in a given time. The engine uses
 * these bounds to prove that nothing can happen to a unit and a zone for a number of ticks, and
 * skips them; whenever the proof fails it does the full work. Bounds are deliberately generous:
 * they only decide how often work is done, never what the work finds.
 *
 * A unit moves along straight lon/lat legs, so between two times its longitude and latitude each
 * change at most by the steepest leg's rate times the time, plus twice its position noise. In
 * metres that is at most sqrt((Δlon·kx)² + (Δlat·ky)²) with kx, ky the largest metres per degree
 * over the latitudes of the track.
 */
import type { Track } from '../model.js';
import { metresPerDegreeInto } from './geodesic.js';

const RAD = Math.PI / 180;
const K = new Float64Array(2);

/** Kinds of distance for MotionBound.change. */
export const CHANGE_GEODESIC = 0;
export const CHANGE_PLANE = 1;
export const CHANGE_SPHERE = 2;
export const CHANGE_ESTIMATE = 3;

/** Largest |latitude| and smallest (0 if the track crosses the equator) over a track's fixes. */
function latRange(track: Track): { minAbs: number; maxAbs: number } {
  const n = track.t.length;
  let minAbs = Infinity;
  let maxAbs = 0;
  let pos = false;
  let neg = false;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(track.lat[i]);
    if (a < minAbs) minAbs = a;
    if (a > maxAbs) maxAbs = a;
    if (track.lat[i] > 0) pos = true;
    if (track.lat[i] < 0) neg = true;
  }
  // A track that crosses the equator passes latitude 0 between fixes.
  if (pos && neg) minAbs = 0;
  return { minAbs: n ? minAbs : 0, maxAbs };
}

/**
 * The largest |dlon/dt| and |dlat/dt| (degrees per ms) of leg i and all later legs of a track,
 * into K (0 from the last fix on). Worked out when a unit changes legs, a few dozen fixes at
 * most, rather than kept: a table per track cost more memory than all else a unit has.
 */
function speedsFrom(track: Track, i: number, out: Float64Array): void {
  const n = track.t.length;
  let vl = 0;
  let va = 0;
  for (let j = n - 2; j >= i; j--) {
    const dt = track.t[j + 1] - track.t[j];
    let dl = Math.abs(track.lon[j + 1] - track.lon[j]);
    if (dl > 180) dl = 360 - dl;
    const da = Math.abs(track.lat[j + 1] - track.lat[j]);
    vl = Math.max(vl, dl / dt);
    va = Math.max(va, da / dt);
  }
  out[0] = vl;
  out[1] = va;
}

/**
 * The motion bound of one unit from a given time on: degrees of longitude and latitude and
 * metres it can cover in T ms, and how fast metres per degree can change on the way.
 */
export class MotionBound {
  /** Degrees per ms. */
  vLon = 0;
  vLat = 0;
  /** Metres per ms. */
  vM = 0;
  /** Extra degrees and metres from position noise (twice the amplitude: then and now). */
  nLon = 0;
  nLat = 0;
  nM = 0;
  /** Largest metres per degree of longitude and of latitude over the unit's latitudes. */
  kxMax = 0;
  kyMax = 0;
  /** Rate bound of the relative change of metres per degree per radian of latitude. */
  dLogK = 0;
  /** False near the poles, where nothing is skipped. */
  usable = true;

  /** Set from a track, the leg in force (index of the last fix at or before now, -1 before the first) and noise (m). */
  set(track: Track, leg: number, noise: number): void {
    if (this.track !== track || this.noise !== noise) this.setTrack(track, noise);
    const i = Math.max(0, Math.min(track.t.length - 1, leg));
    speedsFrom(track, leg < 0 ? 0 : i, K);
    this.vLon = K[0];
    this.vLat = K[1];
    this.vM = Math.sqrt(this.vLon * this.kxMax * (this.vLon * this.kxMax) + this.vLat * this.kyMax * (this.vLat * this.kyMax)) * 1.000001;
  }

  private track: Track | null = null;
  private noise = 0;

  /** The parts that depend on the track and the noise only. */
  private setTrack(track: Track, noise: number): void {
    const s = latRange(track);
    this.track = track;
    this.noise = noise;
    // Noise: at most `noise` metres on each axis (converted at the track's latitude), at two times.
    const margin = 0.2 + (2 * noise) / 100_000;
    const hi = s.maxAbs + margin;
    const lo = Math.max(0, s.minAbs - margin);
    this.usable = hi < 85;
    metresPerDegreeInto(lo, K);
    this.kxMax = K[0] * 1.000001;
    metresPerDegreeInto(Math.min(90, hi), K);
    this.kyMax = K[1] * 1.000001;
    const kxMin = K[0];
    const kyMin = 110_574;
    this.nLon = noise > 0 ? ((2 * noise) / Math.max(1e-9, kxMin)) * 1.01 : 0;
    this.nLat = noise > 0 ? ((2 * noise) / kyMin) * 1.01 : 0;
    this.nM = noise > 0 ? 3 * noise * 1.01 : 0;
    this.dLogK = this.usable ? Math.tan(Math.min(89, hi) * RAD) + 0.012 : Infinity;
  }

  /** Whether the unit can never move again (no legs left and no noise). */
  get still(): boolean {
    return this.vM === 0 && this.nM === 0 && this.vLat === 0 && this.vLon === 0;
  }

  /** Metres the unit can cover in T ms (straight-line bound, with noise). */
  metres(T: number): number {
    return this.vM * T + this.nM;
  }

  /** Degrees of latitude the unit can cover in T ms. */
  dLat(T: number): number {
    return this.vLat * T + this.nLat;
  }

  /** Degrees of longitude the unit can cover in T ms. */
  dLon(T: number): number {
    return this.vLon * T + this.nLon;
  }

  /** Metres of a straight movement by (dLon, dLat) degrees, bounded above. */
  segmentMetres(dLon: number, dLat: number): number {
    const x = Math.abs(dLon) * this.kxMax;
    const y = Math.abs(dLat) * this.kyMax;
    return Math.sqrt(x * x + y * y) * 1.000001 + 1e-9;
  }

  /**
   * Bound on the change of a local-plane distance to straight lon/lat edges (polygons, lines;
   * metres per degree taken at the point's latitude) after moving `m` metres and `dLat` degrees
   * of latitude, from a point at distance |d|: (m + δ|d|)(1 + δ), δ the largest relative change
   * of metres per degree over dLat.
   */
  planeChange(m: number, dLat: number, absD: number): number {
    const delta = Math.expm1(Math.abs(dLat) * RAD * this.dLogK);
    return (m + delta * absD) * (1 + delta) + 1e-6;
  }

  /**
   * How much a distance can change in T ms, by kind: CHANGE_GEODESIC an exact geodesic distance
   * (1-Lipschitz); CHANGE_PLANE a local-plane distance to straight edges, now at |d| = `a`
   * (see planeChange); CHANGE_SPHERE a haversine distance (the sphere's metric is within 0.6 % of
   * the ellipsoid's); CHANGE_ESTIMATE a circle's signed distance as CircleZone.signedDistance
   * returns it (a haversine estimate within 1 %, or exact), radius `a`, now at |d| = `b`.
   */
  change(kind: number, T: number, a: number, b: number): number {
    const m = this.metres(T);
    switch (kind) {
      case CHANGE_GEODESIC:
        return m + 1e-6;
      case CHANGE_PLANE:
        return this.planeChange(m, this.dLat(T), a);
      case CHANGE_SPHERE:
        return m * 1.01 + 1e-6;
      default:
        return m + 0.02 * (a + b + m) + 0.2;
    }
  }

  /**
   * The longest time T (ms, ≥ 0) such that `change(kind, T, a, b)` stays below `gap`, or -1 if
   * not even T = 0 does. Infinity when the unit cannot move at all.
   */
  maxTime(gap: number, kind: number, a = 0, b = 0): number {
    if (!(this.change(kind, 0, a, b) < gap)) return -1;
    if (this.vM === 0 && this.vLat === 0 && this.vLon === 0) return Infinity;
    if (!this.usable) return 0;
    // Every change bound grows at least as fast as the metres covered.
    let hi = this.vM > 0 ? (gap - this.nM) / this.vM : 3.6e6;
    if (!(hi > 0)) return 0;
    if (this.change(kind, hi * 0.98, a, b) < gap) return hi * 0.98;
    let lo = 0;
    hi *= 0.98;
    for (let i = 0; i < 24; i++) {
      const mid = (lo + hi) / 2;
      if (this.change(kind, mid, a, b) < gap) lo = mid;
      else hi = mid;
    }
    return lo;
  }
}
