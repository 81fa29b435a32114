/**
 * The entry of dist/bin/yaml-library.cjs (scripts/bundle.mjs): the `yaml` and js-yaml libraries
 * in one CommonJS file, which the bundled executable requires synchronously the first time a
 * scenario needs them (./yaml.ts). Nothing else imports this file.
 */
import * as jsYaml from 'js-yaml';
import * as yaml from 'yaml';

export { jsYaml, yaml };
