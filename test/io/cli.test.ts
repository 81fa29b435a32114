/** The import, export and live commands, on the built binary (npm test builds it first). */
import { spawn, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/io/node/load.js';
import { cotUnitReport } from '../../src/io/export-cot.js';

const BIN = resolve('dist/bin/deconflict.js');
const FIX = resolve('test/fixtures/io');
const TANF = resolve('scenarios/tanf-2017-05-18.yaml');
const NODE_COT = '@tak-ps/node-cot';
let CoT: new (xml: string) => { raw: { event: { _attributes: Record<string, string> } } };

function run(args: string[], opts: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: opts.cwd, input: opts.input ?? '', encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'deconflict-cli-io-'));
}

/** A copy of the fixtures in a fresh folder (commands write next to them). */
function fixtureDir(): string {
  const dir = tmp();
  for (const f of ['garmin-convoy.gpx', 'google-earth.kml', 'tracks.geojson', 'fixes.csv', 'fixes-custom.csv', 'tanf-from-files.yaml'])
    copyFileSync(join(FIX, f), join(dir, f));
  return dir;
}

beforeAll(async () => {
  expect(existsSync(BIN)).toBe(true);
  CoT = ((await import(NODE_COT)) as { default: typeof CoT }).default;
});

describe('deconflict import', () => {
  it('writes a starter scenario that loads and runs as it is; never overwrites without --force', () => {
    const dir = fixtureDir();
    const r = run(
      [
        'import',
        'garmin-convoy.gpx',
        'google-earth.kml',
        'fixes-custom.csv',
        '--columns',
        'unit=Callsign,time=DTG,lat=Breite,lon=Laenge',
        '-o',
        'exercise.yaml',
      ],
      { cwd: dir },
    );
    expect(r.err).toMatch(/Starter scenario written to exercise\.yaml: 6 units, 2 zones, 1 site/);
    expect(r.code).toBe(0);
    const text = readFileSync(join(dir, 'exercise.yaml'), 'utf8');
    expect(text).toContain('track: {file: garmin-convoy.gpx, name: Convoy Alpha}');
    expect(text).toContain('columns: {unit: Callsign, time: DTG, lat: Breite, lon: Laenge}');
    expect(text).toMatch(/file: google-earth\.kml .*\n {4}feature: Tanf DZ/);
    expect(text).toContain('TODO');
    const sc = loadScenario(join(dir, 'exercise.yaml'));
    expect(sc.units.map((u) => u.id)).toEqual(['convoy-alpha', 'convoy-bravo', 'patrol-charlie', 'column-delta', 'echo-sightings', 'alpha']);
    expect(sc.start).toBe(Date.UTC(2017, 4, 18, 6));
    const again = run(['run', 'exercise.yaml'], { cwd: dir });
    expect(again.code).toBe(0);
    expect(again.out).toMatch(/ESCALATE/);
    const clash = run(['import', 'garmin-convoy.gpx', '-o', 'exercise.yaml'], { cwd: dir });
    expect(clash.code).toBe(2);
    expect(clash.err).toBe('deconflict: exercise.yaml exists; pass --force to overwrite it\n');
    expect(readFileSync(join(dir, 'exercise.yaml'), 'utf8')).toBe(text);
    expect(run(['import', 'garmin-convoy.gpx', '-o', 'exercise.yaml', '--force'], { cwd: dir }).code).toBe(0);
    expect(readFileSync(join(dir, 'exercise.yaml'), 'utf8')).not.toBe(text);
  });

  it('prints to standard output, with a placeholder zone when the files hold none', () => {
    const r = run(['import', 'fixes.csv', '--side', 'red'], { cwd: FIX });
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# A starter scenario/);
    expect(r.out).toContain('this 20 km circle is a placeholder');
    expect(r.out).toContain('side: red');
  });

  it('a bad file, or one with no tracks, is one line and exit 2', () => {
    const bad = run(['import', join(FIX, 'bad', 'notime.gpx')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/notime\.gpx:11:7: this <trkpt> has no <time>/);
    expect(bad.err.trim().split('\n')).toHaveLength(1);
    const dir = tmp();
    writeFileSync(
      join(dir, 'zones.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'Z' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [38, 33],
                  [39, 33],
                  [39, 34],
                  [38, 33],
                ],
              ],
            },
          },
        ],
      }),
    );
    const none = run(['import', 'zones.geojson'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.err).toMatch(/^deconflict: no timed tracks in zones\.geojson/);
  });
});

describe('deconflict run --export', () => {
  it('geojson to standard output; kml and cot to a file with the timeline still printed', () => {
    const gj = run(['run', TANF, '--export', 'geojson']);
    expect(gj.code).toBe(0);
    const fc = JSON.parse(gj.out);
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.some((f: { properties: { type?: string; rung?: string } }) => f.properties.type === 'escalate' && f.properties.rung === 'strike')).toBe(
      true,
    );
    const dir = tmp();
    const kml = run(['run', TANF, '--export', 'kml', '--export-out', join(dir, 'run.kml')]);
    expect(kml.code).toBe(0);
    expect(kml.out).toMatch(/ESCALATE/);
    expect(kml.err).toMatch(/KML export written to/);
    expect(readFileSync(join(dir, 'run.kml'), 'utf8')).toMatch(/<gx:Track>/);
    const clash = run(['run', TANF, '--export', 'cot', '--export-out', join(dir, 'run.kml')]);
    expect(clash.code).toBe(2);
    expect(clash.out).toBe('');
    expect(readFileSync(join(dir, 'run.kml'), 'utf8')).toMatch(/<kml/);
    const cot = run(['run', TANF, '--export', 'cot', '--until', '+1h', '--cot-interval', '5m', '--export-out', join(dir, 'run.cot')]);
    expect(cot.code).toBe(0);
    const lines = readFileSync(join(dir, 'run.cot'), 'utf8').trim().split('\n');
    for (const l of lines) expect(new CoT(l).raw.event._attributes.version).toBe('2.0');
    expect(lines.filter((l) => /<event [^>]*uid="deconflict\.unit\.convoy"/.test(l))).toHaveLength(13);
  });

  it('sends CoT over UDP to the host and port named', async () => {
    const rx = createSocket('udp4');
    const got: string[] = [];
    await new Promise<void>((res) => rx.bind(0, '127.0.0.1', () => res()));
    rx.on('message', (m) => got.push(m.toString('utf8')));
    const port = rx.address().port;
    const child = spawn(process.execPath, [BIN, 'run', TANF, '--export', 'cot', '--udp', String(port), '--until', '+30m']);
    child.stdout.resume();
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const code = await new Promise((res) => child.on('close', res));
    for (let i = 0; i < 100 && !/Sent (\d+)/.test(err); i++) await new Promise((r) => setTimeout(r, 10));
    expect(err).toMatch(/Sent \d+ CoT events to udp 127\.0\.0\.1:\d+/);
    const sent = Number(/Sent (\d+)/.exec(err)![1]);
    for (let i = 0; i < 200 && got.length < sent; i++) await new Promise((r) => setTimeout(r, 10));
    rx.close();
    expect(code).toBe(0);
    expect(got).toHaveLength(sent);
    expect(got.every((x) => new CoT(x).raw.event._attributes.uid.startsWith('deconflict.'))).toBe(true);
  });

  it.each([
    [['--udp', '4242'], 'deconflict: --udp needs --export cot'],
    [['--export', 'kml', '--udp', '4242'], 'deconflict: --udp sends CoT: use it with --export cot'],
    [['--export', 'cot', '--udp', 'nowhere'], "deconflict: --udp: 'nowhere' is not HOST:PORT or PORT (e.g. 127.0.0.1:4242)"],
    [['--export-out', 'x.json'], 'deconflict: --export-out needs --export geojson|kml|cot'],
  ])('bad option combinations exit 2 with one line: %j', (args, msg) => {
    const r = run(['run', TANF, ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${msg}\n`);
  });

  it('a scenario whose track file is bad exits 2 with one line naming that file, its line and the field', () => {
    const dir = fixtureDir();
    copyFileSync(join(FIX, 'bad', 'badlat.csv'), join(dir, 'badlat.csv'));
    writeFileSync(
      join(dir, 's.yaml'),
      readFileSync(join(dir, 'tanf-from-files.yaml'), 'utf8').replace('track: {file: garmin-convoy.gpx}', 'track: {file: badlat.csv}'),
    );
    const r = run(['run', 's.yaml'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^badlat\.csv:4:28: units\[0\]\.track → lat: 'north' is not a latitude \(-90\.\.90\) \(decimal degrees, e\.g\. 33\.50583; referred to from s\.yaml:\d+:\d+\)\n$/,
    );
    expect(r.err).not.toMatch(/at .*\.js/);
  });
});

describe('deconflict live', () => {
  const fixLine = (t: string, lat: number, lon: number, unit = 'convoy') => JSON.stringify({ unit, lat, lon, t });

  it('NDJSON on standard input (feed clock): events out, a malformed line reported with its number and skipped', async () => {
    const sc = loadScenario(TANF);
    const input = [
      fixLine('2017-05-18T06:00:00Z', 34.04, 38.04),
      '{"unit": "convoy", "lat": 33.9,',
      fixLine('2017-05-18T06:40:00Z', 33.887, 38.205),
      fixLine('2017-05-18T07:30:00Z', 33.74, 38.365),
      fixLine('2017-05-18T07:31:00Z', 33.739, 38.366, 'konvoy'),
      fixLine('2017-05-18T09:30:00Z', 34.04, 38.04),
    ].join('\n');
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--clock', 'feed', '--json']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // Written in pieces, as a feed would arrive.
    for (const piece of input.match(/[\s\S]{1,40}/g)!) {
      child.stdin.write(piece);
      await new Promise((r) => setTimeout(r, 2));
    }
    child.stdin.end('\n');
    const code = await new Promise((res) => child.on('close', res));
    expect(code).toBe(0);
    expect(err).toMatch(/^stdin:2: malformed JSON .*; line skipped$/m);
    expect(err).toMatch(/^stdin:5: unknown unit 'konvoy' \(did you mean 'convoy'\?\); line skipped$/m);
    expect(err).toMatch(/live run ended: 6 lines read, 4 fixes used, 2 skipped; \d+ events/);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    const rungs = events.filter((e) => e.type === 'escalate' && e.unit === 'convoy').map((e) => e.rung);
    expect(rungs).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
    // Held at its 06:40 fix until the 07:30 fix: the entry is found inside the last tick.
    const enter = Date.parse(events.find((e) => e.type === 'enter').t);
    expect(enter).toBeGreaterThanOrEqual(Date.UTC(2017, 4, 18, 7, 29, 50));
    expect(enter).toBeLessThanOrEqual(Date.UTC(2017, 4, 18, 7, 30));
    // The last fix (09:30, back where it came from) came just before the input ended and was still judged.
    expect(events.slice(-2).map((e) => [e.type, e.area])).toEqual([
      ['exit', 'zone'],
      ['exit', 'band'],
    ]);
    expect(Date.parse(events.at(-1).t)).toBeGreaterThan(Date.UTC(2017, 4, 18, 9, 29, 50));
    expect(Date.parse(events.at(-1).t)).toBeLessThanOrEqual(Date.UTC(2017, 4, 18, 9, 30));
    expect(events.some((e) => e.type === 'inject')).toBe(true);
    expect(sc.units.map((u) => u.id)).toContain('mat-patrol');
    expect(err).toMatch(/mat-patrol\s+no position received/);
  });

  it('in real time: a fix on standard input gives its events while the run goes on', async () => {
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--tick', '200ms', '--json']);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    await new Promise((r) => setTimeout(r, 300));
    child.stdin.write(`${JSON.stringify({ unit: 'convoy', lat: 33.74, lon: 38.365 })}\n`);
    for (let i = 0; i < 100 && !out.includes('"type":"enter"'); i++) await new Promise((r) => setTimeout(r, 50));
    expect(child.exitCode).toBe(null);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.map((e) => e.type)).toEqual(['approach', 'enter', 'escalate', 'escalate']);
    // The live window starts now, not in 2017.
    expect(Date.parse(events[0].t)).toBeGreaterThan(Date.now() - 60_000);
    child.stdin.end();
    expect(await new Promise((res) => child.on('close', res))).toBe(0);
    expect(err).toMatch(/live run ended: 1 line read, 1 fix used, 0 skipped/);
  });

  it('CoT over UDP on a loopback port in, CoT alerts out; stops on SIGINT with its summary', async () => {
    const sc = loadScenario(TANF);
    const rx = createSocket('udp4');
    const alerts: string[] = [];
    await new Promise<void>((res) => rx.bind(0, '127.0.0.1', () => res()));
    rx.on('message', (m) => alerts.push(m.toString('utf8')));
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--clock', 'feed', '--json', '--cot-in', '0', '--cot-out', `127.0.0.1:${rx.address().port}`]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    for (let i = 0; i < 200 && !/listening for CoT on udp 127\.0\.0\.1:(\d+)/.test(err); i++) await new Promise((r) => setTimeout(r, 20));
    const port = Number(/listening for CoT on udp 127\.0\.0\.1:(\d+)/.exec(err)![1]);
    child.stdin.end();
    const tx = createSocket('udp4');
    const send = (x: string) => new Promise<void>((res) => tx.send(x, port, '127.0.0.1', () => res()));
    // As an ATAK device would send them: its own uid, the unit's callsign.
    const report = (t: number, lat: number, lon: number) =>
      cotUnitReport(sc, 0, t, lon, lat, { how: 'm-g' })
        .replace('uid="deconflict.unit.convoy"', 'uid="ANDROID-1234"')
        .replace(/<__deconflict[^>]*\/>/, '');
    await send(report(Date.UTC(2017, 4, 18, 6), 34.04, 38.04));
    await send('<event version="2.0" uid="x"');
    await send(report(Date.UTC(2017, 4, 18, 7, 30), 33.74, 38.365));
    await send(report(Date.UTC(2017, 4, 18, 7, 31), 33.739, 38.366));
    for (let i = 0; i < 200 && !out.includes('"type":"enter"'); i++) await new Promise((r) => setTimeout(r, 20));
    tx.close();
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    expect(await new Promise((res) => child.on('close', res))).toBe(0);
    for (let i = 0; i < 100 && !alerts.some((a) => a.includes('type="b-a-g"')); i++) await new Promise((r) => setTimeout(r, 20));
    rx.close();
    expect(err).toMatch(/udp 127\.0\.0\.1:\d+: not a CoT event; datagram skipped/);
    expect(err).toMatch(/live run ended: 0 lines and 3 CoT events read, 3 fixes used, 1 skipped/);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'enter')).toHaveLength(1);
    const parsed = alerts.map((a) => new CoT(a).raw.event._attributes);
    expect(parsed.some((a) => a.type === 'b-a-g')).toBe(true);
    expect(parsed.some((a) => a.uid === 'deconflict.unit.convoy' && a.type === 'a-h-G' && a.how === 'm-g')).toBe(true);
  });

  it('bad options exit 2 with one line', () => {
    expect(run(['live', TANF, '--tick', 'soon']).err).toBe("deconflict: --tick: 'soon' is not a duration (e.g. 1s or 250ms)\n");
    expect(run(['live', TANF, '--cot-in', 'x']).code).toBe(2);
    expect(run(['live', TANF, '--export', 'kml']).err).toBe(
      'deconflict: --export in a live run needs --export-out FILE (standard output carries the events)\n',
    );
  });

  it('exports what it received at the end', () => {
    const dir = tmp();
    const input = [
      fixLine('2017-05-18T06:00:00Z', 34.04, 38.04),
      fixLine('2017-05-18T07:30:00Z', 33.74, 38.365),
      fixLine('2017-05-18T08:00:00Z', 33.7, 38.4),
    ].join('\n');
    const r = run(['live', TANF, '--clock', 'feed', '--export', 'geojson', '--export-out', join(dir, 'live.geojson')], { input });
    expect(r.code).toBe(0);
    const fc = JSON.parse(readFileSync(join(dir, 'live.geojson'), 'utf8'));
    const track = fc.features.find((f: { properties: { kind: string; id: string } }) => f.properties.kind === 'track' && f.properties.id === 'convoy');
    expect(track.properties.coordinateProperties.times).toEqual(['2017-05-18T06:00:00Z', '2017-05-18T07:30:00Z', '2017-05-18T08:00:00Z']);
    expect(fc.features.some((f: { properties: { type?: string } }) => f.properties.type === 'escalate')).toBe(true);
  });
});
