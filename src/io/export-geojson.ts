/**
 * GeoJSON export (RFC 7946): one FeatureCollection with the zones (polygons and lines), sites
 * (points), unit tracks (LineStrings with a time per position in
 * `properties.coordinateProperties.times`, the convention of togeojson and geojson.io) and the
 * events (Points with time, type, rung, reason...). Colours follow the simplestyle properties
 * (`stroke`, `fill`, `marker-color`) that geojson.io shows; QGIS and kepler.gl read the
 * properties, and an ISO `time` on every event lets them filter or animate by time.
 */
import { eventToJson } from '../core/events.js';
import { rungLevel } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import {
  affiliation,
  eventColor,
  eventPosition,
  isoTime,
  RUNG_COLOR,
  rungIntervals,
  SITE_COLOR,
  trackInWindow,
  tracksOf,
  ZONE_COLOR,
  zoneOutline,
  type ExportInput,
} from './common.js';

type Json = Record<string, unknown>;

const r7 = (x: number) => Math.round(x * 1e7) / 1e7;

export function toGeoJson(input: ExportInput): Json {
  const sc = input.scenario;
  const features: Json[] = [];
  for (const z of sc.zones) {
    const o = zoneOutline(z);
    features.push({
      type: 'Feature',
      id: `zone:${z.id}`,
      properties: {
        kind: 'zone',
        id: z.id,
        name: z.name,
        zone_type: z.type,
        applies_to: z.appliesTo.join(','),
        ...(z.radius !== undefined ? { radius_m: z.radius } : {}),
        approach_m: z.approach,
        hysteresis_m: z.hysteresis,
        ...(z.forbidden ? { forbidden: z.forbidden } : {}),
        stroke: ZONE_COLOR,
        'stroke-width': 2,
        ...(o.kind === 'polygon' ? { fill: ZONE_COLOR, 'fill-opacity': 0.08 } : {}),
      },
      geometry:
        o.kind === 'polygon'
          ? { type: 'Polygon', coordinates: o.rings.map((r) => r.map(([x, y]) => [r7(x), r7(y)])) }
          : { type: 'LineString', coordinates: o.points.map(([x, y]) => [r7(x), r7(y)]) },
    });
  }
  for (const s of sc.sites) {
    features.push({
      type: 'Feature',
      id: `site:${s.id}`,
      properties: { kind: 'site', id: s.id, name: s.name, side: s.side, 'marker-color': SITE_COLOR, 'marker-symbol': 'star' },
      geometry: { type: 'Point', coordinates: [r7(s.pos[0]), r7(s.pos[1])] },
    });
  }
  const tracks = tracksOf(input);
  sc.units.forEach((u, i) => {
    const pts = trackInWindow(tracks[i], sc.start, sc.end);
    if (!pts.length) return;
    // A unit that holds one place all through the window is still a track: the same position at
    // the window's start and end (so the file reads back as tracks, and every track is a LineString).
    if (pts.length === 1 && sc.end > pts[0].t) pts.push({ t: sc.end, pos: pts[0].pos });
    const rungs = rungIntervals(input, u.id).map((r) => r.rung);
    const top = rungs.reduce<Rung | null>((m, r) => (rungLevel(r) > rungLevel(m) ? r : m), null) ?? 'none';
    const geometry =
      pts.length >= 2
        ? { type: 'LineString', coordinates: pts.map((p) => [r7(p.pos[0]), r7(p.pos[1])]) }
        : { type: 'Point', coordinates: [r7(pts[0].pos[0]), r7(pts[0].pos[1])] };
    features.push({
      type: 'Feature',
      id: `track:${u.id}`,
      properties: {
        kind: 'track',
        id: u.id,
        name: u.name,
        side: u.side,
        affiliation: affiliation(sc, u) === 'h' ? 'hostile' : affiliation(sc, u) === 'f' ? 'friendly' : 'unknown',
        start: isoTime(pts[0].t),
        end: isoTime(pts[pts.length - 1].t),
        highest_rung: top,
        coordinateProperties: { times: pts.map((p) => isoTime(p.t)) },
        stroke: RUNG_COLOR[top as keyof typeof RUNG_COLOR],
        'stroke-width': 3,
      },
      geometry,
    });
  });
  for (const e of input.events) {
    const pos = eventPosition(sc, e);
    const j = eventToJson(e);
    // An inject's own kind (message, hostile_act...) goes in inject_kind: `kind` says what the feature is.
    const { kind: injectKind, ...rest } = j as Json;
    const props: Json = { kind: 'event', time: j.t, ...rest, ...(injectKind !== undefined ? { inject_kind: injectKind } : {}) };
    delete props.t;
    delete props.at;
    if (Array.isArray(props.units)) props.units = (props.units as string[]).join(',');
    props['marker-color'] = eventColor(e);
    props['marker-size'] = e.type === 'escalate' || e.type === 'hostile_act' ? 'large' : 'small';
    features.push({
      type: 'Feature',
      id: `event:${e.seq}`,
      properties: props,
      geometry: pos ? { type: 'Point', coordinates: [r7(pos[0]), r7(pos[1])] } : null,
    });
  }
  return {
    type: 'FeatureCollection',
    name: sc.title,
    features,
  };
}

export function toGeoJsonText(input: ExportInput): string {
  return `${JSON.stringify(toGeoJson(input), null, 1)}\n`;
}
