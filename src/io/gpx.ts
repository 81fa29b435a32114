/**
 * GPX (GPS loggers, Garmin, phone apps): tracks (`trk`, with `time` on every point) become
 * timed tracks, routes (`rte`) untimed paths (also usable as line zones), waypoints (`wpt`) points.
 * Conversion is @tmcw/togeojson's; a pass over the DOM first checks every track point so that a
 * missing or bad time is reported at its line.
 */
import { gpx } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import type { Feature, LineString, MultiLineString, Point } from 'geojson';
import { emptyGeoData, lonLat, timedTrack, type Fix, type GeoData } from './geodata.js';
import { fileError, parseFixTime } from './source.js';
import { at, childText, children, parseXml } from './xml.js';
import type { LonLat } from '../core/position.js';
import { clip } from '../core/errors.js';

export function readGpx(text: string, file: string): GeoData {
  const doc = parseXml(text, file);
  const root = doc.documentElement!;
  if ((root.localName ?? root.nodeName) !== 'gpx') throw fileError(file, at(root).line, at(root).column, `this is not a GPX file (its root element is <${root.nodeName}>)`, 'a GPX file starts with <gpx>');
  const data = emptyGeoData(file, 'gpx');

  // Check every track point; keep the tracks togeojson will convert (a segment needs 2 points).
  // The same lookups togeojson makes, so that its features line up with these elements.
  const trks = Array.from(doc.getElementsByTagName('trk')).filter((trk) => children(trk, 'trkseg').some((seg) => children(seg, 'trkpt').length >= 2));
  for (const trk of trks) {
    for (const seg of children(trk, 'trkseg')) {
      const pts = children(seg, 'trkpt');
      if (pts.length < 2) continue;
      for (const pt of pts) checkPoint(pt, file, true);
    }
  }
  const rtes = Array.from(doc.getElementsByTagName('rte')).filter((r) => children(r, 'rtept').length >= 2);
  for (const r of rtes) for (const pt of children(r, 'rtept')) checkPoint(pt, file, false);
  const wpts = Array.from(doc.getElementsByTagName('wpt'));
  for (const pt of wpts) checkPoint(pt, file, false);

  const fc = gpx(doc);
  let ti = 0;
  let ri = 0;
  let wi = 0;
  for (const f of fc.features as Feature[]) {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const g = f.geometry;
    if (!g) continue;
    if (props._gpxType === 'trk' && (g.type === 'LineString' || g.type === 'MultiLineString')) {
      const el = trks[ti++];
      const n = ti;
      const lines = g.type === 'LineString' ? [(g as LineString).coordinates] : (g as MultiLineString).coordinates;
      const timesRaw = (props.coordinateProperties as { times?: unknown } | undefined)?.times;
      const times = (g.type === 'LineString' ? [timesRaw] : (timesRaw as unknown[])) as string[][];
      const fixes: Fix[] = [];
      lines.forEach((line, s) => {
        line.forEach((c, k) => {
          const p = lonLat(c)!;
          fixes.push({ t: parseFixTime(times[s][k])!, lon: p[0], lat: p[1] });
        });
      });
      const name = (props.name as string | undefined) ?? `track ${n}`;
      data.tracks.push(timedTrack(fixes, { name, what: 'GPX track', at: at(el), props: pick(props, ['desc', 'type', 'cmt', 'src']) }));
    } else if (props._gpxType === 'rte' && g.type === 'LineString') {
      const el = rtes[ri++];
      const coords = (g as LineString).coordinates.map((c) => lonLat(c)!) as LonLat[];
      const name = (props.name as string | undefined) ?? `route ${ri}`;
      data.tracks.push({ name, kind: 'untimed', fixes: [], coords, what: 'GPX route', at: at(el) });
      data.shapes.push({ name, kind: 'line', line: coords, what: 'GPX route', at: at(el) });
    } else if (g.type === 'Point') {
      const el = wpts[wi++];
      const p = lonLat((g as Point).coordinates)!;
      data.points.push({ name: (props.name as string | undefined) ?? `waypoint ${wi}`, pos: p, what: 'GPX waypoint', at: at(el) });
    }
  }
  return data;
}

function checkPoint(pt: Element, file: string, needsTime: boolean): void {
  const w = at(pt);
  const tag = pt.localName ?? pt.nodeName;
  for (const [attr, lim] of [['lat', 90], ['lon', 180]] as const) {
    const raw = pt.getAttribute(attr);
    const v = raw === null ? NaN : Number(raw);
    if (raw === null || raw.trim() === '') throw fileError(file, w.line, w.column, `<${tag}> has no ${attr} attribute`, `e.g. <${tag} lat="33.5" lon="38.6">`);
    if (!Number.isFinite(v) || Math.abs(v) > lim) throw fileError(file, w.line, w.column, `<${tag}> ${attr}="${clip(raw)}" is not a ${attr === 'lat' ? 'latitude (-90..90)' : 'longitude (-180..180)'}`);
  }
  const time = childText(pt, 'time');
  if (needsTime && time === undefined) {
    throw fileError(file, w.line, w.column, `this <${tag}> has no <time>`, 'a track point needs the time it was recorded, e.g. <time>2017-05-18T06:00:00Z</time>');
  }
  if (time !== undefined && parseFixTime(time) === undefined) {
    const te = children(pt, 'time')[0];
    const tw = at(te);
    throw fileError(file, tw.line, tw.column, `<time>${clip(time)}</time> is not a time`, 'GPX times are ISO 8601 UTC, e.g. 2017-05-18T06:00:00Z');
  }
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return Object.keys(out).length ? out : undefined;
}
