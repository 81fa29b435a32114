/**
 * GeoJSON (QGIS, geojson.io, kepler.gl, togeojson output):
 * - a LineString or MultiLineString with times in `properties.coordinateProperties.times`
 *   (togeojson, geojson.io), `properties.coordTimes` or `properties.times` → a timed track;
 * - a LineString without times → a path (a line zone, or a track given a start and a speed);
 * - Points with a `time` (or `timestamp`, `when`, `datetime`) property → fixes, grouped into
 *   tracks by `unit` (or `track`, `name`, `id`, the feature id);
 * - Points without time → sites; Polygons (and single-part MultiPolygons) → polygon zones.
 * Errors name the line and column of the feature (found by scanning the text, only for a message).
 */
import type { LonLat } from '../core/position.js';
import { emptyGeoData, lonLat, timedTrack, type Fix, type GeoData, type Where } from './geodata.js';
import { brief, fileError, lineColAt, parseFixTime } from './source.js';

const TIME_KEYS = ['time', 'timestamp', 'when', 'datetime', 't'];
const GROUP_KEYS = ['unit', 'track', 'name', 'id'];

type Path = (string | number)[];

/** Deepest nesting of lists and objects read (a MultiPolygon's coordinates are four deep). */
export const MAX_JSON_DEPTH = 100;

/** Where lists and objects first nest MAX_JSON_DEPTH deep (outside strings), checked before anything recurses into them. */
function deepJson(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length; i++) {
        const d = text.charCodeAt(i);
        if (d === 92) i++;
        else if (d === 34) break;
      }
    } else if (c === 91 || c === 123) {
      if (++depth >= MAX_JSON_DEPTH) return i;
    } else if ((c === 93 || c === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** A value as JSON, cut short (a message never repeats a large value whole; depth is bounded by deepJson). */
function shown(v: unknown): string {
  const j = JSON.stringify(v) ?? String(v);
  return j.length > 60 ? `${j.slice(0, 60)}…` : j;
}

export function readGeoJson(text: string, file: string): GeoData {
  const deep = deepJson(text);
  if (deep !== undefined) {
    const lc = lineColAt(text, deep);
    throw fileError(file, lc.line, lc.column, 'the file nests lists and objects too deeply', `GeoJSON positions nest four deep at most`);
  }
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec((e as Error).message);
    const lc = m ? lineColAt(text, Number(m[1])) : { line: 1, column: 1 };
    throw fileError(
      file,
      lc.line,
      lc.column,
      `malformed JSON: ${(e as Error).message.replace(/ in JSON at position \d+.*$/, '').replace(/^JSON\.parse: /, '')}`,
    );
  }
  let locator: ((p: Path) => Where) | undefined;
  const where = (p: Path): Where => (locator ??= makeLocator(text))(p);
  const bad = (p: Path, msg: string, hint?: string) => {
    const w = where(p);
    return fileError(file, w.line, w.column, msg, hint, pathText(p));
  };
  if (!root || typeof root !== 'object' || Array.isArray(root))
    throw fileError(file, 1, 1, 'a GeoJSON file holds an object (a FeatureCollection, Feature or geometry)');
  const o = root as Record<string, unknown>;
  let features: { f: Record<string, unknown>; p: Path }[];
  if (o.type === 'FeatureCollection') {
    if (!Array.isArray(o.features)) throw bad([], "a FeatureCollection needs a 'features' list");
    features = o.features.map((f, i) => ({ f: f as Record<string, unknown>, p: ['features', i] }));
  } else if (o.type === 'Feature') features = [{ f: o, p: [] }];
  else if (typeof o.type === 'string' && o.coordinates !== undefined) features = [{ f: { type: 'Feature', geometry: o, properties: {} }, p: [] }];
  else throw bad(['type'], `${brief(o.type)} is not a GeoJSON type deconflict reads`, 'use a FeatureCollection, a Feature or a geometry');

  const data = emptyGeoData(file, 'geojson');
  const groups = new Map<string, { fixes: Fix[]; at: Where }>();
  features.forEach(({ f, p }, i) => {
    if (!f || typeof f !== 'object' || f.type !== 'Feature')
      throw bad(p, 'expected a Feature', "each entry of 'features' is {type: Feature, geometry, properties}");
    const props = (f.properties && typeof f.properties === 'object' ? f.properties : {}) as Record<string, unknown>;
    const g = f.geometry as Record<string, unknown> | null;
    if (!g) return;
    const name =
      typeof props.name === 'string' && props.name.trim()
        ? props.name.trim()
        : typeof f.id === 'string' || typeof f.id === 'number'
          ? String(f.id)
          : `feature ${i + 1}`;
    const id = typeof f.id === 'string' || typeof f.id === 'number' ? String(f.id) : typeof props.id === 'string' ? props.id : undefined;
    const gp: Path = [...p, 'geometry'];
    const pos = (c: unknown, cp: Path): LonLat => {
      const r = lonLat(c);
      if (!r) throw bad(cp, `${shown(c)} is not a [longitude, latitude] position in range`, 'GeoJSON positions are [lon, lat]');
      return r;
    };
    // Located only when read (a message needs it): finding positions parses the text again.
    const w: Where = {
      get line() {
        return where(p).line;
      },
      get column() {
        return where(p).column;
      },
    };
    if (g.type === 'Point') {
      const c = pos(g.coordinates, [...gp, 'coordinates']);
      const tk = TIME_KEYS.find((k) => props[k] !== undefined && props[k] !== null && props[k] !== '');
      if (tk) {
        const t = parseFixTime(props[tk]);
        if (t === undefined)
          throw bad([...p, 'properties', tk], `${brief(props[tk])} is not a time`, 'use ISO 8601, e.g. 2017-05-18T06:00:00Z, or seconds since 1970');
        const gk = GROUP_KEYS.find((k) => typeof props[k] === 'string' || typeof props[k] === 'number');
        const key = gk ? String(props[gk]).trim() || String(props[gk]) : (id ?? 'points');
        let gr = groups.get(key);
        if (!gr) groups.set(key, (gr = { fixes: [], at: w }));
        gr.fixes.push({ t, lon: c[0], lat: c[1] });
      } else data.points.push({ name, id, pos: c, what: 'GeoJSON point', at: w });
      return;
    }
    // Older togeojson writes a gx:MultiTrack (and a MultiGeometry) as a GeometryCollection of
    // lines, with one list of times per line: read as a MultiLineString.
    const collected = g.type === 'GeometryCollection' ? collectionLines(g, gp) : undefined;
    if (collected && !collected.length) {
      data.notes.push(`${file}: feature ${i + 1} ('${name}') is a GeometryCollection without lines; not read`);
      return;
    }
    if (g.type === 'LineString' || g.type === 'MultiLineString' || collected) {
      const srcs: { line: unknown; path: Path }[] = collected
        ? collected
        : g.type === 'LineString'
          ? [{ line: g.coordinates, path: [...gp, 'coordinates'] }]
          : Array.isArray(g.coordinates)
            ? (g.coordinates as unknown[]).map((line, s) => ({ line, path: [...gp, 'coordinates', s] }))
            : [];
      if (!srcs.length || !srcs.every((x) => Array.isArray(x.line))) throw bad([...gp, 'coordinates'], 'expected a list of positions');
      const cs = srcs.map(({ line, path }) => (line as unknown[]).map((c, k) => pos(c, [...path, k])));
      const timesKey = timesOf(props);
      if (timesKey) {
        const raw = timesKey.value;
        const lists = (cs.length > 1 && Array.isArray(raw[0]) ? raw : [raw]) as unknown[][];
        const fixes: Fix[] = [];
        cs.forEach((line, s) => {
          const ts = lists[s];
          if (!Array.isArray(ts) || ts.length !== line.length) {
            throw bad(
              [...p, 'properties', ...timesKey.path],
              `the line has ${line.length} positions but ${Array.isArray(ts) ? ts.length : 'no'} times`,
              'give one time per position',
            );
          }
          line.forEach((c, k) => {
            const t = parseFixTime(ts[k]);
            if (t === undefined)
              throw bad(
                [...p, 'properties', ...timesKey.path, ...(lists.length > 1 ? [s] : []), k],
                `${brief(ts[k])} is not a time`,
                'use ISO 8601, e.g. 2017-05-18T06:00:00Z',
              );
            fixes.push({ t, lon: c[0], lat: c[1] });
          });
        });
        data.tracks.push(
          timedTrack(fixes, {
            name,
            id,
            what: collected ? 'GeoJSON GeometryCollection of lines with times' : 'GeoJSON line with times',
            at: w,
            props: scalarProps(props),
          }),
        );
        cs.forEach((line, s) =>
          data.shapes.push({ name: cs.length > 1 ? `${name} ${s + 1}` : name, id, kind: 'line', line, what: 'GeoJSON line with times', at: w, timed: true }),
        );
      } else {
        cs.forEach((line, s) => {
          const n = cs.length > 1 ? `${name} ${s + 1}` : name;
          data.tracks.push({ name: n, id, kind: 'untimed', fixes: [], coords: line, what: 'GeoJSON line', at: w, props: scalarProps(props) });
          data.shapes.push({ name: n, id, kind: 'line', line, what: 'GeoJSON line', at: w });
        });
      }
      return;
    }
    if (g.type === 'Polygon' || g.type === 'MultiPolygon') {
      let polys = g.coordinates as unknown[][][];
      if (g.type === 'Polygon') polys = [g.coordinates as unknown[][]];
      if (!Array.isArray(polys)) throw bad([...gp, 'coordinates'], 'expected a list of rings');
      polys.forEach((rings, k) => {
        const rp: Path = g.type === 'Polygon' ? [...gp, 'coordinates'] : [...gp, 'coordinates', k];
        if (!Array.isArray(rings)) throw bad(rp, 'expected a list of rings');
        const rs = rings.map((r, j) => {
          if (!Array.isArray(r)) throw bad([...rp, j], 'expected a ring (a list of positions)');
          const pts = r.map((c, m) => pos(c, [...rp, j, m]));
          if (pts.length && (pts[0][0] !== pts[pts.length - 1][0] || pts[0][1] !== pts[pts.length - 1][1])) pts.push(pts[0]);
          if (pts.length < 4) throw bad([...rp, j], `a polygon ring needs at least 4 positions (it has ${r.length})`);
          return pts;
        });
        data.shapes.push({ name: polys.length > 1 ? `${name} ${k + 1}` : name, id, kind: 'polygon', rings: rs, what: 'GeoJSON polygon', at: w });
      });
      return;
    }
    if (g.type === 'MultiPoint') {
      data.notes.push(`${file}: feature ${i + 1} ('${name}') is a MultiPoint; not read (give each fix its own Point with a time)`);
      return;
    }
    throw bad([...gp, 'type'], `${brief(g.type)} is not a GeoJSON geometry type`);
  });
  for (const [name, gr] of groups) {
    data.tracks.push(timedTrack(gr.fixes, { name, what: 'GeoJSON timed points', at: gr.at }));
  }
  return data;
}

/** The lines of a GeometryCollection (LineStrings and MultiLineStrings, in order), with their paths. */
function collectionLines(g: Record<string, unknown>, gp: Path): { line: unknown; path: Path }[] {
  const out: { line: unknown; path: Path }[] = [];
  if (!Array.isArray(g.geometries)) return out;
  g.geometries.forEach((x: unknown, j) => {
    const sub = x as Record<string, unknown> | null;
    if (!sub || typeof sub !== 'object') return;
    const p: Path = [...gp, 'geometries', j, 'coordinates'];
    if (sub.type === 'LineString') out.push({ line: sub.coordinates, path: p });
    else if (sub.type === 'MultiLineString' && Array.isArray(sub.coordinates))
      (sub.coordinates as unknown[]).forEach((line, s) => out.push({ line, path: [...p, s] }));
  });
  return out;
}

function timesOf(props: Record<string, unknown>): { value: unknown[]; path: Path } | undefined {
  const cp = props.coordinateProperties as Record<string, unknown> | undefined;
  if (cp && Array.isArray(cp.times)) return { value: cp.times, path: ['coordinateProperties', 'times'] };
  for (const k of ['coordTimes', 'times']) if (Array.isArray(props[k])) return { value: props[k] as unknown[], path: [k] };
  return undefined;
}

function scalarProps(props: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (k !== 'name' && (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) out[k] = v;
  return Object.keys(out).length ? out : undefined;
}

function pathText(p: Path): string {
  return p
    .map((x) => (typeof x === 'number' ? `[${x}]` : `.${x}`))
    .join('')
    .replace(/^\./, '');
}

/**
 * Positions of JSON nodes by path, found by scanning the text down that one path (skipping every
 * other value by its brackets), only when an error is reported: linear in the text, and no second
 * parser builds a tree of the whole file. Falls back to the deepest parent found, as the scenario
 * loader does.
 */
export function makeLocator(text: string): (p: Path) => Where {
  const n = text.length;
  const ws = (i: number) => {
    while (i < n && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
    return i;
  };
  const endOfString = (i: number) => {
    for (i++; i < n; i++) {
      if (text[i] === '\\') i++;
      else if (text[i] === '"') return i + 1;
    }
    return n;
  };
  const skipValue = (i: number) => {
    if (text[i] === '"') return endOfString(i);
    if (text[i] === '[' || text[i] === '{') {
      let depth = 0;
      for (; i < n; i++) {
        const c = text[i];
        if (c === '"') i = endOfString(i) - 1;
        else if (c === '[' || c === '{') depth++;
        else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
      }
      return n;
    }
    while (i < n && !/[,\]}\s]/.test(text[i])) i++;
    return i;
  };
  const find = (p: Path): number => {
    let i = ws(0);
    let best = i;
    for (const k of p) {
      if (text[i] === '{') {
        i = ws(i + 1);
        let found = false;
        while (i < n && text[i] === '"') {
          const e = endOfString(i);
          let key: string;
          try {
            key = JSON.parse(text.slice(i, e)) as string;
          } catch {
            return best;
          }
          i = ws(e);
          if (text[i] !== ':') return best;
          i = ws(i + 1);
          if (key === String(k)) {
            found = true;
            break;
          }
          i = ws(skipValue(i));
          if (text[i] !== ',') return best;
          i = ws(i + 1);
        }
        if (!found) return best;
      } else if (text[i] === '[' && typeof k === 'number') {
        i = ws(i + 1);
        for (let idx = 0; idx < k; idx++) {
          if (text[i] === ']') return best;
          i = ws(skipValue(i));
          if (text[i] !== ',') return best;
          i = ws(i + 1);
        }
        if (text[i] === ']') return best;
      } else return best;
      best = i;
    }
    return best;
  };
  return (p: Path) => {
    const lc = lineColAt(text, find(p));
    return { line: lc.line, column: lc.column };
  };
}
