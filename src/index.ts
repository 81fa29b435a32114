/**
 * deconflict as a library:
 *
 * ```ts
 * import { loadScenario, simulate } from 'deconflict';
 * const events = simulate(loadScenario('scenarios/tanf-2017-05-18.yaml'));
 * ```
 */
export * from './core/index.js';
// Loading from files (and parsing text whose `file:` references are read from the disk) is Node's part.
export { loadScenario, loadMsel, parseScenario } from './io/node/load.js';
