import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine, simulate } from '../../src/core/engine.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import { loadScenario, parseScenario } from '../../src/io/node/load.js';
import { positionAt } from '../../src/core/track.js';
import { cotUnitReport } from '../../src/io/export-cot.js';
import { LiveRun } from '../../src/io/live.js';

const TANF = resolve('scenarios/tanf-2017-05-18.yaml');
const T0 = Date.UTC(2017, 4, 18, 6);

/** A small scenario: a 10 km circle at the origin of a unit that is far away on its track. */
const SMALL = `title: small
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
tick: 10s
sites: [{id: s, name: Site, side: blue, pos: [38.0, 33.0]}]
zones: [{id: z, name: Zone, type: circle, center: s, radius: 10km, approach: 5km, applies_to: [red]}]
units:
  - {id: r, name: Red, side: red, track: [{pos: [40.0, 35.0], t: 2017-05-18T06:00:00Z}]}
  - {id: q, name: Quiet, side: red, track: [{pos: [38.0, 33.0], t: 2017-05-18T06:00:00Z}]}
`;

const lines = (evs: readonly SimEvent[]) => evs.map(eventToNdjson).join('');

describe('Engine.setPosition (live input)', () => {
  it('positions set from outside give the same events as the track they were sampled from', () => {
    const sc = loadScenario(TANF);
    const ref = simulate(sc);
    const engine = new Engine(sc);
    const p = [0, 0];
    while (!engine.done) {
      const t = engine.tickTime(engine.tickIndex + 1);
      // The convoy's own track, sampled at each tick and set from outside (the scenario has no noise).
      positionAt(sc.units[0].track, t, p);
      engine.setPosition(0, p[0], p[1]);
      engine.step();
    }
    expect(lines(engine.events)).toBe(lines(ref));
    expect(ref.some((e) => e.rung === 'strike')).toBe(true);
  });

  it('overrides the track from the next tick; NaN keeps a unit unplaced (never judged) until it has a position', () => {
    const sc = parseScenario(SMALL);
    const engine = new Engine(sc);
    engine.setPosition(1, NaN, NaN);
    engine.step();
    // The unit q sits on the site on its track, but it is unplaced: no events, NaN position.
    expect(engine.events.filter((e) => e.unit === 'q')).toEqual([]);
    expect(Number.isNaN(engine.positions[2])).toBe(true);
    for (let i = 0; i < 5; i++) engine.step();
    expect(engine.events.filter((e) => e.unit === 'q')).toEqual([]);
    engine.setPosition(1, 38.0, 33.0);
    const b = engine.step();
    expect(b.events.filter((e) => e.unit === 'q').map((e) => e.type)).toEqual(['approach', 'enter', 'escalate', 'escalate']);
    expect(b.events[0].t).toBe(T0 + 6 * 10_000);
    expect([engine.positions[2], engine.positions[3]]).toEqual([38.0, 33.0]);
    // Unknown again: it keeps its last position and is still judged there (no duplicate zone state).
    engine.setPosition(1, NaN, NaN);
    engine.runUntil(T0 + 30 * 60_000);
    expect([engine.positions[2], engine.positions[3]]).toEqual([38.0, 33.0]);
    expect(engine.events.filter((e) => e.unit === 'q' && e.type === 'enter')).toHaveLength(1);
    expect(engine.unitRung(1).rung).not.toBe('warn');
  });

  it('clearPosition hands the unit back to its track; units never set follow their tracks as before', () => {
    const sc = parseScenario(SMALL);
    const engine = new Engine(sc);
    engine.setPosition(0, 38.0, 33.0);
    engine.step();
    expect(engine.events.some((e) => e.unit === 'r' && e.type === 'enter')).toBe(true);
    engine.clearPosition(0);
    engine.step();
    expect([engine.positions[0], engine.positions[1]]).toEqual([40.0, 35.0]);
    expect(engine.events.some((e) => e.unit === 'r' && e.type === 'exit')).toBe(true);
    expect(() => engine.setPosition(7, 0, 0)).toThrow(RangeError);
  });
});

describe('LiveRun', () => {
  it('with the feed clock, NDJSON fixes sampled from a track replay the scenario run exactly', () => {
    const sc = loadScenario(TANF);
    const ref = simulate(sc);
    const warnings: string[] = [];
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m) });
    const p = [0, 0];
    let n = 0;
    for (let t = sc.start; t <= sc.end; t += sc.tick) {
      positionAt(sc.units[0].track, t, p);
      live.line(JSON.stringify({ unit: 'convoy', lat: p[1], lon: p[0], t: new Date(t).toISOString() }), ++n);
    }
    live.finish();
    expect(warnings).toEqual([]);
    expect(live.stats).toMatchObject({ lines: n, fixes: n, skipped: 0 });
    expect(lines(live.events)).toBe(lines(ref));
    expect(live.engine!.scenario.start).toBe(sc.start);
  });

  it('reports a malformed line with its number and skips it; the lines around it all count', () => {
    const sc = parseScenario(SMALL);
    const warnings: string[] = [];
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m) });
    const input = [
      '{"unit": "r", "lat": 33.2, "lon": 38.0, "t": "2017-05-18T06:00:00Z"}',
      '{"unit": "r", "lat": 33.1, "lon": 38.0, "t": "2017-05-18T06:01:00Z"',
      '',
      '{"unit": "rr", "lat": 33.0, "lon": 38.0, "t": "2017-05-18T06:02:00Z"}',
      '{"unit": "r", "lat": 133.0, "lon": 38.0, "t": "2017-05-18T06:02:00Z"}',
      '{"unit": "r", "lat": 33.0, "lon": 38.0}',
      '{"unit": "r", "pos": [38.0, 33.05], "t": "when"}',
      '[1, 2]',
      '{"callsign": "Red", "pos": {"lat": 33.0, "lon": 38.0}, "t": "2017-05-18T06:03:00Z"}',
    ];
    input.forEach((l, i) => live.line(l, i + 1));
    live.finish();
    expect(warnings.map((w) => w.replace(/;.*$/, ''))).toEqual([
      expect.stringMatching(/^stdin:2: malformed JSON/),
      "stdin:4: unknown unit 'rr' (did you mean 'r'?)",
      expect.stringMatching(/^stdin:5: latitude 133 is out of range/),
      'stdin:6: no "t": with --clock feed every line needs its time',
      'stdin:7: "t": "when" is not a time (ISO 8601, e.g. 2017-05-18T06:00:00Z)',
      expect.stringMatching(/^stdin:8: expected an object/),
    ]);
    expect(warnings.every((w) => w.endsWith('; line skipped'))).toBe(true);
    expect(live.stats).toMatchObject({ lines: 8, fixes: 2, skipped: 6 });
    // The fix at 06:03 (by callsign = the unit's name) is inside the zone and gets its tick.
    expect(live.events.filter((e) => e.unit === 'r').map((e) => e.type)).toEqual(['approach', 'enter', 'escalate', 'escalate']);
    expect(live.events.find((e) => e.type === 'enter')!.t).toBeGreaterThan(T0 + 2 * 60_000);
    expect(live.events.find((e) => e.type === 'enter')!.t).toBeLessThanOrEqual(T0 + 3 * 60_000);
    expect(live.receivedTracks()[0].t.length).toBe(2);
    expect(live.receivedTracks()[1].t.length).toBe(0);
  });

  it('a late fix counts from the next tick, with a note; fixes after the window are reported and not used', () => {
    const sc = parseScenario(SMALL);
    const warnings: string[] = [];
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m) });
    live.line('{"unit": "r", "lat": 34.0, "lon": 38.0, "t": "2017-05-18T06:10:00Z"}', 1);
    live.line('{"unit": "r", "lat": 33.0, "lon": 38.0, "t": "2017-05-18T06:05:00Z"}', 2);
    live.finish();
    expect(warnings[0]).toMatch(/^stdin:2: this fix \(2017-05-18T06:05:00Z\) is older than the run's clock/);
    expect(live.events.some((e) => e.type === 'enter')).toBe(true);
    live.line('{"unit": "r", "lat": 33.0, "lon": 38.0, "t": "2017-05-18T09:00:00Z"}', 3);
    expect(warnings[1]).toMatch(/^stdin:3: the run's window ended at 2017-05-18T08:00:00Z; fix not used/);
  });

  it("with the wall clock the run starts now in a window of the scenario's length, and a fix counts from the next tick", () => {
    const sc = parseScenario(SMALL);
    let now = Date.UTC(2030, 0, 1, 12, 0, 3);
    const got: SimEvent[] = [];
    const live = new LiveRun(sc, { clock: 'wall', tick: 1000, now: () => now, warn: () => undefined, onEvents: (b) => got.push(...b.events) });
    live.start(now);
    expect(live.engine!.scenario.start).toBe(Date.UTC(2030, 0, 1, 12, 0, 3));
    expect(live.engine!.scenario.end - live.engine!.scenario.start).toBe(2 * 3600_000);
    live.advanceTo(now);
    live.line('{"unit": "r", "lat": 33.0, "lon": 38.0}', 1);
    expect(got).toEqual([]);
    now += 1500;
    live.advanceTo(now);
    expect(got.map((e) => e.type)).toContain('enter');
    expect(got[0].t).toBe(Date.UTC(2030, 0, 1, 12, 0, 4));
  });

  it('takes CoT position reports over UDP: matches units by uid or callsign, ignores alerts, reports junk once', () => {
    const sc = parseScenario(SMALL);
    const warnings: string[] = [];
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m) });
    expect(live.cot(cotUnitReport(sc, 0, T0, 38.0, 33.3, { how: 'm-g' }))).toBe(1);
    const foreign = cotUnitReport(sc, 0, T0 + 60_000, 38.0, 33.0)
      .replace('uid="deconflict.unit.r"', 'uid="ANDROID-abc"')
      .replace('<__deconflict unit="r" side="red"/>', '')
      .replace('callsign="r"', 'callsign="RED"');
    expect(live.cot(foreign)).toBe(1);
    expect(live.cot(foreign.replace('callsign="RED"', 'callsign="Bravo 6"'))).toBe(0);
    expect(live.cot(foreign.replace('callsign="RED"', 'callsign="Bravo 6"'))).toBe(0);
    expect(live.cot('<event version="2.0" uid="x" type="a-f-G" time="nope" start="nope" stale="nope"><point lat="1" lon="2"/></event>')).toBe(0);
    expect(live.cot('hello')).toBe(0);
    live.finish();
    expect(warnings).toEqual([
      "udp: CoT uid 'ANDROID-abc' (callsign 'Bravo 6') is no unit of the scenario; its events are ignored",
      "udp: the event's time 'nope' is not a time; event skipped",
      'udp: not a CoT event; datagram skipped',
    ]);
    expect(live.events.some((e) => e.unit === 'r' && e.type === 'enter')).toBe(true);
  });
});
