/**
 * The map viewport: a centre and a scale (metres per braille dot), projected with a local
 * equirectangular plane around the centre. Braille dots on a terminal cell (2 wide, 4 high on a
 * cell about twice as tall as wide) are close to square, so one scale serves both axes.
 */
import { lonDelta, metresPerDegree, normalizeLon } from '../../core/geo/geodesic.js';

export interface View {
  lon: number;
  lat: number;
  /** Metres per dot. */
  mpd: number;
}

export type Bounds = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export const MIN_MPD = 2;
export const MAX_MPD = 200_000;

export class Projection {
  readonly kx: number;
  readonly ky: number;
  readonly cx: number;
  readonly cy: number;

  constructor(
    readonly view: View,
    readonly dw: number,
    readonly dh: number,
  ) {
    const m = metresPerDegree(view.lat);
    this.kx = m.x / view.mpd;
    this.ky = m.y / view.mpd;
    this.cx = dw / 2;
    this.cy = dh / 2;
  }

  x(lon: number): number {
    return this.cx + lonDelta(this.view.lon, lon) * this.kx;
  }

  y(lat: number): number {
    return this.cy - (lat - this.view.lat) * this.ky;
  }

  lon(x: number): number {
    return normalizeLon(this.view.lon + (x - this.cx) / this.kx);
  }

  lat(y: number): number {
    return this.view.lat - (y - this.cy) / this.ky;
  }

  /** The lon/lat box the view shows, grown by `margin` dots. */
  bounds(margin = 0): Bounds {
    return [this.view.lon - (this.cx + margin) / this.kx, this.lat(this.dh + margin), this.view.lon + (this.cx + margin) / this.kx, this.lat(-margin)];
  }
}

/** The view that shows `b` in a dw×dh dot area with a margin of `pad` (fraction of the size). */
export function fitView(b: Bounds, dw: number, dh: number, pad = 0.06): View {
  const lat = (b[1] + b[3]) / 2;
  const lon = normalizeLon(b[0] + lonDelta(b[0], b[2]) / 2);
  const m = metresPerDegree(lat);
  const wm = Math.max(1, lonDelta(b[0], b[2]) * m.x);
  const hm = Math.max(1, (b[3] - b[1]) * m.y);
  const usableW = Math.max(1, dw * (1 - 2 * pad));
  const usableH = Math.max(1, dh * (1 - 2 * pad));
  const mpd = clampMpd(Math.max(wm / usableW, hm / usableH));
  return { lon, lat, mpd };
}

export function clampMpd(mpd: number): number {
  return Math.min(MAX_MPD, Math.max(MIN_MPD, mpd));
}

/** Grow bounds to include a point. */
export function extend(b: Bounds, lon: number, lat: number): void {
  if (lon < b[0]) b[0] = lon;
  if (lat < b[1]) b[1] = lat;
  if (lon > b[2]) b[2] = lon;
  if (lat > b[3]) b[3] = lat;
}

export function emptyBounds(): Bounds {
  return [Infinity, Infinity, -Infinity, -Infinity];
}

/** A "nice" length (1, 2 or 5 × 10^n metres) at most `max`. */
export function niceLength(max: number): number {
  if (!(max > 0)) return 0;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const f of [5, 2, 1]) if (f * p <= max) return f * p;
  return p;
}
