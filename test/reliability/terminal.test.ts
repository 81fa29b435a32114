/**
 * The terminal UI under faults, in a pseudo-terminal (test/e2e/pty.ts): signals and uncaught
 * errors give the terminal back — raw mode off (the terminal settings read by `stty -g` before
 * and after are the same), cursor shown, alternate screen left — and exit non-zero; a crash
 * says so in one line. A terminal resized to 1×1 and back, and a burst of a thousand key
 * presses, do not crash it. test/e2e/tui.test.ts covers quitting, ctrl-c and SIGTERM's exit
 * code; this adds what a crash, a tiny terminal and a keyboard mash do. Needs `npm run build`.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PtySession } from '../e2e/pty.js';

const root = join(import.meta.dirname, '..', '..');
const BIN = join(root, 'dist', 'bin', 'deconflict.js');
/**
 * The same program, not bundled (tsc's output): a preloaded hook can patch the engine class it
 * uses, which the bundle keeps to itself.
 */
const UNBUNDLED = join(root, 'dist', 'cli', 'bin.js');
const SCENARIO = join(root, 'scenarios', 'tanf-2017-05-18.yaml');
const crash = (f: string) => join(root, 'test', 'reliability', 'fixtures', 'crash', f);
const READY = (s: string) => s.includes('╭─ Map') && /q quit/.test(s);
const LEAVE_ALT = '\x1b[?1049l';

const sessions: PtySession[] = [];
afterEach(() => {
  for (const p of sessions.splice(0)) p.dispose();
});

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The UI run by a shell in the pty, which records the terminal settings before and after it,
 * so that a terminal left in raw mode shows. `node` is the shell's child: signals go to it.
 */
function start(nodeArgs: string[], env: Record<string, string> = {}, size = { cols: 120, rows: 40 }) {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-tty-'));
  const script = `stty -g > before; ${[process.execPath, ...nodeArgs].map(q).join(' ')}; c=$?; stty -g > after; echo "exit $c" > code`;
  const p = new PtySession('/bin/sh', ['-c', script], { cwd: dir, env, ...size });
  sessions.push(p);
  const node = () => {
    const r = spawnSync('ps', ['-o', 'pid=', '--ppid', String(p.proc.pid)], { encoding: 'utf8' });
    const pid = Number(r.stdout.trim().split('\n')[0]);
    if (!pid) throw new Error('the UI process is not running');
    return pid;
  };
  /** Wait for the shell to finish; the UI's exit code and whether the settings are back. */
  const done = async () => {
    await p.exit(30_000);
    return {
      code: Number(/exit (\d+)/.exec(readFileSync(join(dir, 'code'), 'utf8'))?.[1]),
      settingsRestored: readFileSync(join(dir, 'before'), 'utf8') === readFileSync(join(dir, 'after'), 'utf8'),
      /** What was written after the alternate screen was left. */
      after: p.raw.slice(p.raw.lastIndexOf(LEAVE_ALT) + LEAVE_ALT.length),
    };
  };
  return { p, node, done };
}

function expectRestored(p: PtySession, r: { settingsRestored: boolean }): void {
  expect(r.settingsRestored, 'terminal settings (raw mode) given back').toBe(true);
  expect(p.bufferType()).toBe('normal');
  expect(p.cursorVisible()).toBe(true);
  expect(p.raw.lastIndexOf(LEAVE_ALT)).toBeGreaterThan(p.raw.lastIndexOf('\x1b[?1049h'));
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
});

describe('the terminal UI under faults', { timeout: 120_000 }, () => {
  for (const [sig, n] of [
    ['SIGINT', 2],
    ['SIGTERM', 15],
  ] as const) {
    test(`${sig} while playing gives the terminal back and exits non-zero`, async () => {
      const t = start([BIN, SCENARIO]);
      await t.p.waitFor(READY, 30_000, 'the first frame');
      t.p.write(' ');
      await t.p.waitFor('▶ playing');
      process.kill(t.node(), sig);
      const r = await t.done();
      expect(r.code).toBe(128 + n);
      expectRestored(t.p, r);
      // One line after leaving the alternate screen says why it stopped; no stack trace.
      expect(r.after).toBe(`deconflict: stopped by ${sig}\r\n`);
    });
  }

  test('the check notices a terminal left in raw mode (after SIGKILL, which no program can handle)', async () => {
    const t = start([BIN, SCENARIO]);
    await t.p.waitFor(READY, 30_000, 'the first frame');
    process.kill(t.node(), 'SIGKILL');
    const r = await t.done();
    expect(r.code).toBe(128 + 9);
    expect(r.settingsRestored).toBe(false);
    expect(t.p.bufferType()).toBe('alternate');
  });

  for (const [what, hook, message, act] of [
    ['an error thrown in a timer', 'timer-throw.mjs', 'simulated fault in a timer', 'SIGUSR2'],
    ['an unhandled promise rejection', 'reject.mjs', 'simulated unhandled rejection', 'SIGUSR2'],
    ['an error from the engine while a key is handled', 'step-throw.mjs', 'simulated fault in the engine', 'n'],
  ] as const) {
    test(`${what} gives the terminal back and exits 3 with one line`, async () => {
      const bin = hook === 'step-throw.mjs' ? UNBUNDLED : BIN;
      const t = start(['--import', crash(hook), bin, SCENARIO], { CRASH_ON_STEP: '40' });
      await t.p.waitFor(READY, 30_000, 'the first frame');
      if (act === 'SIGUSR2') process.kill(t.node(), 'SIGUSR2');
      else t.p.write(act);
      const r = await t.done();
      expect(r.code).toBe(3);
      expectRestored(t.p, r);
      // One line after leaving the alternate screen: the message, no stack trace.
      expect(r.after).toBe(`deconflict: internal error: ${message}\r\n`);
    });
  }
});

describe('the terminal UI under a hostile terminal', { timeout: 120_000 }, () => {
  test('a terminal resized to 1×1 and back keeps running and draws again', async () => {
    const t = start([BIN, SCENARIO]);
    await t.p.waitFor(READY, 30_000, 'the first frame');
    t.p.write(' ');
    for (const [c, r] of [
      [1, 1],
      [1, 40],
      [120, 1],
      [2, 2],
      [1, 1],
    ]) {
      t.p.proc.resize(c, r);
      await new Promise((res) => setTimeout(res, 150));
    }
    t.p.proc.resize(120, 40);
    t.p.term.resize(120, 40);
    // A redraw at the full size, still playing.
    const s = await t.p.waitFor((x) => READY(x) && x.includes('▶ playing'), 20_000, 'a full frame after the resizes');
    expect(s.split('\n')[1].length).toBe(120);
    t.p.write('q');
    const r = await t.done();
    expect(r.code).toBe(0);
    expectRestored(t.p, r);
    expect(r.after).toBe('');
  });

  test('a burst of a thousand key presses does not crash it, and it still answers', async () => {
    const t = start([BIN, SCENARIO]);
    await t.p.waitFor(READY, 30_000, 'the first frame');
    // Every bound key but the two that quit, arrows and paging as escape sequences, and keys bound to nothing.
    const keys = [
      ' ',
      'n',
      '.',
      ',',
      ']',
      '[',
      'r',
      'h',
      'j',
      'k',
      'l',
      '+',
      '=',
      '-',
      '_',
      '0',
      'f',
      '\t',
      '\x1b[Z',
      '\x1b[A',
      '\x1b[B',
      '\x1b[C',
      '\x1b[D',
      '\x1b[5~',
      '\x1b[6~',
      '\x1b[H',
      '\x1b[F',
      'g',
      'G',
      '\r',
      's',
      '\x1b',
      '/',
      'x',
      '?',
      '\x7f',
      'é',
      '7',
      '~',
      '\x1bOP',
      'z',
    ];
    const burst = fc.sample(fc.constantFrom(...keys), { numRuns: 1000, seed: 1000 });
    // Some one key per write, some many keys in one read, as a held key or a paste gives them.
    for (let i = 0; i < burst.length;) {
      const n = i < 500 ? 1 : 25;
      t.p.write(burst.slice(i, i + n).join(''));
      i += n;
    }
    // Leave any filter being typed and any overlay, then ask for help: it must answer.
    await new Promise((res) => setTimeout(res, 500));
    t.p.write('\x1b');
    await new Promise((res) => setTimeout(res, 300));
    t.p.write('\x1b');
    await new Promise((res) => setTimeout(res, 300));
    const before = t.p.text().includes('╭─ Keys');
    t.p.write('?');
    await t.p.waitFor((x) => x.includes('╭─ Keys') !== before, 20_000, 'the help overlay to toggle');
    t.p.write('\x03');
    const r = await t.done();
    expect(r.code).toBe(0);
    expectRestored(t.p, r);
    expect(r.after).toBe('');
  });
});
