/** The loader's files port (src/core/scenario/files.ts) for Node: the disk, and the readers of GPX, KML, GeoJSON and CSV. */
import { existsSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { ResolveContext, ResolvedFile, ScenarioFiles } from '../../core/scenario/files.js';
import { readGeoFile } from '../read.js';

/** Resolve a referenced path; refuse a missing file, a folder, or one outside the scenario's folder (unless allowed). */
function resolveRef(file: string, ctx: ResolveContext): ResolvedFile {
  const path = resolve(ctx.baseDir, file);
  const display = isAbsolute(file) ? file : join(ctx.displayDir, file);
  if (!existsSync(path)) throw ctx.fail(['file'], `no such file '${file}'`, `looked for ${display}; paths are relative to the scenario's folder`);
  if (statSync(path).isDirectory()) throw ctx.fail(['file'], `'${file}' is a folder, not a file`);
  const real = realpathSync(path);
  if (!ctx.allowOutside) {
    const base = realpathSync(ctx.baseDir);
    const rel = relative(base, real);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
      throw ctx.fail(
        ['file'],
        `'${file}' leads outside the scenario's folder`,
        "keep track and zone files in the scenario's folder or below it, or allow it with --allow-outside-files",
      );
    }
  }
  return { path, display, real };
}

export const nodeScenarioFiles: ScenarioFiles = {
  resolve: resolveRef,
  readGeo: (path, o) => readGeoFile(path, o),
};
