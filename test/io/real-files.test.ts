/**
 * Files of the shapes other tools write (Strava, Garmin Connect, MapSource, older togeojson,
 * My Tracks / OpenTracks, QGIS, sparse loggers, EasyGPS routes): each read fix by fix, and each
 * through the built binary — import, validate, run.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { ImportedTrack } from '../../src/io/geodata.js';
import { readGeoFile } from '../../src/io/read.js';
import { yamlScalar } from '../../src/io/starter.js';

const BIN = resolve('dist/bin/deconflict.js');
const REAL = resolve('test/fixtures/io/real');
const T0 = Date.UTC(2017, 4, 18, 6);
const min = 60_000;

function run(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, input: '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The fixtures copied into a fresh folder (import writes next to them). */
function copy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-real-'));
  for (const f of readdirSync(REAL)) copyFileSync(join(REAL, f), join(dir, f));
  return dir;
}

/** What a track must hold: the number of fixes, the first and last fix, and every time. */
function expectTrack(t: ImportedTrack | undefined, n: number, first: [number, number], last: [number, number], times: number[]) {
  expect(t).toBeDefined();
  expect(t!.kind).toBe('timed');
  expect(t!.fixes).toHaveLength(n);
  expect([t!.fixes[0].lon, t!.fixes[0].lat]).toEqual(first);
  expect([t!.fixes[n - 1].lon, t!.fixes[n - 1].lat]).toEqual(last);
  expect(t!.fixes.map((f) => f.t)).toEqual(times);
}

const every = (n: number, stepMin: number, from = T0) => Array.from({ length: n }, (_, k) => from + k * stepMin * min);
const byName = (file: string, name: string) => readGeoFile(join(REAL, file)).tracks.find((t) => t.name === name);

describe('reading files of the shapes other tools write, fix by fix', () => {
  it('GPX (Strava): tracks named like numbers', () => {
    expectTrack(byName('numbers.gpx', '304 to UL 2019-02-18 0745'), 7, [38.2, 33.95], [38.58, 33.53], every(7, 5));
    expectTrack(byName('numbers.gpx', '304.1'), 7, [38.9, 33.9], [38.66, 33.55], every(7, 5));
  });

  it('GPX (Garmin Connect): a segment of a single point is kept (5 fixes, as GDAL reads)', () => {
    expectTrack(byName('single-point-segment.gpx', 'Convoy Kilo'), 5, [38.1, 34], [38.5, 33.6], every(5, 10));
  });

  it('GPX (MapSource): a track without times is a path beside the timed one', () => {
    const d = readGeoFile(join(REAL, 'timed-and-planned.gpx'));
    expectTrack(
      d.tracks.find((t) => t.name === 'Recorded patrol'),
      5,
      [38.1, 34],
      [38.5, 33.6],
      every(5, 10),
    );
    const plan = d.tracks.find((t) => t.name === 'Planned route')!;
    expect(plan.kind).toBe('untimed');
    expect(plan.coords).toHaveLength(4);
    expect(plan.coords[0]).toEqual([38.3, 33.3]);
    expect(plan.coords[3]).toEqual([38.56, 33.47]);
  });

  it('GPX (EasyGPS): a route is an untimed path', () => {
    const r = readGeoFile(join(REAL, 'route.gpx')).tracks[0];
    expect(r.kind).toBe('untimed');
    expect(r.coords).toHaveLength(5);
    expect(r.coords[0]).toEqual([38.15, 33.25]);
    expect(r.coords[4]).toEqual([38.58, 33.49]);
  });

  it('GeoJSON (older togeojson): a GeometryCollection of timed lines is one track; its start and end markers are left out; names are trimmed', () => {
    const d = readGeoFile(join(REAL, 'togeojson-old.geojson'));
    expect(d.tracks.map((t) => t.name)).toEqual(['Convoy Lima']);
    expectTrack(d.tracks[0], 8, [38, 34.1], [38.58, 33.52], [...every(4, 10), ...every(4, 10, T0 + 40 * min)]);
    expect(d.notes.join('\n')).toMatch(/'\(Start\)', '\(End\)' are start and end markers of a track/);
  });

  it('GeoJSON: a Feature id that is a number names the track', () => {
    expectTrack(byName('numbers.geojson', '17'), 5, [38.2, 34], [38.59, 33.54], every(5, 8));
  });

  it('KML (OpenTracks, My Tracks): a gx:MultiTrack with start and end markers beside it', () => {
    const d = readGeoFile(join(REAL, 'opentracks.kml'));
    expect(d.tracks.map((t) => t.name)).toEqual(['Patrol Mike']);
    expectTrack(d.tracks[0], 6, [38.05, 33.2], [38.55, 33.48], every(6, 6));
    expect(d.notes.join('\n')).toMatch(/'Start', 'End' are start and end markers/);
  });

  it('CSV (OpenTracks): the header written as a comment is the header', () => {
    const d = readGeoFile(join(REAL, 'opentracks.csv'));
    expect(d.tracks).toHaveLength(1);
    expectTrack(d.tracks[0], 6, [38.95, 33.2], [38.66, 33.47], every(6, 5));
  });

  it('CSV (QGIS): a per-row id column is not the unit column; the column whose values repeat is', () => {
    const d = readGeoFile(join(REAL, 'qgis.csv'));
    expect(d.tracks.map((t) => t.name)).toEqual(['Quebec', 'Romeo']);
    expectTrack(d.tracks[0], 5, [38.1, 33.7], [38.5, 33.55], every(5, 5));
    expectTrack(d.tracks[1], 5, [39, 33.7], [38.7, 33.52], every(5, 5));
    expect(d.notes.join('\n')).toMatch(/column 'id' has a different value on every row/);
  });

  it('CSV: unit values that look like numbers or booleans stay names', () => {
    const d = readGeoFile(join(REAL, 'numbers.csv'));
    expect(d.tracks.map((t) => t.name)).toEqual(['304', '0745', 'true']);
    expectTrack(d.tracks[1], 5, [38.3, 33.9], [38.6, 33.56], every(5, 7));
  });

  it('an empty <gx:coord/> is named as empty', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-real-'));
    writeFileSync(
      join(dir, 'empty.kml'),
      '<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2"><Document><Placemark><name>T</name>\n<gx:Track><when>2017-05-18T06:00:00Z</when><when>2017-05-18T06:01:00Z</when><gx:coord/><gx:coord>38.1 33.1 0</gx:coord></gx:Track></Placemark></Document></kml>',
    );
    let err: unknown;
    try {
      readGeoFile(join(dir, 'empty.kml'));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScenarioError);
    expect((err as Error).message).toMatch(/placemark 'T': coordinate 1 is empty/);
    expect((err as Error).message).not.toContain('null');
    // A name with control characters is quoted with them shown, not sent to the terminal as they are.
    writeFileSync(join(dir, 'esc.kml'), readFileSync(join(dir, 'empty.kml'), 'utf8').replace('<name>T</name>', '<name>T\u001b]0;owned\u0007</name>'));
    let err2: unknown;
    try {
      readGeoFile(join(dir, 'esc.kml'));
    } catch (e) {
      err2 = e;
    }
    expect((err2 as Error).message).toContain("placemark 'T\\u001b]0;owned\\u0007': coordinate 1 is empty");
  });
});

describe('yamlScalar', () => {
  it('any string comes back the same from block and flow context', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.string({ unit: 'grapheme' }),
          fc.constantFrom(
            '304.1',
            '0745',
            'true',
            'No',
            'null',
            '~',
            '1e5',
            '.inf',
            '2019-02-18',
            'a, b',
            '[x]',
            '{y}',
            'a: b',
            'a #b',
            ' x',
            '-',
            '? x',
            '!x',
            '&a',
            '*a',
            '|',
            '>',
            '@x',
            '`x',
            '%x',
            "'x",
            '"x',
          ),
        ),
        (s) => {
          expect(parse(`a: ${yamlScalar(s)}`).a).toBe(s);
          expect(parse(`{a: ${yamlScalar(s)}, b: 1}`).a).toBe(s);
          expect(parse(`[${yamlScalar(s)}, 1]`)[0]).toBe(s);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('each shape through the binary: import, validate, run', () => {
  it.each([
    ['numbers.gpx', 2],
    ['numbers.csv', 3],
    ['numbers.geojson', 1],
    ['single-point-segment.gpx', 1],
    ['togeojson-old.geojson', 1],
    ['opentracks.kml', 1],
    ['opentracks.csv', 1],
    ['qgis.csv', 2],
    ['timed-and-planned.gpx', 1],
  ])('%s', (file, units) => {
    expect(existsSync(BIN)).toBe(true);
    const dir = copy();
    const imp = run(['import', file, '-o', 'exercise.yaml'], dir);
    expect(imp.err).toMatch(new RegExp(`Starter scenario written to exercise\\.yaml: ${units} units?`));
    expect(imp.code).toBe(0);
    const v = run(['validate', 'exercise.yaml'], dir);
    expect(v.code).toBe(0);
    const r = run(['run', 'exercise.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/ENTER/);
    const sc = loadScenario(join(dir, 'exercise.yaml'));
    expect(sc.units).toHaveLength(units);
    // Each unit follows its file's fixes exactly: the same count, times and positions.
    const timed = readGeoFile(join(REAL, file)).tracks.filter((t) => t.kind === 'timed');
    expect(sc.units.map((u) => u.name)).toEqual(timed.map((t) => t.name));
    sc.units.forEach((u, i) => {
      expect(Array.from(u.track.t)).toEqual(timed[i].fixes.map((f) => f.t));
      expect(Array.from(u.track.lon)).toEqual(timed[i].fixes.map((f) => f.lon));
      expect(Array.from(u.track.lat)).toEqual(timed[i].fixes.map((f) => f.lat));
    });
  });

  it('names that look like numbers are quoted wherever the starter writes them', () => {
    const dir = copy();
    expect(run(['import', 'numbers.gpx', 'numbers.geojson', 'numbers.csv', '-o', 'exercise.yaml'], dir).code).toBe(0);
    const sc = loadScenario(join(dir, 'exercise.yaml'));
    expect(sc.units.map((u) => u.id)).toEqual(['304-to-ul-2019-02-18-0745', '304.1', '17', '304', '0745', 'true']);
    expect(sc.units.map((u) => u.name)).toEqual(['304 to UL 2019-02-18 0745', '304.1', '17', '304', '0745', 'true']);
    expect(sc.zones.map((z) => z.id)).toEqual(['2019']);
    expect(sc.sites.map((s) => s.id)).toEqual(['1200', '0.5']);
  });

  it('start and end markers are left out with a note; the starter says "1 fix" for one', () => {
    const dir = copy();
    const r = run(['import', 'opentracks.kml'], dir);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/note: .*opentracks\.kml: 'Start', 'End' are start and end markers/);
    // A name from a file reaches the terminal with its control characters shown, not acted on.
    writeFileSync(join(dir, 'esc.kml'), readFileSync(join(dir, 'opentracks.kml'), 'utf8').replace('<![CDATA[Start]]>', 'St\u001b[2Jart'));
    const esc = run(['import', 'esc.kml'], dir);
    expect(esc.code).toBe(0);
    expect(esc.err).toContain("'St\\u001b[2Jart', 'End' are start and end markers");
    expect(esc.err).not.toContain('\u001b');
    writeFileSync(
      join(dir, 'one.csv'),
      'unit,time,lat,lon\nA,2017-05-18T06:00:00Z,33.9,38.2\nA,2017-05-18T06:10:00Z,33.8,38.3\nB,2017-05-18T06:05:00Z,33.7,38.4\n',
    );
    const one = run(['import', 'one.csv'], dir);
    expect(one.out).toMatch(/CSV rows, 1 fix, one\.csv/);
    expect(one.out).toMatch(/CSV rows, 2 fixes, one\.csv/);
  });

  it('a timed track is used by name from a file that also holds an untimed one, and the untimed one with starts: and speed:', () => {
    const dir = copy();
    writeFileSync(
      join(dir, 's.yaml'),
      `title: t
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
sites: [{id: tanf, name: At Tanf, side: coalition, pos: [38.61778, 33.50583]}]
zones: [{id: dz, name: Tanf DZ, type: circle, center: tanf, radius: 20km, applies_to: [red]}]
units:
  - {id: patrol, name: Patrol, side: red, track: {file: timed-and-planned.gpx, name: Recorded patrol}}
  - {id: plan, name: Plan, side: red, track: {file: timed-and-planned.gpx, name: Planned route, starts: +10m, speed: 20km/h}}
`,
    );
    const r = run(['run', 's.yaml'], dir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/plan +dz +ENTER/);
    const sc = loadScenario(join(dir, 's.yaml'));
    expect(sc.units[0].track.t[0]).toBe(T0);
    expect(sc.units[1].track.t[0]).toBe(T0 + 10 * min);
  });

  it('a track with a point without a time is reported when it is used, not when another track of its file is', () => {
    const dir = copy();
    const gpx = readFileSync(join(dir, 'timed-and-planned.gpx'), 'utf8').replace(
      '</gpx>',
      '<trk><name>Broken</name><trkseg><trkpt lat="33.9" lon="38.2"><time>2017-05-18T06:00:00Z</time></trkpt><trkpt lat="33.8" lon="38.3"></trkpt></trkseg></trk>\n</gpx>',
    );
    writeFileSync(join(dir, 'mixed.gpx'), gpx);
    const ok = run(['import', 'mixed.gpx'], dir);
    expect(ok.code).toBe(0);
    expect(ok.err).toMatch(/note: mixed\.gpx:\d+:\d+: this <trkpt> has no <time>: the track 'Broken' is left out/);
    const head = `title: t\nstart: 2017-05-18T06:00:00Z\nend: 2017-05-18T08:00:00Z\nzones: [{id: dz, name: DZ, type: circle, center: [38.6, 33.5], radius: 20km, applies_to: [red]}]\n`;
    writeFileSync(join(dir, 'bad.yaml'), `${head}units:\n  - {id: b, name: B, side: red, track: {file: mixed.gpx, name: Broken}}\n`);
    const bad = run(['validate', 'bad.yaml'], dir);
    expect(bad.code).toBe(2);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    expect(bad.err).toMatch(/mixed\.gpx:\d+:\d+: units\[0\]\.track: this <trkpt> has no <time>/);
  });

  it('sparse fixes set max_gap; --side SIDE=FILE gives one file its side; the zones apply to the others', () => {
    const dir = copy();
    const r = run(['import', 'sparse.csv', 'own-patrol.gpx', '--side', 'own=own-patrol.gpx', '-o', 'exercise.yaml'], dir);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'exercise.yaml'), 'utf8');
    expect(text).toContain('track: {file: sparse.csv, name: sierra, max_gap: 30m}');
    expect(text).toMatch(/TODO sides: 1 unit is 'opposing'/);
    const sc = loadScenario(join(dir, 'exercise.yaml'));
    expect(sc.units.map((u) => u.side)).toEqual(['opposing', 'own']);
    expect(sc.zones[0].appliesTo).toEqual(['opposing']);
    const out = run(['run', 'exercise.yaml'], dir);
    expect(out.code).toBe(0);
    // Moved across the 30-minute gaps, not held: the unit closes on the zone and enters it.
    expect(out.out).toMatch(/sierra +zone +ENTER/);
    expect(out.out).not.toMatch(/own-patrol +zone/);
    expect(run(['import', 'sparse.csv', '--side', 'own=nothere.gpx'], dir).err).toMatch(/--side: 'nothere\.gpx' is not one of the files imported/);
  });

  it('import --starts and --speed make untimed routes units', () => {
    const dir = copy();
    const none = run(['import', 'route.gpx'], dir);
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/give --starts TIME/);
    const r = run(['import', 'route.gpx', '--starts', '2017-05-18T06:00:00Z', '--speed', '40km/h', '-o', 'exercise.yaml'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'exercise.yaml'), 'utf8')).toContain(
      'track: {file: route.gpx, name: Route Tango, starts: "2017-05-18T06:00:00Z", speed: "40km/h"}',
    );
    expect(run(['validate', 'exercise.yaml'], dir).code).toBe(0);
    const out = run(['run', 'exercise.yaml'], dir);
    expect(out.code).toBe(0);
    expect(out.out).toMatch(/route-tango +zone +ENTER/);
  });
});
