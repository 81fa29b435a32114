/**
 * Runs the terminal UI on a loaded scenario: alternate screen, Ink rendering into a screen
 * writer that updates only changed rows at a capped frame rate, resize handling, and the
 * terminal restored on every way out (quit, ctrl-c, SIGTERM/SIGHUP/SIGINT, an uncaught error).
 */
import { render, type Instance } from 'ink';
import { writeFileSync } from 'node:fs';
import { useCallback, useEffect, useState } from 'react';
import { Engine } from '../core/engine.js';
import type { Scenario } from '../core/model.js';
import { App } from './App.js';
import { FrameBuilder } from './frame.js';
import { loadBorders, type BorderSet } from './map/borders.js';
import { ScreenStream } from './screen.js';
import { Session } from './session.js';
import { installFaultHooks, TerminalGuard } from './terminal.js';
import { colorWanted } from './theme.js';

export interface RunOptions {
  seed?: number;
  speed?: number;
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
  /** Skip the country borders (faster start, e.g. in tests). */
  noBorders?: boolean;
  /**
   * SIGINT and SIGTERM end the UI as `q` does (the promise resolves to 0 and the caller finishes
   * its work, e.g. a live run's summary) instead of exiting at once with 128 + the signal.
   */
  stopOnSignal?: boolean;
  /** Have the terminal report the mouse (default true; `--no-mouse` leaves it to the terminal, e.g. to select text). */
  mouse?: boolean;
}

export const FPS = 30;

/** Timings kept when DECONFLICT_TIMINGS names a file (written as JSON on exit), for measuring the live UI. */
class Timings {
  readonly build: number[] = [];
  readonly ink: number[] = [];
  firstFrame?: number;

  summary(screen: ScreenStream): Record<string, unknown> {
    const st = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return { n: s.length, mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length), p50: s[Math.floor(s.length / 2)] ?? 0, p95: s[Math.floor(s.length * 0.95)] ?? 0, max: s[s.length - 1] ?? 0 };
    };
    return { firstFrameMs: this.firstFrame, frameBuildMs: st(this.build), inkRenderMs: st(this.ink), screen: screen.stats };
  }
}

function Root({ builder, screen, noBorders, timings }: { builder: FrameBuilder; screen: ScreenStream; noBorders?: boolean; timings?: Timings }) {
  const [size, setSize] = useState({ cols: screen.columns, rows: screen.rows });
  const [borders, setBorders] = useState<BorderSet | undefined>();
  const paint = useCallback((lines: string[]) => screen.draw(lines), [screen]);
  useEffect(() => {
    const onResize = () => setSize({ cols: screen.columns, rows: screen.rows });
    screen.on('resize', onResize);
    return () => {
      screen.off('resize', onResize);
    };
  }, [screen]);
  useEffect(() => {
    if (noBorders) return;
    // After the first frame is on screen: reading the atlas takes a few tens of milliseconds.
    const t = setTimeout(() => setBorders(loadBorders()), 0);
    return () => clearTimeout(t);
  }, [noBorders]);
  return <App builder={builder} cols={size.cols} rows={size.rows} borders={borders} paint={paint} onFrame={timings ? (ms) => timings.build.push(ms) : undefined} />;
}

export async function runTui(scenario: Scenario, opts: RunOptions = {}): Promise<number> {
  const engine = new Engine(scenario, { seed: opts.seed });
  return runSession(new Session(engine, { speed: opts.speed }), opts);
}

/** The terminal UI on a session (a replay, or a live run's); resolves to the exit code when it is closed. */
export async function runSession(session: Session, opts: RunOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? process.stdout;
  const stdin = opts.stdin ?? process.stdin;
  const stderr = opts.stderr ?? process.stderr;
  const builder = new FrameBuilder(session, colorWanted());
  builder.mouse = opts.mouse ?? true;
  const guard = new TerminalGuard({ stdout, stdin }, { mouse: builder.mouse });
  const screen = new ScreenStream(stdout, FPS);
  screen.external = true;
  const timingsFile = process.env.DECONFLICT_TIMINGS;
  const timings = timingsFile ? new Timings() : undefined;
  // performance.now() counts from the start of the process.
  if (timings) screen.onFirstFrame = () => (timings.firstFrame = performance.now());
  let instance: Instance | undefined;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((r) => (stopRequested = r));

  const cleanup = () => {
    session.dispose();
    try {
      instance?.unmount();
    } catch {
      // Already unmounted.
    }
    screen.close();
    guard.restore();
  };
  const detach = installFaultHooks({
    cleanup,
    guard,
    stderr,
    intercept: (sig) => {
      if (opts.stopOnSignal && (sig === 'SIGINT' || sig === 'SIGTERM')) {
        stopRequested();
        return true;
      }
      return false;
    },
  });

  guard.enter();
  try {
    // `debug` makes Ink hand each whole frame to the screen writer, which does the drawing.
    instance = render(<Root builder={builder} screen={screen} noBorders={opts.noBorders} timings={timings} />, {
      stdout: screen as unknown as NodeJS.WriteStream,
      stdin,
      stderr,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
      onRender: timings ? ({ renderTime }) => timings.ink.push(renderTime) : undefined,
    });
    await Promise.race([instance.waitUntilExit(), stopped]);
    return 0;
  } finally {
    cleanup();
    detach();
    if (timings && timingsFile) writeFileSync(timingsFile, `${JSON.stringify(timings.summary(screen), null, 2)}\n`);
  }
}
