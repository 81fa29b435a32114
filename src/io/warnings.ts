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
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return [];
  }
  const found = semanticWarnings(sc, scenarioSource(text, name));
  if (found.length) sc.warnings = [...(sc.warnings ?? []), ...found];
  return found;
}
