/**
 * The real binary in a pseudo-terminal: what a person sees and presses. Run after `npm run
 * build` (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PtySession } from './pty.js';

const BIN = 'dist/bin/deconflict.js';
const SCENARIO = 'scenarios/tanf-2017-05-18.yaml';
const sessions: PtySession[] = [];
/** The whole first frame is on screen: the map panel and the key bar. */
const READY = (s: string) => s.includes('╭─ Map') && /q quit/.test(s);

function start(args: string[] = [SCENARIO], o: { cols?: number; rows?: number; env?: Record<string, string | undefined>; node?: string[] } = {}): PtySession {
  const p = new PtySession(process.execPath, [...(o.node ?? []), BIN, ...args], o);
  sessions.push(p);
  return p;
}

function tick(screen: string): number {
  return Number(/tick (\d+)\//.exec(screen)?.[1] ?? NaN);
}

/** The terminal was given back: main screen, cursor shown, raw mode off (the shell would echo). */
function expectRestored(p: PtySession): void {
  expect(p.bufferType()).toBe('normal');
  expect(p.cursorVisible()).toBe(true);
  expect(p.raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(p.raw.lastIndexOf('\x1b[?1049h'));
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
});

afterEach(() => {
  for (const p of sessions.splice(0)) p.dispose();
});

describe('the terminal UI in a pseudo-terminal', { timeout: 90_000 }, () => {
  test('steps the 18 May 2017 convoy up the ladder to the strike, goes back one tick, shows help, quits cleanly', async () => {
    const p = start();
    let s = await p.waitFor(READY, 20_000, 'the first frame');
    expect(p.bufferType()).toBe('alternate');
    expect(p.cursorVisible()).toBe(false);
    expect(s).toContain('At Tanf, 18 May 2017');
    // n until a strike shows for the convoy.
    for (let i = 0; i < 10 && !/convoy\s+× struck/.test(s); i++) {
      const before = tick(s);
      p.write('n');
      s = await p.waitFor((x) => tick(x) > before && x.includes('‖ paused'), 10_000, 'the next escalation');
    }
    expect(s).toMatch(/convoy\s+× struck/);
    expect(s).toMatch(/ESCALATE\s+warning shots → strike/);
    const k = tick(s);
    p.write(',');
    s = await p.waitFor((x) => tick(x) === k - 1 && x.includes('‖ paused'), 10_000, 'one tick back');
    expect(s).toMatch(/convoy\s+▲ warning shots/);
    p.write('?');
    s = await p.waitFor('╭─ Keys', 10_000, 'the help overlay');
    expect(s).toContain('run to the next escalation');
    p.write('q');
    expect(await p.exit()).toBe(0);
    expectRestored(p);
  });

  test('the mouse: a click on a row selects the unit, one on the timeline jumps there; reports stop on quit; --no-mouse leaves them off', async () => {
    const p = start();
    await p.waitFor(READY, 20_000, 'the first frame');
    expect(p.term.modes.mouseTrackingMode).toBe('vt200');
    const rows = p.screen();
    const y = rows.findIndex((l) => /[▶ ]mat-patrol\b/.test(l));
    const x = rows[y].indexOf('mat-patrol');
    expect(rows[y]).not.toMatch(/▶mat-patrol/);
    p.write(`\x1b[<0;${x + 1};${y + 1}M\x1b[<0;${x + 1};${y + 1}m`);
    await p.waitFor(/▶mat-patrol/, 10_000, 'the unit clicked selected');
    // The scrubber is the row above the key bar: a click at its far end goes to the end.
    const bar = p.screen().findIndex((l) => /^ 06:00 /.test(l));
    const end = p.screen()[bar].indexOf('10:00') - 2;
    p.write(`\x1b[<0;${end + 1};${bar + 1}M`);
    await p.waitFor((x) => tick(x) === 1440, 10_000, 'the jump to the end');
    p.write('q');
    expect(await p.exit()).toBe(0);
    expectRestored(p);
    expect(p.term.modes.mouseTrackingMode).toBe('none');
    expect(p.raw.lastIndexOf('\x1b[?1000l')).toBeGreaterThan(p.raw.lastIndexOf('\x1b[?1000h'));

    const q = start([SCENARIO, '--no-mouse']);
    await q.waitFor(READY, 20_000, 'the first frame');
    expect(q.term.modes.mouseTrackingMode).toBe('none');
    expect(q.raw).not.toContain('\x1b[?1000h');
    q.write('q');
    expect(await q.exit()).toBe(0);
  });

  test('ctrl-c quits with the terminal restored', async () => {
    const p = start();
    await p.waitFor(READY, 20_000);
    p.write(' ');
    await p.waitFor('▶ playing');
    p.write('\x03');
    expect(await p.exit()).toBe(0);
    expectRestored(p);
  });

  test('SIGTERM restores the terminal too', async () => {
    const p = start();
    await p.waitFor(READY, 20_000);
    p.kill('SIGTERM');
    const code = await p.exit();
    expect(code).toBe(128 + 15);
    expectRestored(p);
  });

  test('a crash restores the terminal and says what happened', async () => {
    // A preloaded hook throws from the event loop on SIGUSR2, as a bug would.
    const hook = `data:text/javascript,process.on('SIGUSR2', () => setImmediate(() => { throw new Error('boom from a test') }))`;
    const p = start([SCENARIO], { node: ['--import', hook] });
    await p.waitFor(READY, 20_000);
    p.kill('SIGUSR2');
    expect(await p.exit()).toBe(3);
    expectRestored(p);
    expect(p.text()).toContain('deconflict: internal error: boom from a test');
  });

  test('follows the terminal size: too small says so, larger draws again', async () => {
    const p = start([SCENARIO], { cols: 100, rows: 30 });
    await p.waitFor(READY, 20_000);
    p.proc.resize(70, 20);
    p.term.resize(70, 20);
    await p.waitFor('needs a terminal of at least 80×24', 10_000);
    p.proc.resize(110, 32);
    p.term.resize(110, 32);
    const s = await p.waitFor('╭─ Map', 10_000);
    expect(s.split('\n')[1].length).toBe(110);
    p.write('q');
    expect(await p.exit()).toBe(0);
  });

  test('NO_COLOR: no colour codes, only attributes', async () => {
    const p = start([SCENARIO], { env: { NO_COLOR: '1' } });
    await p.waitFor(READY, 20_000);
    p.write('n');
    await p.waitFor(/convoy\s+○ monitor/);
    p.write('q');
    expect(await p.exit()).toBe(0);

    const sgr = [...p.raw.matchAll(/\x1b\[([0-9;]*)m/g)].flatMap((m) => m[1].split(';').map(Number));
    expect(sgr.filter((c) => (c >= 30 && c <= 38) || (c >= 40 && c <= 48) || (c >= 90 && c <= 107))).toEqual([]);
    expect(sgr).toContain(7);
  });
});

describe('without a terminal', () => {
  test('deconflict FILE prints the headless timeline, with no control codes', () => {
    const r = spawnSync(process.execPath, [BIN, SCENARIO], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ESCALATE');
    expect(r.stdout).toContain('warning shots → strike');
    expect(r.stdout).not.toContain('\x1b');
  });
});
