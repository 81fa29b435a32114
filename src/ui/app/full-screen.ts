/**
 * A full-screen Ink app on the terminal: the alternate screen, Ink rendering into a screen
 * writer that updates only changed rows at a capped frame rate, and the terminal restored on
 * every way out (quit, ctrl-c, SIGTERM/SIGHUP/SIGINT, an uncaught error). The replay and live
 * UI (run.tsx) and the training UI (training/app.tsx) both run on it.
 */
import { render, type Instance } from 'ink';
import { writeFileSync } from 'node:fs';
import type { ReactElement } from 'react';
import { ScreenStream } from '../screen.js';
import { installFaultHooks, TerminalGuard } from '../terminal.js';
import { Timings } from './timings.js';

const FPS = 30;

export interface FullScreenOptions {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
  stderr: NodeJS.WriteStream;
  /** What runs behind the screen, disposed of on the way out. */
  session: { dispose(): void };
  /** Have the terminal report the mouse. */
  mouse?: boolean;
  /** The app draws its rows on the screen writer itself (`screen.draw`), and Ink's frames are ignored. */
  external?: boolean;
  /** SIGINT and SIGTERM end the app as its own quit does (the promise resolves) instead of exiting at once. */
  stopOnSignal?: boolean;
  /** Last words before exiting on a signal or a crash. */
  beforeExit?: () => void;
  /** Keep timings when DECONFLICT_TIMINGS names a file (written as JSON on exit). */
  measure?: boolean;
}

/** Run `root` full screen; resolves when the app exits (or, with `stopOnSignal`, on SIGINT or SIGTERM). */
export async function fullScreen(o: FullScreenOptions, root: (screen: ScreenStream, timings: Timings | undefined) => ReactElement): Promise<void> {
  const guard = new TerminalGuard({ stdout: o.stdout, stdin: o.stdin }, { mouse: o.mouse });
  const screen = new ScreenStream(o.stdout, FPS);
  if (o.external) screen.external = true;
  const timingsFile = o.measure ? process.env.DECONFLICT_TIMINGS : undefined;
  const timings = timingsFile ? new Timings() : undefined;
  // performance.now() counts from the start of the process.
  if (timings) screen.onFirstFrame = () => (timings.firstFrame = performance.now());
  let instance: Instance | undefined;
  let stopRequested: () => void = () => {};
  const stopped = new Promise<void>((r) => (stopRequested = r));

  const cleanup = () => {
    o.session.dispose();
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
    stderr: o.stderr,
    beforeExit: o.beforeExit,
    intercept: (sig) => {
      if (o.stopOnSignal && (sig === 'SIGINT' || sig === 'SIGTERM')) {
        stopRequested();
        return true;
      }
      return false;
    },
  });

  guard.enter();
  try {
    // `debug` makes Ink hand each whole frame to the screen writer, which does the drawing.
    instance = render(root(screen, timings), {
      stdout: screen as unknown as NodeJS.WriteStream,
      stdin: o.stdin,
      stderr: o.stderr,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
      onRender: timings ? ({ renderTime }) => timings.ink.push(renderTime) : undefined,
    });
    await Promise.race([instance.waitUntilExit(), stopped]);
  } finally {
    cleanup();
    detach();
    if (timings && timingsFile) writeFileSync(timingsFile, `${JSON.stringify(timings.summary(screen), null, 2)}\n`);
  }
}
