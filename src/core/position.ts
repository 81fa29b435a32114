/**
 * Positions as trainers copy them from maps: `[lon, lat]` (GeoJSON order), `{lat, lon}`, or an
 * MGRS grid reference (`37S DT 64499 07430`). All are turned into `[lon, lat]` in degrees.
 */
import mgrs from 'mgrs';

export type LonLat = [number, number];

export interface PositionProblem {
  /** What is wrong, in a sentence. */
  message: string;
  /** What would be right. */
  hint?: string;
  /** A sub-path inside the position value (e.g. `[1]` or `lat`) where the problem is. */
  sub?: (string | number)[];
}

export type PositionResult = { ok: true; value: LonLat } | { ok: false; problem: PositionProblem };

const MGRS_RE = /^\s*(\d{1,2})\s*([C-HJ-NP-X])\s*([A-HJ-NP-Z]{2})\s*(\d{1,5})\s*(\d{1,5})\s*$/i;

function checkLonLat(lon: number, lat: number, where: { lon: (string | number)[]; lat: (string | number)[] }): PositionResult {
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
    return { ok: false, problem: { message: 'coordinates must be finite numbers', hint: 'write degrees, e.g. [38.61778, 33.50583]' } };
  }
  if (lat < -90 || lat > 90) {
    const swapped = lon >= -90 && lon <= 90 && Math.abs(lat) <= 180;
    return {
      ok: false,
      problem: {
        message: `latitude ${lat} is out of range (-90..90)`,
        hint: swapped
          ? `were longitude and latitude swapped? A list is [lon, lat] (GeoJSON order): [${lat}, ${lon}]`
          : 'latitude is in degrees between -90 and 90',
        sub: where.lat,
      },
    };
  }
  if (lon < -180 || lon > 180) {
    return { ok: false, problem: { message: `longitude ${lon} is out of range (-180..180)`, hint: 'longitude is in degrees between -180 and 180', sub: where.lon } };
  }
  return { ok: true, value: [lon, lat] };
}

/**
 * Turn any accepted position form into `[lon, lat]`, or explain what is wrong.
 * @example parsePosition({ lat: 33.50583, lon: 38.61778 }) // { ok: true, value: [38.61778, 33.50583] }
 */
export function parsePosition(v: unknown): PositionResult {
  if (Array.isArray(v)) {
    if ((v.length !== 2 && v.length !== 3) || !v.every((x) => typeof x === 'number')) {
      return { ok: false, problem: { message: 'a position list must be two numbers [lon, lat]', hint: 'e.g. [38.61778, 33.50583] (longitude first, as in GeoJSON)' } };
    }
    return checkLonLat(v[0], v[1], { lon: [0], lat: [1] });
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    const extra = keys.filter((k) => !['lat', 'lon'].includes(k));
    if (extra.length) {
      return { ok: false, problem: { message: `unknown field '${extra[0]}' in a position`, hint: 'a position object has exactly lat and lon, e.g. {lat: 33.50583, lon: 38.61778}', sub: [extra[0]] } };
    }
    for (const k of ['lat', 'lon']) {
      if (!(k in o)) return { ok: false, problem: { message: `a position object needs '${k}'`, hint: 'e.g. {lat: 33.50583, lon: 38.61778}' } };
      if (typeof o[k] !== 'number') return { ok: false, problem: { message: `'${k}' must be a number of degrees`, sub: [k] } };
    }
    return checkLonLat(o.lon as number, o.lat as number, { lon: ['lon'], lat: ['lat'] });
  }
  if (typeof v === 'string') {
    const m = MGRS_RE.exec(v);
    if (!m || m[4].length !== m[5].length) {
      return {
        ok: false,
        problem: {
          message: `'${v}' is not a valid MGRS grid reference`,
          hint: 'write zone, band, 100 km square, then easting and northing with the same number of digits, e.g. "37S DT 64499 07430"',
        },
      };
    }
    const zone = Number(m[1]);
    if (zone < 1 || zone > 60) {
      return { ok: false, problem: { message: `MGRS zone ${zone} does not exist`, hint: 'UTM zones run from 1 to 60' } };
    }
    try {
      const p = mgrs.toPoint(`${m[1]}${m[2]}${m[3]}${m[4]}${m[5]}`.toUpperCase());
      if (!Number.isFinite(p[0]) || !Number.isFinite(p[1])) throw new Error('not finite');
      return checkLonLat(p[0], p[1], { lon: [], lat: [] });
    } catch {
      return { ok: false, problem: { message: `'${v}' is not a valid MGRS grid reference`, hint: 'check the 100 km square letters for this zone, e.g. "37S DT 64499 07430"' } };
    }
  }
  return {
    ok: false,
    problem: { message: 'a position must be [lon, lat], {lat, lon} or an MGRS grid reference', hint: 'e.g. [38.61778, 33.50583], {lat: 33.50583, lon: 38.61778} or "37S DT 64499 07430"' },
  };
}
