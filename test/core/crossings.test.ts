/**
 * Crossings at their true time and place, whatever the tick: the cases of issue 11.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, setExhaustive, simulate } from '../../src/core/engine.js';
import type { SimEvent } from '../../src/core/events.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';
import { eventNumberProblems } from './event-numbers.js';

const root = join(import.meta.dirname, '..', '..');
const iso = (t: number) => new Date(t).toISOString();
/** The crossing events (approach, enter, exit, cross) of a run, as text. */
const crossings = (evs: readonly SimEvent[]) =>
  evs
    .filter((e) => ['approach', 'enter', 'exit', 'cross'].includes(e.type))
    .map((e) => `${iso(e.t)} ${e.type}${e.area ? `:${e.area}` : ''} ${e.unit} ${e.zone} ${e.at!.map((x) => x.toFixed(6)).join(',')}`);

/** A scenario with one zone and one unit; `tick` and extra YAML vary. */
function scenario(zone: string, track: string, tick: string, extra = ''): string {
  return `title: crossing case
start: 2020-01-01T00:00:00Z
end: 2020-01-01T01:00:00Z
tick: ${tick}
zones:
  - ${zone}
units:
  - id: jet
    name: Fast unit
    side: red
    composition: {technicals: 1}
    track:
${track}
${extra}`;
}

const corner = `{id: box, name: the box, type: polygon, polygon: [[[40.0, 35.0], [40.2, 35.0], [40.2, 35.2], [40.0, 35.2], [40.0, 35.0]]], applies_to: [red], approach: 1km, hysteresis: 100m}`;
// About 900 km/h on a diagonal that cuts the box's south-east corner for about 800 m (3 s).
const clip = `      - {pos: [40.18, 34.99], t: 2020-01-01T00:10:03Z}
      - {pos: [40.22, 35.02], t: 2020-01-01T00:10:23Z}`;

describe('crossings between ticks', () => {
  it('a fast unit clipping a polygon corner between two ticks gets its enter and exit, at the same times as with a 1 s tick', () => {
    const fine = crossings(simulate(parseScenario(scenario(corner, clip, '1s'))));
    expect(fine.filter((l) => l.includes(' enter ')).length).toBe(1);
    expect(fine.filter((l) => l.includes(' exit:zone ')).length).toBe(1);
    for (const tick of ['7s', '10s', '30s', '1m']) expect(crossings(simulate(parseScenario(scenario(corner, clip, tick)))), tick).toEqual(fine);
  });

  it('the same holds for the hysteresis and the approach band of a line whose end is clipped, and of a circle', () => {
    const line = `{id: river, name: the river, type: line, line: [[40.0, 35.0], [40.2, 35.0]], forbidden: left, applies_to: [red], approach: 1km, hysteresis: 300m}`;
    // Across the line 100 m from its end, then on beyond the end.
    const endClip = `      - {pos: [40.17, 34.995], t: 2020-01-01T00:10:03Z}
      - {pos: [40.23, 35.01], t: 2020-01-01T00:10:25Z}`;
    const circle = `{id: ring, name: the ring, type: circle, center: [40.1, 35.1], radius: 5km, applies_to: [red], approach: 2km, hysteresis: 200m}`;
    const chord = `      - {pos: [40.05, 35.075], t: 2020-01-01T00:10:03Z}
      - {pos: [40.15, 35.075], t: 2020-01-01T00:10:40Z}`;
    for (const [zone, track] of [
      [line, endClip],
      [circle, chord],
    ]) {
      const fine = crossings(simulate(parseScenario(scenario(zone, track, '1s'))));
      expect(fine.length).toBeGreaterThan(2);
      for (const tick of ['10s', '1m']) expect(crossings(simulate(parseScenario(scenario(zone, track, tick)))), `${zone} ${tick}`).toEqual(fine);
    }
  });

  it('a waypoint between two ticks is followed: the path turns a corner, not the chord', () => {
    // Along the box's south side outside it, then north into it: the chord would cut in earlier.
    const turn = `      - {pos: [39.95, 34.99], t: 2020-01-01T00:10:00Z}
      - {pos: [40.1, 34.99], t: 2020-01-01T00:10:29Z}
      - {pos: [40.1, 35.05], t: 2020-01-01T00:10:41Z}`;
    const fine = crossings(simulate(parseScenario(scenario(corner, turn, '1s'))));
    expect(crossings(simulate(parseScenario(scenario(corner, turn, '1m'))))).toEqual(fine);
    const enter = fine.find((l) => l.includes(' enter '))!;
    expect(enter.endsWith('40.100000,35.000000')).toBe(true);
  });

  it('a timed halt, withdrawal or turn inside a tick changes the path from its time on', () => {
    // North into the box at 00:20:13; the inject comes 27.5 s later, inside a 1-minute tick.
    const track = `      - {pos: [40.1, 34.9], t: 2020-01-01T00:10:13Z}
      - {pos: [40.1, 35.1], t: 2020-01-01T00:30:13Z}`;
    for (const inj of [
      '  - {t: 2020-01-01T00:20:40.500Z, type: halt, unit: jet}',
      '  - {t: 2020-01-01T00:20:40.500Z, type: withdraw, unit: jet, speed: 300km/h}',
      '  - {t: 2020-01-01T00:20:40.500Z, type: turn, unit: jet, to: [40.3, 35.0], speed: 300km/h}',
    ]) {
      const extra = `injects:\n${inj}\n`;
      const fine = crossings(simulate(parseScenario(scenario(corner, track, '1s', extra))));
      expect(fine.length).toBeGreaterThan(0);
      expect(crossings(simulate(parseScenario(scenario(corner, track, '1m', extra)))), inj).toEqual(fine);
    }
  });

  it('a hostile act halts the unit at its time: the crossing before it is at its true time (euphrates-2018-02-07)', () => {
    const evs = simulate(loadScenario(join(root, 'scenarios', 'euphrates-2018-02-07.yaml')));
    const enter = evs.find((e) => e.type === 'enter')!;
    const cross = evs.find((e) => e.type === 'cross')!;
    expect(iso(enter.t)).toBe('2018-02-07T18:40:18.943Z');
    expect(iso(cross.t)).toBe('2018-02-07T18:40:18.943Z');
    // The self-defence strike carries the distance where the act took place (across the line).
    const strike = evs.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(strike.edge_m).toBeLessThan(0);
  });

  it('an in-and-out between two ticks gives both events, and every number is exact', () => {
    const sc = parseScenario(scenario(corner, clip, '1m'));
    const evs = simulate(sc);
    expect(evs.map((e) => e.type)).toEqual(expect.arrayContaining(['approach', 'enter', 'exit']));
    expect(eventNumberProblems(sc, evs)).toEqual([]);
  });
});

describe("a line's forbidden side", () => {
  // A line running 400 km north-south; east is forbidden.
  const line = `{id: line, name: the long line, type: line, line: [[40.0, 33.0], [40.05, 34.0], [40.0, 35.0], [40.02, 36.0], [40.0, 37.0]], forbidden: right, applies_to: [red], approach: 5km, hysteresis: 250m}`;

  it('a unit far across it is inside from the start (approach and enter at the start)', () => {
    const track = `      - {pos: [40.6, 35.5], t: 2020-01-01T00:00:00Z}
      - {pos: [40.7, 35.6], t: 2020-01-01T00:30:00Z}`;
    const sc = parseScenario(scenario(line, track, '10s'));
    const evs = simulate(sc);
    expect(evs.slice(0, 2).map((e) => `${e.type} ${iso(e.t)}`)).toEqual(['approach 2020-01-01T00:00:00.000Z', 'enter 2020-01-01T00:00:00.000Z']);
    expect(evs[1].edge_m).toBeLessThan(-50_000);
    expect(evs.some((e) => e.type === 'escalate' && e.rung === 'warn')).toBe(true);
    expect(eventNumberProblems(sc, evs)).toEqual([]);
  });

  it('a unit far on the permitted side is never inside, and one that goes round an end is judged by the end segment', () => {
    const west = `      - {pos: [39.4, 35.5], t: 2020-01-01T00:00:00Z}
      - {pos: [39.3, 35.6], t: 2020-01-01T00:30:00Z}`;
    expect(simulate(parseScenario(scenario(line, west, '10s'))).filter((e) => e.unit === 'jet')).toEqual([]);
    // From far west of the south end round to far east of it, south of the line: the side flips
    // where the end segment's extension is crossed, far from the line itself.
    const round = `      - {pos: [39.5, 32.5], t: 2020-01-01T00:00:00Z}
      - {pos: [40.5, 32.5], t: 2020-01-01T00:50:00Z}`;
    const sc = parseScenario(scenario(line, round, '1m'));
    const evs = simulate(sc);
    const enter = evs.find((e) => e.type === 'enter')!;
    expect(enter).toBeDefined();
    // Where the extension of the south segment (from 40.0, 33.0 toward 39.95, 32.0) meets the track.
    expect(enter.at![0]).toBeCloseTo(39.975, 3);
    expect(eventNumberProblems(sc, evs)).toEqual([]);
  });

  it('judging far units does not change what the skipping engine finds (same events as judging everything)', () => {
    const track = `      - {pos: [40.6, 35.5], t: 2020-01-01T00:00:00Z}
      - {pos: [39.9, 35.5], t: 2020-01-01T00:40:00Z}
      - {pos: [39.5, 32.5], t: 2020-01-01T00:50:00Z}`;
    const sc = parseScenario(scenario(line, track, '10s'));
    const fast = simulate(sc);
    setExhaustive(true);
    try {
      expect(simulate(parseScenario(scenario(line, track, '10s')))).toEqual(fast);
    } finally {
      setExhaustive(false);
    }
    expect(new Engine(sc).tickCount).toBeGreaterThan(0);
  });
});
