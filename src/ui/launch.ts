/**
 * Entry point of the terminal UI (loaded by the CLI only when stdin and stdout are terminals).
 * The scenario is loaded before the screen is touched, so a bad file prints its one-line
 * message on the normal screen and exits 2.
 */
import { existsSync } from 'node:fs';
import { resolveScenario, UsageError } from '../cli/main.js';
import { loadScenario } from '../core/load.js';
import { addSemanticWarnings } from '../io/warnings.js';

export interface LaunchOptions {
  seed?: number;
  speed?: number;
  /** Mouse reports (default true). */
  mouse?: boolean;
}

/**
 * Ink renders only the last frame when it believes it runs under CI; the UI is opened only on
 * a real terminal, so CI markers inherited from the environment must not blank it.
 */
export function forgetCi(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
}

/** Open the live terminal UI on a scenario file or bundled name; resolves to the exit code. */
export async function launchTui(file: string | undefined, opts: LaunchOptions = {}): Promise<number> {
  const path = resolveScenario(file);
  const name = file === undefined || !existsSync(file) ? path.replace(`${process.cwd()}/`, '') : file;
  const scenario = loadScenario(path, { displayName: name });
  addSemanticWarnings(scenario, path, name);
  if (opts.speed !== undefined && !(Number.isFinite(opts.speed) && opts.speed > 0)) {
    throw new UsageError(`--speed: '${opts.speed}' is not a positive number (simulated seconds per second, e.g. 60)`);
  }
  forgetCi(process.env);
  const { runTui } = await import('./run.js');
  return runTui(scenario, opts);
}
