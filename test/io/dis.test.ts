/** DIS input: the Entity State reader, geocentric to WGS84, and a live run fed with PDUs. */
import fc from 'fast-check';
import geographiclib from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/io/node/load.js';
import { disTime, readEntityState } from '../../src/io/dis/espdu.js';
import { ecefToGeodetic, geodeticToEcef } from '../../src/io/dis/geocentric.js';
import { DisInput, MAX_ENTITIES, MAX_UNKNOWN_REPORTS, parseDisIn } from '../../src/io/dis/input.js';
import { LiveRun } from '../../src/io/live.js';
import { inputLines, type LiveStatus } from '../../src/ui/live/status.js';
import { encodeEspdu } from './dis-pdu.js';

const T0 = Date.UTC(2017, 4, 18, 6);
const HOUR = 3_600_000;

const SMALL = `title: small
start: 2017-05-18T06:00:00Z
end: 2017-05-18T08:00:00Z
tick: 10s
sites: [{id: s, name: Site, side: blue, pos: [38.0, 33.0]}]
zones: [{id: z, name: Zone, type: circle, center: s, radius: 10km, approach: 5km, applies_to: [red]}]
units:
  - {id: r, name: Red Column, side: red, track: [{pos: [40.0, 35.0], t: 2017-05-18T06:00:00Z}]}
  - {id: q, name: Quiet, side: red, dis: {site: 7, application: 3, entity: 42}, track: [{pos: [40.0, 35.0], t: 2017-05-18T06:00:00Z}]}
`;

const at = (lat: number, lon: number) => {
  const [x, y, z] = geodeticToEcef(lat, lon, 300);
  return { x, y, z };
};

describe('the Entity State reader', () => {
  it('reads every field the run uses, at the offsets of the standard', () => {
    const { x, y, z } = at(33.5, 38.6);
    const r = readEntityState(
      encodeEspdu({ version: 7, exercise: 9, seconds: 1234.5, site: 7, application: 3, entity: 42, force: 2, x, y, z, marking: 'convoy' }),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.pdu.version).toBe(7);
    expect(r.pdu.exercise).toBe(9);
    expect(r.pdu.id).toEqual({ site: 7, application: 3, entity: 42 });
    expect(r.pdu.force).toBe(2);
    expect(r.pdu.marking).toBe('convoy');
    expect([r.pdu.x, r.pdu.y, r.pdu.z]).toEqual([x, y, z]);
    expect(r.pdu.absolute).toBe(true);
    // 31 bits of 3600/2^31 s: resolution 1.7 µs.
    expect(Math.abs(r.pdu.secondsPastHour - 1234.5)).toBeLessThan(1e-5);
    expect([r.pdu.kind, r.pdu.domain]).toEqual([1, 1]);
  });

  it('with variable parameter records; a relative timestamp', () => {
    const r = readEntityState(encodeEspdu({ ...at(33, 38), params: 3, absolute: false, seconds: 10 }));
    expect(r.ok && r.pdu.absolute).toBe(false);
  });

  it('says what is wrong with a datagram that is no usable Entity State PDU', () => {
    const good = encodeEspdu({ ...at(33, 38), marking: 'x' });
    expect(readEntityState(good.subarray(0, 5))).toMatchObject({ ok: false, why: 'truncated' });
    expect(readEntityState(good.subarray(0, 143))).toMatchObject({ ok: false, why: 'truncated', detail: '143 of the 144 bytes its length field says' });
    expect(readEntityState(encodeEspdu({ ...at(33, 38), type: 2 }))).toEqual({ ok: false, why: 'other', type: 2 });
    expect(readEntityState(encodeEspdu({ ...at(33, 38), family: 2 }))).toMatchObject({ ok: false, why: 'malformed' });
    expect(readEntityState(encodeEspdu({ ...at(33, 38), version: 0 }))).toMatchObject({ ok: false, why: 'malformed' });
    expect(readEntityState(encodeEspdu({ ...at(33, 38), length: 100 }))).toMatchObject({ ok: false, why: 'malformed' });
    const tooMany = encodeEspdu({ ...at(33, 38) });
    tooMany[19] = 5;
    expect(readEntityState(tooMany)).toMatchObject({ ok: false, why: 'malformed', detail: '5 variable parameter records do not fit in 144 bytes' });
    expect(readEntityState(encodeEspdu({ x: NaN, y: 0, z: 0 }))).toMatchObject({ ok: false, why: 'malformed' });
  });

  it('a marking with control characters or bytes above ASCII is shown escaped, never as they are', () => {
    const r = readEntityState(encodeEspdu({ ...at(33, 38), marking: [0x1b, 0x5b, 0x32, 0x4a, 0x41, 0xff, 0x20, 0x20, 0, 0x42] }));
    expect(r.ok && r.pdu.marking).toBe('\\x1b[2JA\\xff');
  });

  it('never throws, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), fc.boolean(), (bytes, header) => {
        // Half the cases start like an Entity State PDU, so that the reader gets past the header.
        if (header && bytes.length >= 4) bytes.set([6, 1, 1, 1]);
        const r = readEntityState(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('geocentric to WGS84', () => {
  const { a, f } = geographiclib.Geodesic.WGS84;

  it('uses the WGS84 of geographiclib; the axes and poles are where they belong', () => {
    expect(ecefToGeodetic(a, 0, 0)).toEqual({ lat: 0, lon: 0, h: 0 });
    const pole = ecefToGeodetic(0, 0, a * (1 - f) + 10);
    expect(pole.lat).toBe(90);
    expect(pole.h).toBeCloseTo(10, 6);
    const east = ecefToGeodetic(0, -a - 5, 0);
    expect(east.lon).toBe(-90);
    expect(east.h).toBeCloseTo(5, 6);
  });

  it('inverts the forward formula to a nanometre-level error everywhere', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -90, max: 90, noNaN: true }),
        fc.double({ min: -179.999, max: 180, noNaN: true }),
        fc.double({ min: -10_000, max: 100_000, noNaN: true }),
        (lat, lon, h) => {
          const [x, y, z] = geodeticToEcef(lat, lon, h);
          const g = ecefToGeodetic(x, y, z);
          expect(Math.abs(g.lat - lat)).toBeLessThan(1e-10);
          if (Math.abs(lat) < 89.9999) expect(Math.abs(((g.lon - lon + 540) % 360) - 180)).toBeLessThan(1e-10);
          expect(Math.abs(g.h - h)).toBeLessThan(1e-5);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('DIS timestamps', () => {
  it('fall in the hour nearest the reference, over the top of the hour too', () => {
    expect(disTime(600, T0 + 590_000)).toBe(T0 + 600_000);
    expect(disTime(5, T0 + HOUR - 10_000)).toBe(T0 + HOUR + 5000);
    expect(disTime(3595, T0 + 10_000)).toBe(T0 - 5000);
  });
});

describe('DisInput on a live run', () => {
  const setup = (clock: 'feed' | 'wall' = 'feed', now = T0) => {
    const warnings: string[] = [];
    const live = new LiveRun(parseScenario(SMALL), { clock, warn: (m) => warnings.push(m), now: () => now });
    const dis = new DisInput(live, { clock, warn: (m) => live.warnInput(m), now: () => now });
    return { live, dis, warnings };
  };

  it('a unit matched by its marking (name or id) or by dis: gets its fixes, converted to WGS84, timed by the PDU', () => {
    const { live, dis, warnings } = setup();
    expect(dis.datagram(encodeEspdu({ ...at(33.5, 38.5), seconds: 0, marking: 'Red Column', entity: 1 }), 'udp')).toBe(true);
    expect(dis.datagram(encodeEspdu({ ...at(33.4, 38.4), seconds: 30, site: 7, application: 3, entity: 42, marking: 'SOMETHING' }), 'udp')).toBe(true);
    expect(dis.datagram(encodeEspdu({ ...at(33.001, 38.001), seconds: 60, marking: 'r', entity: 5 }), 'udp')).toBe(true);
    live.finish();
    expect(warnings).toEqual([]);
    expect(live.received[0].map((f) => f.t)).toEqual([T0, T0 + 60_000]);
    expect(live.received[0][0].lat).toBeCloseTo(33.5, 9);
    expect(live.received[0][0].lon).toBeCloseTo(38.5, 9);
    expect(live.received[1]).toHaveLength(1);
    expect(live.received[1][0].t).toBe(T0 + 30_000);
    expect(live.events.filter((e) => e.unit === 'r').map((e) => e.type)).toEqual(['approach', 'enter', 'escalate', 'escalate']);
    expect(live.events.filter((e) => e.unit === 'r' && e.type === 'escalate').map((e) => e.rung)).toEqual(['monitor', 'warn']);
  });

  it('with the wall clock a fix counts from the next tick', () => {
    const { live, dis } = setup('wall', T0 + 5000);
    live.start(T0 + 5000);
    dis.datagram(encodeEspdu({ ...at(33.0, 38.0), seconds: 3000, marking: 'r' }), 'udp');
    expect(live.received[0][0].t).toBe(T0 + 5000);
  });

  it('other PDU types, truncated and malformed datagrams and unknown entities are counted and reported once', () => {
    const { live, dis, warnings } = setup();
    for (let i = 0; i < 50; i++) {
      dis.datagram(encodeEspdu({ ...at(33, 38), type: 2 }), 'udp 127.0.0.1:9');
      dis.datagram(new Uint8Array([6, 1, 1, 1, 0, 0]), 'udp 127.0.0.1:9');
      dis.datagram(encodeEspdu({ ...at(33, 38), family: 4 }), 'udp 127.0.0.1:9');
      dis.datagram(encodeEspdu({ ...at(33, 38), seconds: i, marking: 'T-72 #3', entity: 900, force: 2 }), 'udp 127.0.0.1:9');
    }
    expect(warnings).toHaveLength(4);
    expect(warnings.join('\n')).toContain('a DIS Fire PDU (type 2) is not an Entity State PDU; ignored');
    expect(warnings.join('\n')).toContain('a truncated DIS datagram (6 bytes, shorter than a PDU header (12)); skipped');
    expect(warnings.join('\n')).toContain('a malformed DIS datagram');
    expect(warnings.join('\n')).toContain("DIS entity 1:1:900 ('T-72 #3'), force opposing, is no unit of the scenario");
    expect(dis.stats).toMatchObject({ datagrams: 200, entityStates: 50, used: 0, other: 50, truncated: 50, malformed: 50, unknown: 50, unknownEntities: 1 });
    expect(dis.summary()).toBe('DIS: 200 datagrams: 50 Entity State PDUs, 0 used, 50 from 1 unknown entity, 50 of other types, 50 truncated, 50 malformed');
    expect(live.engine).toBeUndefined();
  });

  it('a flood stays bounded: entities remembered are capped, reports stop after a few, a unit keeps one fix per tick', () => {
    const { live, dis, warnings } = setup();
    for (let i = 0; i < 20_000; i++)
      dis.datagram(encodeEspdu({ ...at(33, 38), site: i >> 16, application: (i >> 8) & 255, entity: i & 255, marking: `u${i}` }), 'udp');
    expect(dis.stats.unknown).toBe(20_000);
    expect(dis.stats.unknownEntities).toBe(MAX_ENTITIES);
    expect(warnings.length).toBe(MAX_UNKNOWN_REPORTS + 1);
    expect(warnings[warnings.length - 1]).toMatch(/more than 20 DIS entities are no unit of the scenario; further ones are counted/);
    // 5000 reports of one unit within one tick (06:00:01 to 06:00:06, ticks every 10 s): one received fix, the latest.
    for (let i = 0; i < 5000; i++) dis.datagram(encodeEspdu({ ...at(34, 39), seconds: 1 + i / 1000, marking: 'r' }), 'udp');
    expect(dis.stats.used).toBe(5000);
    expect(live.received[0]).toHaveLength(1);
    expect(live.received[0][0].t).toBe(T0 + 1000 + 4999);
    for (let i = 0; i < 50; i++) dis.datagram(encodeEspdu({ ...at(34, 39), seconds: 20 + i, marking: 'r' }), 'udp');
    // 06:00:20 to 06:01:09: one per tick, the latest that tick judges (a fix at t counts at the first tick at or after t).
    expect(live.received[0].map((f) => (f.t - T0) / 1000)).toEqual([5.999, 20, 30, 40, 50, 60, 69]);
  });

  it('an unknown entity takes the first free unit the scenario keeps for its force (and so its side); others stay unknown', () => {
    const warnings: string[] = [];
    const sc = parseScenario(
      SMALL.replace(
        'units:\n',
        'units:\n  - {id: opfor-1, name: OPFOR 1, side: red, dis: {force: opposing}, track: [{pos: [40, 35], t: 2017-05-18T06:00:00Z}]}\n  - {id: blue-1, name: Blue 1, side: blue, dis: {force: 1}, track: [{pos: [40, 35], t: 2017-05-18T06:00:00Z}]}\n',
      ),
    );
    expect(sc.units[0].dis).toEqual({ force: 2 });
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m) });
    const dis = new DisInput(live, { clock: 'feed', warn: (m) => live.warnInput(m), now: () => T0 });
    expect(dis.datagram(encodeEspdu({ ...at(33.5, 38.5), seconds: 0, entity: 300, force: 2, marking: 'T-72' }), 'udp')).toBe(true);
    expect(dis.datagram(encodeEspdu({ ...at(33.4, 38.4), seconds: 10, entity: 300, force: 2, marking: 'T-72' }), 'udp')).toBe(true);
    // A second opposing entity finds no free place; a friendly one takes blue-1; one that names its unit needs no place.
    expect(dis.datagram(encodeEspdu({ ...at(33.4, 38.4), seconds: 10, entity: 301, force: 2 }), 'udp')).toBe(false);
    expect(dis.datagram(encodeEspdu({ ...at(33.4, 38.4), seconds: 10, entity: 302, force: 1 }), 'udp')).toBe(true);
    expect(dis.datagram(encodeEspdu({ ...at(33.4, 38.4), seconds: 10, entity: 303, force: 2, marking: 'r' }), 'udp')).toBe(true);
    expect(live.received.map((r) => r.length)).toEqual([2, 1, 1, 0]);
    expect(warnings[0]).toBe("DIS entity 1:1:300 ('T-72'), force opposing, is unit opfor-1 (side red), the first place for an unknown entity of that force");
    expect(warnings[1]).toMatch(/DIS entity 1:1:301, force opposing, is no unit of the scenario.*dis: \{force: opposing\}/);
  });

  it('a position far off the earth is skipped and reported once', () => {
    const { dis, warnings } = setup();
    dis.datagram(encodeEspdu({ x: 1e9, y: 0, z: 0, marking: 'r' }), 'udp');
    dis.datagram(encodeEspdu({ x: 1e9, y: 0, z: 0, marking: 'r' }), 'udp');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/from the earth's surface/);
    expect(dis.stats.offEarth).toBe(2);
  });

  it('dis: in a scenario is an entity id or a force; anything else is one clear error at the field', () => {
    const withDis = (d: string) => SMALL.replace('dis: {site: 7, application: 3, entity: 42}', `dis: ${d}`);
    expect(parseScenario(withDis('{force: neutral}')).units[1].dis).toEqual({ force: 3 });
    expect(parseScenario(withDis('{site: 1, application: 2, entity: 3}')).units[1].dis).toEqual({ site: 1, application: 2, entity: 3 });
    expect(() => parseScenario(withDis('{site: 1}'), 's.yaml')).toThrow(/^s\.yaml:9:\d+: units\[1\]\.dis: the DIS entity id has no application/);
    expect(() => parseScenario(withDis('{force: enemy}'), 's.yaml')).toThrow(/units\[1\]\.dis\.force: unknown value 'enemy'/);
    expect(() => parseScenario(withDis('{force: 2, entity: 4}'), 's.yaml')).toThrow(
      /units\[1\]\.dis\.entity: give the entity id \(site, application, entity\) or a force, not both/,
    );
  });

  it("the terminal UI's input overlay shows the DIS counts", () => {
    const { live, dis } = setup();
    dis.datagram(encodeEspdu({ ...at(33.5, 38.5), seconds: 0, marking: 'r' }), 'udp');
    dis.datagram(new Uint8Array(3), 'udp');
    const status: LiveStatus = {
      clock: 'feed',
      tickMs: 10_000,
      sources: 'DIS on udp 127.0.0.1:3000',
      stats: live.stats,
      started: true,
      problems: [],
      problemCount: 0,
      notes: [],
      perUnit: [],
      dis: dis.summary(),
    };

    const lines = inputLines(status, live.engine!, 100, false).map((l) => l.replace(/\x1b\[[0-9;]*m/g, '').trimEnd());
    expect(lines).toContain('  DIS         2 datagrams: 1 Entity State PDU, 1 used, 1 truncated');
  });

  it('--dis-in takes a port or a host and port', () => {
    expect(parseDisIn('3000')).toEqual({ host: '0.0.0.0', port: 3000 });
    expect(parseDisIn('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseDisIn('70000')).toBeUndefined();
    expect(parseDisIn('300.1.1.1:3000')).toBeUndefined();
    expect(parseDisIn('localhost:3000')).toBeUndefined();
  });
});
