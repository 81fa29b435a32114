/**
 * Runs the terminal UI on a loaded scenario (a replay) or on a live run's session, full screen
 * (app/full-screen.ts): the app draws its rows on the screen writer itself, follows resizes and
 * gets the country borders once its first frame is up.
 */
import { useCallback } from 'react';
import { Engine } from '../core/engine.js';
import type { Scenario } from '../core/model.js';
import { App } from './app/App.js';
import { fullScreen } from './app/full-screen.js';
import { useLazyBorders, useScreenSize } from './app/hooks.js';
import type { Timings } from './app/timings.js';
import { ReplaySession } from './playback/replay.js';
import type { ScreenSource } from './playback/source.js';
import type { ScreenStream } from './screen.js';
import { FrameContext } from './screen/context.js';
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

function Root({ frames, screen, noBorders, timings }: { frames: FrameContext; screen: ScreenStream; noBorders?: boolean; timings?: Timings }) {
  const size = useScreenSize(screen);
  const borders = useLazyBorders(noBorders);
  const paint = useCallback((lines: string[]) => screen.draw(lines), [screen]);
  return (
    <App frames={frames} cols={size.cols} rows={size.rows} borders={borders} paint={paint} onFrame={timings ? (ms) => timings.build.push(ms) : undefined} />
  );
}

export async function runTui(scenario: Scenario, opts: RunOptions = {}): Promise<number> {
  const engine = new Engine(scenario, { seed: opts.seed });
  return runSession(new ReplaySession(engine, { speed: opts.speed }), opts);
}

/** The terminal UI on a screen source (a replay, or a live run's session); resolves to the exit code when it is closed. */
export async function runSession(session: ScreenSource, opts: RunOptions = {}): Promise<number> {
  const frames = new FrameContext(session, colorWanted());
  frames.mouse = opts.mouse ?? true;
  const io = { stdout: opts.stdout ?? process.stdout, stdin: opts.stdin ?? process.stdin, stderr: opts.stderr ?? process.stderr };
  await fullScreen({ ...io, session, mouse: frames.mouse, external: true, stopOnSignal: opts.stopOnSignal, measure: true }, (screen, timings) => (
    <Root frames={frames} screen={screen} noBorders={opts.noBorders} timings={timings} />
  ));
  return 0;
}
