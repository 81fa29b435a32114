/**
 * Provides the loader's YAML libraries (src/core/scenario/yaml-library.ts) to the core, loaded
 * synchronously the first time they are needed. In the bundled executable they are one prebuilt
 * CommonJS file next to it (dist/bin/yaml-library.cjs, from ./yaml-library.ts); run from the
 * sources or from tsc's output, the packages themselves. Either way a scenario that the plain
 * reader reads, and that has nothing wrong, never loads them.
 */
import { createRequire } from 'node:module';
import type * as JsYaml from 'js-yaml';
import type * as Yaml from 'yaml';
import { provideYamlLibraries, type YamlLibraries } from '../../core/scenario/yaml-library.js';

/** Set to true by scripts/bundle.mjs in the bundled executable. */
declare const __DECONFLICT_BUNDLED__: boolean | undefined;

const load = createRequire(import.meta.url);

/** The libraries, from the bundled file or the packages. */
export function loadYamlLibraries(): YamlLibraries {
  if (typeof __DECONFLICT_BUNDLED__ !== 'undefined' && __DECONFLICT_BUNDLED__) return load('./yaml-library.cjs') as YamlLibraries;
  return { yaml: load('yaml') as typeof Yaml, jsYaml: load('js-yaml') as typeof JsYaml };
}

provideYamlLibraries(loadYamlLibraries);
