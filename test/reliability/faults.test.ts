/**
 * Faults in headless runs, on the built binary: `run --out FILE` killed mid-run (SIGKILL, SIGTERM,
 * SIGINT) leaves a prefix of the full run, whole lines but for one cut at a page boundary; an existing
 * file is never overwritten without --force, not even when the run then fails; limits on size,
 * units and points give one clear line. Needs `npm run build`.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/engine.js';
import { eventToNdjson } from '../../src/core/events.js';
import { geodesicDestination } from '../../src/core/geo/geodesic.js';
import { loadScenario, MAX_FILE_BYTES, MAX_TRACK_POINTS, MAX_UNITS } from '../../src/io/node/load.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'deconflict-faults-'));

function env() {
  const e = { ...process.env };
  delete e.DECONFLICT_DEBUG;
  return e;
}

function cli(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: env() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A long scenario in which 40 units go in and out of a zone every five minutes for 12 hours: events at almost every tick. */
function bigScenario(file: string): void {
  const c: [number, number] = [38.61778, 33.50583];
  const units: string[] = [];
  for (let u = 0; u < 40; u++) {
    const lines = [`  - id: u${u}`, `    name: Unit ${u}`, '    side: red', '    composition: {technicals: 2, personnel: 10}', '    track:'];
    for (let k = 0; k <= 144; k++) {
      const p = geodesicDestination(c, u * 9, k % 2 ? 23_000 : 17_000);
      const t = new Date(Date.UTC(2020, 0, 1) + k * 300_000 + u * 7_000).toISOString().replace('.000Z', 'Z');
      lines.push(`      - {pos: [${p[0].toFixed(6)}, ${p[1].toFixed(6)}], t: ${t}}`);
    }
    units.push(lines.join('\n'));
  }
  writeFileSync(
    file,
    `title: many units in and out of a zone\nstart: 2020-01-01T00:00:00Z\nend: 2020-01-01T12:00:00Z\ntick: 10s\nzones:\n  - {id: dz, name: the zone, type: circle, center: [${c.join(', ')}], radius: 20km, approach: 5km, hysteresis: 500m, applies_to: [red]}\nunits:\n${units.join('\n')}\n`,
  );
}

/** Start `run big.yaml --out out`, wait until the file holds at least `bytes`, send `signal`; resolves with how it ended. */
function killMidRun(
  scenario: string,
  out: string,
  bytes: number,
  signal: NodeJS.Signals,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; err: string }> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [bin, 'run', scenario, '--out', out], { env: env(), stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('exit', (code, sig) => {
      clearInterval(poll);
      res({ code, signal: sig, err });
    });
    const poll = setInterval(() => {
      if (existsSync(out) && statSync(out).size >= bytes) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 5);
  });
}

describe('a run killed mid-way', () => {
  const dir = tmp();
  const scenario = join(dir, 'big.yaml');
  let full = '';

  beforeAll(() => {
    bigScenario(scenario);
    full = simulate(loadScenario(scenario)).map(eventToNdjson).join('');
  }, 120_000);

  /**
   * The file is the full run's first bytes, stopping before its end: whole lines from the first,
   * then at most the start of the next line. A kill can cut a write only between two pages of the
   * file, and --out writes so that only a line spanning two pages can be cut there.
   */
  function checkPrefix(file: string): number {
    const bytes = readFileSync(file);
    const fullBytes = Buffer.from(full);
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.length).toBeLessThan(fullBytes.length);
    expect(fullBytes.subarray(0, bytes.length).equals(bytes), 'the first bytes of the full run').toBe(true);
    const whole = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1).toString('utf8');
    expect(whole.length).toBeGreaterThan(0);
    const lines = whole.slice(0, -1).split('\n');
    lines.forEach((l, i) => expect(JSON.parse(l).seq).toBe(i + 1));
    if (Buffer.byteLength(whole) < bytes.length) expect(bytes.length % 4096, 'a line cut anywhere but at a page boundary').toBe(0);
    return lines.length;
  }

  it('by SIGKILL leaves a prefix of the run: whole lines, at most a line cut at a page boundary, wherever the kill lands', async () => {
    const kept: number[] = [];
    // Kill points far apart compared with what the run writes between a poll and the kill's
    // delivery (about 40 kB), so that each lands at its own place in the 2.8 MB run.
    for (const [i, bytes] of [1, 300_000, 900_000, 1_800_000].entries()) {
      const out = join(dir, `kill-${i}.ndjson`);
      const r = await killMidRun(scenario, out, bytes, 'SIGKILL');
      expect(r.signal).toBe('SIGKILL');
      kept.push(checkPrefix(out));
    }
    // The kills landed at different points of the run.
    expect(new Set(kept).size).toBe(kept.length);
  }, 180_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`by ${signal} leaves a prefix of the run and does not exit 0`, async () => {
      const out = join(dir, `${signal}.ndjson`);
      const r = await killMidRun(scenario, out, 50_000, signal);
      expect(r.code === 0 && r.signal === null).toBe(false);
      expect(r.err).not.toMatch(/\n\s+at /);
      checkPrefix(out);
    }, 120_000);
  }
});

describe('--out never overwrites without --force', () => {
  it('refuses an existing file, keeps its bytes, and says how to overwrite it', () => {
    const d = tmp();
    const out = join(d, 'mine.ndjson');
    writeFileSync(out, 'my notes\n');
    const r = cli(['run', 'tutorial', '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`deconflict: ${out} exists; pass --force to overwrite it\n`);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toBe('my notes\n');
  });

  it('leaves an existing file alone when the scenario is bad, even with --force', () => {
    const d = tmp();
    const out = join(d, 'mine.ndjson');
    writeFileSync(out, 'my notes\n');
    const bad = join(root, 'test', 'fixtures', 'invalid', 'unknown-field.yaml');
    const r = cli(['run', bad, '--out', out, '--force']);
    expect(r.code).toBe(2);
    expect(readFileSync(out, 'utf8')).toBe('my notes\n');
  });

  it('says so in one line when the path is a folder or in a missing folder', () => {
    const d = tmp();
    for (const force of [[], ['--force']]) {
      const a = cli(['run', 'tutorial', '--out', d, ...force]);
      expect(a.code).toBe(2);
      expect(a.err).toBe(`deconflict: cannot write ${d} (it is a folder)\n`);
      const b = cli(['run', 'tutorial', '--out', join(d, 'no', 'such.ndjson'), ...force]);
      expect(b.code).toBe(2);
      expect(b.err).toBe(`deconflict: cannot write ${join(d, 'no', 'such.ndjson')} (no such folder)\n`);
    }
  });

  it('writes the same bytes as --json when it may', () => {
    const d = tmp();
    const out = join(d, 'events.ndjson');
    expect(cli(['run', 'euphrates-2018-02-07', '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(cli(['run', 'euphrates-2018-02-07', '--json']).out);
  });
});

describe('limits', () => {
  const header =
    'title: t\nstart: 2020-01-01T00:00:00Z\nend: 2020-01-01T01:00:00Z\nzones: [{id: z, name: z, type: circle, center: [38.6, 33.5], radius: 5km, applies_to: [red]}]\n';

  it('refuses a scenario file over the size limit before reading it', () => {
    const d = tmp();
    const f = join(d, 'huge.yaml');
    writeFileSync(f, header);
    truncateSync(f, MAX_FILE_BYTES + 1);
    const r = cli(['validate', 'huge.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `huge.yaml:1:1: the file is ${((MAX_FILE_BYTES + 1) / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit for scenarios (put long recorded tracks in GPX, KML, GeoJSON or CSV files and refer to them with track: {file: ...})\n`,
    );
  });

  it('refuses a GPX track file over its 8 MiB limit, before parsing it, and says how to get past it; a CSV of that size is read', () => {
    const d = tmp();
    const pts: string[] = [];
    for (let i = 0, n = 0; n < 8.2 * 1048576; i++) {
      pts.push(
        `<trkpt lat="33.5" lon="38.${String(i % 100000).padStart(5, '0')}"><time>${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()}</time></trkpt>\n`,
      );
      n += pts[pts.length - 1].length;
    }
    const gpx = `<?xml version="1.0"?>\n<gpx version="1.1" creator="t" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>a</name><trkseg>\n${pts.join('')}</trkseg></trk></gpx>\n`;
    writeFileSync(join(d, 'long.gpx'), gpx);
    writeFileSync(join(d, 'gpx.yaml'), `${header}units:\n  - {id: u0, name: U, side: red, track: {file: long.gpx}}\n`);
    const size = (Buffer.byteLength(gpx) / 1048576).toFixed(1);
    const r = cli(['validate', 'gpx.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `long.gpx:1:1: units[0].track: the file is ${size} MiB, over the 8 MiB limit for GPX files (split the recording, or convert it to CSV (unit,time,lat,lon), which is read up to 50 MiB in a fraction of the memory; referred to from gpx.yaml:6:41)\n`,
    );
    // The same size of CSV is within its limit.
    const rows = ['unit,time,lat,lon'];
    for (let i = 0, n = 0; n < 8.2 * 1048576; i++) {
      rows.push(`a,${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()},33.5,38.${String(i % 1000).padStart(3, '0')}`);
      n += rows[rows.length - 1].length + 1;
    }
    writeFileSync(join(d, 'long.csv'), `${rows.join('\n')}\n`);
    writeFileSync(join(d, 'csv.yaml'), `${header.replace('01:00:00Z', '23:59:59Z')}units:\n  - {id: u0, name: U, side: red, track: {file: long.csv}}\n`);
    const c = cli(['validate', 'csv.yaml'], d);
    expect(c.err).toBe('');
    expect(c.code).toBe(0);
  }, 120_000);

  it('refuses more units than the limit, at the first unit over it', () => {
    const d = tmp();
    const units = Array.from({ length: MAX_UNITS + 1 }, (_, i) => `  - {id: u${i}, name: U, side: red, track: [{pos: [38, 33], t: +0s}]}`);
    writeFileSync(join(d, 'many.yaml'), `${header}units:\n${units.join('\n')}\n`);
    const r = cli(['validate', 'many.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `many.yaml:${5 + MAX_UNITS + 1}:5: units[${MAX_UNITS}]: more than ${MAX_UNITS} units (a scenario holds at most ${MAX_UNITS} units; split it)\n`,
    );
  }, 120_000);

  it('refuses more track points than the limit, at the track that goes over it', () => {
    const d = tmp();
    // A CSV track file with the points; the scenario refers to it three times.
    const per = Math.ceil(MAX_TRACK_POINTS / 3) + 1;
    const rows = ['unit,time,lat,lon'];
    for (let i = 0; i < per; i++) rows.push(`a,${new Date(Date.UTC(2020, 0, 1) + i * 1000).toISOString()},33.5,38.${String(i % 1000).padStart(3, '0')}`);
    writeFileSync(join(d, 'fixes.csv'), `${rows.join('\n')}\n`);
    const units = [0, 1, 2].map((i) => `  - {id: u${i}, name: U, side: red, track: {file: fixes.csv}}`);
    writeFileSync(join(d, 'points.yaml'), `${header}units:\n${units.join('\n')}\n`);
    const r = cli(['validate', 'points.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      `points.yaml:8:41: units[2].track: the tracks hold more than ${MAX_TRACK_POINTS} points in all (thin the recorded tracks (one fix every few seconds is plenty) or split the scenario)\n`,
    );
  }, 120_000);
});

describe('file references stay in the scenario folder', () => {
  it('refuses a link inside the folder that leads outside it, and allows it with --allow-outside-files', () => {
    const d = tmp();
    const outside = tmp();
    writeFileSync(join(outside, 'fixes.csv'), 'unit,time,lat,lon\na,2020-01-01T00:00:00Z,33.5,38.1\na,2020-01-01T00:30:00Z,33.6,38.2\n');
    mkdirSync(join(d, 'tracks'));
    symlinkSync(join(outside, 'fixes.csv'), join(d, 'tracks', 'fixes.csv'));
    writeFileSync(
      join(d, 's.yaml'),
      'title: t\nstart: 2020-01-01T00:00:00Z\nend: 2020-01-01T01:00:00Z\nzones: [{id: z, name: z, type: circle, center: [38.6, 33.5], radius: 5km, applies_to: [red]}]\nunits:\n  - {id: u, name: U, side: red, track: {file: tracks/fixes.csv}}\n',
    );
    const r = cli(['run', 's.yaml'], d);
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      "s.yaml:6:47: units[0].track.file: 'tracks/fixes.csv' leads outside the scenario's folder (keep track and zone files in the scenario's folder or below it, or allow it with --allow-outside-files)\n",
    );
    for (const cmd of ['run', 'validate', 'check']) expect(cli([cmd, 's.yaml', '--allow-outside-files'], d).code, cmd).toBe(0);
    expect(cli(['validate', 's.yaml'], d).code).toBe(2);
  });
});
