/**
 * `deconflict run SCENARIO --export geojson|kml|cot [--export-out FILE | --udp HOST:PORT]`: run the
 * scenario and export it for other tools.
 */
import { Engine } from '../../core/engine.js';
import { loadScenario } from '../../io/node/load.js';
import type { Scenario } from '../../core/model.js';
import { terminalLine } from '../../core/text/safe.js';
import { parseDuration, parseTime } from '../../core/units.js';
import type { ExportInput } from '../../io/common.js';
import { CotUdpSender, parseHostPort, toCot, toCotText } from '../../io/export-cot.js';
import { toGeoJsonText } from '../../io/export-geojson.js';
import { toKml } from '../../io/export-kml.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../io/formats.js';
import { checkTarget, writeWhole } from '../../io/write-file.js';
import { fail, type Io } from '../errors.js';
import { untilProblem } from '../options.js';

/** The text of an export. */
export function exportText(input: ExportInput, format: ExportFormat, cotIntervalMs?: number): string {
  if (format === 'geojson') return toGeoJsonText(input);
  if (format === 'kml') return toKml(input);
  return toCotText(input, { intervalMs: cotIntervalMs });
}

export interface ExportOptions {
  export?: string;
  exportOut?: string;
  udp?: string;
  force?: boolean;
  seed?: number;
  until?: string;
  cotInterval?: string;
  allowOutsideFiles?: boolean;
}

/** Check the export options before anything runs; returns an error message or undefined. */
export function checkExportOptions(o: ExportOptions): string | undefined {
  if (o.export === undefined) {
    if (o.exportOut !== undefined) return '--export-out needs --export geojson|kml|cot';
    if (o.udp !== undefined) return '--udp needs --export cot';
    if (o.cotInterval !== undefined) return '--cot-interval needs --export cot';
    return undefined;
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(o.export)) return `--export: '${o.export}' is not one of ${EXPORT_FORMATS.join(', ')}`;
  if (o.udp !== undefined && o.export !== 'cot') return '--udp sends CoT: use it with --export cot';
  if (o.udp !== undefined && o.exportOut !== undefined) return 'give --export-out or --udp, not both';
  if (o.udp !== undefined && !parseHostPort(o.udp)) return `--udp: '${o.udp}' is not HOST:PORT or PORT (e.g. 127.0.0.1:4242)`;
  if (o.cotInterval !== undefined && !(parseDuration(o.cotInterval)! >= 1000))
    return `--cot-interval: '${o.cotInterval}' is not a duration of a second or more (e.g. 30s)`;
  if (o.exportOut !== undefined) return checkTarget(o.exportOut, !!o.force);
  return undefined;
}

/**
 * `run --export`: run the scenario and write its export to standard output, to --export-out, or
 * (CoT) over UDP. With --export-out or --udp, `timeline` prints the usual timeline first.
 */
export async function exportCommand(
  scenarioPath: string,
  scenarioName: string,
  o: ExportOptions,
  io: Io,
  timeline?: () => Promise<number> | number,
): Promise<number> {
  const problem = checkExportOptions(o);
  if (problem) return fail(io, problem);
  const format = o.export as ExportFormat;
  const sc = loadScenario(scenarioPath, { displayName: scenarioName, allowFilesOutside: o.allowOutsideFiles });
  let until: number | undefined;
  if (o.until !== undefined) {
    until = parseTime(o.until, sc.start);
    if (until === undefined) return fail(io, untilProblem(o.until));
  }
  if (o.exportOut !== undefined || o.udp !== undefined) {
    const code = timeline ? await timeline() : 0;
    if (code !== 0) return code;
  }
  const engine = new Engine(sc, { seed: o.seed });
  if (until !== undefined) engine.runUntil(until);
  else engine.runToEnd();
  const window: Scenario = until !== undefined ? { ...sc, end: engine.time } : sc;
  const input: ExportInput = { scenario: window, events: engine.events, tracks: sc.units.map((_, u) => engine.trackOf(u)) };
  const interval = o.cotInterval !== undefined ? parseDuration(o.cotInterval) : undefined;
  if (o.udp !== undefined) {
    const hp = parseHostPort(o.udp)!;
    const xmls = toCot(input, { intervalMs: interval });
    const tx = new CotUdpSender(hp.host, hp.port);
    try {
      await tx.sendAll(xmls);
    } catch (e) {
      return fail(io, `cannot send CoT to ${hp.host}:${hp.port} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    } finally {
      tx.close();
    }
    io.error(`Sent ${xmls.length} CoT events to udp ${hp.host}:${hp.port}\n`);
    return 0;
  }
  const text = exportText(input, format, interval);
  if (o.exportOut === undefined) {
    io.write(text);
    return 0;
  }
  const err = writeWhole(o.exportOut, text, !!o.force);
  if (err) return fail(io, err);
  io.error(`${format === 'cot' ? 'CoT' : format === 'kml' ? 'KML' : 'GeoJSON'} export written to ${terminalLine(o.exportOut)}\n`);
  return 0;
}
