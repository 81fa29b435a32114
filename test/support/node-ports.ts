/**
 * Vitest setup: the Node side's ports that the core reaches through a provider, as the program's
 * io layer sets them up (the YAML libraries of the loader, src/io/node/yaml.ts), so that tests of
 * core modules alone read files the same way the program does.
 */
import '../../src/io/node/yaml.js';
