/**
 * KML (Google Earth and most GIS tools), converted by @tmcw/togeojson:
 * - gx:Track / gx:MultiTrack → timed tracks (a time on every coordinate);
 * - a LineString with a TimeSpan → a timed track, times spread along it by distance;
 * - a LineString with a TimeStamp → a track that starts then (it needs a speed);
 * - a LineString without time → a path (a line zone, or a track given a start and a speed);
 * - Polygons → polygon zones;
 * - Points with a TimeStamp (or TimeSpan) → fixes: those in one Folder form one track named after
 *   the folder, elsewhere fixes with the same name form one track;
 * - Points without time → sites.
 * Styles, folders, descriptions and extended data are read by togeojson and ignored here.
 */
import { kml } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import type { Feature, Geometry } from 'geojson';
import type { LonLat } from '../core/position.js';
import { emptyGeoData, lonLat, timedTrack, timesBetween, type Fix, type GeoData, type ImportedTrack, type Where } from './geodata.js';
import { fileError, parseFixTime } from './source.js';
import { at, childText, parseXml } from './xml.js';

export function readKml(text: string, file: string): GeoData {
  const doc = parseXml(text, file);
  const root = doc.documentElement!;
  if ((root.localName ?? root.nodeName) !== 'kml')
    throw fileError(file, at(root).line, at(root).column, `this is not a KML file (its root element is <${root.nodeName}>)`, 'a KML file starts with <kml>');
  const data = emptyGeoData(file, 'kml');
  // The same lookup togeojson makes, so that its features line up with these elements.
  const placemarks = Array.from(doc.getElementsByTagName('Placemark'));
  const features = kml(doc).features.slice(0, placemarks.length) as Feature[];
  const timedPoints = new Map<string, { fixes: Fix[]; at: Where }>();

  features.forEach((f, i) => {
    const el = placemarks[i];
    const w = at(el);
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const name = typeof props.name === 'string' && props.name.trim() ? props.name.trim() : `placemark ${i + 1}`;
    const id = typeof f.id === 'string' ? f.id : undefined;
    const g = f.geometry;
    if (!g) return;
    const bad = (what: string, hint?: string) => fileError(file, w.line, w.column, `placemark '${name}': ${what}`, hint);
    const time = (v: unknown, what: string): number => {
      const t = parseFixTime(v);
      if (t === undefined) throw bad(`${what} '${String(v)}' is not a time`, 'KML times are ISO 8601, e.g. 2017-05-18T06:00:00Z');
      return t;
    };
    const coordsOf = (line: unknown[]): LonLat[] =>
      line.map((c, k) => {
        const p = lonLat(c);
        // togeojson reads an empty <gx:coord/> as [NaN].
        const empty = !Array.isArray(c) || c.every((v) => typeof v !== 'number' || Number.isNaN(v));
        if (!p)
          throw bad(
            empty ? `coordinate ${k + 1} is empty` : `coordinate ${k + 1} (${JSON.stringify(c)}) is not a longitude,latitude pair in range`,
            'KML coordinates are lon,lat[,alt]; a gx:coord is "lon lat alt"',
          );
        return p;
      });
    // togeojson gives '' for a missing <begin>, <end> or <when>.
    const rawSpan = props.timespan as { begin?: string; end?: string } | undefined;
    const span = rawSpan && (rawSpan.begin || rawSpan.end) ? { begin: rawSpan.begin || undefined, end: rawSpan.end || undefined } : undefined;
    const stamp = (props.timestamp as string | undefined) || undefined;
    const geoms: Geometry[] = g.type === 'GeometryCollection' ? g.geometries : [g];
    const times = (props.coordinateProperties as { times?: unknown } | undefined)?.times;
    const multiTimes = geoms.length > 1 || g.type === 'MultiLineString';
    let lineNo = 0;
    const lines = geoms.filter((x) => x.type === 'LineString' || x.type === 'MultiLineString');
    const nLines = lines.reduce((n, x) => n + (x.type === 'LineString' ? 1 : x.coordinates.length), 0);

    // A gx:Track or gx:MultiTrack: coordinate times, one list per line.
    if (times !== undefined && lines.length) {
      const lists = (multiTimes && Array.isArray((times as unknown[])[0]) ? times : [times]) as unknown[][];
      const fixes: Fix[] = [];
      for (const x of lines) {
        for (const line of x.type === 'LineString' ? [x.coordinates] : x.coordinates) {
          const ts = lists[lineNo++] ?? [];
          const cs = coordsOf(line);
          if (ts.length !== cs.length)
            throw bad(`the track has ${cs.length} coordinates but ${ts.length} times`, 'a gx:Track needs one <when> for each <gx:coord>');
          cs.forEach((c, k) => fixes.push({ t: time(ts[k], '<when>'), lon: c[0], lat: c[1] }));
        }
      }
      data.tracks.push(timedTrack(fixes, { name, id, what: 'KML gx:Track', at: w, props: extended(props) }));
      return;
    }
    for (const x of geoms) {
      if (x.type === 'Point') {
        const p = lonLat(x.coordinates);
        if (!p) throw bad('the point is not a longitude,latitude pair in range');
        const when = stamp ?? span?.begin ?? span?.end;
        if (when !== undefined) {
          const t = time(when, stamp !== undefined ? '<TimeStamp>' : '<TimeSpan>');
          const folder = folderName(el);
          const key = folder ?? name;
          let tr = timedPoints.get(key);
          if (!tr) timedPoints.set(key, (tr = { fixes: [], at: w }));
          tr.fixes.push({ t, lon: p[0], lat: p[1] });
        } else data.points.push({ name, id, pos: p, what: 'KML point', at: w });
      } else if (x.type === 'Polygon') {
        const rings = x.coordinates.map((r) => coordsOf(r));
        data.shapes.push({
          name: nameOf(name, data.shapes.filter((s) => s.name.startsWith(name)).length),
          id,
          kind: 'polygon',
          rings,
          what: 'KML polygon',
          at: w,
        });
      } else if (x.type === 'LineString' || x.type === 'MultiLineString') {
        for (const line of x.type === 'LineString' ? [x.coordinates] : x.coordinates) {
          const cs = coordsOf(line);
          const lname = nLines > 1 ? `${name} ${++lineNo}` : name;
          const track: ImportedTrack = { name: lname, id, kind: 'untimed', fixes: [], coords: cs, what: 'KML LineString', at: w, props: extended(props) };
          if (span?.begin !== undefined && span?.end !== undefined) {
            const b = time(span.begin, '<TimeSpan><begin>');
            const e = time(span.end, '<TimeSpan><end>');
            if (!(e > b)) throw bad('the TimeSpan ends before it begins');
            const ts = timesBetween(cs, b, e);
            track.kind = 'timed';
            track.fixes = cs.map((c, k) => ({ t: ts[k], lon: c[0], lat: c[1] }));
            track.coords = [];
            track.what = 'KML LineString with a TimeSpan';
          } else if (stamp !== undefined || span?.begin !== undefined) {
            track.kind = 'timestamp';
            track.begin = time(stamp ?? span!.begin, stamp !== undefined ? '<TimeStamp>' : '<TimeSpan><begin>');
            track.what = `KML LineString with a ${stamp !== undefined ? 'TimeStamp' : 'TimeSpan begin'}`;
          }
          data.tracks.push(track);
          data.shapes.push({ name: lname, id, kind: 'line', line: cs, what: track.what, at: w, timed: track.kind !== 'untimed' });
        }
      }
    }
  });
  for (const [name, tr] of timedPoints) {
    data.tracks.push(timedTrack(tr.fixes, { name, what: 'KML timed points', at: tr.at }));
  }
  return data;
}

function nameOf(name: string, n: number): string {
  return n ? `${name} ${n + 1}` : name;
}

/** The name of the nearest enclosing Folder, if any. */
function folderName(el: Element): string | undefined {
  for (let p = el.parentNode as Element | null; p && p.nodeType === 1; p = p.parentNode as Element | null) {
    if ((p.localName ?? p.nodeName) === 'Folder') return childText(p, 'name');
  }
  return undefined;
}

const SKIP = new Set([
  'name',
  'styleUrl',
  'styleHash',
  'styleMapHash',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'fill',
  'fill-opacity',
  'icon',
  'icon-color',
  'icon-opacity',
  'icon-scale',
  'label-color',
  'label-scale',
  'timespan',
  'timestamp',
  'coordinateProperties',
  'visibility',
  'open',
]);

function extended(props: Record<string, unknown>): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!SKIP.has(k) && v !== undefined && typeof v !== 'object') out[k] = v;
  return Object.keys(out).length ? out : undefined;
}
