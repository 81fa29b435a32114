/**
 * Live runs bounded (src/io/live.ts, live-feed.ts, lines.ts): a feed whose clock jumps ten
 * years ahead does not lock the program — SIGTERM ends the run with its summary and export; a
 * line of tens of megabytes with no line break is one warning, not a RangeError; the fixes kept
 * for export stay within a cap, thinned from the oldest, and the export is still written; a
 * datagram of 64 KB of `<event ` is split in one pass and gives one warning. Needs `npm run build`.
 */
import fc from 'fast-check';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/node/load.js';
import { splitCotStream } from '../../src/io/cot-read.js';
import { LineSplitter } from '../../src/io/lines.js';
import { LiveRun, MAX_WAITING, SYNC_TICKS } from '../../src/io/live.js';

const root = join(import.meta.dirname, '..', '..');
const BIN = join(root, 'dist', 'bin', 'deconflict.js');
const tmp = () => mkdtempSync(join(tmpdir(), 'deconflict-live-bounds-'));

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.DECONFLICT_DEBUG;
  return e;
}

/** Ten years around today: the wall clock's now falls inside, five years after the start. */
const FIRST_YEAR = new Date().getUTCFullYear() - 5;
const START = `${FIRST_YEAR}-01-01T00:00:00Z`;
/** A fix more than nine years after the start: about 300 million one-second ticks. */
const LATE = `${FIRST_YEAR + 9}-12-01T00:00:00Z`;

/** The antimeridian case over ten years. */
function tenYears(dir: string): string {
  const text = readFileSync(join(root, 'test', 'fixtures', 'antimeridian', 'scenario.yaml'), 'utf8')
    .replace(/^start: .*$/m, `start: ${START}`)
    .replace(/^end: .*$/m, `end: ${FIRST_YEAR + 10}-01-01T00:00:00Z`)
    .replace(/^tick: .*$/m, 'tick: 1h')
    .replace('t: 2020-01-01T00:00:00Z', `t: ${START}`)
    .replace('t: 2020-01-01T05:00:00Z', `t: ${FIRST_YEAR + 9}-01-01T05:00:00Z`)
    .replace(/^expect:[\s\S]*$/m, '');
  const file = join(dir, 'ten.yaml');
  writeFileSync(file, text);
  return file;
}

/** Run the binary; `feed` writes to its stdin; resolves with its exit, output and how long it took. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: env(), stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, out, err })),
  );
  return { child, done, err: () => err, out: () => out };
}

async function waitFor(test: () => boolean, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('live runs bounded', () => {
  test('a feed that jumps ten years ahead at a 1 s tick: SIGTERM ends the run with its summary and export', async () => {
    const dir = tmp();
    const file = tenYears(dir);
    const p = start(['live', file, '--clock', 'feed', '--tick', '1s', '--json', '--export', 'geojson', '--export-out', 'out.geojson'], dir);
    p.child.stdin.write(`{"unit":"boat","lat":-16.5,"lon":-178.2,"t":"${START}"}\n`);
    // About 300 million ticks away.
    p.child.stdin.write(`{"unit":"boat","lat":-16.5,"lon":178.6,"t":"${LATE}"}\n`);
    await waitFor(() => p.err().includes('zones: box, ring'), 15_000, 'the run to start');
    await new Promise((r) => setTimeout(r, 1500));
    const stoppedAt = Date.now();
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(r.code).toBe(0);
    expect(r.err).toContain('deconflict live: stopped while catching up: 1 fix received was never judged\n');
    expect(r.err).toMatch(/live run ended: 2 lines read, 1 fix used, 0 skipped, 1 never judged \(stopped\); \d+ events?\n {2}boat/);
    expect(r.err).not.toMatch(/RangeError|at .*\.js:\d+/);
    const geo = JSON.parse(readFileSync(join(dir, 'out.geojson'), 'utf8'));
    expect(geo.type).toBe('FeatureCollection');
  }, 60_000);

  test('a wall-clock run whose window began years ago catches up without locking: SIGINT stops it', async () => {
    const dir = tmp();
    const p = start(['live', tenYears(dir), '--tick', '1s', '--headless'], dir);
    await waitFor(() => p.out().includes('zones: box, ring'), 15_000, 'the run to start');
    await new Promise((r) => setTimeout(r, 1500));
    const stoppedAt = Date.now();
    p.child.kill('SIGINT');
    const r = await p.done;
    expect(Date.now() - stoppedAt).toBeLessThan(5000);
    expect(r.code).toBe(0);
    expect(r.out).toContain('live run ended: 0 lines read');
  }, 60_000);

  test('a 64 MB line with no line break: one warning, the next line used, no RangeError', async () => {
    const dir = tmp();
    const p = start(['live', tenYears(dir), '--clock', 'feed', '--headless'], dir);
    const chunk = Buffer.alloc(1 << 20, 'a');
    let sent = 0;
    const big = new Readable({
      read() {
        if (sent++ < 64) this.push(chunk);
        else {
          this.push(`\n{"unit":"boat","lat":-16.5,"lon":-178.2,"t":"${START}"}\n`);
          this.push(null);
        }
      },
    });
    big.pipe(p.child.stdin);
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.err).toBe('stdin:1: the line is longer than 1 MiB (no line break where one was due); line skipped\n');
    expect(r.out).toMatch(/live run ended: 2 lines read, 1 fix used, 1 skipped; \d+ events?\n/);
  }, 120_000);

  test('a 64 KB datagram of "<event " costs one warning', async () => {
    const dir = tmp();
    const p = start(['live', tenYears(dir), '--clock', 'feed', '--headless', '--cot-in', '0'], dir);
    await waitFor(() => /listening for CoT on udp 127\.0\.0\.1:\d+/.test(p.err()), 15_000, 'the port');
    const port = Number(/udp 127\.0\.0\.1:(\d+)/.exec(p.err())![1]);
    const sock = createSocket('udp4');
    const junk = Buffer.from('<event '.repeat(Math.floor(65_000 / 7)));
    await new Promise<void>((res, rej) => sock.send(junk, port, '127.0.0.1', (e) => (e ? rej(e) : res())));
    sock.close();
    await waitFor(() => p.err().includes('not a CoT event'), 15_000, 'the warning');
    p.child.kill('SIGTERM');
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.err.match(/not a CoT event/g)).toHaveLength(1);
  }, 60_000);
});

describe('LiveRun and its reader, in bounded memory', () => {
  const sc = loadScenario(join(root, 'test', 'fixtures', 'antimeridian', 'scenario.yaml'));

  test('fixes kept per unit stay within the cap, thinned from the oldest; the newest and the first stay', () => {
    const live = new LiveRun(sc, { clock: 'feed', warn: () => {}, keepPerUnit: 100 });
    const n = 10_000;
    for (let i = 0; i < n; i++)
      live.line(JSON.stringify({ unit: 'boat', lat: -16.5, lon: -178.2 + i * 1e-5, t: new Date(sc.start + i * 1000).toISOString() }), i + 1);
    live.finish();
    const kept = live.received[0];
    expect(kept.length).toBeLessThanOrEqual(100);
    expect(kept.length).toBeGreaterThan(50);
    expect(kept[0].t).toBe(sc.start);
    expect(kept[kept.length - 1].t).toBe(sc.start + (n - 1) * 1000);
    // The newest quarter is dense (every fix).
    const tail = kept.slice(-25).map((f) => f.t);
    for (let i = 1; i < tail.length; i++) expect(tail[i] - tail[i - 1]).toBe(1000);
    expect(live.stats.fixes).toBe(n);
    expect(live.stats.thinned).toBe(n - kept.length);
    expect(live.receivedTrack(0).t.length).toBe(kept.length);
  });

  test('a fix far ahead waits and is caught up a slice at a time; finish judges it', () => {
    const live = new LiveRun(sc, { clock: 'feed', warn: () => {}, tick: 1000 });
    live.line('{"unit":"boat","lat":-16.5,"lon":-178.2,"t":"2020-01-01T00:00:00Z"}', 1);
    live.line('{"unit":"boat","lat":-16.5,"lon":179.9,"t":"2020-01-01T05:00:00Z"}', 2);
    expect(live.busy).toBe(true);
    expect(live.engine!.tickIndex).toBeLessThanOrEqual(SYNC_TICKS);
    let slices = 0;
    while (live.pump(0)) slices++;
    expect(slices).toBeGreaterThan(10);
    expect(live.stats.fixes).toBe(2);
    live.finish();
    expect(live.events.some((e) => e.type === 'enter')).toBe(true);
  });

  test('at most MAX_WAITING fixes wait for the clock; more are dropped with one warning', () => {
    const warnings: string[] = [];
    const live = new LiveRun(sc, { clock: 'feed', warn: (m) => warnings.push(m), tick: 1000 });
    live.line('{"unit":"boat","lat":-16.5,"lon":-178.2,"t":"2020-01-01T00:00:00Z"}', 1);
    const far = JSON.stringify({ unit: 'boat', lat: -16.5, lon: 179.9, t: '2020-01-01T05:00:00Z' });
    for (let i = 0; i < MAX_WAITING + 5; i++) live.line(far, i + 2);
    expect(live.waiting).toBe(MAX_WAITING);
    expect(live.stats.skipped).toBe(5);
    expect(warnings).toEqual([`stdin:${MAX_WAITING + 2}: ${MAX_WAITING} fixes already wait for the run's clock to reach them; fixes dropped until it has`]);
    live.finish();
    expect(live.waiting).toBe(0);
    expect(live.stats.fixes).toBe(MAX_WAITING + 1);
  });

  test('lines: split across chunks and UTF-8, CRLF dropped, a long line skipped and reported once', () => {
    const got: [string, number][] = [];
    const long: number[] = [];
    const s = new LineSplitter({ onLine: (l, n) => got.push([l, n]), onTooLong: (n) => long.push(n), maxBytes: 16 });
    const text = Buffer.from('ab\r\nçé€\n' + 'x'.repeat(40) + '\nlast');
    for (let i = 0; i < text.length; i += 3) s.push(text.subarray(i, i + 3));
    s.end();
    expect(got).toEqual([
      ['ab', 1],
      ['çé€', 2],
      ['last', 4],
    ]);
    expect(long).toEqual([3]);
  });

  test('splitting CoT is the same as the regular expression it replaces, in one pass', () => {
    const old = (text: string) => text.match(/<event[\s>][\s\S]*?<\/event>|<event[^>]*\/>/g) ?? [];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('<event', ' ', '>', '/>', '</event>', 'a', '/', '<', 'x="1"', '\n', '<event>', '<events'), { maxLength: 30 }),
        (parts) => {
          const text = parts.join('');
          expect(splitCotStream(text)).toEqual(old(text));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
