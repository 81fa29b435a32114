/**
 * KML export for Google Earth: zones as outlines, sites as points, each unit as a gx:Track
 * (a time per position, so the time slider moves it), the unit's track cut into pieces coloured by
 * the rung it was at (each shown from the time it began), and every event as a placemark with a
 * TimeStamp, coloured by rung. Colours are KML's aabbggrr.
 */
import type { SimEvent } from '../core/events.js';
import { RUNG_LABEL } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import type { LonLat } from '../core/position.js';
import { positionAt } from '../core/track.js';
import { typeLabel } from '../core/events.js';
import {
  affiliation,
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
import { xmlText as esc } from '../core/text/safe.js';

/** '#rrggbb' + alpha → KML 'aabbggrr'. */
export function kmlColor(rgb: string, alpha = 0xff): string {
  const r = rgb.slice(1, 3);
  const g = rgb.slice(3, 5);
  const b = rgb.slice(5, 7);
  return `${alpha.toString(16).padStart(2, '0')}${b}${g}${r}`.toLowerCase();
}

const f7 = (x: number) => String(Math.round(x * 1e7) / 1e7);
const coord = (p: LonLat) => `${f7(p[0])},${f7(p[1])},0`;

function styles(): string {
  const out: string[] = [];
  for (const [k, c] of Object.entries(RUNG_COLOR)) {
    out.push(
      `<Style id="rung-${k}"><IconStyle><color>${kmlColor(c)}</color><scale>1.1</scale><Icon><href>http://maps.google.com/mapfiles/kml/shapes/placemark_circle.png</href></Icon></IconStyle>` +
        `<LineStyle><color>${kmlColor(c)}</color><width>4</width></LineStyle><LabelStyle><scale>0.8</scale></LabelStyle></Style>`,
    );
  }
  out.push(
    `<Style id="zone"><LineStyle><color>${kmlColor(ZONE_COLOR)}</color><width>2</width></LineStyle><PolyStyle><color>${kmlColor(ZONE_COLOR, 0x30)}</color></PolyStyle></Style>`,
  );
  out.push(
    `<Style id="site"><IconStyle><color>${kmlColor(SITE_COLOR)}</color><Icon><href>http://maps.google.com/mapfiles/kml/shapes/star.png</href></Icon></IconStyle></Style>`,
  );
  for (const [a, c] of [
    ['h', '#e53935'],
    ['f', '#1e88e5'],
    ['u', '#fdd835'],
  ]) {
    out.push(
      `<Style id="unit-${a}"><IconStyle><color>${kmlColor(c)}</color><Icon><href>http://maps.google.com/mapfiles/kml/shapes/track.png</href></Icon></IconStyle><LineStyle><color>${kmlColor(c, 0x99)}</color><width>2</width></LineStyle></Style>`,
    );
  }
  return out.join('\n');
}

function data(fields: Record<string, unknown>): string {
  const items = Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== null)
    .map(([k, v]) => `<Data name="${esc(k)}"><value>${esc(String(v))}</value></Data>`);
  return items.length ? `<ExtendedData>${items.join('')}</ExtendedData>` : '';
}

function eventName(e: SimEvent): string {
  const what = e.type === 'escalate' || e.type === 'stand_down' ? `${typeLabel(e.type)} ${e.rung ? RUNG_LABEL[e.rung] : 'none'}` : typeLabel(e.type);
  return [what, e.unit, e.zone].filter(Boolean).join(' · ');
}

export function toKml(input: ExportInput): string {
  const sc = input.scenario;
  const parts: string[] = [];
  parts.push('<?xml version="1.0" encoding="UTF-8"?>');
  parts.push('<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">');
  parts.push(`<Document><name>${esc(sc.title)}</name><open>1</open>`);
  if (sc.description) parts.push(`<description>${esc(sc.description)}</description>`);
  parts.push(`<TimeSpan><begin>${isoTime(sc.start)}</begin><end>${isoTime(sc.end)}</end></TimeSpan>`);
  parts.push(styles());

  parts.push('<Folder><name>Zones</name>');
  for (const z of sc.zones) {
    const o = zoneOutline(z);
    const geom =
      o.kind === 'polygon'
        ? `<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>${o.rings[0].map(coord).join(' ')}</coordinates></LinearRing></outerBoundaryIs>${o.rings
            .slice(1)
            .map((r) => `<innerBoundaryIs><LinearRing><coordinates>${r.map(coord).join(' ')}</coordinates></LinearRing></innerBoundaryIs>`)
            .join('')}</Polygon>`
        : `<LineString><tessellate>1</tessellate><coordinates>${o.points.map(coord).join(' ')}</coordinates></LineString>`;
    parts.push(
      `<Placemark id="zone-${esc(z.id)}"><name>${esc(z.name)}</name>${z.description ? `<description>${esc(z.description)}</description>` : ''}<styleUrl>#zone</styleUrl>` +
        `${data({ id: z.id, type: z.type, applies_to: z.appliesTo.join(','), radius_m: z.radius, approach_m: z.approach, forbidden: z.forbidden })}${geom}</Placemark>`,
    );
  }
  parts.push('</Folder>');

  if (sc.sites.length) {
    parts.push('<Folder><name>Sites</name>');
    for (const s of sc.sites)
      parts.push(
        `<Placemark id="site-${esc(s.id)}"><name>${esc(s.name)}</name><styleUrl>#site</styleUrl>${data({ id: s.id, side: s.side })}<Point><coordinates>${coord(s.pos)}</coordinates></Point></Placemark>`,
      );
    parts.push('</Folder>');
  }

  const tracks = tracksOf(input);
  parts.push('<Folder><name>Units</name>');
  sc.units.forEach((u, i) => {
    const pts = trackInWindow(tracks[i], sc.start, sc.end);
    if (!pts.length) return;
    const aff = affiliation(sc, u);
    parts.push(
      `<Placemark id="unit-${esc(u.id)}"><name>${esc(u.name)}</name><styleUrl>#unit-${aff}</styleUrl>${data({ id: u.id, side: u.side })}` +
        `<gx:Track><altitudeMode>clampToGround</altitudeMode>${pts.map((p) => `<when>${isoTime(p.t)}</when>`).join('')}${pts.map((p) => `<gx:coord>${f7(p.pos[0])} ${f7(p.pos[1])} 0</gx:coord>`).join('')}</gx:Track></Placemark>`,
    );
  });
  parts.push('</Folder>');

  // Each unit's track coloured by its rung: one piece per rung interval, shown from its start on.
  parts.push('<Folder><name>Rungs along the tracks</name>');
  sc.units.forEach((u, i) => {
    const changes = rungIntervals(input, u.id);
    if (!changes.length) return;
    const track = tracks[i];
    const p = [0, 0];
    changes.forEach((c, k) => {
      const t0 = c.t;
      const t1 = k + 1 < changes.length ? changes[k + 1].t : sc.end;
      if (t1 <= t0) return;
      const line: LonLat[] = [];
      positionAt(track, t0, p);
      line.push([p[0], p[1]]);
      for (let j = 0; j < track.t.length; j++) if (track.t[j] > t0 && track.t[j] < t1) line.push([track.lon[j], track.lat[j]]);
      positionAt(track, t1, p);
      line.push([p[0], p[1]]);
      const rung: Rung | 'none' = c.rung ?? 'none';
      parts.push(
        `<Placemark><name>${esc(`${u.id}: ${c.rung ? RUNG_LABEL[c.rung] : 'no rung'}`)}</name><TimeSpan><begin>${isoTime(t0)}</begin></TimeSpan><styleUrl>#rung-${rung}</styleUrl>` +
          `<LineString><tessellate>1</tessellate><coordinates>${line.map(coord).join(' ')}</coordinates></LineString></Placemark>`,
      );
    });
  });
  parts.push('</Folder>');

  parts.push('<Folder><name>Events</name>');
  for (const e of input.events) {
    const pos = eventPosition(sc, e);
    const style = e.type === 'stand_down' ? 'stand_down' : (e.rung ?? 'none');
    parts.push(
      `<Placemark id="event-${e.seq}"><name>${esc(eventName(e))}</name><description>${esc(e.reason)}</description><TimeStamp><when>${isoTime(e.t)}</when></TimeStamp><styleUrl>#rung-${style}</styleUrl>` +
        `${data({ seq: e.seq, type: e.type, unit: e.unit, zone: e.zone, site: e.site, rung: e.rung ?? undefined, from: e.from ?? undefined, action: e.action, by: e.by, edge_m: e.edge_m !== undefined ? Math.round(e.edge_m * 10) / 10 : undefined })}` +
        `${pos ? `<Point><coordinates>${coord(pos)}</coordinates></Point>` : ''}</Placemark>`,
    );
  }
  parts.push('</Folder>');
  parts.push('</Document></kml>');
  return `${parts.join('\n')}\n`;
}
