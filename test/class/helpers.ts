/**
 * A class on loopback for tests: the room, its folder in a temporary directory, the host key in
 * another (DECONFLICT_CONFIG_DIR is never the user's), and the SSH server on a port the system
 * chooses; plus an `ssh2` client that logs in, opens a terminal and reads the screen as text.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as pjoin } from 'node:path';
import { Client, type ClientChannel } from 'ssh2';
import { classServer } from '../../src/cli/commands/class-run.js';
import { loadHostKey } from '../../src/io/class/hostkey.js';
import type { ClassServer } from '../../src/io/class/server.js';
import { folderStore, readClassFolder } from '../../src/training/class/files.js';
import { ClassRoom, type Pace } from '../../src/training/class/room.js';
import { headerFor, sha256File } from '../../src/training/session.js';
import { ClassHub } from '../../src/ui/class/hub.js';
import { load } from '../training/helpers.js';

export const SCENARIO = 'scenarios/tanf-2017-05-18.yaml';
export const CODE = 'right-code';

export interface TestClass {
  room: ClassRoom;
  hub: ClassHub;
  server: ClassServer;
  port: number;
  dir: string;
  keyDir: string;
  stop: () => Promise<void>;
}

export async function startClass(
  o: {
    pace: Pace;
    seats?: number;
    dir?: string;
    resume?: boolean;
    idleMs?: number;
    failDelayMs?: (n: number) => number;
    speed?: number;
    maxInputPerSec?: number;
    authTimeoutMs?: number;
  } = { pace: 'self' },
): Promise<TestClass> {
  const scenario = load('tanf-2017-05-18');
  const dir = o.dir ?? mkdtempSync(pjoin(tmpdir(), 'deconflict-class-'));
  const keyDir = mkdtempSync(pjoin(tmpdir(), 'deconflict-key-'));
  const sha = sha256File(SCENARIO);
  const room = new ClassRoom(scenario, {
    pace: o.pace,
    seats: o.seats ?? 40,
    header: (student) => headerFor(scenario, { scenarioPath: SCENARIO, scenarioSha: sha, student }),
    store: folderStore(dir),
    resume: o.resume ? readClassFolder(dir, scenario, sha) : undefined,
  });
  const hub = new ClassHub(room, { speed: o.speed ?? 3600 });
  const key = loadHostKey(keyDir);
  const server = await classServer(room, hub, {
    hostKey: key.key,
    code: CODE,
    port: 0,
    idleMs: o.idleMs,
    failDelayMs: o.failDelayMs ?? ((n) => 20 * n),
    speed: o.speed ?? 3600,
    maxInputPerSec: o.maxInputPerSec,
    authTimeoutMs: o.authTimeoutMs,
  });
  const addr = await server.listen();
  return {
    room,
    hub,
    server,
    port: addr.port,
    dir,
    keyDir,
    stop: async () => {
      hub.session?.pause();
      room.end();
      hub.dispose();
      await server.close();
      rmSync(keyDir, { recursive: true, force: true });
    },
  };
}

/** Text of what a terminal was sent: escape sequences taken out, rows kept apart. */
export function screenText(raw: string): string {
  return raw.replace(/\x1b\[(\d+);1H/g, '\n').replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
}

export interface Student {
  client: Client;
  channel: ClientChannel;
  /** Everything received so far, as text, and as sent. */
  out: () => string;
  raw: () => string;
  /** Wait until the received text matches. */
  waitFor: (re: RegExp | string, ms?: number) => Promise<string>;
  keys: (s: string) => void;
  end: () => void;
  closed: Promise<void>;
}

/** Log in; resolves with the client once ready, or rejects with the error (a wrong code). */
export function connect(port: number, user: string, password = CODE): Promise<Client> {
  return new Promise((resolve, reject) => {
    const c = new Client();
    c.on('ready', () => resolve(c));
    c.on('error', (e) => reject(e));
    c.connect({ host: '127.0.0.1', port, username: user, password, readyTimeout: 15_000, tryKeyboard: false });
  });
}

/** Log in and open a terminal of `cols`×`rows`. */
export async function join(port: number, user: string, size: { cols: number; rows: number; term?: string } = { cols: 100, rows: 30 }): Promise<Student> {
  const client = await connect(port, user);
  const channel = await new Promise<ClientChannel>((resolve, reject) =>
    client.shell({ term: size.term ?? 'xterm-256color', cols: size.cols, rows: size.rows }, (e, ch) => (e ? reject(e) : resolve(ch))),
  );
  let raw = '';
  const waiters = new Set<() => void>();
  channel.on('data', (d: Buffer) => {
    raw += d.toString('utf8');
    for (const w of waiters) w();
  });
  const closed = new Promise<void>((resolve) => {
    channel.on('close', () => resolve());
    client.on('close', () => resolve());
  });
  const waitFor = (re: RegExp | string, ms = 10_000) =>
    new Promise<string>((resolve, reject) => {
      const test = () => {
        const t = screenText(raw);
        if (typeof re === 'string' ? t.includes(re) : re.test(t)) {
          waiters.delete(test);
          clearTimeout(timer);
          resolve(t);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        waiters.delete(test);
        reject(new Error(`timed out waiting for ${re}; the screen had:\n${screenText(raw).slice(-3000)}`));
      }, ms);
      if (!test()) waiters.add(test);
    });
  return {
    client,
    channel,
    raw: () => raw,
    out: () => screenText(raw),
    waitFor,
    keys: (s) => channel.write(s),
    end: () => client.end(),
    closed,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
