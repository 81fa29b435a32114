/**
 * The scenario argument of a command resolved to a file (a path, or the name of a bundled
 * scenario), and the package's version: what the command tree needs before any command runs.
 * Nothing here loads the scenario loader, so `--version` and `--help` never evaluate it
 * (./scenario-arg.ts loads scenarios).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundledScenarios, DEFAULT_SCENARIO, SCENARIOS_DIR } from '../io/bundled.js';

// This file sits two folders below the package root, as the bundle does (dist/bin/).
const here = dirname(fileURLToPath(import.meta.url));

/** The package's version (from package.json). */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(resolve(here, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** A path, or the name of a bundled scenario. */
export function resolveScenario(arg: string | undefined): string {
  if (arg === undefined) return join(SCENARIOS_DIR, `${DEFAULT_SCENARIO}.yaml`);
  if (existsSync(arg)) return arg;
  const b = bundledScenarios().find((s) => s.name === arg || basename(s.path) === arg);
  if (b) return b.path;
  return arg;
}

/** The file a scenario argument names, and the name to show for it in messages. */
export function scenarioArg(arg: string | undefined): { path: string; name: string } {
  const path = resolveScenario(arg);
  return { path, name: arg === undefined || !existsSync(arg) ? path.replace(`${process.cwd()}/`, '') : arg };
}
