/**
 * `deconflict live` in a pseudo-terminal: the terminal UI on positions that arrive while it
 * runs, from a file that grows and from a named pipe. Run after `npm run build` (npm test
 * builds first).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, openSync, closeSync, writeSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PtySession } from './pty.js';

const BIN = 'dist/bin/deconflict.js';
const SCENARIO = 'scenarios/tanf-2017-05-18.yaml';
const sessions: PtySession[] = [];
/** The whole first frame is on screen: the map panel, the live status line and the key bar. */
const READY = (s: string) => s.includes('╭─ Map') && s.includes('● LIVE') && /q quit/.test(s);

function start(args: string[], o: { cols?: number; rows?: number } = {}): PtySession {
  const p = new PtySession(process.execPath, [BIN, 'live', SCENARIO, ...args], { cols: 120, rows: 40, ...o });
  sessions.push(p);
  return p;
}

/** The convoy `km` from At Tanf, on its way in from the north-west, as an NDJSON line. */
function convoyAt(km: number, t?: string): string {
  const a = [38.03808, 34.04047];
  const b = [38.61778, 33.50583];
  const f = 1 - km / 80;
  return `${JSON.stringify({ unit: 'convoy', lon: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, ...(t ? { t } : {}) })}\n`;
}

/** The terminal was given back: main screen, cursor shown, alternate screen left last. */
function expectRestored(p: PtySession): void {
  expect(p.bufferType()).toBe('normal');
  expect(p.cursorVisible()).toBe(true);
  expect(p.raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(p.raw.lastIndexOf('\x1b[?1049h'));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
});

afterEach(() => {
  for (const p of sessions.splice(0)) p.dispose();
});

describe('deconflict live in a pseudo-terminal', { timeout: 90_000 }, () => {
  test('a growing file drives the convoy into the zone in real time: the screen shows it and the warn, a bad line is reported, q exits 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-live-'));
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, '');
    const p = start(['--input', feed, '--tick', '1s']);
    let s = await p.waitFor(READY, 20_000, 'the first frame');
    expect(p.bufferType()).toBe('alternate');
    expect(s).toContain('At Tanf, 18 May 2017');
    expect(s).toMatch(/● LIVE\s+real time/);
    expect(s).toContain(`waiting for ${feed}`);
    expect(s).toMatch(/convoy\s+no fix yet/);
    // No key moves time in a live run, and the bar does not offer them.
    const bar = s.split('\n').filter((l) => /q quit/.test(l))[0];
    expect(bar).toMatch(/i input/);
    expect(bar).not.toMatch(/space play|next escalation|restart/);
    // Fixes arrive as a feed would write them: a line at a time, one of them broken.
    for (const line of [convoyAt(78), '{"unit": "convoy", "lat": 33.9,\n', convoyAt(64), convoyAt(57), convoyAt(50), convoyAt(46)]) {
      appendFileSync(feed, line);
      await sleep(400);
    }
    const wanted = [
      /ESCALATE\s+monitor → warn/,
      /convoy\s+◇ warn\s+46\.0 km/,
      /APPROACH/,
      /ENTER\s+entered the At Tanf deconfliction zone/,
      /5 fixes used, 1 skipped/,
      /⚠ .*feed\.ndjson:2: malformed JSON/,
      // On the map: the convoy's symbol with its label.
      /◇convoy|convoy◇/,
    ];
    // One screen that shows all of it (rows are redrawn as they change).
    s = await p.waitFor(
      (x) => wanted.every((re) => re.test(x)),
      15_000,
      'the convoy at warn, 46 km from the garrison, with the warn event and the bad line reported',
    );
    p.write('i');
    const overlay = [/╭─ Live input/, /received\s+6 lines read: 5 fixes used, 1 skipped/, /feed\.ndjson:2: malformed JSON .*; line skipped/];
    await p.waitFor((x) => overlay.every((re) => re.test(x)), 10_000, 'the input overlay');
    p.write('\x1b');
    await p.waitFor((x) => !x.includes('╭─ Live input'), 10_000, 'the overlay to close');
    p.write('q');
    expect(await p.exit()).toBe(0);
    expectRestored(p);
    s = p.text();
    expect(s).toMatch(/live run ended: 6 lines read, 5 fixes used, 1 skipped; \d+ events/);
    expect(s).toMatch(/convoy\s+now: warn/);
    expect(s).toMatch(/1 input problem:\n\s+.*feed\.ndjson:2: malformed JSON/);
  });

  test('a named pipe with the feed clock: writers come and go, the ladder climbs to the strike; SIGTERM ends it like q', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-live-'));
    const fifo = join(dir, 'feed.pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const p = start(['--input', fifo, '--clock', 'feed']);
    let s = await p.waitFor(READY, 20_000, 'the first frame');
    expect(s).toMatch(/● LIVE\s+feed time\s+waiting for/);
    // One writer, then another (as `echo ... > pipe` twice would).
    const write = (text: string) => {
      const fd = openSync(fifo, 'w');
      writeSync(fd, text);
      closeSync(fd);
    };
    write(convoyAt(78, '2017-05-18T06:00:00Z') + convoyAt(57, '2017-05-18T06:40:00Z'));
    // The ticks before the 06:40 fix have run; that fix waits for the next one to be judged.
    s = await p.waitFor(/feed time\s+2017-05-18 06:39:50Z .*2 fixes used, 0 skipped/, 15_000, 'the first two fixes');
    write(
      `{"unit": "konvoy", "lat": 33.8, "lon": 38.3, "t": "2017-05-18T07:00:00Z"}\n${convoyAt(50, '2017-05-18T07:30:00Z')}${convoyAt(49, '2017-05-18T08:30:00Z')}`,
    );
    const wanted = [/convoy\s+× struck/, /ESCALATE\s+warning shots → strike/, /feed time\s+2017-05-18 08:29:50Z/, /⚠ .*feed\.pipe:3: unknown unit 'konvoy'/];
    // One screen that shows all of it (rows are redrawn as they change).
    s = await p.waitFor((x) => wanted.every((re) => re.test(x)), 15_000, 'the strike, with the unknown unit reported');
    // A last line whose end never comes is still taken when the run stops: nothing received is lost.
    write('{"unit": "mat-patrol", "lat": 33.5, "lon": 38.6, "t": "2017-05-18T08:31:00Z"}');
    await sleep(300);
    p.kill('SIGTERM');
    expect(await p.exit()).toBe(0);
    expectRestored(p);
    s = p.text();
    expect(s).toMatch(/live run ended: 6 lines read, 5 fixes used, 1 skipped/);
    expect(s).toMatch(/convoy\s+now: strike \(struck\)/);
    expect(s).toMatch(/mat-patrol\s+now: none/);
  });

  test('--headless on a terminal prints the timeline as before, no screen; ctrl-c ends it with its summary', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-live-'));
    const feed = join(dir, 'feed.ndjson');
    writeFileSync(feed, convoyAt(78, '2017-05-18T06:00:00Z') + convoyAt(57, '2017-05-18T06:40:00Z') + convoyAt(50, '2017-05-18T07:30:00Z'));
    const p = start(['--headless', '--clock', 'feed', '--input', feed]);
    await p.waitFor(/convoy\s+tanf-dz ESCALATE\s+none → monitor/, 15_000, 'the timeline');
    expect(p.raw).not.toContain('\x1b[?1049h');
    p.write('\x03');
    expect(await p.exit()).toBe(0);
    expect(p.text()).toMatch(/live run ended: 3 lines read, 3 fixes used, 0 skipped/);
  });

  test('on a terminal without --input or --cot-in it says where positions can come from, exit 2, screen untouched', async () => {
    const p = start([]);
    expect(await p.exit()).toBe(2);
    expect(p.raw).not.toContain('\x1b[?1049h');
    expect(p.text()).toContain('deconflict: live: in the terminal UI the keyboard is standard input, so positions come from --input FILE');
  });

  test('--input that cannot be read: one line, exit 2, before the screen opens', async () => {
    const p = start(['--input', '/nonexistent/feed.ndjson']);
    expect(await p.exit()).toBe(2);
    expect(p.raw).not.toContain('\x1b[?1049h');
    expect(p.text()).toContain('deconflict: --input: cannot read /nonexistent/feed.ndjson (no such file; create it first');
  });
});
