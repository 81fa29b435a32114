/**
 * The import, export and live commands (registered in src/cli/main.ts):
 * - `deconflict import FILE... [-o FILE] [--force]` writes a starter scenario;
 * - `deconflict run SCENARIO --export geojson|kml|cot [--export-out FILE | --udp HOST:PORT]`;
 * - `deconflict live SCENARIO [--clock wall|feed] [--input FILE] [--cot-in PORT] [--cot-out HOST:PORT] [--json|--headless]`
 *   (in the terminal UI when standard input and output are terminals).
 * Each returns its exit code; bad scenario or data files throw ScenarioError (exit 2).
 */
import { terminalLine } from '../core/text/safe.js';
import { dirname, resolve } from 'node:path';
import { Engine } from '../core/engine.js';
import { ScenarioError } from '../core/errors.js';
import { eventToNdjson, formatTimelineLine } from '../core/events.js';
import { RUNG_LABEL } from '../core/ladder.js';
import { loadScenario, parseScenario } from '../core/load.js';
import type { Scenario } from '../core/model.js';
import { formatTime, parseDuration, parseTime } from '../core/units.js';
import type { ExportInput } from './common.js';
import { cotAlert, cotUnitReport, CotUdpSender, parseHostPort, toCot, toCotText } from './export-cot.js';
import { toGeoJsonText } from './export-geojson.js';
import { toKml } from './export-kml.js';
import { isMulticast, parseDisIn } from './dis/input.js';
import { LiveRun, type LiveClock } from './live.js';
import { LiveFeed, type LiveFrontEnd } from './live-feed.js';
import { readGeoFile } from './read.js';
import { printable, TRACK_FORMATS, type TrackFormat } from './source.js';
import { refPath, starterScenario } from './starter.js';
import { checkTarget, writeWhole } from './write-file.js';

import { EXPORT_FORMATS, type ExportFormat } from './formats.js';
import { maxOf } from '../core/extent.js';

export { EXPORT_FORMATS, type ExportFormat };

export interface IoStreams {
  write: (s: string) => void;
  error: (s: string) => void;
}

const BAD = 2;

/** One line on standard error (whatever a file's name holds), exit 2. */
function fail(io: IoStreams, msg: string): number {
  io.error(`deconflict: ${terminalLine(msg)}\n`);
  return BAD;
}

/** Write a whole file (never half of one), never overwriting without force. Returns an error message or undefined. */
const writeNew = writeWhole;

/** The text of an export. */
export function exportText(input: ExportInput, format: ExportFormat, cotIntervalMs?: number): string {
  if (format === 'geojson') return toGeoJsonText(input);
  if (format === 'kml') return toKml(input);
  return toCotText(input, { intervalMs: cotIntervalMs });
}

// ------------------------------------------------------------------ import

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

export function importCommand(files: string[], o: ImportOptions, io: IoStreams): number {
  if (o.format !== undefined && !(TRACK_FORMATS as readonly string[]).includes(o.format)) return fail(io, `--format: '${o.format}' is not one of ${TRACK_FORMATS.join(', ')}`);
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
    text = starterScenario(inputs, { title: o.title, side, starts: o.starts, speed: o.speed, note: (m) => io.error(`deconflict: note: ${printable(m)}\n`) });
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    return fail(io, (e as Error).message);
  }
  // The starter must load as it is; check it against the files before writing it.
  parseScenario(text, o.output ?? 'scenario.yaml', { baseDir: dir, allowFilesOutside: true });
  const outside = inputs.filter((i) => i.ref.startsWith('../') || i.ref.startsWith('/'));
  if (outside.length) {
    io.error(`deconflict: note: ${terminalLine(outside.map((i) => i.data.file).join(', '))} ${outside.length === 1 ? 'lies' : 'lie'} outside the scenario's folder: the scenario loads only with --allow-outside-files (better: write it next to its data)\n`);
  }
  if (!o.output) {
    io.write(text);
    return 0;
  }
  const err = writeNew(o.output, text, !!o.force);
  if (err) return fail(io, err);
  const sc = parseScenario(text, o.output, { baseDir: dir, allowFilesOutside: true });
  io.error(`Starter scenario written to ${terminalLine(o.output)}: ${sc.units.length} unit${sc.units.length === 1 ? '' : 's'}, ${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'}, ${sc.sites.length} site${sc.sites.length === 1 ? '' : 's'}; edit its TODOs, then: deconflict run ${o.output}\n`);
  return 0;
}

// ------------------------------------------------------------------ run --export

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
  if (o.cotInterval !== undefined && !(parseDuration(o.cotInterval)! >= 1000)) return `--cot-interval: '${o.cotInterval}' is not a duration of a second or more (e.g. 30s)`;
  if (o.exportOut !== undefined) return checkTarget(o.exportOut, !!o.force);
  return undefined;
}

/**
 * `run --export`: run the scenario and write its export to standard output, to --export-out, or
 * (CoT) over UDP. With --export-out or --udp, `timeline` prints the usual timeline first.
 */
export async function exportCommand(scenarioPath: string, scenarioName: string, o: ExportOptions, io: IoStreams, timeline?: () => Promise<number> | number): Promise<number> {
  const problem = checkExportOptions(o);
  if (problem) return fail(io, problem);
  const format = o.export as ExportFormat;
  const sc = loadScenario(scenarioPath, { displayName: scenarioName, allowFilesOutside: o.allowOutsideFiles });
  let until: number | undefined;
  if (o.until !== undefined) {
    until = parseTime(o.until, sc.start);
    if (until === undefined) return fail(io, `--until: '${o.until}' is not a time (e.g. 2017-05-18T09:00:00Z or +2h)`);
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
  const err = writeNew(o.exportOut, text, !!o.force);
  if (err) return fail(io, err);
  io.error(`${format === 'cot' ? 'CoT' : format === 'kml' ? 'KML' : 'GeoJSON'} export written to ${terminalLine(o.exportOut)}\n`);
  return 0;
}

// ------------------------------------------------------------------ live

export interface LiveCliOptions {
  clock?: string;
  tick?: string;
  json?: boolean;
  headless?: boolean;
  seed?: number;
  input?: string;
  cotIn?: string;
  cotOut?: string;
  disIn?: string;
  disGroup?: string;
  export?: string;
  exportOut?: string;
  force?: boolean;
  allowOutsideFiles?: boolean;
  /** Mouse reports in the terminal UI (commander: false with --no-mouse). */
  mouse?: boolean;
}

export interface LiveIo extends IoStreams {
  stdin: NodeJS.ReadableStream;
  /** Resolves when the user asks to stop (SIGINT/SIGTERM). */
  stopSignal?: Promise<void>;
  /** Standard input and output are terminals: the run is shown in the terminal UI (unless --json or --headless). */
  tty?: boolean;
}

/**
 * `deconflict live`: positions from standard input or a followed file (NDJSON) and/or CoT over
 * UDP; events out as they happen, as a timeline (or NDJSON) or in the terminal UI.
 */
export async function liveCommand(scenarioPath: string, scenarioName: string, o: LiveCliOptions, io: LiveIo): Promise<number> {
  const clock = (o.clock ?? 'wall') as LiveClock;
  if (clock !== 'wall' && clock !== 'feed') return fail(io, `--clock: '${o.clock}' is not wall or feed`);
  const tick = o.tick !== undefined ? parseDuration(o.tick) : undefined;
  if (o.tick !== undefined && !(tick! >= 1)) return fail(io, `--tick: '${o.tick}' is not a duration (e.g. 1s or 250ms)`);
  let cotInPort: number | undefined;
  if (o.cotIn !== undefined) {
    if (!/^\d+$/.test(o.cotIn) || Number(o.cotIn) > 65535) return fail(io, `--cot-in: '${o.cotIn}' is not a port (0 picks a free one)`);
    cotInPort = Number(o.cotIn);
  }
  const disIn = o.disIn !== undefined ? parseDisIn(o.disIn) : undefined;
  if (o.disIn !== undefined && !disIn) return fail(io, `--dis-in: '${o.disIn}' is not a port or HOST:PORT (e.g. 3000 or 127.0.0.1:3000; 0 picks a free port)`);
  if (o.disGroup !== undefined && o.disIn === undefined) return fail(io, '--dis-group needs --dis-in PORT');
  if (o.disGroup !== undefined && !isMulticast(o.disGroup)) return fail(io, `--dis-group: '${o.disGroup}' is not a multicast address (224.0.0.0 to 239.255.255.255)`);
  const cotOut = o.cotOut !== undefined ? parseHostPort(o.cotOut) : undefined;
  if (o.cotOut !== undefined && !cotOut) return fail(io, `--cot-out: '${o.cotOut}' is not HOST:PORT or PORT (e.g. 127.0.0.1:4242)`);
  if (o.export !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(o.export)) return fail(io, `--export: '${o.export}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  if (o.export !== undefined && o.exportOut === undefined) return fail(io, '--export in a live run needs --export-out FILE (standard output carries the events)');
  if (o.exportOut !== undefined && o.export === undefined) return fail(io, '--export-out needs --export geojson|kml|cot');
  const exportTarget = o.exportOut !== undefined ? checkTarget(o.exportOut, !!o.force) : undefined;
  if (exportTarget) return fail(io, exportTarget);
  if (o.input !== undefined && o.input.trim() === '') return fail(io, '--input: give a file or named pipe to follow');
  const tui = !!io.tty && !o.json && !o.headless;
  if (tui && o.input === undefined && cotInPort === undefined && disIn === undefined) {
    return fail(io, 'live: in the terminal UI the keyboard is standard input, so positions come from --input FILE (a file or named pipe, followed as it grows), --cot-in PORT or --dis-in PORT; add --headless to type NDJSON lines here instead');
  }

  const sc = loadScenario(scenarioPath, { displayName: scenarioName, allowFilesOutside: o.allowOutsideFiles });
  const widths = { unit: maxOf(sc.units, (u) => u.id.length, 4), zone: maxOf(sc.zones, (z) => z.id.length, 4) };
  // Where the run shows: the timeline on standard output, or the terminal UI while it is open.
  const headless: LiveFrontEnd = {
    events: (b) => {
      let out = '';
      for (const e of b.events) out += o.json ? eventToNdjson(e) : `${formatTimelineLine(e, widths)}\n`;
      io.write(out);
    },
    warn: (m) => io.error(`${terminalLine(m)}\n`),
    notice: (m) => io.error(`deconflict live: ${terminalLine(m)}\n`),
  };
  let front = headless;
  const sender = cotOut ? new CotUdpSender(cotOut.host, cotOut.port) : undefined;
  let sendFailed = false;
  const send = (xml: string | undefined) => {
    if (!sender || !xml) return;
    sender.send(xml).catch((e: NodeJS.ErrnoException) => {
      if (!sendFailed) front.notice(`cannot send CoT to ${cotOut!.host}:${cotOut!.port} (${e.code ?? e.message})`);
      sendFailed = true;
    });
  };
  const live: LiveRun = new LiveRun(sc, {
    clock,
    tick,
    seed: o.seed,
    warn: (m) => front.warn(m),
    onEvents: (b) => {
      for (const e of b.events) send(cotAlert(live.engine!.scenario, e));
      front.events(b);
    },
    onFix: (u, f, source) => {
      send(cotUnitReport(live.engine!.scenario, u, Math.max(f.t, live.engine!.time), f.lon, f.lat, { how: 'm-g' }));
      front.fix?.(u, f, source);
    },
    onTick: (b) => front.tick?.(b),
  });
  const feed = new LiveFeed(live, {
    clock,
    // In the terminal UI standard input is the keyboard.
    stream: o.input === undefined && !tui ? io.stdin : undefined,
    follow: o.input,
    cotIn: cotInPort,
    disIn: disIn ? { ...disIn, group: o.disGroup } : undefined,
    note: (m) => front.warn(m),
    onChange: () => front.redraw?.(),
  });

  // The terminal UI is loaded only when it is shown, so headless runs never load Ink.
  const ui = tui ? await import('../ui/live/launch.js') : undefined;
  const screen = ui?.liveScreen(live, feed, { clock, tick: tick ?? sc.tick, seed: o.seed, mouse: o.mouse });
  if (screen) front = screen.front;

  const info = (s: string) => (o.json ? io.error(s) : io.write(s));
  if (!screen) {
    const sources = [`${terminalLine(o.input ?? 'standard input')} (NDJSON)`, cotInPort !== undefined ? 'CoT over UDP' : undefined, disIn ? 'DIS Entity State PDUs over UDP' : undefined].filter(Boolean).join(' and ');
    info(`${terminalLine(sc.title)}\nlive: positions from ${sources}; ${clock === 'feed' ? "the fixes' times drive the clock" : 'real time'}, tick ${(tick ?? sc.tick) / 1000}s\n`);
    info(`zones: ${sc.zones.map((z) => z.id).join(', ')}; units: ${sc.units.map((u) => u.id).join(', ')}\n`);
  }
  const problem = await feed.open();
  if (problem) {
    sender?.close();
    return fail(io, problem);
  }
  if (!screen && live.engine) info(`window: ${formatTime(live.engine.scenario.start)} → ${formatTime(live.engine.scenario.end)}\n`);
  if (feed.port !== undefined) front.notice(`listening for CoT on udp 127.0.0.1:${feed.port}`);
  if (feed.disPort !== undefined && disIn) front.notice(`listening for DIS on udp ${disIn.host}:${feed.disPort}${o.disGroup ? `, group ${o.disGroup}` : ''}`);

  // A signal stops the run at once, even while it catches up (the summary and export follow).
  let stopping = false;
  void io.stopSignal?.then(() => (stopping = true));
  if (screen) {
    await screen.run();
    // The screen is closed: what the last fixes still bring is printed.
    front = headless;
  } else {
    const why = await Promise.race([feed.ended, ...(io.stopSignal ? [io.stopSignal.then(() => undefined)] : [])]);
    if (why === 'window' && clock === 'wall') front.notice("the run's window has ended");
    // The input has ended: the fixes still waiting for the clock are judged, a slice at a time.
    if (why !== undefined) await feed.drain(() => stopping);
  }
  feed.stop();
  if (live.busy && (stopping || screen)) {
    const n = live.abandon();
    front.notice(`stopped while catching up: ${n} fix${n === 1 ? '' : 'es'} received ${n === 1 ? 'was' : 'were'} never judged`);
  }
  live.finish();

  let code = 0;
  if (o.export !== undefined && o.exportOut !== undefined) {
    const engine = live.engine;
    if (engine) {
      const input: ExportInput = { scenario: { ...engine.scenario, end: Math.max(engine.scenario.start, engine.time) }, events: engine.events, tracks: live.receivedTracks() };
      const err = writeNew(o.exportOut, exportText(input, o.export as ExportFormat), !!o.force);
      if (err) {
        io.error(`deconflict: ${terminalLine(err)}\n`);
        code = BAD;
      } else {
        const thinned = live.stats.thinned ? ` (tracks thinned to at most ${live.keepPerUnit} fixes a unit: ${live.stats.thinned} older fixes not kept)` : '';
        io.error(`${o.export} export of the live run written to ${terminalLine(o.exportOut)}${thinned}\n`);
      }
    }
  }
  const s = live.stats;
  const lines = [`live run ended: ${s.lines} line${s.lines === 1 ? '' : 's'}${s.cotEvents ? ` and ${s.cotEvents} CoT event${s.cotEvents === 1 ? '' : 's'}` : ''} read, ${s.fixes} fix${s.fixes === 1 ? '' : 'es'} used, ${s.skipped} skipped${s.late ? `, ${s.late} late` : ''}${s.unjudged ? `, ${s.unjudged} never judged (stopped)` : ''}; ${live.events.length} event${live.events.length === 1 ? '' : 's'}`];
  if (live.engine) {
    for (let u = 0; u < sc.units.length; u++) {
      const r = live.engine.unitRung(u).rung;
      lines.push(`  ${sc.units[u].id.padEnd(widths.unit)}  ${live.received[u].length ? `now: ${r ? RUNG_LABEL[r] : 'none'}${live.engine.isStruck(u) ? ' (struck)' : ''}` : 'no position received'}`);
    }
  }
  const disSummary = feed.dis?.summary();
  if (disSummary) lines.push(`  ${disSummary}`);
  // After the terminal UI, the input problems it showed are kept on the normal screen too.
  if (screen) lines.push(...screen.afterwards());
  info(`\n${lines.join('\n')}\n`);
  // Let queued CoT datagrams go out before closing.
  if (sender) {
    await new Promise((r) => setTimeout(r, 50));
    sender.close();
  }
  return code;
}
