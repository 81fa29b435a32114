/**
 * deconflict as a library:
 *
 * ```ts
 * import { loadScenario, simulate } from 'deconflict';
 * const events = simulate(loadScenario('scenarios/tanf-2017-05-18.yaml'));
 * ```
 */
export * from './core/index.js';
