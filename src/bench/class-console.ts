/**
 * The trainer's console under a class's load (`npm run bench -- --class`): the executable runs
 * `deconflict class --pace class` with its console in a pseudo-terminal (@lydell/node-pty; the
 * screen read with @xterm/headless, as a person would see it), `students` ssh2 clients join at
 * once, the console's `space` starts the clock, and at the first question everyone answers in the
 * same instant. Measured: how long after the last answer key the console's screen reads
 * "N of N answered", and how the console kept redrawing meanwhile (writes to its terminal, and
 * the longest gap between two while answers were coming in).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import type ssh2 from 'ssh2';
import { CODE, joinStudents } from './class.js';
import { BIN } from './startup.js';

export interface ConsoleLoad {
  students: number;
  /** From the last answer key to the console's screen showing every answer (ms). */
  seen: number;
  /** Writes to the console's terminal from the first answer key to `seen`. */
  redraws: number;
  /** The longest time between two of them (ms). */
  longestGap: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function measureConsole(students = 40, log: (s: string) => void = () => {}): Promise<ConsoleLoad> {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-console-bench-'));
  const port = await freePort();
  const cols = 120;
  const rows = 40;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'CI' && !k.startsWith('CI_')) env[k] = v;
  env.TERM = 'xterm-256color';
  env.DECONFLICT_CONFIG_DIR = join(dir, 'config');
  const args = [BIN, 'class', 'tanf-2017-05-18', '--port', String(port), '--pace', 'class', '--seats', String(students), '--code', CODE];
  const proc = pty.spawn(process.execPath, [...args, '--dir', join(dir, 'room'), '--speed', '120'], { name: 'xterm-256color', cols, rows, cwd: dir, env });
  const writes: number[] = [];
  let parsed = Promise.resolve();
  proc.onData((d) => {
    writes.push(performance.now());
    parsed = parsed.then(() => new Promise<void>((r) => term.write(d, r)));
  });
  const screen = async () => {
    await parsed;
    const b = term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out.join('\n');
  };
  const until = async (what: string, test: (s: string) => boolean, ms = 60_000) => {
    const end = performance.now() + ms;
    for (;;) {
      const s = await screen();
      if (test(s)) return performance.now();
      if (performance.now() > end) throw new Error(`class console bench: timed out waiting for ${what}; the screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  const clients: ssh2.Client[] = [];
  try {
    await until('the console', (s) => s.includes('class code'));
    log(`console: ${students} students joining…`);
    const channels = await joinStudents(port, students, clients);
    await until('the roster', (s) => s.includes(`${students} seated`));
    proc.write(' ');
    for (let i = 0; i < 2400 && !channels.every((c) => c.screen().includes('Your response')); i++) await new Promise((r) => setTimeout(r, 25));
    await until('the question', (s) => s.includes(`0 of ${students} answered`));
    log('console: all answer at once…');
    const first = performance.now();
    for (const c of channels) c.ch.write('1\r');
    const last = performance.now();
    const seen = await until('every answer', (s) => s.includes(`${students} of ${students} answered`));
    const during = writes.filter((t) => t >= first && t <= seen);
    let longestGap = 0;
    for (let i = 1; i < during.length; i++) longestGap = Math.max(longestGap, during[i] - during[i - 1]);
    if (during.length) longestGap = Math.max(longestGap, during[0] - first, seen - during[during.length - 1]);
    return { students, seen: seen - last, redraws: during.length, longestGap };
  } finally {
    for (const c of clients) c.end();
    proc.kill('SIGTERM');
    term.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function consoleLines(r: ConsoleLoad): string[] {
  return [
    `  the trainer's console under that load (deconflict class --pace class in a 120×40 pseudo-terminal, ${r.students} answering at once): the screen read "${r.students} of ${r.students} answered" ${r.seen.toFixed(0)} ms after the last answer key; ${r.redraws} writes to the terminal meanwhile, the longest gap between two ${r.longestGap.toFixed(0)} ms`,
  ];
}
