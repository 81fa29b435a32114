/** `deconflict import FILE... [-o FILE] [--force]`: writes a starter scenario from GPX, KML, GeoJSON or CSV files. */
import { dirname, resolve } from 'node:path';
import { ScenarioError } from '../../core/errors.js';
import { parseScenario } from '../../io/node/load.js';
import { terminalLine } from '../../core/text/safe.js';
import { readGeoFile } from '../../io/read.js';
import { TRACK_FORMATS, type TrackFormat } from '../../io/source.js';
import { refPath, starterScenario } from '../../io/starter.js';
import { checkTarget, writeWhole } from '../../io/write-file.js';
import { fail, type Io } from '../errors.js';

export interface ImportOptions {
  output?: string;
  force?: boolean;
  title?: string;
  format?: string;
  /** SIDE for every file, or SIDE=FILE for one (repeatable). */
  side?: string | string[];
  columns?: string;
  starts?: string;
  speed?: string;
}

/** Parse `unit=Callsign,time=DTG,lat=Breite,lon=Laenge`. */
export function parseColumns(s: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const m = /^\s*(unit|time|lat|lon)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) return undefined;
    out[m[1]] = m[2];
  }
  return out;
}

export function importCommand(files: string[], o: ImportOptions, io: Io): number {
  if (o.format !== undefined && !(TRACK_FORMATS as readonly string[]).includes(o.format))
    return fail(io, `--format: '${o.format}' is not one of ${TRACK_FORMATS.join(', ')}`);
  const columns = o.columns !== undefined ? parseColumns(o.columns) : undefined;
  if (o.columns !== undefined && !columns) return fail(io, `--columns: '${o.columns}' is not a list like unit=Callsign,time=DTG,lat=Lat,lon=Lon`);
  const target = o.output ? checkTarget(o.output, !!o.force) : undefined;
  if (target) return fail(io, target);
  if (o.speed !== undefined && o.starts === undefined) return fail(io, '--speed needs --starts TIME (when the untimed paths set off)');
  const dir = o.output ? dirname(resolve(o.output)) : process.cwd();
  // --side SIDE (every file) and --side SIDE=FILE (one file's units).
  let side: string | undefined;
  const fileSides = new Map<string, string>();
  for (const v of typeof o.side === 'string' ? [o.side] : (o.side ?? [])) {
    const eq = v.indexOf('=');
    if (eq < 0) side = v.trim();
    else {
      const f = v.slice(eq + 1).trim();
      if (!files.some((x) => resolve(x) === resolve(f))) return fail(io, `--side: '${f}' is not one of the files imported (${files.join(', ')})`);
      fileSides.set(resolve(f), v.slice(0, eq).trim());
    }
  }
  if ([side, ...fileSides.values()].some((x) => x === '')) return fail(io, '--side: give a side, e.g. --side own=patrol.gpx');
  const inputs = files.map((f) => {
    const data = readGeoFile(f, { format: o.format as TrackFormat | undefined, columns });
    return { data, ref: refPath(resolve(f), dir), columns, side: fileSides.get(resolve(f)) };
  });
  let text: string;
  try {
    text = starterScenario(inputs, { title: o.title, side, starts: o.starts, speed: o.speed, note: (m) => io.error(`deconflict: note: ${terminalLine(m)}\n`) });
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    return fail(io, (e as Error).message);
  }
  // The starter must load as it is; check it against the files before writing it.
  parseScenario(text, o.output ?? 'scenario.yaml', { baseDir: dir, allowFilesOutside: true });
  const outside = inputs.filter((i) => i.ref.startsWith('../') || i.ref.startsWith('/'));
  if (outside.length) {
    io.error(
      `deconflict: note: ${terminalLine(outside.map((i) => i.data.file).join(', '))} ${outside.length === 1 ? 'lies' : 'lie'} outside the scenario's folder: the scenario loads only with --allow-outside-files (better: write it next to its data)\n`,
    );
  }
  if (!o.output) {
    io.write(text);
    return 0;
  }
  const err = writeWhole(o.output, text, !!o.force);
  if (err) return fail(io, err);
  const sc = parseScenario(text, o.output, { baseDir: dir, allowFilesOutside: true });
  io.error(
    `Starter scenario written to ${terminalLine(o.output)}: ${sc.units.length} unit${sc.units.length === 1 ? '' : 's'}, ${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'}, ${sc.sites.length} site${sc.sites.length === 1 ? '' : 's'}; edit its TODOs, then: deconflict run ${o.output}\n`,
  );
  return 0;
}
