/** `deconflict live --dis-in` on the built binary, with Entity State PDUs sent over loopback. */
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { geodeticToEcef } from '../../src/io/dis/geocentric.js';
import { encodeEspdu, secondsPastHour } from './dis-pdu.js';

const BIN = resolve('dist/bin/deconflict.js');
const TANF = resolve('scenarios/tanf-2017-05-18.yaml');

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.CI;
  return env;
}

describe('deconflict live --dis-in', () => {
  it('a unit driven into the zone by Entity State PDUs gets its enter and warn; garbage datagrams are reported once and skipped', async () => {
    expect(existsSync(BIN)).toBe(true);
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--clock', 'feed', '--json', '--dis-in', '127.0.0.1:0'], { env: childEnv() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const listening = /listening for DIS on udp 127\.0\.0\.1:(\d+)/;
    for (let i = 0; i < 500 && !listening.test(err); i++) await wait(20);
    expect(err).toMatch(listening);
    const port = Number(listening.exec(err)![1]);
    child.stdin.end();
    const tx = createSocket('udp4');
    const send = (b: Uint8Array) => new Promise<void>((res) => tx.send(b, port, '127.0.0.1', () => res()));
    const t0 = Date.now();
    const pdu = (lat: number, lon: number, dt: number, extra: Record<string, unknown> = {}) => {
      const [x, y, z] = geodeticToEcef(lat, lon, 700);
      return encodeEspdu({ x, y, z, seconds: secondsPastHour(t0 + dt * 1000), marking: 'convoy', site: 12, application: 1, entity: 5, ...extra });
    };
    try {
      await send(pdu(34.04, 38.04, 0));
      // Garbage: random bytes, a truncated Entity State PDU, a Fire PDU, an entity that is no unit — each twice.
      for (let i = 0; i < 2; i++) {
        await send(new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]));
        await send(pdu(34, 38, 1).subarray(0, 100));
        await send(pdu(34, 38, 1, { type: 2 }));
        await send(pdu(34, 38, 1, { marking: 'BMP-2', entity: 77 }));
      }
      await send(pdu(33.74, 38.365, 60));
      await send(pdu(33.739, 38.366, 120));
      await send(pdu(33.7, 38.4, 300));
      for (let i = 0; i < 500 && !/"rung":"warn"/.test(out); i++) await wait(20);
    } finally {
      tx.close();
    }
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    expect(await new Promise((res) => child.on('close', res))).toBe(0);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; unit?: string; rung?: string; t: string });
    expect(events.filter((e) => e.unit === 'convoy' && e.type === 'enter')).toHaveLength(1);
    expect(events.some((e) => e.unit === 'convoy' && e.type === 'escalate' && e.rung === 'warn')).toBe(true);
    // Timed by the PDUs' timestamps: the entry falls between the first and the second fix.
    const enter = Date.parse(events.find((e) => e.type === 'enter')!.t);
    expect(enter).toBeGreaterThan(t0 - 10_000);
    expect(enter).toBeLessThanOrEqual(t0 + 70_000);
    // Each kind of garbage is reported once.
    expect(err.match(/a truncated DIS datagram/g)).toHaveLength(1);
    expect(err.match(/not an Entity State PDU/g)).toHaveLength(1);
    expect(err.match(/DIS entity 12:1:77 \('BMP-2'\), force opposing, is no unit of the scenario/g)).toHaveLength(1);
    expect(err).toMatch(/a malformed DIS datagram \(protocol version 222 is not a DIS version/);
    expect(err).toMatch(/DIS: 12 datagrams: 6 Entity State PDUs, 4 used, 2 from 1 unknown entity, 2 of other types, 2 truncated, 2 malformed/);
    expect(err).toMatch(/live: positions from standard input \(NDJSON\) and DIS Entity State PDUs over UDP/);
    expect(err).not.toMatch(/\bat \S+:\d+:\d+\)/);
  }, 30_000);

  it('--dis-group joins a multicast group: PDUs sent to the group move the unit', async () => {
    const group = `239.255.${Math.floor(Math.random() * 250) + 1}.${Math.floor(Math.random() * 250) + 1}`;
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--clock', 'feed', '--json', '--dis-in', '0', '--dis-group', group], { env: childEnv() });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const listening = /listening for DIS on udp 0\.0\.0\.0:(\d+), group (\S+)/;
    for (let i = 0; i < 500 && !listening.test(err); i++) await wait(20);
    expect(err).toMatch(listening);
    expect(listening.exec(err)![2]).toBe(group);
    const port = Number(listening.exec(err)![1]);
    child.stdin.end();
    const tx = createSocket('udp4');
    await new Promise<void>((res) => tx.bind(0, () => res()));
    tx.setMulticastLoopback(true);
    const t0 = Date.now();
    const pdu = (lat: number, lon: number, dt: number) => {
      const [x, y, z] = geodeticToEcef(lat, lon, 700);
      return encodeEspdu({ x, y, z, seconds: secondsPastHour(t0 + dt * 1000), marking: 'convoy' });
    };
    try {
      for (const [lat, lon, dt] of [
        [34.04, 38.04, 0],
        [33.74, 38.365, 60],
        [33.7, 38.4, 120],
      ])
        await new Promise<void>((res) => tx.send(pdu(lat, lon, dt), port, group, () => res()));
      for (let i = 0; i < 500 && !/"type":"enter"/.test(out); i++) await wait(20);
    } finally {
      tx.close();
      child.kill('SIGINT');
    }
    expect(await new Promise((res) => child.on('close', res))).toBe(0);
    expect(out).toMatch(/"type":"enter","unit":"convoy"/);
    expect(err).toMatch(/DIS: 3 datagrams: 3 Entity State PDUs, 3 used/);
  }, 30_000);

  it.each([
    [['--dis-in', 'nowhere'], "deconflict: --dis-in: 'nowhere' is not a port or HOST:PORT (e.g. 3000 or 127.0.0.1:3000; 0 picks a free port)"],
    [['--dis-group', '239.1.2.3'], 'deconflict: --dis-group needs --dis-in PORT'],
    [['--dis-in', '0', '--dis-group', '10.0.0.1'], "deconflict: --dis-group: '10.0.0.1' is not a multicast address (224.0.0.0 to 239.255.255.255)"],
  ])('bad options exit 2 with one line: %j', async (args, msg) => {
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--json', ...args], { env: childEnv() });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdin.end();
    expect(await new Promise((res) => child.on('close', res))).toBe(2);
    expect(err).toBe(`${msg}\n`);
  });
});
