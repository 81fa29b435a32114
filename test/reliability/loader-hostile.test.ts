/**
 * Hostile input on the loading side, through the real binary: files that are not regular files,
 * and files too large to keep as fixtures, generated here. Each is refused with one line naming
 * the file, exit 2, no stack trace, and nothing hangs (a run that does not end is killed and
 * fails the test). Needs `npm run build`.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
let dir: string;

/** Run the binary; a run still going after `killAfter` ms is killed (and the test fails on its code). */
function cli(args: string[], killAfter = 60_000): Promise<{ code: number | null; out: string; err: string }> {
  const env = { ...process.env };
  delete env.DECONFLICT_DEBUG;
  delete env.CI;
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfter);
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', rej);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, out, err });
    });
  });
}

const SCENARIO = (track: string) => `title: Test
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
sites:
  - {id: tanf, name: Tanf, side: coalition, pos: [38.61778, 33.50583]}
zones:
  - {id: dz, name: zone, type: circle, center: tanf, radius: 55km, applies_to: [red]}
units:
  - id: u1
    name: Unit
    side: red
    track: ${track}
`;

function oneLine(r: { code: number | null; out: string; err: string }, file: RegExp, message: RegExp): void {
  expect(r.code, r.err).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toMatch(new RegExp(`^${file.source}:\\d+:\\d+: `));
  expect(r.err).toMatch(message);
  expect(r.err.indexOf('\n')).toBe(r.err.length - 1);
  expect(r.err).not.toMatch(/\n\s+at |internal error/);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deconflict-hostile-'));
  mkdirSync(join(dir, 'sub'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('files that are not regular files', () => {
  it('a named pipe as a track file in the scenario folder is refused at once, not waited on', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.csv')]);
    writeFileSync(join(dir, 'fifo-track.yaml'), SCENARIO('{file: pipe.csv}'));
    oneLine(await cli(['validate', 'fifo-track.yaml']), /pipe\.csv/, /this is a named pipe \(FIFO\), not a regular file/);
    oneLine(await cli(['run', 'fifo-track.yaml', '--json']), /pipe\.csv/, /named pipe/);
  }, 120_000);

  it('a named pipe as the scenario itself', async () => {
    execFileSync('mkfifo', [join(dir, 'pipe.yaml')]);
    oneLine(await cli(['validate', 'pipe.yaml']), /pipe\.yaml/, /named pipe/);
  }, 60_000);

  it('/dev/zero is refused before a byte is read', async () => {
    oneLine(await cli(['validate', '/dev/zero']), /\/dev\/zero/, /this is a device, not a regular file/);
  }, 60_000);

  it('a folder named as a track file', async () => {
    writeFileSync(join(dir, 'folder-track.yaml'), SCENARIO('{file: sub}'));
    oneLine(await cli(['validate', 'folder-track.yaml']), /folder-track\.yaml/, /'sub' is a folder, not a file/);
  }, 60_000);
});

describe('large hostile files, refused in one short line', () => {
  it('a GPX attribute of 3 MB gives a message of a few hundred characters', async () => {
    const gpx = `<?xml version="1.0"?>\n<gpx version="1.1" creator="x"><trk><trkseg>\n<trkpt lat="${'9'.repeat(3_000_000)}" lon="38"><time>2017-05-18T06:00:00Z</time></trkpt>\n<trkpt lat="33" lon="38"><time>2017-05-18T06:01:00Z</time></trkpt>\n</trkseg></trk></gpx>\n`;
    writeFileSync(join(dir, 'huge-attr.gpx'), gpx);
    writeFileSync(join(dir, 'huge-attr.yaml'), SCENARIO('{file: huge-attr.gpx}'));
    const r = await cli(['validate', 'huge-attr.yaml']);
    oneLine(r, /huge-attr\.gpx/, /<trkpt> lat="9{40}…" is not a latitude/);
    expect(r.err.length).toBeLessThan(400);
  }, 60_000);

  it('7.6 MiB of empty GPX elements is refused by counting them, before a DOM is built', async () => {
    const body = '<a/>'.repeat(2_000_000);
    writeFileSync(join(dir, 'empty-elements.gpx'), `<?xml version="1.0"?>\n<gpx version="1.1" creator="x">${body}</gpx>\n`);
    writeFileSync(join(dir, 'empty-elements.yaml'), SCENARIO('{file: empty-elements.gpx}'));
    oneLine(await cli(['validate', 'empty-elements.yaml']), /empty-elements\.gpx/, /more than 400,000 elements/);
  }, 60_000);

  it('one bad point in a large GeoJSON is located at its line without a second parser', async () => {
    const features = Array.from({ length: 20_000 }, (_, i) => ({
      type: 'Feature',
      properties: { name: `z${i}` },
      geometry: {
        type: 'LineString',
        coordinates: [
          [38, 33],
          [38.1, 33.1],
        ],
      },
    }));
    features[15_000].geometry.coordinates[1] = [38.1, 133.1];
    writeFileSync(join(dir, 'big.geojson'), JSON.stringify({ type: 'FeatureCollection', features }, null, 1));
    writeFileSync(join(dir, 'big-geojson.yaml'), SCENARIO('{file: big.geojson, name: z3, starts: +0s, speed: 30km/h}'));
    const r = await cli(['validate', 'big-geojson.yaml']);
    oneLine(r, /big\.geojson/, /\[38\.1,133\.1\] is not a \[longitude, latitude\] position in range/);
    const text = JSON.stringify({ type: 'FeatureCollection', features }, null, 1).split('\n');
    const line = Number(/^big\.geojson:(\d+):/.exec(r.err)![1]);
    expect(text[line - 1].trim()).toBe('[');
    expect(text.slice(line, line + 2).join('')).toContain('38.1');
  }, 60_000);
});

describe('problems inside referenced files (test/fixtures/invalid-refs)', () => {
  const refs = join(root, 'test', 'fixtures', 'invalid-refs');
  const cases = readdirSync(refs).filter((f) => f.endsWith('.yaml'));
  it('has its cases', () => expect(cases.length).toBeGreaterThanOrEqual(3));
  for (const f of cases) {
    it(`validate ${f}: exactly its expected line, naming the referenced file and the scenario field`, () => {
      const env = { ...process.env };
      delete env.DECONFLICT_DEBUG;
      const r = spawnSync(process.execPath, [bin, 'validate', f], { cwd: refs, env, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(readFileSync(join(refs, f.replace(/\.yaml$/, '.expected')), 'utf8'));
      expect(r.stderr).toMatch(new RegExp(`referred to from ${f.replace(/[.]/g, '\\.')}:\\d+:\\d+\\)\\n$`));
    }, 60_000);
  }
});
