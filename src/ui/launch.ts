/**
 * Entry point of the terminal UI (loaded by the CLI only when stdin and stdout are terminals).
 * The CLI has resolved and loaded the scenario (and checked the options) before the screen is
 * touched, so a bad file prints its one-line message on the normal screen and exits 2.
 */
import type { Scenario } from '../core/model.js';
import { forgetCi } from './terminal/ci.js';

export interface LaunchOptions {
  seed?: number;
  speed?: number;
  /** Mouse reports (default true). */
  mouse?: boolean;
}

/** Open the terminal UI on a loaded scenario; resolves to the exit code. */
export async function launchTui(scenario: Scenario, opts: LaunchOptions = {}): Promise<number> {
  forgetCi(process.env);
  const { runTui } = await import('./run.js');
  return runTui(scenario, opts);
}
