/**
 * `deconflict class` over real SSH on loopback (the ssh2 client): who gets in, what they get, and
 * that every answer is in the student's session file. Ports are the system's choice; every wait is
 * bounded.
 */
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join as pjoin } from 'node:path';
import { Client } from 'ssh2';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/training/session.js';
import { CODE, connect, join, sleep, startClass, type TestClass } from './helpers.js';

let cls: TestClass | undefined;
afterEach(async () => {
  await cls?.stop();
  cls = undefined;
});

const bounded = <T>(p: Promise<T>, what: string, ms = 5000) =>
  Promise.race([p, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`timed out: ${what}`)), ms))]);

const decisions = (dir: string, name: string) => parseSession(readFileSync(pjoin(dir, `${name}.ndjson`), 'utf8')).decisions;

/** Self pace: past the briefing to the first decision point, answered with `key` and a reason. */
async function answerFirst(s: Awaited<ReturnType<typeof join>>, key: string, why: string) {
  await s.waitFor('Briefing');
  s.keys('\r');
  s.keys('n');
  await s.waitFor('Your response');
  s.keys(key);
  await s.waitFor('Why (optional');
  s.keys(`${why}\r`);
}

describe('deconflict class over SSH', () => {
  it('lets a student in with the right code: the training screen, with their name in the header, at their terminal size', async () => {
    cls = await startClass({ pace: 'self' });
    const s = await join(cls.port, 'alice', { cols: 100, rows: 26 });
    const text = await s.waitFor('alice');
    expect(text).toContain('deconflict training');
    expect(cls.room.roster()).toMatchObject([{ name: 'alice', connected: true }]);
    // A resize is followed: the screen is drawn again at the new size.
    s.channel.setWindow(30, 120, 0, 0);
    await s.waitFor(/─{110}/);
    s.end();
  });

  it("draws in colour as the student's TERM allows: none for TERM=dumb", async () => {
    cls = await startClass({ pace: 'self' });

    const fg = /\x1b\[[0-9;]*3[0-7]m/;
    const c = await join(cls.port, 'colour', { cols: 100, rows: 30 });
    await c.waitFor('Briefing');
    expect(c.raw()).toMatch(fg);
    const d = await join(cls.port, 'plain', { cols: 100, rows: 30, term: 'dumb' });
    await d.waitFor('Briefing');
    expect(d.raw()).not.toMatch(fg);
    c.end();
    d.end();
  });

  it('refuses a wrong code, and answers each failure from the same address later than the one before', async () => {
    cls = await startClass({ pace: 'self', failDelayMs: (n) => 300 * n });
    const times: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await expect(connect(cls.port, 'mallory', 'wrong')).rejects.toThrow(/authentication/i);
      times.push(performance.now() - t0);
    }
    expect(cls.server.refused.code).toBe(3);
    // The client tries once per connection here: the 3rd connection's failure waited ~900 ms against ~600 (the 1st also warms up).
    expect(times[2]).toBeGreaterThan(times[1] + 150);
    expect(cls.room.roster()).toEqual([]);
  });

  it('keeps to the seats: the one too many reads that the class is full', async () => {
    cls = await startClass({ pace: 'self', seats: 2 });
    const a = await join(cls.port, 'a1');
    const b = await join(cls.port, 'b2');
    await a.waitFor('a1');
    await b.waitFor('b2');
    const c = await join(cls.port, 'c3');
    await c.waitFor('the class is full (2 seats)');
    await c.closed;
    expect(cls.room.roster().map((r) => r.name)).toEqual(['a1', 'b2']);
    a.end();
    b.end();
  });

  it('refuses exec, sftp, port forwarding both ways, and X11 forwarding', async () => {
    cls = await startClass({ pace: 'self' });
    const c = await connect(cls.port, 'eve');
    const execErr = await new Promise<Error | undefined>((resolve) =>
      c.exec('cat /etc/passwd', (e, ch) => (e ? resolve(e) : (ch.on('close', () => resolve(undefined)), undefined))),
    );
    expect(execErr?.message ?? '').toMatch(/denied|failure|unable/i);
    const sftpErr = await new Promise<Error | undefined>((resolve) => c.sftp((e) => resolve(e ?? undefined)));
    expect(sftpErr).toBeDefined();
    const fwdErr = await new Promise<Error | undefined>((resolve) => c.forwardOut('127.0.0.1', 0, '127.0.0.1', 22, (e) => resolve(e ?? undefined)));
    expect(fwdErr).toBeDefined();
    const inErr = await new Promise<Error | undefined>((resolve) => c.forwardIn('127.0.0.1', 0, (e) => resolve(e ?? undefined)));
    expect(inErr).toBeDefined();
    const x11Err = await new Promise<Error | undefined>((resolve) =>
      c.shell({ term: 'xterm', cols: 80, rows: 24 }, { x11: true }, (e, ch) => (e ? resolve(e) : (ch.close(), resolve(undefined)))),
    );
    expect(x11Err?.message ?? '').toMatch(/x11/i);
    expect(cls.server.refused).toMatchObject({ exec: expect.any(Number), subsystem: expect.any(Number), forward: expect.any(Number), x11: 1 });
    c.end();
    // Nobody got a seat from any of it.
    expect(cls.room.roster()).toEqual([]);
  });

  it('refuses agent forwarding: the terminal is not opened on a channel that asked for it', async () => {
    cls = await startClass({ pace: 'self' });
    const port = cls.port;
    // An agent path is needed for the client to ask; the server refuses before any socket is opened.
    const c = await new Promise<Client>((resolve, reject) => {
      const cl = new Client();
      cl.on('ready', () => resolve(cl));
      cl.on('error', reject);
      cl.connect({ host: '127.0.0.1', port, username: 'mallory', password: CODE, agent: '/nonexistent/agent.sock', agentForward: true, readyTimeout: 15_000 });
    });
    const err = await new Promise<Error | undefined>((resolve) =>
      c.shell({ term: 'xterm', cols: 80, rows: 24 }, (e, ch) => (e ? resolve(e) : (ch.close(), resolve(undefined)))),
    );
    expect(err?.message ?? '').toMatch(/agent forwarding/i);
    expect(cls.server.refused).toMatchObject({ agent: 1 });
    c.end();
    expect(cls.room.roster()).toEqual([]);
  });

  it('refuses names with anything but letters, digits, -, _ and . — and no such name reaches a file', async () => {
    cls = await startClass({ pace: 'self' });
    for (const bad of ['bad\x1b[31mred', 'a b', '../x', '.hidden', 'x'.repeat(33)]) {
      const s = await join(cls.port, bad);
      await s.waitFor('a name may');
      await s.closed;
    }
    expect(cls.room.roster()).toEqual([]);
    expect(readdirSync(cls.dir).filter((f) => !f.startsWith('.'))).toEqual([]);
  });

  it("records a student's answer in their session file as it is given", async () => {
    cls = await startClass({ pace: 'self' });
    const s = await join(cls.port, 'alice');
    await answerFirst(s, '1', 'watching it');
    await s.waitFor(/Decision 1: /);
    const d = decisions(cls.dir, 'alice');
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ choice: 'monitor', justification: 'watching it', grade: 'correct' });
    expect(cls.room.roster()[0]).toMatchObject({ answered: 1, correct: 1 });
    s.end();
  });

  it('gives a dropped student their seat back (and not to anyone else while they are connected)', async () => {
    cls = await startClass({ pace: 'self' });
    const s = await join(cls.port, 'bob');
    await answerFirst(s, '2', 'too early');
    await s.waitFor(/Decision 1: /);
    // Another connection with the same name while bob is connected is refused.
    const twin = await join(cls.port, 'bob');
    await twin.waitFor('the seat bob is taken');
    await twin.closed;
    s.end();
    await s.closed;
    for (let i = 0; i < 50 && cls.room.roster()[0].connected; i++) await sleep(20);
    expect(cls.room.roster()[0]).toMatchObject({ name: 'bob', connected: false, answered: 1 });
    const back = await join(cls.port, 'bob');
    // The same run: the header counts the decision already taken.
    await back.waitFor('decisions 1');
    expect(cls.room.roster()[0]).toMatchObject({ connected: true, answered: 1 });
    back.end();
  });

  it('cuts a client that sends garbage, and one that floods its terminal, without disturbing a seated student', async () => {
    cls = await startClass({ pace: 'self', maxInputPerSec: 4096, authTimeoutMs: 1500 });
    const alice = await join(cls.port, 'alice');
    await alice.waitFor('Briefing');
    const sock = netConnect(cls.port, '127.0.0.1');
    const closed = new Promise<void>((r) => sock.on('close', () => r()));
    sock.on('error', () => {});
    sock.resume();
    sock.write('SSH-2.0-x\r\n');
    sock.write(Buffer.alloc(4096, 0xff));
    await bounded(closed, 'the garbage connection closes');
    const flood = await join(cls.port, 'flood');
    await flood.waitFor('Briefing');
    flood.keys('x'.repeat(8192));
    await flood.waitFor('too much input');
    await bounded(flood.closed, 'the flooding connection closes');
    // Alice still plays.
    alice.keys('\r');
    await alice.waitFor(/▶|playing/);
    expect(cls.room.roster().find((r) => r.name === 'alice')?.connected).toBe(true);
    expect(cls.server.refused.input).toBe(1);
    alice.end();
  });

  it('cuts a client that logs in but never asks for a terminal, and one that never logs in', async () => {
    cls = await startClass({ pace: 'self', authTimeoutMs: 400 });
    const c = await connect(cls.port, 'lurker');
    await bounded(new Promise<void>((r) => c.on('close', () => r())), 'the logged-in connection without a terminal closes');
    const sock = netConnect(cls.port, '127.0.0.1');
    sock.on('error', () => {});
    sock.resume();
    sock.write('SSH-2.0-slow\r\n');
    await bounded(new Promise<void>((r) => sock.on('close', () => r())), 'the connection that never logs in closes');
    expect(cls.server.refused.timeout).toBeGreaterThanOrEqual(2);
    for (let i = 0; i < 100 && cls.server.connections > 0; i++) await sleep(20);
    expect(cls.server.connections).toBe(0);
  });

  it('closes an idle connection; the seat waits', async () => {
    cls = await startClass({ pace: 'self', idleMs: 300 });
    const s = await join(cls.port, 'sleepy');
    await s.waitFor('your seat waits');
    await s.closed;
    for (let i = 0; i < 50 && cls.room.roster()[0].connected; i++) await sleep(20);
    expect(cls.room.roster()[0]).toMatchObject({ name: 'sleepy', connected: false });
    expect(existsSync(pjoin(cls.dir, 'sleepy.ndjson'))).toBe(true);
  });
});
