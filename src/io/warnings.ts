/**
 * The semantic warnings of a scenario file (src/core/warnings), added to the loader's own
 * warnings so that validate, run and the terminal UI all show the same list once, at the start.
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../core/model.js';
import { scenarioSource, semanticWarnings, type SemanticWarning } from '../core/warnings/index.js';

/**
 * Add the semantic warnings of the scenario loaded from `path` (shown as `name`) to
 * `sc.warnings`, in file order after the loader's; returns the ones added.
 */
export function addSemanticWarnings(sc: Scenario, path: string, name: string): SemanticWarning[] {
  let found: SemanticWarning[];
  try {
    // The file is read and parsed again for the warnings' lines and columns only when there are warnings.
    found = semanticWarnings(sc, () => scenarioSource(readFileSync(path, 'utf8'), name));
  } catch {
    return [];
  }
  if (found.length) sc.warnings = [...(sc.warnings ?? []), ...found];
  return found;
}
