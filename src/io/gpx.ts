/**
 * GPX (GPS loggers, Garmin, phone apps): tracks (`trk`, with `time` on every point) become
 * timed tracks (a track with no time at all an untimed path), routes (`rte`) untimed paths (also
 * usable as line zones), waypoints (`wpt`) points. Routes and waypoints are converted by
 * @tmcw/togeojson; tracks are read from the DOM (see below). A missing or bad time is reported
 * at its line when that track is used.
 */
import { gpx } from '@tmcw/togeojson';
import type { Element } from '@xmldom/xmldom';
import { clip, type ScenarioError } from '../core/errors.js';
import { emptyGeoData, lonLat, timedTrack, type Fix, type GeoData } from './geodata.js';
import { fileError, parseFixTime } from './source.js';
import { at, childText, children, parseXml } from './xml.js';
import type { LonLat } from '../core/position.js';

export function readGpx(text: string, file: string): GeoData {
  const doc = parseXml(text, file);
  const root = doc.documentElement!;
  if ((root.localName ?? root.nodeName) !== 'gpx')
    throw fileError(file, at(root).line, at(root).column, `this is not a GPX file (its root element is <${root.nodeName}>)`, 'a GPX file starts with <gpx>');
  const data = emptyGeoData(file, 'gpx');

  // Tracks are read from the DOM, not from togeojson's features: togeojson drops a segment of a
  // single point (and a track made only of such segments) and cannot say which points lack a time.
  const trks = Array.from(doc.getElementsByTagName('trk'));
  trks.forEach((trk, i) => {
    const name = childText(trk, 'name') ?? `track ${i + 1}`;
    const pts = children(trk, 'trkseg').flatMap((seg) => children(seg, 'trkpt'));
    for (const pt of pts) checkPoint(pt, file, false);
    if (!pts.length) return;
    const props = pickText(trk, ['desc', 'type', 'cmt', 'src']);
    const w = at(trk);
    const timed = pts.filter((pt) => childText(pt, 'time') !== undefined);
    const coord = (pt: Element): LonLat => [Number(pt.getAttribute('lon')), Number(pt.getAttribute('lat'))];
    if (!timed.length) {
      // A track recorded without times (a planned route drawn as a track): a path, as a route is.
      data.tracks.push({ name, kind: 'untimed', fixes: [], coords: pts.map(coord), what: 'GPX track without times', at: w, props });
      return;
    }
    const fixes: Fix[] = [];
    let problem: ScenarioError | undefined;
    for (const pt of pts) {
      const time = childText(pt, 'time');
      if (time === undefined) {
        const pw = at(pt);
        problem ??= fileError(
          file,
          pw.line,
          pw.column,
          `this <trkpt> has no <time>`,
          'a track point needs the time it was recorded, e.g. <time>2017-05-18T06:00:00Z</time>',
        );
        continue;
      }
      const t = parseFixTime(time);
      if (t === undefined) {
        const tw = at(children(pt, 'time')[0]);
        problem ??= fileError(file, tw.line, tw.column, `<time>${clip(time)}</time> is not a time`, 'GPX times are ISO 8601 UTC, e.g. 2017-05-18T06:00:00Z');
        continue;
      }
      const [lon, lat] = coord(pt);
      fixes.push({ t, lon, lat });
    }
    // A fault in one track is reported when that track is used, so that it does not block the others.
    data.tracks.push({ ...timedTrack(fixes, { name, what: 'GPX track', at: w, props }), ...(problem ? { problem } : {}) });
  });
  const rtes = Array.from(doc.getElementsByTagName('rte')).filter((r) => children(r, 'rtept').length >= 2);
  for (const r of rtes) for (const pt of children(r, 'rtept')) checkPoint(pt, file, true);
  const wpts = Array.from(doc.getElementsByTagName('wpt'));
  for (const pt of wpts) checkPoint(pt, file, true);

  const fc = gpx(doc);
  let ri = 0;
  let wi = 0;
  for (const f of fc.features) {
    const props = (f.properties ?? {}) as Record<string, unknown>;
    const g = f.geometry;
    if (!g) continue;
    if (props._gpxType === 'trk') continue;
    if (props._gpxType === 'rte' && g.type === 'LineString') {
      const el = rtes[ri++];
      const coords = g.coordinates.map((c): LonLat => lonLat(c)!);
      const name = trimmed(props.name) ?? `route ${ri}`;
      data.tracks.push({ name, kind: 'untimed', fixes: [], coords, what: 'GPX route', at: at(el) });
      data.shapes.push({ name, kind: 'line', line: coords, what: 'GPX route', at: at(el) });
    } else if (g.type === 'Point') {
      const el = wpts[wi++];
      const p = lonLat(g.coordinates)!;
      data.points.push({ name: trimmed(props.name) ?? `waypoint ${wi}`, pos: p, what: 'GPX waypoint', at: at(el) });
    }
  }
  return data;
}

/** Check a point's position; `checkTime`: also that a <time> it has is a time. */
function checkPoint(pt: Element, file: string, checkTime: boolean): void {
  const w = at(pt);
  const tag = pt.localName ?? pt.nodeName;
  for (const [attr, lim] of [
    ['lat', 90],
    ['lon', 180],
  ] as const) {
    const raw = pt.getAttribute(attr);
    const v = raw === null ? NaN : Number(raw);
    if (raw === null || raw.trim() === '') throw fileError(file, w.line, w.column, `<${tag}> has no ${attr} attribute`, `e.g. <${tag} lat="33.5" lon="38.6">`);
    if (!Number.isFinite(v) || Math.abs(v) > lim)
      throw fileError(file, w.line, w.column, `<${tag}> ${attr}="${clip(raw)}" is not a ${attr === 'lat' ? 'latitude (-90..90)' : 'longitude (-180..180)'}`);
  }
  const time = childText(pt, 'time');
  if (checkTime && time !== undefined && parseFixTime(time) === undefined) {
    const tw = at(children(pt, 'time')[0]);
    throw fileError(file, tw.line, tw.column, `<time>${clip(time)}</time> is not a time`, 'GPX times are ISO 8601 UTC, e.g. 2017-05-18T06:00:00Z');
  }
}

function trimmed(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() ? v.trim() : undefined;
}

function pickText(el: Element, keys: string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = childText(el, k);
    if (v !== undefined) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}
