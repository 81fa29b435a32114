/**
 * The inputs of `deconflict live --input FILE`: a file or named pipe followed as it grows
 * (FileFollower), and the headless command reading one (on the built binary; npm test builds
 * first).
 */
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { FileFollower, FollowError } from '../../src/io/follow.js';

const BIN = 'dist/bin/deconflict.js';
const TANF = 'scenarios/tanf-2017-05-18.yaml';
const followers: FileFollower[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

function follow(path: string): { f: FileFollower; lines: [number, string][]; notes: string[] } {
  const lines: [number, string][] = [];
  const notes: string[] = [];
  const f = new FileFollower(path, { onLine: (l, n) => lines.push([n, l]), note: (m) => notes.push(m), pollMs: 10 });
  followers.push(f);
  f.start();
  return { f, lines, notes };
}

afterEach(() => {
  for (const f of followers.splice(0)) f.stop();
});

describe('FileFollower', () => {
  test('a growing file: lines cut between writes, CRLF, a character split between writes; a truncated file is read again from its start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-follow-'));
    const path = join(dir, 'feed.ndjson');
    writeFileSync(path, 'one\ntw');
    const { lines, notes } = follow(path);
    await until(() => lines.length === 1, 'the first line');
    expect(lines).toEqual([[1, 'one']]);
    await sleep(50);
    // The cut line waits for its end.
    expect(lines.length).toBe(1);
    appendFileSync(path, 'o\r\nthr');
    const e = Buffer.from('é');
    appendFileSync(path, Buffer.concat([Buffer.from('ee '), e.subarray(0, 1)]));
    await sleep(40);
    appendFileSync(path, Buffer.concat([e.subarray(1), Buffer.from('\n')]));
    await until(() => lines.length === 3, 'three lines');
    expect(lines).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three é'],
    ]);
    writeFileSync(path, 'new\n');
    await until(() => lines.length === 4, 'the rewritten file');
    expect(lines[3]).toEqual([4, 'new']);
    expect(notes).toEqual([`${path}: the file got shorter (truncated or rewritten); reading it again from its start`]);
  });

  test('stop takes a last line that never got its end', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-follow-'));
    const path = join(dir, 'feed.ndjson');
    writeFileSync(path, 'a\nb');
    const { f, lines } = follow(path);
    await until(() => lines.length === 1, 'the first line');
    appendFileSync(path, 'c');
    f.stop();
    expect(lines).toEqual([
      [1, 'a'],
      [2, 'bc'],
    ]);
  });

  test('a named pipe: opening does not wait for a writer; writers come and go and every line of each arrives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-follow-'));
    const fifo = join(dir, 'feed.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const { f, lines } = follow(fifo);
    expect(f.isPipe).toBe(true);
    await sleep(50);
    for (let w = 0; w < 3; w++) {
      const fd = openSync(fifo, 'w');
      writeSync(fd, `w${w} a\nw${w} `);
      await sleep(30);
      writeSync(fd, 'b\n');
      closeSync(fd);
      await sleep(30);
    }
    await until(() => lines.length === 6, 'six lines');
    expect(lines.map((l) => l[1])).toEqual(['w0 a', 'w0 b', 'w1 a', 'w1 b', 'w2 a', 'w2 b']);
  });

  test('a file that is missing or a folder: one message, nothing left open', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-follow-'));
    mkdirSync(join(dir, 'sub'));
    const make = (p: string) => () => new FileFollower(p, { onLine: () => {} });
    expect(make(join(dir, 'nope.ndjson'))).toThrow(FollowError);
    expect(make(join(dir, 'nope.ndjson'))).toThrow(
      `cannot read ${join(dir, 'nope.ndjson')} (no such file; create it first (touch FILE, or mkfifo FILE for a named pipe))`,
    );
    expect(make(join(dir, 'sub'))).toThrow(`cannot read ${join(dir, 'sub')} (it is a folder)`);
  });
});

describe('deconflict live --input FILE, headless', () => {
  test('follows the file as it grows (standard input is not read); Ctrl-C ends the run with its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-live-'));
    const feed = join(dir, 'feed.ndjson');
    const fix = (t: string, lat: number, lon: number, unit = 'convoy') => `${JSON.stringify({ unit, lat, lon, t })}\n`;
    writeFileSync(feed, fix('2017-05-18T06:00:00Z', 34.04, 38.04));
    const child = spawn(process.execPath, [BIN, 'live', TANF, '--clock', 'feed', '--json', '--input', feed], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    // Standard input ends at once: with --input it is not the feed, and the run goes on.
    child.stdin.end();
    await sleep(300);
    appendFileSync(feed, fix('2017-05-18T06:40:00Z', 33.887, 38.205) + '{"unit": "convoy", "lat": 33.9,\n');
    await sleep(200);
    appendFileSync(feed, fix('2017-05-18T07:30:00Z', 33.74, 38.365) + fix('2017-05-18T07:31:00Z', 33.739, 38.366));
    await until(() => out.includes('"type":"enter"'), 'the entry', 15_000);
    expect(child.exitCode).toBe(null);
    child.kill('SIGINT');
    const code = await new Promise((res) => child.on('close', res));
    expect(code).toBe(0);
    expect(err).toMatch(new RegExp(`^${feed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: malformed JSON .*; line skipped$`, 'm'));
    expect(err).toMatch(/live run ended: 5 lines read, 4 fixes used, 1 skipped; \d+ events/);
    const events = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(events.filter((e) => e.type === 'escalate').map((e) => e.rung)).toEqual(['monitor', 'warn']);
  });
});
