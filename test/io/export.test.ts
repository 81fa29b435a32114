import { booleanValid } from '@turf/turf';
import { DOMParser } from '@xmldom/xmldom';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createSocket } from 'node:dgram';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/core/palette.js';
import { Engine } from '../../src/core/engine.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { positionAt } from '../../src/core/track.js';
import { trackInWindow, type ExportInput } from '../../src/io/common.js';
import { parseCotEvent } from '../../src/io/cot-read.js';
import { CotUdpSender, parseHostPort, toCot, toCotText } from '../../src/io/export-cot.js';
import { toGeoJson, toGeoJsonText } from '../../src/io/export-geojson.js';
import { kmlColor, toKml } from '../../src/io/export-kml.js';
import { readGeoFile } from '../../src/io/read.js';

/** The independent CoT parser (node-cot 12.21, the last major that runs on Node 20), loaded without its TypeScript sources. */
interface CotDoc {
  raw: {
    event: {
      _attributes: Record<string, string>;
      point: { _attributes: Record<string, string> };
      detail?: Record<string, { _attributes?: Record<string, string>; _text?: string }>;
    };
  };
  to_geojson(): Promise<{ type: string; id: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[] } }>;
}
const NODE_COT = '@tak-ps/node-cot';
let CoT: new (xml: string) => CotDoc;

const FIX = resolve('test/fixtures/io');
let sc: Scenario;
let input: ExportInput;
let dir: string;

beforeAll(async () => {
  CoT = ((await import(NODE_COT)) as { default: typeof CoT }).default;
  sc = loadScenario(join(FIX, 'tanf-from-files.yaml'));
  const engine = new Engine(sc);
  engine.runToEnd();
  input = { scenario: sc, events: engine.events, tracks: sc.units.map((_, u) => engine.trackOf(u)) };
  dir = mkdtempSync(join(tmpdir(), 'deconflict-export-'));
});

const escalations = () => input.events.filter((e) => e.type === 'escalate');

describe('GeoJSON export', () => {
  it('is a valid FeatureCollection: zones, sites, tracks with times, events as points with time, type, rung and reason', () => {
    const fc = toGeoJson(input) as {
      type: string;
      features: { type: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: unknown } | null }[];
    };
    expect(fc.type).toBe('FeatureCollection');
    const kinds = (k: string) => fc.features.filter((f) => f.properties.kind === k);
    expect(kinds('zone').map((f) => [f.properties.id, f.geometry!.type])).toEqual([
      ['tanf-dz', 'Polygon'],
      ['gold', 'LineString'],
    ]);
    expect(kinds('site')).toHaveLength(1);
    expect(kinds('track')).toHaveLength(sc.units.length);
    expect(kinds('event')).toHaveLength(input.events.length);
    for (const f of fc.features) {
      expect(f.type).toBe('Feature');
      if (f.geometry) expect(booleanValid(f.geometry as never)).toBe(true);
    }
    const strike = kinds('event').find((f) => f.properties.type === 'escalate' && f.properties.rung === 'strike')!;
    expect(strike.properties).toMatchObject({ unit: 'alpha', zone: 'gold', from: 'warning_shots', 'marker-color': PALETTE.strike.hex });
    expect(strike.properties.time).toMatch(/^2017-05-18T\d\d:\d\d:\d\dZ$/);
    expect(String(strike.properties.reason)).toMatch(/^strike: /);
    const alpha = kinds('track').find((f) => f.properties.id === 'alpha')!;
    expect(alpha.properties.highest_rung).toBe('strike');
    expect((alpha.properties.coordinateProperties as { times: string[] }).times).toHaveLength((alpha.geometry!.coordinates as unknown[]).length);
  });

  it('round trip: the exported tracks read back as the same timed tracks, the zone as the same polygon', () => {
    const file = join(dir, 'run.geojson');
    writeFileSync(file, toGeoJsonText(input));
    const back = readGeoFile(file);
    sc.units.forEach((u, i) => {
      const want = trackInWindow(input.tracks![i], sc.start, sc.end);
      const got = back.tracks.find((t) => t.name === u.name)!;
      expect(got.fixes.map((f) => f.t)).toEqual(want.map((p) => p.t));
      got.fixes.forEach((f, k) => {
        expect(f.lon).toBeCloseTo(want[k].pos[0], 6);
        expect(f.lat).toBeCloseTo(want[k].pos[1], 6);
      });
    });
    const zone = back.shapes.find((s) => s.name === sc.zones[0].name)!;
    expect(zone.rings![0]).toHaveLength(sc.zones[0].shape.outline()[0].length);
    // And a scenario can take its tracks from the exported file.
    writeFileSync(
      join(dir, 'again.yaml'),
      `title: again\nstart: 2017-05-18T06:00:00Z\nend: 2017-05-18T10:00:00Z\nzones:\n  - {id: z, name: Z, type: polygon, file: run.geojson, feature: ${JSON.stringify(sc.zones[0].name)}, applies_to: [pro-regime]}\nunits:\n  - {id: a, name: A, side: pro-regime, track: {file: run.geojson, name: ${JSON.stringify(sc.units[0].name)}}}\n`,
    );
    const again = loadScenario(join(dir, 'again.yaml'));
    expect(Array.from(again.units[0].track.t)).toEqual(trackInWindow(input.tracks![0], sc.start, sc.end).map((p) => p.t));
  });
});

describe('KML export', () => {
  it('is well-formed KML whose placemarks carry TimeStamps coloured by rung, zone outlines and gx:Tracks', () => {
    const text = toKml(input);
    const errors: string[] = [];
    const doc = new DOMParser({ onError: (level, msg) => void errors.push(`${level}: ${msg}`) }).parseFromString(text, 'text/xml');
    expect(errors).toEqual([]);
    const ids = new Set(Array.from(doc.getElementsByTagName('Style')).map((s) => s.getAttribute('id')));
    for (const u of Array.from(doc.getElementsByTagName('styleUrl'))) expect(ids.has(u.textContent!.slice(1))).toBe(true);
    const events = Array.from(doc.getElementsByTagName('Placemark')).filter((p) => p.getAttribute('id')?.startsWith('event-'));
    expect(events).toHaveLength(input.events.length);
    const strikeEvent = escalations().find((e) => e.rung === 'strike')!;
    const strike = events.find((p) => p.getAttribute('id') === `event-${strikeEvent.seq}`)!;
    expect(strike.getElementsByTagName('when')[0].textContent).toBe(new Date(strikeEvent.t).toISOString().replace('.000Z', 'Z'));
    expect(strike.getElementsByTagName('styleUrl')[0].textContent).toBe('#rung-strike');
    const strikeStyle = Array.from(doc.getElementsByTagName('Style')).find((s) => s.getAttribute('id') === 'rung-strike')!;
    expect(strikeStyle.getElementsByTagName('color')[0].textContent).toBe(kmlColor(PALETTE.strike.hex));
    expect(kmlColor('#6a1b9a')).toBe('ff9a1b6a');
    expect(kmlColor(PALETTE.strike.hex)).toBe('ff00008b');
    expect(doc.getElementsByTagName('gx:Track')).toHaveLength(sc.units.length);
    expect(doc.getElementsByTagName('Polygon')).toHaveLength(1);
  });

  it('round trip through togeojson: units come back as timed tracks, the zones as a polygon and a line, events as timed points', () => {
    const file = join(dir, 'run.kml');
    writeFileSync(file, toKml(input));
    const back = readGeoFile(file);
    sc.units.forEach((u, i) => {
      const want = trackInWindow(input.tracks![i], sc.start, sc.end);
      const got = back.tracks.find((t) => t.name === u.name)!;
      expect(got.what).toBe('KML gx:Track');
      expect(got.fixes.map((f) => f.t)).toEqual(want.map((p) => p.t));
      expect(got.fixes.at(-1)!.lon).toBeCloseTo(want.at(-1)!.pos[0], 6);
    });
    expect(back.shapes.filter((s) => s.kind === 'polygon').map((s) => s.name)).toEqual([sc.zones[0].name]);
    expect(back.shapes.find((s) => s.name === sc.zones[1].name)?.line).toEqual(sc.zones[1].shape.outline()[0]);
    // The events folder reads back as one track of timed points: one fix per distinct event time.
    const evTrack = back.tracks.find((t) => t.name === 'Events')!;
    expect(evTrack.fixes.length).toBe(new Set(input.events.filter((e) => e.at || e.zone).map((e) => e.t)).size);
  });
});

describe('CoT export', () => {
  it('every event parses with node-cot (an independent CoT parser) and meets the CoT 2.0 schema', async () => {
    const xmls = toCot(input);
    expect(xmls.length).toBeGreaterThan(sc.units.length * 240);
    let alerts = 0;
    for (const xml of xmls) {
      const cot = new CoT(xml);
      const a = cot.raw.event._attributes;
      expect(a.version).toBe('2.0');
      expect(a.uid).toMatch(/^deconflict\.(unit|event)\./);
      expect(a.type).toMatch(/^(a-[hfu]-G|b-a-g|b-m-p-s-m)$/);
      expect(a.how).toMatch(/^[hm]-/);
      for (const k of ['time', 'start', 'stale']) expect(Number.isNaN(Date.parse(a[k]))).toBe(false);
      expect(Date.parse(a.stale)).toBeGreaterThan(Date.parse(a.start));
      const p = cot.raw.event.point._attributes;
      for (const k of ['lat', 'lon', 'hae', 'ce', 'le']) expect(Number.isFinite(Number(p[k]))).toBe(true);
      expect(Math.abs(Number(p.lat))).toBeLessThanOrEqual(90);
      const gj = await cot.to_geojson();
      expect(gj.geometry.type).toBe('Point');
      expect(gj.properties.callsign).toBeTruthy();
      if (a.type.startsWith('b-')) {
        alerts++;
        expect(String(gj.properties.remarks)).not.toBe('');
      }
    }
    expect(alerts).toBe(input.events.filter((e) => e.at || e.zone).length);
  });

  it('units are hostile or friendly ground tracks at their positions; alerts name the rung and link the unit', async () => {
    const xmls = toCot(input);
    const strikeEvent = escalations().find((e) => e.rung === 'strike')!;
    const strike = new CoT(xmls.find((x) => x.includes(`uid="deconflict.event.${strikeEvent.seq}"`))!);
    const gj = await strike.to_geojson();
    expect(strike.raw.event._attributes.type).toBe('b-a-g');
    expect(gj.properties.callsign).toBe('ESCALATE strike alpha / gold');
    expect(gj.properties.remarks).toBe(strikeEvent.reason);
    expect(gj.geometry.coordinates[0]).toBeCloseTo(strikeEvent.at![0], 6);
    expect(strike.raw.event.detail!.link._attributes).toMatchObject({ uid: 'deconflict.unit.alpha', type: 'a-h-G' });
    // The coalition unit (its side holds a site) is friendly.
    const friendly = xmls.find((x) => x.includes('uid="deconflict.unit.alpha-custom"'))!;
    expect(new CoT(friendly).raw.event._attributes.type).toBe('a-f-G');
    // Position reports round-trip through deconflict's own CoT reader.
    const u = sc.units.findIndex((x) => x.id === 'alpha');
    const reports = xmls.filter((x) => x.includes('uid="deconflict.unit.alpha"')).map((x) => parseCotEvent(x, 'cot'));
    expect(reports[0].t).toBe(sc.start);
    const p = [0, 0];
    for (const r of reports) {
      positionAt(input.tracks![u], r.t, p);
      expect(r.lon).toBeCloseTo(p[0], 6);
      expect(r.lat).toBeCloseTo(p[1], 6);
      expect(r.unit).toBe('alpha');
    }
    expect(toCotText(input).split('\n').filter(Boolean)).toEqual(xmls);
  });

  it('parses host:port, with 127.0.0.1 by default', () => {
    expect(parseHostPort('4242')).toEqual({ host: '127.0.0.1', port: 4242 });
    expect(parseHostPort('localhost:6969')).toEqual({ host: 'localhost', port: 6969 });
    expect(parseHostPort('[::1]:4242')).toEqual({ host: '::1', port: 4242 });
    expect(parseHostPort('host:0')).toBeUndefined();
    expect(parseHostPort('host:99999')).toBeUndefined();
    expect(parseHostPort('nonsense')).toBeUndefined();
  });

  it('sends one datagram per event over UDP to a loopback port', async () => {
    const rx = createSocket('udp4');
    const got: string[] = [];
    await new Promise<void>((res) => rx.bind(0, '127.0.0.1', () => res()));
    const port = rx.address().port;
    rx.on('message', (m) => got.push(m.toString('utf8')));
    const xmls = toCot(input).slice(0, 25);
    const tx = new CotUdpSender('127.0.0.1', port);
    await tx.sendAll(xmls);
    tx.close();
    for (let i = 0; i < 100 && got.length < xmls.length; i++) await new Promise((r) => setTimeout(r, 10));
    rx.close();
    expect(got).toEqual(xmls);
  });
});

describe('exercise messages, feature kinds and stationary units', () => {
  const TANF = resolve('scenarios/tanf-2017-05-18.yaml');
  let tanf: ExportInput;
  beforeAll(() => {
    const s = loadScenario(TANF);
    const e = new Engine(s);
    e.runToEnd();
    tanf = { scenario: s, events: e.events, tracks: s.units.map((_, u) => e.trackOf(u)) };
  });

  it('CoT: an exercise message goes out as a spot marker (b-m-p-s-m) at the exercise, its place unknown, and validates', () => {
    const msgs = tanf.events.filter((e) => e.type === 'inject' || e.kind === 'message');
    expect(msgs.length).toBeGreaterThan(0);
    const xmls = toCot(tanf);
    for (const m of msgs) {
      const xml = xmls.find((x) => x.includes(`uid="deconflict.event.${m.seq}"`));
      expect(xml).toBeDefined();
      const doc = new CoT(xml!);
      expect(doc.raw.event._attributes.type).toBe('b-m-p-s-m');
      expect(doc.raw.event.point._attributes.ce).toBe('9999999.0');
      // At the protected site of the first zone (At Tanf garrison).
      expect(Number(doc.raw.event.point._attributes.lat)).toBeCloseTo(tanf.scenario.sites[0].pos[1], 6);
      expect(doc.raw.event.detail!.remarks._text).toBe(m.reason);
    }
  });

  it('GeoJSON: every feature is a zone, site, track or event; an inject keeps its own kind as inject_kind; every track is a LineString', () => {
    const still = parseScenario(
      `title: t\nstart: 2017-05-18T06:00:00Z\nend: 2017-05-18T07:00:00Z\nsites: [{id: s, name: S, side: blue, pos: [38, 33]}]\nzones: [{id: z, name: Z, type: circle, center: s, radius: 5km, applies_to: [red]}]\nunits:\n  - {id: r, name: R, side: red, track: [{pos: [38.5, 33.5], t: 2017-05-18T06:00:00Z}]}\ninjects:\n  - {t: +10m, type: message, text: hello}\n`,
    );
    const e = new Engine(still);
    e.runToEnd();
    for (const gj of [toGeoJson(tanf), toGeoJson({ scenario: still, events: e.events })] as unknown as {
      features: { properties: Record<string, unknown>; geometry: { type: string } | null }[];
    }[]) {
      const kinds = new Set(gj.features.map((f) => f.properties.kind));
      expect([...kinds].every((k) => ['zone', 'site', 'track', 'event'].includes(k as string))).toBe(true);
      const tracks = gj.features.filter((f) => f.properties.kind === 'track');
      expect(tracks.every((f) => f.geometry?.type === 'LineString')).toBe(true);
    }
    const gj = toGeoJson({ scenario: still, events: e.events }) as unknown as {
      features: { id: string; properties: Record<string, unknown>; geometry: { type: string } | null }[];
    };
    const track = gj.features.find((f) => f.id === 'track:r')!;
    expect(track.geometry).toEqual({
      type: 'LineString',
      coordinates: [
        [38.5, 33.5],
        [38.5, 33.5],
      ],
    });
    expect((track.properties as { coordinateProperties: { times: string[] } }).coordinateProperties.times).toEqual([
      '2017-05-18T06:00:00Z',
      '2017-05-18T07:00:00Z',
    ]);
    const msg = gj.features.find((f) => f.properties.inject_kind === 'message')!;
    expect(msg.properties).toMatchObject({ kind: 'event', type: 'inject', inject_kind: 'message', text: 'hello' });
    expect(msg.geometry).toBeNull();
  });
});
