/**
 * The benchmark's workload generator, its scenario file, the baseline and the membership check
 * (correctness only: speed lives in `npm run bench`).
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { baselineInside, baselineZone, runBaseline } from '../../src/bench/baseline.js';
import { checkMembership } from '../../src/bench/check.js';
import { generateWorkload, STANDARD, workloadToCsv, workloadToScenario, workloadToYaml } from '../../src/bench/workload.js';
import { Engine } from '../../src/core/engine.js';
import { eventToNdjson } from '../../src/core/events.js';
import { geodesicDistanceLL } from '../../src/core/geo/geodesic.js';
import type { PolygonZone } from '../../src/core/geo/zones.js';
import { loadScenario, MAX_FILE_BYTES, parseScenario } from '../../src/io/node/load.js';

const dir = mkdtempSync(join(tmpdir(), 'deconflict-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the standard workload', () => {
  const wl = generateWorkload(STANDARD);

  it('has the shape the issue asks for', () => {
    expect(wl.units).toHaveLength(10_000);
    expect(wl.units.every((u) => u.track.length === 20 && u.track[0].s === 0 && u.track[19].s === 3600)).toBe(true);
    expect(wl.zones).toHaveLength(20);
    const [circle, line, ...polygons] = wl.zones;
    expect(circle).toMatchObject({ type: 'circle', center: 'tanf', radius: '55km' });
    expect(line.type === 'line' && line.line.length).toBe(200);
    const verts = polygons.map((p) => (p.type === 'polygon' ? p.polygon[0].length - 1 : 0));
    expect(polygons).toHaveLength(18);
    expect(Math.min(...verts)).toBe(16);
    expect(Math.max(...verts)).toBe(1000);
    // Every waypoint within 300 km of At Tanf (with the turning margin), times increasing.
    for (const u of wl.units) {
      for (let i = 0; i < u.track.length; i++) {
        const [lon, lat] = u.track[i].pos;
        expect(geodesicDistanceLL(38.61778, 33.50583, lon, lat)).toBeLessThan(330_000);
        if (i) expect(u.track[i].s).toBeGreaterThan(u.track[i - 1].s);
      }
    }
  });

  it('is the same for the same seed and different for another', () => {
    const small = { ...STANDARD, units: 50 };
    expect(JSON.stringify(generateWorkload(small))).toBe(JSON.stringify(generateWorkload(small)));
    expect(JSON.stringify(generateWorkload({ ...small, seed: 1 }))).not.toBe(JSON.stringify(generateWorkload(small)));
  });

  it('makes units approach, enter, cross and leave zones, with the ladder running', () => {
    const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 400 }));
    const events = new Engine(sc).runToEnd();
    const types = new Set(events.map((e) => e.type));
    for (const t of ['approach', 'enter', 'exit', 'cross', 'escalate', 'stand_down', 'massing', 'inject', 'hostile_act']) expect(types, t).toContain(t);
    expect(events.some((e) => e.type === 'escalate' && e.rung === 'strike')).toBe(true);
  });
});

describe('the workload as a scenario file', () => {
  it('loads back to the same scenario: the same events as the model the benchmark builds', () => {
    const wl = generateWorkload({ ...STANDARD, units: 120, duration: 1800 });
    const fromFile = parseScenario(workloadToYaml(wl), 'bench.yaml');
    const direct = workloadToScenario(wl);
    expect(fromFile.units.map((u) => [u.id, u.side, Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)])).toEqual(
      direct.units.map((u) => [u.id, u.side, Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)]),
    );
    const a = new Engine(fromFile).runToEnd().map(eventToNdjson).join('');
    const b = new Engine(direct).runToEnd().map(eventToNdjson).join('');
    expect(a.length).toBeGreaterThan(0);
    expect(a).toBe(b);
  });

  it('fits the 10,000-unit workload under the loader size limit, with its tracks in a CSV file', () => {
    const wl = generateWorkload(STANDARD);
    expect(Buffer.byteLength(workloadToYaml(wl, 'bench-tracks.csv'))).toBeLessThan(MAX_FILE_BYTES);
    expect(Buffer.byteLength(workloadToCsv(wl))).toBeLessThan(50 * 1024 * 1024);
  });

  it('with tracks in a CSV file, loads to the same tracks and events', () => {
    const wl = generateWorkload({ ...STANDARD, units: 60, duration: 1200, seed: 8 });
    const file = join(dir, 'csv-bench.yaml');
    writeFileSync(join(dir, 'csv-bench-tracks.csv'), workloadToCsv(wl));
    writeFileSync(file, workloadToYaml(wl, 'csv-bench-tracks.csv'));
    const fromFile = loadScenario(file);
    const direct = workloadToScenario(wl);
    expect(fromFile.units.map((u) => [Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)])).toEqual(
      direct.units.map((u) => [Array.from(u.track.t), Array.from(u.track.lon), Array.from(u.track.lat)]),
    );
    expect(new Engine(fromFile).runToEnd().map(eventToNdjson).join('')).toBe(new Engine(direct).runToEnd().map(eventToNdjson).join(''));
  });

  it('is written by `bench --write-scenario` without overwriting an existing file unless --force', () => {
    const file = join(dir, 'bench.yaml');
    const cli = (args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '../../dist/bench/run.js'), ...args], { encoding: 'utf8' });
    const first = cli(['--write-scenario', file, '--units', '30']);
    expect(first.status, first.stderr).toBe(0);
    expect(loadScenario(file).units).toHaveLength(30);
    const size = statSync(file).size;
    const again = cli(['--write-scenario', file, '--units', '40']);
    expect(again.status).toBe(2);
    expect(again.stderr).toMatch(/exists; pass --force/);
    expect(statSync(file).size).toBe(size);
    expect(readFileSync(join(dir, 'bench-tracks.csv'), 'utf8').split('\n')[0]).toBe('unit,time,lat,lon');
    expect(cli(['--write-scenario', file, '--units', '40', '--force']).status).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('40 units');
    expect(cli(['--units', 'many']).status).toBe(2);
  });
});

describe('the baseline', () => {
  const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 30, duration: 600 }));

  it('emits one update per unit per tick and counts membership changes', () => {
    const r = runBaseline(sc, [0, 1, 2, 3, 4]);
    expect(r.updates).toBe(5 * 601);
    expect(r.enters).toBeGreaterThanOrEqual(r.exits);
  });

  it('agrees with the engine inside polygons and on the line, away from edges', () => {
    const poly = sc.zones.find((z) => z.type === 'polygon')!;
    const b = baselineZone(poly);
    const [minX, minY, maxX, maxY] = poly.shape.bboxes(5000)[0];
    let inside = 0;
    for (let i = 0; i < 2000; i++) {
      const lon = minX + ((maxX - minX) * ((i * 7919) % 2000)) / 2000;
      const lat = minY + ((maxY - minY) * ((i * 104729) % 1999)) / 1999;
      const d = (poly.shape as PolygonZone).signedDistance(lon, lat);
      if (Math.abs(d) < 1) continue;
      expect(baselineInside(b, lon, lat)).toBe(d < 0);
      if (d < 0) inside++;
    }
    expect(inside).toBeGreaterThan(100);
    const line = sc.zones.find((z) => z.type === 'line')!;
    const bl = baselineZone(line);
    for (const [dx, want] of [
      [-0.3, false],
      [0.3, true],
    ] as const) {
      const p = (line.shape as unknown as { points: [number, number][] }).points[100];
      expect(baselineInside(bl, p[0] + dx, p[1])).toBe(want);
      expect(line.shape.signedDistance(p[0] + dx, p[1]) < 0).toBe(want);
    }
  });
});

describe('the membership check', () => {
  it('finds no engine errors, counts the baseline spherical errors, and sees a planted error', () => {
    const sc = workloadToScenario(generateWorkload({ ...STANDARD, units: 150, duration: 900, seed: 21 }));
    const r = checkMembership(sc, 5, 3);
    expect(r.updates).toBe(150 * 901);
    expect(r.memberships).toBeGreaterThan(r.updates);
    expect(r.engineErrors).toBe(0);
    expect(r.stateErrors).toBe(0);
    expect(r.positionErrors).toBe(0);
    expect(r.notJudged).toBe(0);
    // The crossings between ticks of every third unit, against the dense reference.
    expect(r.crossingUnits).toBe(50);
    expect(r.crossingsCompared).toBeGreaterThan(20);
    expect(r.examples).toEqual([]);
    expect(r.crossingsEqual).toBe(r.crossingsCompared);
    // A circle whose edge the baseline sees 1 km off is caught as the engine's error if the engine
    // is the one that is off: plant it by shrinking the engine's circle only.
    const bad = workloadToScenario(generateWorkload({ ...STANDARD, units: 150, duration: 900, seed: 21 }));
    const c = bad.zones[0];
    (c.shape as unknown as { radius: number }).radius = c.radius! - 1000;
    const r2 = checkMembership(bad, 5, 3);
    expect(r2.engineErrors).toBeGreaterThan(0);
    // The reference measures the circle as written (geographiclib), so the crossings disagree too.
    expect(r2.crossingsEqual).toBeLessThan(r2.crossingsCompared);
  });
});
