/**
 * Positions as trainers copy them from maps: `[lon, lat]` (GeoJSON order), `{lat, lon}`, an
 * MGRS grid reference (`37S DT 64499 07430`), or relative to what is there:
 * `{from: tanf, bearing: 300, distance: 70km}`. All are turned into `[lon, lat]` in degrees.
 */
import mgrs from 'mgrs';
import { geodesicDestination, type LonLat } from './geo/geodesic.js';
import { parseDistance } from './units.js';

export type { LonLat };

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
    return {
      ok: false,
      problem: { message: `longitude ${lon} is out of range (-180..180)`, hint: 'longitude is in degrees between -180 and 180', sub: where.lon },
    };
  }
  return { ok: true, value: [lon, lat] };
}

/** What a relative position may be measured from: the sites, and the previous position of a list. */
export interface PositionContext {
  /** Site positions by id (`from: tanf`). */
  sites?: ReadonlyMap<string, LonLat>;
  /** The previous waypoint or vertex: a relative position without `from` starts here. */
  previous?: LonLat;
}

const RELATIVE_KEYS = ['from', 'bearing', 'distance'];

/** Whether a value is written as a relative position (`{from, bearing, distance}` or `{bearing, distance}`). */
export function isRelativePosition(v: unknown): v is { from?: unknown; bearing: unknown; distance: unknown } {
  return !!v && typeof v === 'object' && !Array.isArray(v) && ('bearing' in v || 'distance' in v || 'from' in v);
}

/**
 * `{from, bearing, distance}`: the geodesic Direct on WGS84 from a site or a position, on an
 * initial bearing (degrees clockwise from true north) for a distance. Without `from`, from the
 * previous waypoint or vertex.
 */
function parseRelative(o: Record<string, unknown>, ctx: PositionContext): PositionResult {
  const extra = Object.keys(o).filter((k) => !RELATIVE_KEYS.includes(k));
  if (extra.length) {
    return {
      ok: false,
      problem: {
        message: `unknown field '${extra[0]}' in a relative position`,
        hint: 'a relative position has from, bearing and distance, e.g. {from: tanf, bearing: 300, distance: 70km}',
        sub: [extra[0]],
      },
    };
  }
  for (const k of ['bearing', 'distance']) {
    if (!(k in o)) return { ok: false, problem: { message: `a relative position needs '${k}'`, hint: 'e.g. {from: tanf, bearing: 300, distance: 70km}' } };
  }
  const bearing = o.bearing;
  if (typeof bearing !== 'number' || !Number.isFinite(bearing) || bearing < 0 || bearing > 360) {
    return {
      ok: false,
      problem: { message: 'bearing must be a number of degrees from 0 to 360 (clockwise from true north)', hint: 'e.g. bearing: 300', sub: ['bearing'] },
    };
  }
  const distance = parseDistance(o.distance);
  if (distance === undefined || distance < 0) {
    return { ok: false, problem: { message: `${JSON.stringify(o.distance)} is not a distance`, hint: 'e.g. 70km, 250m or 3nm', sub: ['distance'] } };
  }
  if (distance > 20_000_000) {
    return {
      ok: false,
      problem: { message: 'the distance is further than any two places on Earth are apart', hint: 'a distance stays under 20000 km', sub: ['distance'] },
    };
  }
  let origin: LonLat;
  if (!('from' in o)) {
    if (!ctx.previous) {
      return {
        ok: false,
        problem: {
          message: "a relative position needs 'from' here",
          hint: 'without from, a bearing and distance start at the previous waypoint or vertex; give from: SITE or from: POSITION',
        },
      };
    }
    origin = ctx.previous;
  } else if (typeof o.from === 'string' && (ctx.sites?.has(o.from) || !MGRS_RE.test(o.from))) {
    const site = ctx.sites?.get(o.from);
    if (!site) {
      const known = [...(ctx.sites?.keys() ?? [])];
      return {
        ok: false,
        problem: {
          message: `unknown site '${o.from}'`,
          hint: known.length
            ? `from names a site defined above (${known.slice(0, 8).join(', ')}) or a position`
            : 'from names a site defined above, or a position',
          sub: ['from'],
        },
      };
    }
    origin = site;
  } else {
    const r = parsePosition(o.from, { sites: ctx.sites });
    if (!r.ok) return { ok: false, problem: { ...r.problem, sub: ['from', ...(r.problem.sub ?? [])] } };
    origin = r.value;
  }
  return { ok: true, value: geodesicDestination(origin, bearing, distance) };
}

/**
 * Turn any accepted position form into `[lon, lat]`, or explain what is wrong.
 * @example parsePosition({ lat: 33.50583, lon: 38.61778 }) // { ok: true, value: [38.61778, 33.50583] }
 * @example parsePosition({ from: 'tanf', bearing: 300, distance: '70km' }, { sites }) // 70 km west-north-west of the site
 */
export function parsePosition(v: unknown, ctx: PositionContext = {}): PositionResult {
  if (Array.isArray(v)) {
    if ((v.length !== 2 && v.length !== 3) || !v.every((x) => typeof x === 'number')) {
      return {
        ok: false,
        problem: { message: 'a position list must be two numbers [lon, lat]', hint: 'e.g. [38.61778, 33.50583] (longitude first, as in GeoJSON)' },
      };
    }
    return checkLonLat(v[0], v[1], { lon: [0], lat: [1] });
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (isRelativePosition(o)) return parseRelative(o, ctx);
    const keys = Object.keys(o);
    const extra = keys.filter((k) => !['lat', 'lon'].includes(k));
    if (extra.length) {
      return {
        ok: false,
        problem: {
          message: `unknown field '${extra[0]}' in a position`,
          hint: 'a position object has exactly lat and lon, e.g. {lat: 33.50583, lon: 38.61778}',
          sub: [extra[0]],
        },
      };
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
      return {
        ok: false,
        problem: { message: `'${v}' is not a valid MGRS grid reference`, hint: 'check the 100 km square letters for this zone, e.g. "37S DT 64499 07430"' },
      };
    }
  }
  return {
    ok: false,
    problem: {
      message: 'a position must be [lon, lat], {lat, lon}, an MGRS grid reference or {from, bearing, distance}',
      hint: 'e.g. [38.61778, 33.50583], {lat: 33.50583, lon: 38.61778}, "37S DT 64499 07430" or {from: tanf, bearing: 300, distance: 70km}',
    },
  };
}
