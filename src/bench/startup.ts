/**
 * Start-up of the shipped executable (`dist/bin/deconflict.js`, the bundle `npm run build` makes),
 * measured the way a user meets it: a fresh process each time, timed from the spawn.
 *
 *   - `deconflict --version` and `deconflict run tanf-2017-05-18 --json` to the end (headless);
 *   - the terminal UI on the default scenario in a 120×40 pseudo-terminal: from the spawn until
 *     the screen a person would see (parsed by a headless xterm) holds a whole frame — the map's
 *     frame and the bottom bar's keys.
 *
 * The pseudo-terminal and the terminal emulator are development dependencies (@lydell/node-pty,
 * @xterm/headless), loaded only here.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The executable `npm install -g` links as `deconflict`. */
export const BIN = join(ROOT, 'dist', 'bin', 'deconflict.js');

/**
 * The CI markers taken out of the terminal UI child's environment, as the UI takes them out of
 * its own (src/ui/terminal/ci.ts: Ink draws only the last frame under CI). A copy of those three
 * lines, because the bench sits below the UI and must not load it.
 */
function forgetCi(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export interface StartupResult {
  version: Spread;
  runJson: Spread;
  /** Milliseconds from spawn to the first whole frame of the terminal UI. */
  firstFrame: Spread;
  /** A bare `node -e 0`, for scale: what no program can start faster than. */
  bareNode: Spread;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], min: s[0], max: s[s.length - 1], runs: xs };
}

function timeSync(args: string[]): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.trim()}`);
  return ms;
}

/** A complete frame: the map's top border and the bottom bar's last key are both on the screen. */
export function isWholeFrame(screen: string): boolean {
  return screen.includes('╭─ Map') && screen.includes('q quit');
}

async function firstFrameMs(timeoutMs: number): Promise<number> {
  const { default: pty } = await import('@lydell/node-pty');
  const { default: xterm } = await import('@xterm/headless');
  const cols = 120;
  const rows = 40;
  const term = new xterm.Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  env.TERM = 'xterm-256color';
  // Ink prints only the last frame when it thinks it runs under CI.
  forgetCi(env);
  const t0 = performance.now();
  const p = pty.spawn(process.execPath, [BIN], { name: 'xterm-256color', cols, rows, cwd: ROOT, env });
  const exited = new Promise<void>((r) => p.onExit(() => r()));
  try {
    return await new Promise<number>((resolve, reject) => {
      let chain = Promise.resolve();
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        reject(new Error(`no whole frame within ${timeoutMs} ms`));
      }, timeoutMs);
      p.onData((d) => {
        chain = chain.then(
          () =>
            new Promise<void>((r) =>
              term.write(d, () => {
                if (done) return r();
                const b = term.buffer.active;
                let s = '';
                for (let y = 0; y < rows; y++) s += `${b.getLine(y)?.translateToString(true) ?? ''}\n`;
                if (isWholeFrame(s)) {
                  done = true;
                  clearTimeout(timer);
                  resolve(performance.now() - t0);
                }
                r();
              }),
            ),
        );
      });
    });
  } finally {
    p.write('q');
    const killer = setTimeout(() => p.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(killer);
    term.dispose();
  }
}

/** Measures start-up `reps` times each (after one unmeasured run of each, for the file cache). */
export async function measureStartup(reps: number, log: (s: string) => void = () => {}): Promise<StartupResult> {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
  timeSync(['-e', '0']);
  timeSync([BIN, '--version']);
  timeSync([BIN, 'run', 'tanf-2017-05-18', '--json']);
  await firstFrameMs(30_000);
  const bare: number[] = [];
  const version: number[] = [];
  const runJson: number[] = [];
  const frame: number[] = [];
  for (let i = 0; i < reps; i++) {
    log(`  start-up ${i + 1}/${reps}`);
    bare.push(timeSync(['-e', '0']));
    version.push(timeSync([BIN, '--version']));
    runJson.push(timeSync([BIN, 'run', 'tanf-2017-05-18', '--json']));
    frame.push(await firstFrameMs(30_000));
  }
  return { version: spread(version), runJson: spread(runJson), firstFrame: spread(frame), bareNode: spread(bare) };
}
