/**
 * Exercise control: a master scenario events list (MSEL) in its own file runs against a
 * scenario in place of the scenario's own injects, so one scenario serves several exercise
 * variants. The file format is the scenario's inject format (see docs/training.md).
 */
import { loadMsel, type LoadOptions, type Msel } from '../io/node/load.js';
import type { Scenario } from '../core/model.js';

export type { Msel };

/** The scenario with the MSEL's injects in place of its own (the scenario itself is not changed). */
export function applyMsel(scenario: Scenario, msel: Msel | undefined): Scenario {
  if (!msel) return scenario;
  return { ...scenario, injects: msel.injects };
}

/** Load a MSEL file for a scenario and apply it. Throws ScenarioError (file:line:column) for a bad file. */
export function withMsel(scenario: Scenario, path: string | undefined, opts: LoadOptions = {}): { scenario: Scenario; msel?: Msel } {
  if (path === undefined) return { scenario };
  const msel = loadMsel(path, scenario, opts);
  return { scenario: applyMsel(scenario, msel), msel };
}
