import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { simulate } from '../../src/core/engine.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';
import { readGeoFile } from '../../src/io/read.js';
import { parseFixTime } from '../../src/io/source.js';

const FIX = resolve('test/fixtures/io');
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function errorOf(f: () => unknown): ScenarioError {
  try {
    f();
  } catch (e) {
    if (e instanceof ScenarioError) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

/** A scenario around the fixtures, with the given zones and units (YAML fragments). */
function scenario(units: string, zones = `  - {id: tanf-dz, name: Tanf DZ, type: circle, center: tanf, radius: 55km, applies_to: [pro-regime]}`): string {
  return `title: t
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
sites:
  - {id: tanf, name: At Tanf garrison, side: coalition, pos: [38.61778, 33.50583]}
zones:
${zones}
units:
${units}
`;
}

describe('parseFixTime', () => {
  it('reads the time forms other tools write', () => {
    expect(parseFixTime('2017-05-18T06:00:00Z')).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('2017-05-18T09:00:00+03:00')).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('2017-05-18T09:00:00+0300')).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('2017-05-18 06:00:00')).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('2017-05-18T06:00:00.250Z')).toBe(Date.UTC(2017, 4, 18, 6, 0, 0, 250));
    expect(parseFixTime(1495087200)).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('1495087200000')).toBe(Date.UTC(2017, 4, 18, 6));
    expect(parseFixTime('2017-02-30T00:00:00Z')).toBeUndefined();
    expect(parseFixTime('yesterday')).toBeUndefined();
    expect(parseFixTime('')).toBeUndefined();
  });
});

describe('reading files made by other tools', () => {
  it('GPX from a Garmin handheld: a two-segment track with extensions, and a waypoint', () => {
    const d = readGeoFile(join(FIX, 'garmin-convoy.gpx'));
    expect(d.format).toBe('gpx');
    expect(d.tracks).toHaveLength(1);
    const t = d.tracks[0];
    expect(t.name).toBe('Convoy Alpha');
    expect(t.kind).toBe('timed');
    expect(t.fixes).toHaveLength(23);
    expect(iso(t.fixes[0].t)).toBe('2017-05-18T06:00:00Z');
    expect(t.fixes[0]).toMatchObject({ lon: 38.03808, lat: 34.04047 });
    // The second segment starts after the 40-minute halt.
    expect(iso(t.fixes[11].t)).toBe('2017-05-18T07:26:01Z');
    expect(iso(t.fixes[22].t)).toBe('2017-05-18T08:18:50Z');
    for (let i = 1; i < t.fixes.length; i++) expect(t.fixes[i].t).toBeGreaterThan(t.fixes[i - 1].t);
    expect(d.points).toEqual([expect.objectContaining({ name: 'At Tanf garrison', pos: [38.61778, 33.50583] })]);
  });

  it('Google Earth KML with styles and folders: gx:Track, TimeSpan and TimeStamp lines, timed points, a polygon, a site', () => {
    const d = readGeoFile(join(FIX, 'google-earth.kml'));
    const byName = Object.fromEntries(d.tracks.map((t) => [t.name, t]));
    expect(Object.keys(byName).sort()).toEqual(['Column Delta', 'Convoy Bravo', 'Echo sightings', 'Patrol Charlie', 'Phase line Gold']);
    const bravo = byName['Convoy Bravo'];
    expect(bravo).toMatchObject({ id: 'bravo', kind: 'timed', what: 'KML gx:Track', props: { side: 'pro-regime' } });
    expect(bravo.fixes).toHaveLength(11);
    expect(bravo.fixes[0]).toMatchObject({ t: Date.UTC(2017, 4, 18, 6), lon: 38.03808, lat: 34.04047 });
    // A TimeSpan spreads the times along the line by distance: equal legs, equal times.
    const charlie = byName['Patrol Charlie'];
    expect(charlie.kind).toBe('timed');
    expect(charlie.fixes.map((f) => iso(f.t))).toEqual(['2017-05-18T07:00:00Z', expect.stringMatching(/^2017-05-18T07:(29|30|31)/), '2017-05-18T08:00:00Z']);
    expect(byName['Column Delta']).toMatchObject({ kind: 'timestamp', begin: Date.UTC(2017, 4, 18, 6, 30) });
    // Timed points in a folder form one track named after it, sorted by time (one written +03:00).
    const echo = byName['Echo sightings'];
    expect(echo.fixes.map((f) => [iso(f.t), f.lon])).toEqual([
      ['2017-05-18T07:00:00Z', 38.2],
      ['2017-05-18T07:10:00Z', 38.25],
      ['2017-05-18T07:20:00Z', 38.3],
    ]);
    expect(byName['Phase line Gold'].kind).toBe('untimed');
    const dz = d.shapes.find((s) => s.name === 'Tanf DZ')!;
    expect(dz).toMatchObject({ kind: 'polygon', id: 'tanf-dz' });
    expect(dz.rings![0]).toHaveLength(37);
    expect(dz.rings![0][0]).toEqual(dz.rings![0][36]);
    expect(d.points.map((p) => p.name)).toEqual(['At Tanf garrison']);
  });

  it('GeoJSON: a line with coordinateProperties.times, one with coordTimes, timed points grouped by unit, a polygon and a site', () => {
    const d = readGeoFile(join(FIX, 'tracks.geojson'));
    const byName = Object.fromEntries(d.tracks.map((t) => [t.name, t]));
    expect(byName['Convoy Alpha'].fixes).toHaveLength(11);
    expect(byName['Convoy Alpha'].props).toEqual({ side: 'pro-regime' });
    expect(byName.Recce).toMatchObject({ id: 'recce', kind: 'timed' });
    expect(byName.Recce.fixes).toHaveLength(4);
    expect(byName.echo.fixes.map((f) => iso(f.t))).toEqual(['2017-05-18T07:00:00Z', '2017-05-18T07:10:00Z', '2017-05-18T07:20:00Z']);
    expect(d.shapes.filter((s) => s.kind === 'polygon').map((s) => s.name)).toEqual(['Tanf DZ']);
    expect(d.points.map((p) => p.name)).toEqual(['At Tanf garrison']);
  });

  it('CSV with the usual column names, and with configured ones, another delimiter and quoted fields', () => {
    const d = readGeoFile(join(FIX, 'fixes.csv'));
    expect(d.tracks.map((t) => [t.name, t.fixes.length])).toEqual([
      ['alpha', 11],
      ['bravo', 5],
    ]);
    expect(d.tracks[0].props).toEqual({ side: 'pro-regime' });
    const c = readGeoFile(join(FIX, 'fixes-custom.csv'), { columns: { unit: 'Callsign', time: 'DTG', lat: 'Breite', lon: 'Laenge' } });
    expect(c.tracks).toHaveLength(1);
    expect(c.tracks[0].name).toBe('ALPHA');
    expect(c.tracks[0].fixes[0]).toEqual({ t: Date.UTC(2017, 4, 18, 6), lon: 38.03808, lat: 34.04047 });
    expect(c.tracks[0].props).toEqual({ Bemerkung: 'Marsch; ohne Halt' });
    // The same fixes whatever tool wrote them.
    const gpx = readGeoFile(join(FIX, 'garmin-convoy.gpx')).tracks[0].fixes.slice(0, 11);
    expect(c.tracks[0].fixes.map((f) => f.t)).toEqual(gpx.map((f) => f.t));
    c.tracks[0].fixes.forEach((f, i) => {
      expect(f.lon).toBeCloseTo(gpx[i].lon, 6);
      expect(f.lat).toBeCloseTo(gpx[i].lat, 6);
    });
  });

  it('without the column names, a CSV says which columns it has and how to name them', () => {
    const e = errorOf(() => readGeoFile(join(FIX, 'fixes-custom.csv')));
    expect(e.message).toMatch(/fixes-custom\.csv:1:1: no latitude column in the header \(Callsign, DTG, Breite, Laenge, Bemerkung\)/);
    expect(e.message).toContain('columns: {lat: NAME}');
  });

  it.each([
    ['notime.gpx', /notime\.gpx:11:7: this <trkpt> has no <time>/],
    ['malformed.kml', /malformed\.kml:6:\d+: malformed XML: Opening and ending tag mismatch/],
    ['badlat.csv', /badlat\.csv:4:28: lat: 'north' is not a latitude/],
    ['badtime.csv', /badtime\.csv:3:7: time: 'yesterday' is not a time/],
    ['syntax.geojson', /syntax\.geojson:4:53: malformed JSON/],
    ['badtime.geojson', /badtime\.geojson:8:\d+: features\[0\]\.properties\.coordTimes\[1\]: 'soon' is not a time/],
  ])('a bad %s is reported at its line and column', (file, re) => {
    // A fault inside one track (a point without a time) is kept with that track and thrown when it is used.
    const e = errorOf(() => {
      const d = readGeoFile(join(FIX, 'bad', file));
      if (d.tracks[0]?.problem) throw d.tracks[0].problem;
    });
    expect(e.message).toMatch(re);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('sorts recorded fixes that go back in time or repeat a time, and says so through the scenario', () => {
    const t = readGeoFile(join(FIX, 'backwards.kml')).tracks[0];
    expect(t.fixes.map((f) => f.t)).toEqual([Date.UTC(2017, 4, 18, 6, 0), Date.UTC(2017, 4, 18, 6, 10)]);
    expect(t.fixes[0].lon).toBe(38.3);
    expect(t.tidied).toEqual({ unordered: 1, duplicates: 0 });
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-io-'));
    writeFileSync(join(dir, 'backwards.kml'), readFileSync(join(FIX, 'backwards.kml')));
    writeFileSync(
      join(dir, 'fixes.csv'),
      'unit,time,lat,lon\nA,2017-05-18T06:05:00Z,33.9,38.2\nA,2017-05-18T06:00:00Z,33.95,38.1\nA,2017-05-18T06:05:00Z,33.0,39.0\n',
    );
    const zone = 'zones: [{id: z, name: z, type: circle, center: [38.6, 33.5], radius: 55km, applies_to: [red]}]';
    const head = `title: t\nstart: 2017-05-18T06:00:00Z\nend: 2017-05-18T07:00:00Z\n${zone}\n`;
    writeFileSync(join(dir, 'k.yaml'), `${head}units: [{id: u, name: u, side: red, track: {file: backwards.kml}}]\n`);
    writeFileSync(join(dir, 'c.yaml'), `${head}units: [{id: u, name: u, side: red, track: {file: fixes.csv}}]\n`);
    const k = loadScenario(join(dir, 'k.yaml'));
    expect(k.warnings?.map((w) => w.message)).toEqual([
      expect.stringMatching(/k\.yaml:5:44: warning: units\[0\]\.track: in backwards\.kml, 1 fix was out of time order and was sorted/),
    ]);
    const c = loadScenario(join(dir, 'c.yaml'));
    expect(c.warnings?.[0].message).toMatch(
      /1 fix was out of time order and was sorted; 1 fix at a time already recorded was dropped \(the first fix at each time is kept\)/,
    );
    // The first fix at 06:05 is kept, the conflicting one dropped.
    expect(Array.from(c.units[0].track.lon)).toEqual([38.1, 38.2]);
  });

  it('refuses binary files, KMZ archives and unknown formats with one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-io-'));
    writeFileSync(join(dir, 'a.kmz'), Buffer.from([0x50, 0x4b, 3, 4, 0, 0]));
    writeFileSync(join(dir, 'b.dat'), 'hello there\n');
    expect(errorOf(() => readGeoFile(join(dir, 'a.kmz'))).message).toMatch(/a zip archive \(a KMZ\?\)/);
    expect(errorOf(() => readGeoFile(join(dir, 'b.dat'))).message).toMatch(/cannot tell what format/);
    expect(errorOf(() => readGeoFile(join(dir, 'missing.gpx'))).message).toMatch(/missing\.gpx:1:1: no such file/);
  });
});

describe('scenarios that refer to track and zone files', () => {
  it('loads the fixture scenario: tracks from GPX, KML, CSV; zones from KML', () => {
    const sc = loadScenario(join(FIX, 'tanf-from-files.yaml'));
    const alpha = sc.units.find((u) => u.id === 'alpha')!;
    expect(alpha.track.t).toHaveLength(23);
    expect(alpha.track.t[0]).toBe(Date.UTC(2017, 4, 18, 6));
    // starts: +30m moves the gx:Track so that its first fix is 30 minutes after the start.
    const bravo = sc.units.find((u) => u.id === 'bravo')!;
    expect(bravo.track.t[0]).toBe(Date.UTC(2017, 4, 18, 6, 30));
    expect(bravo.track.t[10] - bravo.track.t[0]).toBe(alpha.track.t[10] - alpha.track.t[0]);
    // A TimeStamp line at 20 km/h: it sets off at the stamp and the times follow from the distance.
    const delta = sc.units.find((u) => u.id === 'delta')!;
    expect(delta.track.t[0]).toBe(Date.UTC(2017, 4, 18, 6, 30));
    expect(delta.track.t[1] - delta.track.t[0]).toBeGreaterThan(60 * 60_000);
    expect(sc.zones.map((z) => [z.id, z.type])).toEqual([
      ['tanf-dz', 'polygon'],
      ['gold', 'line'],
    ]);
    const events = simulate(sc);
    // The GPS-logged convoy crosses phase line Gold and climbs the whole ladder there.
    expect(events.filter((e) => e.unit === 'alpha' && e.zone === 'gold' && e.type === 'escalate').map((e) => e.rung)).toEqual([
      'monitor',
      'warn',
      'show_of_force',
      'warning_shots',
      'strike',
    ]);
    expect(events.some((e) => e.unit === 'alpha' && e.zone === 'tanf-dz' && e.type === 'approach')).toBe(true);
  });

  it('a polygon zone from a KML file judges like the inline polygon it holds', () => {
    const d = readGeoFile(join(FIX, 'google-earth.kml'));
    const ring = d.shapes.find((s) => s.name === 'Tanf DZ')!.rings![0];
    const unit = `  - {id: c, name: C, side: pro-regime, track: {file: garmin-convoy.gpx}}`;
    const fromFile = parseScenario(
      scenario(unit, `  - {id: z, name: Z, type: polygon, file: google-earth.kml, feature: Tanf DZ, applies_to: [pro-regime]}`),
      join(FIX, 'x.yaml'),
    );
    const inline = parseScenario(
      scenario(unit, `  - {id: z, name: Z, type: polygon, polygon: [${JSON.stringify(ring)}], applies_to: [pro-regime]}`),
      join(FIX, 'x.yaml'),
    );
    expect(simulate(fromFile)).toEqual(simulate(inline));
  });

  const cases: [string, string, RegExp][] = [
    ['no such file', `  - {id: c, name: C, side: s, track: {file: nowhere.gpx}}`, /x\.yaml:\d+:\d+: units\[0\]\.track\.file: no such file 'nowhere\.gpx'/],
    [
      'several tracks, none chosen',
      `  - {id: c, name: C, side: s, track: {file: google-earth.kml}}`,
      /units\[0\]\.track\.file: .*google-earth\.kml has 4 tracks: 'Convoy Bravo', 'Patrol Charlie', 'Column Delta', 'Echo sightings' \(say which with name: \(or id:\)\)/,
    ],
    [
      'a misspelt track name',
      `  - {id: c, name: C, side: s, track: {file: google-earth.kml, name: Convoy Bravoo}}`,
      /units\[0\]\.track\.name: .*has no track named 'Convoy Bravoo' \(did you mean 'Convoy Bravo'\?\)/,
    ],
    [
      'a TimeStamp line without a speed',
      `  - {id: c, name: C, side: s, track: {file: google-earth.kml, name: Column Delta}}`,
      /units\[0\]\.track\.speed: 'Column Delta' is a KML LineString with a TimeStamp: it says when the unit sets off but not how fast/,
    ],
    [
      'a path without times and no start',
      `  - {id: c, name: C, side: s, track: {file: google-earth.kml, name: Phase line Gold, speed: 10km/h}}`,
      /units\[0\]\.track\.starts: 'Phase line Gold' is a KML LineString without times \(give starts:/,
    ],
    [
      'a speed on a timed track',
      `  - {id: c, name: C, side: s, track: {file: garmin-convoy.gpx, speed: 10km/h}}`,
      /units\[0\]\.track\.speed: 'Convoy Alpha' is a GPX track with its own times/,
    ],
    [
      'a track outside the scenario window',
      `  - {id: c, name: C, side: s, track: {file: garmin-convoy.gpx, starts: 2018-01-01T00:00:00Z}}`,
      /units\[0\]\.track\.file: the track 'Convoy Alpha' runs from 2018-01-01T00:00:00Z to 2018-01-01T02:18:50Z, outside the scenario/,
    ],
    [
      'an unknown field in the reference',
      `  - {id: c, name: C, side: s, track: {file: garmin-convoy.gpx, nmae: x}}`,
      /units\[0\]\.track\.nmae: unknown field 'nmae' \(did you mean 'name'\?\)/,
    ],
  ];
  it.each(cases)('%s is reported at the scenario field', (_what, units, re) => {
    const e = errorOf(() => parseScenario(scenario(units), join(FIX, 'x.yaml')));
    expect(e.message).toMatch(re);
    expect(e.file).toContain('x.yaml');
  });

  it('a fault inside the referenced file names that file, its line and column, and the scenario field', () => {
    const e = errorOf(() => parseScenario(scenario(`  - {id: c, name: C, side: s, track: {file: bad/notime.gpx}}`), join(FIX, 'x.yaml')));
    expect(e.file).toBe(join(FIX, 'bad/notime.gpx'));
    expect([e.line, e.column]).toEqual([11, 7]);
    expect(e.field).toBe('units[0].track');
    expect(e.message).toMatch(/notime\.gpx:11:7: units\[0\]\.track: this <trkpt> has no <time> \(.*; referred to from .*x\.yaml:\d+:\d+\)$/);
    const z = errorOf(() =>
      parseScenario(
        scenario(
          `  - {id: c, name: C, side: s, track: [{pos: [38, 34], t: +0s}]}`,
          `  - {id: z, name: Z, type: polygon, file: bad/malformed.kml, applies_to: [s]}`,
        ),
        join(FIX, 'x.yaml'),
      ),
    );
    expect(z.message).toMatch(/malformed\.kml:6:\d+: zones\[0\]: malformed XML/);
  });

  it('zone references: both or neither of file and the positions, a missing feature, a wrong kind', () => {
    const unit = `  - {id: c, name: C, side: s, track: [{pos: [38, 34], t: +0s}]}`;
    const err = (zone: string) => errorOf(() => parseScenario(scenario(unit, zone), join(FIX, 'x.yaml'))).message;
    expect(err(`  - {id: z, name: Z, type: polygon, applies_to: [s]}`)).toMatch(/zones\[0\]: a polygon zone needs 'polygon:' \(its positions\) or 'file:'/);
    expect(err(`  - {id: z, name: Z, type: polygon, file: google-earth.kml, polygon: [[[38, 33], [39, 33], [39, 34], [38, 33]]], applies_to: [s]}`)).toMatch(
      /zones\[0\]\.file: give 'polygon:' or 'file:', not both/,
    );
    expect(err(`  - {id: z, name: Z, type: polygon, file: google-earth.kml, feature: Tanf, applies_to: [s]}`)).toMatch(
      /zones\[0\]\.feature: .*has no polygon named 'Tanf' \(its polygons: 'Tanf DZ'\)/,
    );
    expect(err(`  - {id: z, name: Z, type: polygon, file: garmin-convoy.gpx, applies_to: [s]}`)).toMatch(
      /zones\[0\]\.file: .*garmin-convoy\.gpx has no polygons \(it has 1 track, 1 untimed point\)/,
    );
    expect(err(`  - {id: z, name: Z, type: line, file: tracks.geojson, forbidden: left, applies_to: [s]}`)).toMatch(
      /zones\[0\]\.file: .*tracks\.geojson has 2 lines: 'Convoy Alpha', 'Recce' \(say which with feature: NAME\)/,
    );
  });

  it('a line zone from a file takes the untimed line when the file has one', () => {
    const unit = `  - {id: c, name: C, side: s, track: [{pos: [38, 34], t: +0s}]}`;
    const sc = parseScenario(scenario(unit, `  - {id: z, name: Z, type: line, file: google-earth.kml, forbidden: left, applies_to: [s]}`), join(FIX, 'x.yaml'));
    expect(sc.zones[0].shape.outline()[0]).toEqual([
      [38, 33.9],
      [38.3, 33.95],
      [38.6, 34],
    ]);
  });

  it('refuses paths that lead outside the scenario folder (also through a symlink) unless allowed', () => {
    const root = mkdtempSync(join(tmpdir(), 'deconflict-io-'));
    const inner = join(root, 'exercise');
    mkdirSync(inner);
    writeFileSync(join(root, 'outside.csv'), 'unit,time,lat,lon\na,2017-05-18T06:00:00Z,33.9,38.2\n');
    symlinkSync(join(root, 'outside.csv'), join(inner, 'link.csv'));
    const text = (f: string) => scenario(`  - {id: c, name: C, side: s, track: {file: ${f}}}`);
    writeFileSync(join(inner, 'a.yaml'), text('../outside.csv'));
    writeFileSync(join(inner, 'b.yaml'), text('link.csv'));
    writeFileSync(join(inner, 'c.yaml'), text(join(root, 'outside.csv')));
    for (const f of ['a.yaml', 'b.yaml', 'c.yaml']) {
      expect(errorOf(() => loadScenario(join(inner, f))).message).toMatch(/units\[0\]\.track\.file: '.*' leads outside the scenario's folder/);
      expect(loadScenario(join(inner, f), { allowFilesOutside: true }).units[0].track.t[0]).toBe(Date.UTC(2017, 4, 18, 6));
    }
  });

  it('a scenario given as text with no folder cannot refer to files', () => {
    const e = errorOf(() => parseScenario(scenario(`  - {id: c, name: C, side: s, track: {file: garmin-convoy.gpx}}`)));
    expect(e.message).toMatch(/units\[0\]\.track\.file: a scenario read from text cannot refer to files/);
  });
});
