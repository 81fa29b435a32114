/**
 * The YAML libraries the loader reads with, reached through a port. The plain reader
 * (./plain-yaml.ts) reads the files people write; the `yaml` library (the slow way, with
 * positions, for messages) and js-yaml (the fast way's fallback, and node starts for warnings)
 * are needed only when it cannot, or when something is wrong. Together they are about 360 kB of
 * code, so they are loaded on first use: src/io/node/yaml.ts provides them (core loads nothing
 * itself), and a run of a plain file never parses them.
 */
import type * as JsYaml from 'js-yaml';
import type * as Yaml from 'yaml';

export interface YamlLibraries {
  /** The `yaml` library (eemeli/yaml): the parser, composer and nodes with positions. */
  yaml: typeof Yaml;
  /** js-yaml: a fast reader without positions. */
  jsYaml: typeof JsYaml;
}

let provider: (() => YamlLibraries) | undefined;
let libraries: YamlLibraries | undefined;

/** Set how the libraries are loaded (called by src/io/node/yaml.ts when it is evaluated). */
export function provideYamlLibraries(load: () => YamlLibraries): void {
  provider = load;
}

/** The libraries, loaded the first time they are asked for. */
export function yamlLibraries(): YamlLibraries {
  if (libraries) return libraries;
  if (!provider) throw new Error('no YAML library was provided: load scenarios through src/io/node/load.ts (or import src/io/node/yaml.ts)');
  return (libraries = provider());
}
