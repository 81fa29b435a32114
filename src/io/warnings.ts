/**
 * The semantic warnings of a scenario file (src/core/warnings), added to the loader's own
 * warnings so that validate, run and the terminal UI all show the same list once, at the start.
 */
import { readFileSync } from 'node:fs';
import type { Scenario } from '../core/model.js';
import { scenarioSource, semanticWarnings, type SemanticWarning } from '../core/warnings/index.js';

/**
 * Add the semantic warnings of the scenario loaded from `path` (shown as `name`) to
 * `sc.warnings`, in file order after the loader's; returns the ones added. `text`: the file's
 * text, when the caller has it (loadScenarioWithText).
 */
export function addSemanticWarnings(sc: Scenario, path: string, name: string, text: () => string = () => readFileSync(path, 'utf8')): SemanticWarning[] {
  let found: SemanticWarning[];
  try {
    // The text (by default the file read again; the loader's own text when it is given) is parsed for the warnings' lines and columns only when there are warnings.
    found = semanticWarnings(sc, () => scenarioSource(text(), name));
  } catch {
    return [];
  }
  if (found.length) sc.warnings = [...(sc.warnings ?? []), ...found];
  return found;
}
