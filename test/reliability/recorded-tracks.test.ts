/**
 * Recorded tracks (GPX, KML, GeoJSON, CSV) as loggers really write them: fixes out of order,
 * repeated, and long gaps. The loader sorts and deduplicates them with a warning, and holds a
 * unit at its last fix across a gap instead of drawing a straight line nobody recorded.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_GAP, loadScenario, recordedTrack } from '../../src/io/node/load.js';
import type { LonLat } from '../../src/core/position.js';
import { positionAt } from '../../src/core/track.js';

const dir = join(import.meta.dirname, 'fixtures', 'recorded');
const T = (hhmmss: string) => Date.parse(`2017-05-18T${hhmmss}Z`);

/** The fixture scenario copied to a fresh folder, with its track line replaced. */
function variant(track: string): string {
  const d = mkdtempSync(join(tmpdir(), 'deconflict-recorded-'));
  copyFileSync(join(dir, 'logger.gpx'), join(d, 'logger.gpx'));
  const text = readFileSync(join(dir, 'scenario.yaml'), 'utf8').replace('track: {file: logger.gpx}', track);
  writeFileSync(join(d, 'scenario.yaml'), text);
  return join(d, 'scenario.yaml');
}

describe('recorded fixes become a track the engine can follow', () => {
  it('sorts fixes out of order and drops repeated times, with a warning naming the scenario field', () => {
    const sc = loadScenario(join(dir, 'scenario.yaml'), { displayName: 'scenario.yaml' });
    const t = Array.from(sc.units[0].track.t);
    for (let i = 1; i < t.length; i++) expect(t[i]).toBeGreaterThan(t[i - 1]);
    expect(t.slice(0, 4)).toEqual([T('06:00:00'), T('06:02:30'), T('06:05:00'), T('06:10:00')]);
    // The first fix at 06:10 is kept, not the later repeats.
    expect([sc.units[0].track.lon[3], sc.units[0].track.lat[3]]).toEqual([38.12, 33.88]);
    const w = sc.warnings!.map((x) => x.message);
    expect(w[0]).toBe(
      'scenario.yaml:16:12: warning: units[0].track: in logger.gpx, 1 fix was out of time order and was sorted; 2 fixes at a time already recorded were dropped (the first fix at each time is kept) (check the recording)',
    );
    expect(sc.warnings![0]).toMatchObject({ file: 'scenario.yaml', line: 16, column: 12, field: 'units[0].track' });
  });

  it('holds the unit at its last fix across a long gap instead of moving it in a straight line', () => {
    const sc = loadScenario(join(dir, 'scenario.yaml'), { displayName: 'scenario.yaml' });
    const p = [0, 0];
    for (const hhmm of ['06:10:00', '06:30:00', '07:09:59']) {
      positionAt(sc.units[0].track, T(hhmm), p);
      expect(p, hhmm).toEqual([38.12, 33.88]);
    }
    positionAt(sc.units[0].track, T('07:10:00'), p);
    expect(p).toEqual([38.3, 33.7]);
    expect(sc.warnings![1].message).toBe(
      'scenario.yaml:16:12: warning: units[0].track: logger.gpx has 1 gap longer than 10m between fixes (the longest 1h00m, after 2017-05-18T06:10:00Z); the unit stays at its last fix across it, not moved in a straight line (set max_gap: 1h00m on the track to move it across)',
    );
  });

  it('moves the unit across the gap when the scenario says so with max_gap', () => {
    const sc = loadScenario(variant('track: {file: logger.gpx, max_gap: 2h}'));
    expect(sc.warnings!.map((w) => w.message).join('\n')).not.toMatch(/gap/);
    const p = [0, 0];
    positionAt(sc.units[0].track, T('06:40:00'), p);
    expect(p[0]).toBeCloseTo((38.12 + 38.3) / 2, 9);
    expect(p[1]).toBeCloseTo((33.88 + 33.7) / 2, 9);
  });

  it('refuses a max_gap of zero', () => {
    expect(() => loadScenario(variant('track: {file: logger.gpx, max_gap: 0s}'))).toThrow(/units\[0\]\.track\.max_gap: max_gap must be longer than zero/);
  });

  it('keeps hand-written waypoints strict: times that do not increase are an error, not a warning', () => {
    const d = mkdtempSync(join(tmpdir(), 'deconflict-recorded-'));
    const f = join(d, 'hand.yaml');
    writeFileSync(
      f,
      readFileSync(join(dir, 'scenario.yaml'), 'utf8').replace(
        'track: {file: logger.gpx}',
        'track:\n      - {pos: [38.1, 33.9], t: 2017-05-18T06:10:00Z}\n      - {pos: [38.2, 33.9], t: 2017-05-18T06:05:00Z}',
      ),
    );
    expect(() => loadScenario(f)).toThrow(/units\[0\]\.track\[1\]\.t: waypoint times must increase/);
  });
});

describe('the command line says what the loader changed', () => {
  const bin = join(import.meta.dirname, '..', '..', 'dist', 'bin', 'deconflict.js');
  const cli = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8' });

  it('validate and run print the warnings on stderr, once each, and still succeed', () => {
    const v = cli(['validate', 'scenario.yaml']);
    expect(v.status).toBe(0);
    expect(v.stdout).toMatch(/^ok {2}scenario\.yaml: /);
    const warnings = v.stderr.trim().split('\n');
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/^scenario\.yaml:16:12: warning: units\[0\]\.track: in logger\.gpx, 1 fix was out of time order/);
    expect(warnings[1]).toMatch(/^scenario\.yaml:16:12: warning: units\[0\]\.track: logger\.gpx has 1 gap longer than 10m/);
    const r = cli(['run', 'scenario.yaml', '--json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(v.stderr);
    // Standard output stays pure NDJSON.
    for (const line of r.stdout.trim().split('\n')) expect(JSON.parse(line).seq).toBeGreaterThan(0);
  });
});

describe('recordedTrack, over random recordings', () => {
  const fix = fc.record({
    t: fc.integer({ min: 0, max: 4 * 3_600_000 }),
    pos: fc.tuple(fc.double({ min: -179, max: 179, noNaN: true }), fc.double({ min: -80, max: 80, noNaN: true })),
  });

  it('always gives strictly increasing times, keeps the first fix at each time, and holds only long moving gaps', () => {
    fc.assert(
      fc.property(fc.array(fix, { minLength: 1, maxLength: 60 }), fc.integer({ min: 1, max: 3_600_000 }), (fixes, maxGap) => {
        const r = recordedTrack(fixes, maxGap);
        for (let i = 1; i < r.points.length; i++) expect(r.points[i].t).toBeGreaterThan(r.points[i - 1].t);
        const times = [...new Set(fixes.map((f) => f.t))];
        expect(r.duplicates).toBe(fixes.length - times.length);
        for (const t of times) {
          const first = fixes.find((f) => f.t === t)!;
          expect(r.points.find((p) => p.t === t)!.pos).toEqual(first.pos);
        }
        // Every point is a recorded fix, or a hold at the previous fix just before the next one.
        const held = r.points.filter((p) => !times.includes(p.t));
        expect(held.length).toBeLessThanOrEqual(r.gaps.length);
        for (const h of held) {
          const i = r.points.indexOf(h);
          expect(h.pos).toEqual(r.points[i - 1].pos);
          expect(r.points[i + 1].t - h.t).toBe(1);
        }
        const sortedInput = fixes.every((f, i) => i === 0 || f.t >= fixes[i - 1].t);
        expect(r.unordered === 0).toBe(sortedInput);
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('leaves an ordered recording with short gaps as it is', () => {
    const fixes = Array.from({ length: 20 }, (_, i) => ({ t: i * 60_000, pos: [38 + i * 0.01, 33] as LonLat }));
    const r = recordedTrack(fixes, DEFAULT_MAX_GAP);
    expect(r).toEqual({ points: fixes, unordered: 0, duplicates: 0, gaps: [] });
  });
});
