/**
 * Loading scenarios and MSELs from files, for Node: the file is read here (a regular file, within
 * the size limit), its `file:` references through the Node files port, and the core compiles it
 * (src/core/load.ts). The library's `loadScenario`, `loadMsel` and `parseScenario` are these.
 */
import { isAscii } from 'node:buffer';
import { dirname, resolve } from 'node:path';
import { MAX_FILE_BYTES, parseMsel, parseScenario as parseScenarioText, type Msel, type ParseOptions } from '../../core/load.js';
import type { Scenario } from '../../core/model.js';
import { readInput } from '../source.js';
import { nodeScenarioFiles } from './files.js';
// Provides the core's YAML libraries, loaded when first needed.
import './yaml.js';

export * from '../../core/load.js';

export interface LoadOptions {
  /** Name shown in messages (defaults to the path). */
  displayName?: string;
  /** Let track and zone files lie outside the scenario's folder (refused by default). */
  allowFilesOutside?: boolean;
}

/** Read and compile a scenario file. Throws ScenarioError (ScenarioErrors when there are several) for any problem with the file. */
export function loadScenario(path: string, opts: LoadOptions = {}): Scenario {
  return loadScenarioWithText(path, opts).scenario;
}

/**
 * The same, with the text it was read from (as readFileSync's UTF-8 would give it), made only if
 * asked for: the warnings' positions come from it, without reading the file again.
 */
export function loadScenarioWithText(path: string, opts: LoadOptions = {}): { scenario: Scenario; text: () => string } {
  const name = opts.displayName ?? path;
  const input = readInputFile(path, name, 'scenarios');
  const scenario = parseScenario(input, name, { baseDir: dirname(resolve(path)), allowFilesOutside: opts.allowFilesOutside });
  // The very string the loader read (the plain reader keeps its last reading for it), or the bytes decoded with any byte-order mark kept.
  const text = () => (typeof input === 'string' ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('utf8'));
  return { scenario, text };
}

/**
 * Compile a scenario from its text (YAML or JSON). Its `file:` references are read from the
 * disk, relative to `opts.baseDir` (default: the folder of `file`, unless it is `<scenario>`).
 */
export function parseScenario(input: string | Uint8Array, file = '<scenario>', opts: ParseOptions = {}): Scenario {
  return parseScenarioText(input, file, {
    files: nodeScenarioFiles,
    ...opts,
    baseDir: opts.baseDir ?? (file === '<scenario>' ? undefined : dirname(resolve(file))),
    displayDir: opts.displayDir ?? dirname(file),
  });
}

/** Read and compile a MSEL file against the scenario it is for. Throws ScenarioError for any problem with the file. */
export function loadMsel(path: string, scenario: Scenario, opts: LoadOptions = {}): Msel {
  const name = opts.displayName ?? path;
  return parseMsel(readInputFile(path, name, 'MSEL files'), scenario, name);
}

/**
 * The bytes of a scenario or MSEL file (a regular file, within the size limit), or a ScenarioError
 * naming it. A file all of ASCII and without NUL bytes comes as its text, read as Latin-1 (the
 * same text, without decoding UTF-8 byte by byte); anything else as bytes, which the core checks
 * (UTF-16, NUL bytes, invalid UTF-8) and decodes.
 */
function readInputFile(path: string, name: string, what: string): Uint8Array | string {
  const bytes = readBytes(path, name, what);
  return isAscii(bytes) && !bytes.includes(0) ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1') : bytes;
}

function readBytes(path: string, name: string, what: string): Uint8Array {
  return readInput(path, name, {
    limit: MAX_FILE_BYTES,
    over: (size) => ({
      message: `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit for ${what}`,
      hint: what === 'scenarios' ? 'put long recorded tracks in GPX, KML, GeoJSON or CSV files and refer to them with track: {file: ...}' : undefined,
    }),
  });
}
