#!/usr/bin/env node
/**
 * Bundles the `deconflict` executable into dist/bin/ with esbuild (run by `npm run build`, after tsc).
 *
 * Why: Node 20 loads an ES module graph file by file. The unbundled CLI and Ink pull in hundreds of
 * files (es-toolkit/compat alone is ~180 ms), which kept the first frame of the terminal UI over a
 * second. One tree-shaken file per face starts in a fraction of that. The terminal UI stays in its
 * own chunk, loaded only when a screen opens, so headless runs never parse it.
 *
 * The bundle sits two folders below the package root, like dist/cli/main.js, so paths it resolves
 * from its own location (bundled scenarios, package.json, world-atlas) stay the same.
 *
 * BUNDLE_META=FILE writes esbuild's metafile (what each chunk holds) to FILE, to see what a
 * dependency costs.
 */
import { build } from 'esbuild';
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist', 'bin');
rmSync(outdir, { recursive: true, force: true });

const require = createRequire(import.meta.url);

// RxJS's package map sends Node to its CommonJS build, which cannot be tree-shaken; bundle its
// ES module build instead (the same code, ~40 of its ~340 kB used).
const rxjsEsm = {
  name: 'rxjs-esm',
  setup(b) {
    const dir = dirname(require.resolve('rxjs/package.json'));
    b.onResolve({ filter: /^rxjs$/ }, () => ({ path: join(dir, 'dist', 'esm', 'index.js') }));
  },
};

const result = await build({
  absWorkingDir: root,
  // The worker threads of `run --threads` (src/io/threads/run.ts finds it next to itself: a chunk here).
  entryPoints: { deconflict: 'src/cli/bin.ts', 'threads-worker': 'src/io/threads/threads-worker.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: 'chunk-[hash]',
  // React and Ink pick their production builds; Ink's DevTools bridge is loaded only when DEV=true
  // and is not a dependency, so it stays an import that is never reached.
  // __DECONFLICT_BUNDLED__: src/io/node/yaml.ts loads the YAML libraries from yaml-library.cjs (below).
  define: { 'process.env.NODE_ENV': '"production"', __DECONFLICT_BUNDLED__: 'true' },
  // ssh2 (`deconflict class` only) is loaded from node_modules when a class starts: its
  // Emscripten-built Poly1305 finds itself through __dirname, which an ES module bundle lacks.
  external: ['react-devtools-core', 'ssh2'],
  // CommonJS dependencies (react, react-reconciler, scheduler) call require() for Node built-ins.
  banner: { js: "import { createRequire as __deconflictRequire } from 'node:module';\nconst require = __deconflictRequire(import.meta.url);" },
  legalComments: 'linked',
  plugins: [rxjsEsm],
  logLevel: 'warning',
  metafile: Boolean(process.env.BUNDLE_META),
});
// The YAML libraries (`yaml` and js-yaml, ~360 kB) in one CommonJS file beside the bundle, which
// src/io/node/yaml.ts requires synchronously the first time the loader needs them (a file the
// plain reader cannot read, or a message that needs a position): loading scenarios is synchronous,
// and an ES module chunk cannot be loaded synchronously on Node 20. Every other run never parses them.
const yamlResult = await build({
  absWorkingDir: root,
  entryPoints: { 'yaml-library': 'src/io/node/yaml-library.ts' },
  outdir,
  outExtension: { '.js': '.cjs' },
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  legalComments: 'linked',
  logLevel: 'warning',
  metafile: Boolean(process.env.BUNDLE_META),
});
chmodSync(join(outdir, 'deconflict.js'), 0o755);
if (result.metafile)
  writeFileSync(process.env.BUNDLE_META, JSON.stringify({ ...result.metafile, outputs: { ...result.metafile.outputs, ...yamlResult.metafile.outputs } }));
