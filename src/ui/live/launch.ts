/**
 * `deconflict live` in the terminal UI (loaded by src/cli/commands/live.ts only when standard input and
 * output are terminals): the same screen as a replay, on the live run's engine, with the
 * commands of the live mode. The caller has opened the inputs before the screen is touched (so
 * a port in use or a missing file is one line on the normal screen), and after the screen is
 * closed it finishes the run and prints its summary.
 */
import type { LiveFeed } from '../../io/live-feed.js';
import type { LiveClock, LiveRun } from '../../io/live.js';
import { forgetCi } from '../terminal/ci.js';
import { LiveSession } from './session.js';

export interface LiveScreenOptions {
  clock: LiveClock;
  /** Tick length, ms. */
  tick: number;
  seed?: number;
  /** Mouse reports (default true). */
  mouse?: boolean;
  /** Terminal streams (default: the process's). */
  stdout?: NodeJS.WriteStream;
  stdin?: NodeJS.ReadStream;
  stderr?: NodeJS.WriteStream;
}

export interface LiveScreen {
  /** The run's front end while the screen is open. */
  front: LiveSession;
  /** Open the screen; resolves when it is closed (q, ctrl-c, SIGINT or SIGTERM) to its exit code. */
  run(): Promise<number>;
  /** Lines for the normal screen afterwards (the input problems the screen showed). */
  afterwards(): string[];
}

export function liveScreen(live: LiveRun, feed: LiveFeed, o: LiveScreenOptions): LiveScreen {
  const session = new LiveSession(live, feed, { clock: o.clock, tick: o.tick, seed: o.seed });
  return {
    front: session,
    run: async () => {
      // Before Ink is loaded: it draws only the last frame when it believes it runs under CI.
      forgetCi(process.env);
      const { runSession } = await import('../run.js');
      return runSession(session, { stdout: o.stdout, stdin: o.stdin, stderr: o.stderr, stopOnSignal: true, mouse: o.mouse });
    },
    afterwards: () => session.afterwards(),
  };
}
