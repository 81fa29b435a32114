/** The scenarios that ship with deconflict, in the package's scenarios/ folder. */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// This file sits two folders below the package root (src/io/, dist/io/), as the bundle does
// (dist/bin/): the folder is found the same way from each.
const here = dirname(fileURLToPath(import.meta.url));
/** The bundled scenarios folder (next to dist/ or src/). */
export const SCENARIOS_DIR = resolve(here, '..', '..', 'scenarios');
/** The scenario the command opens when none is named. */
export const DEFAULT_SCENARIO = 'tanf-2017-05-18';

/** The bundled scenarios: name (file name without extension) and path. */
export function bundledScenarios(): { name: string; path: string }[] {
  if (!existsSync(SCENARIOS_DIR)) return [];
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.(ya?ml|json)$/, ''), path: join(SCENARIOS_DIR, f) }));
}
