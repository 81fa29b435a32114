#!/usr/bin/env node
/**
 * The deconflict command. Exit codes: 0 ok, 1 expectations failed, 2 bad input, 3 internal fault.
 */
import { Command, CommanderError, Option } from 'commander';
import { lastValueFrom, tap } from 'rxjs';
import { closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, realpathSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine, type TickBatch } from '../core/engine.js';
import { problemsOf, ScenarioError } from '../core/errors.js';
import { eventToNdjson, formatTimelineLine, type SimEvent } from '../core/events.js';
import { checkExpectations } from '../core/expect.js';
import { RUNG_LABEL, rungLevel } from '../core/ladder.js';
import { loadScenario } from '../core/load.js';
import type { Rung, Scenario } from '../core/model.js';
import { scenarioJsonSchema } from '../core/schema.js';
// The import, export, live, training and report commands load their modules when they run, so
// the common paths (the terminal UI, run, validate) do not parse XML, CSV or report code.
import type { ReportOptions } from '../report/cli.js';
import type { TrainOptions } from '../training/cli.js';
import type { ExportOptions, ImportOptions, LiveCliOptions } from '../io/cli.js';
import { EXPORT_FORMATS } from '../io/formats.js';
import { fastClock, run$ } from '../core/stream.js';
import { addSemanticWarnings } from '../io/warnings.js';
import { formatDistance, formatTime, parseTime } from '../core/units.js';
import { terminalLine, terminalText } from '../core/text/safe.js';
import { writeProblem } from '../io/write-file.js';
import { maxOf } from '../core/extent.js';

export const EXIT = { OK: 0, EXPECTATIONS: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;

const here = dirname(fileURLToPath(import.meta.url));
/** The bundled scenarios folder (next to dist/ or src/). */
export const SCENARIOS_DIR = resolve(here, '..', '..', 'scenarios');
export const DEFAULT_SCENARIO = 'tanf-2017-05-18';

/** A usage problem: printed as one line, exit 2. */
export class UsageError extends Error {}

/** Standard output as every command writes it: control characters from outside escaped, line breaks kept. */
export const writeOut = (s: string): void => {
  process.stdout.write(terminalText(s));
};

/**
 * Standard error as every command writes it: text from outside (a file's name, a scenario's
 * names) is shown with its control characters escaped (src/core/text/safe.ts).
 */
export const writeErr = (s: string): void => {
  process.stderr.write(terminalText(s));
};

function version(): string {
  try {
    return JSON.parse(readFileSync(resolve(here, '..', '..', 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

/** The bundled scenarios: name (file name without extension) and path. */
export function bundledScenarios(): { name: string; path: string }[] {
  if (!existsSync(SCENARIOS_DIR)) return [];
  return readdirSync(SCENARIOS_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => ({ name: f.replace(/\.(ya?ml|json)$/, ''), path: join(SCENARIOS_DIR, f) }));
}

/** A path, or the name of a bundled scenario. */
export function resolveScenario(arg: string | undefined): string {
  if (arg === undefined) return join(SCENARIOS_DIR, `${DEFAULT_SCENARIO}.yaml`);
  if (existsSync(arg)) return arg;
  const b = bundledScenarios().find((s) => s.name === arg || basename(s.path) === arg);
  if (b) return b.path;
  return arg;
}

/** The file a scenario argument names, and the name to show for it in messages. */
export function scenarioArg(arg: string | undefined): { path: string; name: string } {
  const path = resolveScenario(arg);
  return { path, name: arg === undefined || !existsSync(arg) ? path.replace(`${process.cwd()}/`, '') : arg };
}

/** How many warnings a run, train or check shows before it sums up the rest (validate shows them all). */
export const WARNINGS_SHOWN = 20;

function load(arg: string | undefined, allowFilesOutside?: boolean, allWarnings = false): Scenario {
  const { path, name } = scenarioArg(arg);
  const sc = loadScenario(path, { displayName: name, allowFilesOutside });
  // What cannot be meant (a side no zone applies to, a [lat, lon] position...) is warned of too.
  addSemanticWarnings(sc, path, name);
  // What the loader changed (recorded fixes sorted, gaps held) is said before anything runs. A
  // generated file of 10,000 units can have thousands: past a screenful they are counted, not
  // printed, and `validate` is named as the place that lists every one.
  const ws = sc.warnings ?? [];
  const shown = allWarnings ? ws.length : Math.min(ws.length, WARNINGS_SHOWN);
  for (let i = 0; i < shown; i++) writeErr(`${terminalLine(ws[i].message)}\n`);
  if (shown < ws.length) {
    const more = ws.length - shown;
    writeErr(`${terminalLine(name)}: ${more.toLocaleString('en')} more warning${more === 1 ? '' : 's'} not shown (${ws.length.toLocaleString('en')} in all); \`deconflict validate ${terminalLine(name)}\` lists them all\n`);
  }
  return sc;
}

function parseUntil(s: string | undefined, sc: Scenario): number | undefined {
  if (s === undefined) return undefined;
  const t = parseTime(s, sc.start);
  if (t === undefined) throw new UsageError(`--until: '${s}' is not a time (e.g. 2017-05-18T09:00:00Z or +2h)`);
  return t;
}

/** Writes NDJSON to a file as the run goes, flushing after each tick; refuses to overwrite without force. */
/** The page size writes of --out keep inside where they can (see EventFile.write). */
const PAGE = 4096;

export class EventFile {
  private fd: number;
  constructor(
    private readonly path: string,
    force: boolean,
  ) {
    if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`cannot write ${path} (it is a folder)`);
    if (existsSync(path) && !force) throw new UsageError(`${path} exists; pass --force to overwrite it`);
    try {
      this.fd = openSync(path, force ? 'w' : 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${path} exists; pass --force to overwrite it`);
      throw new UsageError(`cannot write ${path} (${code === 'EISDIR' ? 'it is a folder' : code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code})`);
    }
  }
  /** Bytes written so far (the file starts empty). */
  private size = 0;

  /**
   * One tick's events as whole lines, then fsync, so that a killed run leaves the lines written
   * before. Lines go out in writes that stay inside one 4 KiB page of the file where they can:
   * Linux cuts a write short between pages when a kill arrives during it, never inside a page,
   * so only a line that itself spans two pages can be cut, and then only while it is copied.
   */
  write(events: readonly SimEvent[]): void {
    this.writeLines(events.map(eventToNdjson));
  }

  /** The same for NDJSON lines already made (each with its newline). */
  writeLines(lines: readonly string[]): void {
    if (!lines.length) return;
    const bytes = Buffer.from(lines.join(''));
    const ends: number[] = [];
    let end = 0;
    for (const l of lines) ends.push((end += Buffer.byteLength(l)));
    let start = 0;
    let k = 0;
    while (start < bytes.length) {
      const page = Math.floor((this.size + start) / PAGE);
      // The last line end still in the page where this write starts (at least one line).
      let stop = ends[k++];
      while (k < ends.length && Math.floor((this.size + ends[k] - 1) / PAGE) === page) stop = ends[k++];
      try {
        for (let off = start; off < stop; ) off += writeSync(this.fd, bytes, off, stop - off);
      } catch (e) {
        // A full disk or a device that refuses: one line naming the file, exit 2.
        throw new UsageError(`cannot write ${this.path} (${writeProblem(e)})`);
      }
      start = stop;
    }
    this.size += bytes.length;
    try {
      fsyncSync(this.fd);
    } catch (e) {
      // A device (e.g. /dev/null, a pipe) cannot be synced: nothing is lost by that.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EROFS') throw new UsageError(`cannot write ${this.path} (${writeProblem(e)})`);
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}

function header(sc: Scenario): string {
  const zones = sc.zones.map((z) => `${z.id} (${z.type}${z.radius ? ` ${formatDistance(z.radius)}` : ''})`).join(', ');
  return [
    terminalLine(sc.title),
    `${formatTime(sc.start)} → ${formatTime(sc.end)}, tick ${sc.tick / 1000}s, seed ${sc.seed}`,
    `zones: ${zones}`,
    `units: ${sc.units.map((u) => u.id).join(', ')}`,
    '',
  ].join('\n');
}

/** The outcome: each unit's highest rung (from the escalations, noted as they go out), its rung now, and whether it was struck. */
function summary(sc: Scenario, highest: Map<string, Rung>, rungNow: (u: number) => Rung | null, struck: (u: number) => boolean): string {
  const lines = ['', 'Outcome:'];
  for (let u = 0; u < sc.units.length; u++) {
    const top = highest.get(sc.units[u].id);
    const r = rungNow(u);
    lines.push(`  ${sc.units[u].id.padEnd(16)} highest rung: ${top ? RUNG_LABEL[top] : 'none'}${struck(u) ? ' (struck)' : `; now: ${r ? RUNG_LABEL[r] : 'none'}`}`);
  }
  return lines.join('\n');
}

/** Notes the highest rung each unit reached, from escalations. */
function noteHighest(highest: Map<string, Rung>, events: readonly SimEvent[]): void {
  for (const e of events) {
    if (e.type !== 'escalate' || !e.unit || !e.rung) continue;
    if (rungLevel(e.rung) > rungLevel(highest.get(e.unit))) highest.set(e.unit, e.rung);
  }
}

export interface RunOptions extends ExportOptions {
  json?: boolean;
  until?: string;
  seed?: number;
  out?: string;
  force?: boolean;
  /** Threads to split the units over (src/io/threads/run.ts); 1: this one. */
  threads?: number;
}

/** The headless run: a readable timeline, or NDJSON, driven by the fast clock one tick batch at a time. */
export async function runHeadless(file: string | undefined, opts: RunOptions, write: (s: string) => void = writeOut): Promise<number> {
  const threads = opts.threads ?? 1;
  // The worker threads start first and load the scenario while this thread loads it.
  let split: import('../io/threads/run.js').SplitRun | undefined;
  if (threads > 1) {
    const { path, name } = scenarioArg(file);
    const { SplitRun } = await import('../io/threads/run.js');
    split = new SplitRun({ kind: 'file', path, displayName: name, allowFilesOutside: opts.allowOutsideFiles }, threads);
  }
  try {
    return await runLoaded(file, opts, write, split);
  } finally {
    await split?.terminate();
  }
}

async function runLoaded(file: string | undefined, opts: RunOptions, write: (s: string) => void, split: import('../io/threads/run.js').SplitRun | undefined): Promise<number> {
  const sc = load(file, opts.allowOutsideFiles);
  const until = parseUntil(opts.until, sc);
  // A headless run never goes back, and writes events as they come: no checkpoints for seeking, no events kept.
  const engine = split ? undefined : new Engine(sc, { seed: opts.seed, checkpointEvery: Infinity, keepEvents: false });
  const out = opts.out ? new EventFile(opts.out, !!opts.force) : undefined;
  const widths = {
    unit: maxOf(sc.units, (u) => u.id.length, 4),
    zone: maxOf(sc.zones, (z) => z.id.length, 4),
  };
  if (!opts.json) write(header(sc));
  const target = until === undefined ? ticksOf(sc) - 1 : tickAtOf(sc, until);
  const highest = new Map<string, Rung>();
  // Each event becomes text once (NDJSON shared by standard output and --out); output goes out in chunks of 64 kB.
  let buf = '';
  const onBatch = (b: TickBatch) => {
    if (!b.events.length) return;
    const evs = b.events;
    const lines = opts.json || out ? evs.map(eventToNdjson) : undefined;
    out?.writeLines(lines!);
    if (opts.json) buf += lines!.join('');
    else {
      noteHighest(highest, evs);
      for (let i = 0; i < evs.length; i++) buf += `${formatTimelineLine(evs[i], widths)}\n`;
    }
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  };
  try {
    if (split) {
      const end = await split.run(sc, { seed: opts.seed, lastTick: target }, onBatch);
      write(buf);
      if (!opts.json) write(`${summary(sc, highest, (u) => end.rungs[u], (u) => end.struck[u])}\n`);
      return EXIT.OK;
    }
    const eng = engine!;
    // With --out, each tick's lines are written (and synced) before the next tick is computed,
    // as docs/events.md promises; without it ticks are taken in chunks, which is faster.
    await lastValueFrom(run$(eng, fastClock(out ? 1 : 2000), target).pipe(tap(onBatch)), { defaultValue: undefined });
    write(buf);
    if (!opts.json) write(`${summary(sc, highest, (u) => eng.unitRung(u).rung, (u) => eng.isStruck(u))}\n`);
  } finally {
    out?.close();
  }
  return EXIT.OK;
}

/** Ticks of a run of sc, as the engine counts them (Engine.tickCount, known here before any engine is made). */
function ticksOf(sc: Scenario): number {
  const span = sc.end - sc.start;
  return Math.floor(span / sc.tick) + 1 + (span % sc.tick ? 1 : 0);
}

/** The last tick at or before time t, as Engine.tickAt gives it. */
function tickAtOf(sc: Scenario, t: number): number {
  if (t < sc.start) return -1;
  if (t >= sc.end) return ticksOf(sc) - 1;
  return Math.floor((t - sc.start) / sc.tick);
}

function cmdValidate(files: string[], write: (s: string) => void, allowOutsideFiles?: boolean, strict?: boolean): number {
  let bad = 0;
  let warned = 0;
  for (const f of files) {
    try {
      const sc = load(f, allowOutsideFiles, true);
      const nw = sc.warnings?.length ?? 0;
      warned += nw;
      write(`ok  ${terminalLine(f)}: ${terminalLine(sc.title)} (${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'}, ${sc.units.length} unit${sc.units.length === 1 ? '' : 's'}, ${sc.expectations.length} expectation${sc.expectations.length === 1 ? '' : 's'})${nw ? `, ${nw} warning${nw === 1 ? '' : 's'}` : ''}\n`);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      bad++;
      // Every problem in the file, in file order (run and check stop at the first).
      const files = new Map<string, number>();
      for (const p of problemsOf(e)) if (!files.has(p.file)) files.set(p.file, files.size);
      const all = [...problemsOf(e)].sort((a, b) => files.get(a.file)! - files.get(b.file)! || a.line - b.line || a.column - b.column);
      for (const p of all) writeErr(`${p.message}\n`);
    }
  }
  // --strict: a warning fails the check as an unmet expectation does (exit 1); bad input still wins.
  return bad ? EXIT.BAD_INPUT : strict && warned ? EXIT.EXPECTATIONS : EXIT.OK;
}

function cmdCheck(files: string[], write: (s: string) => void, seed?: number, allowOutsideFiles?: boolean): number {
  let failed = 0;
  let badInput = 0;
  for (const f of files) {
    let sc: Scenario;
    try {
      sc = load(f, allowOutsideFiles);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      badInput++;
      writeErr(`${e.message}\n`);
      continue;
    }
    const engine = new Engine(sc, { seed });
    engine.runToEnd();
    const results = checkExpectations(sc, engine.events);
    write(`${terminalLine(f)}: ${terminalLine(sc.title)}\n`);
    if (!results.length) write('  (no expectations)\n');
    for (const r of results) {
      write(`  ${r.passed ? 'PASS' : 'FAIL'}  ${terminalLine(r.expectation.text)}: ${terminalLine(r.detail)}\n`);
      if (!r.passed) failed++;
    }
  }
  const ran = files.length - badInput;
  const verdict = failed ? `${failed} expectation${failed === 1 ? '' : 's'} failed` : 'all expectations passed';
  write(`\n${verdict} in ${ran} scenario${ran === 1 ? '' : 's'}${badInput ? `; ${badInput} file${badInput === 1 ? '' : 's'} could not be read` : ''}\n`);
  if (badInput) return EXIT.BAD_INPUT;
  return failed ? EXIT.EXPECTATIONS : EXIT.OK;
}

function cmdList(write: (s: string) => void): number {
  const list = bundledScenarios();
  const w = list.reduce((m, s) => Math.max(m, s.name.length), 0);
  for (const s of list) {
    let title = '';
    try {
      title = loadScenario(s.path).title;
    } catch (e) {
      title = `(invalid: ${(e as Error).message})`;
    }
    write(`${s.name.padEnd(w)}  ${terminalLine(title)}${s.name === DEFAULT_SCENARIO ? '  [default]' : ''}\n`);
  }
  return EXIT.OK;
}

/** Hooks the terminal UI registers (kept out of this file so that headless runs never load Ink). */
export interface UiHooks {
  /** Open the live terminal UI on a scenario; resolves to the exit code. */
  tui?: (file: string | undefined, opts: { seed?: number; speed?: number; mouse?: boolean }) => Promise<number>;
  /** Open the scenario editor (`deconflict edit`); resolves to the exit code. */
  edit?: (file: string | undefined, opts: { template?: string; mouse?: boolean; at?: string }) => Promise<number>;
}

export function buildProgram(write: (s: string) => void, setCode: (c: number) => void, hooks: UiHooks = {}): Command {
  const program = new Command();
  program
    .name('deconflict')
    .description('Replay unit tracks against deconfliction zones and fire the escalation ladder, in the terminal or headless.')
    .version(version(), '-V, --version')
    .argument('[file]', `scenario file, or a bundled scenario name (default: ${DEFAULT_SCENARIO})`)
    .option('--seed <n>', 'random seed (overrides the scenario\'s)', (v) => seedArg(v))
    .option('--speed <x>', 'playback speed in the terminal UI (simulated seconds per second)', (v) => Number(v))
    .option('--headless', 'print the timeline instead of opening the terminal UI')
    .option('--no-mouse', 'leave the mouse to the terminal (to select text) instead of clicking and scrolling in the UI')
    // Options after a command's name are that command's own (`run FILE --seed 2`).
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr })
    .action(async (file: string | undefined, o: { seed?: number; speed?: number; headless?: boolean; mouse: boolean }) => {
      const tty = process.stdout.isTTY && process.stdin.isTTY;
      if (!o.headless && tty && hooks.tui) setCode(await hooks.tui(file, { seed: o.seed, speed: o.speed, mouse: o.mouse }));
      else setCode(await runHeadless(file, { seed: o.seed }, write));
    });

  program
    .command('run')
    .description('run a scenario headless and print its timeline (or NDJSON events)')
    .argument('[file]', 'scenario file or bundled scenario name')
    .option('--json', 'print one event per line (NDJSON)')
    .option('--until <time>', 'stop at this time (ISO 8601 UTC, or +2h after the start)')
    .option('--seed <n>', 'random seed (overrides the scenario\'s)', (v) => seedArg(v))
    .option('--out <file>', 'also write NDJSON events to this file as the run goes')
    .option('--force', 'allow --out (and --export-out) to overwrite an existing file')
    .option('--threads <n>', 'split the units over n threads (the same events as one thread; default 1)', (v) => threadsArg(v))
    .addOption(new Option('--export <format>', 'export the run for other tools: geojson (QGIS, kepler.gl, geojson.io), kml (Google Earth) or cot (ATAK/WinTAK); to standard output unless --export-out or --udp').choices([...EXPORT_FORMATS]))
    .option('--export-out <file>', 'write the export to this file (the timeline still prints)')
    .option('--udp <host:port>', 'with --export cot: send each CoT event as a UDP datagram (host defaults to 127.0.0.1)')
    .option('--cot-interval <duration>', 'with --export cot: time between unit position reports (default 1m)')
    .option('--allow-outside-files', "let the scenario's track and zone files lie outside its folder")
    .action(async (file: string | undefined, o: RunOptions) => {
      if (o.export === undefined && o.exportOut === undefined && o.udp === undefined && o.cotInterval === undefined) return setCode(await runHeadless(file, o, write));
      const { path, name } = scenarioArg(file);
      const { exportCommand } = await import('../io/cli.js');
      setCode(await exportCommand(path, name, o, { write, error: writeErr }, () => runHeadless(file, o, write)));
    });

  program
    .command('import')
    .description('write a starter scenario from GPX, KML, GeoJSON or CSV files (tracks become units, polygons and lines zones, points sites)')
    .argument('<files...>', 'track and zone files')
    .option('-o, --output <file>', 'write the scenario to this file (default: standard output); paths to the data are written relative to it')
    .option('--force', 'allow -o to overwrite an existing file')
    .option('--title <text>', "the scenario's title")
    .option('--side <side>', 'the side of the imported units (default: their side property, else "opposing"); SIDE=FILE for one file\'s units, e.g. --side own=patrol.gpx (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--format <format>', 'the format of the files (default: from their extension)')
    .option('--columns <map>', 'CSV column names, e.g. unit=Callsign,time=DTG,lat=Lat,lon=Lon')
    .option('--starts <time>', 'routes, lines and tracks without times become units setting off at this time (ISO 8601)')
    .option('--speed <speed>', 'their speed with --starts (default 30km/h)')
    .action(async (files: string[], o: ImportOptions) => {
      const { importCommand } = await import('../io/cli.js');
      setCode(importCommand(files, o, { write, error: writeErr }));
    });

  program
    .command('live')
    .description("run a scenario's zones and ladder on positions that arrive live (NDJSON lines on standard input or from --input FILE, and/or CoT over UDP on a loopback port), in the terminal UI when on a terminal")
    .argument('[file]', 'scenario file or bundled scenario name (its zones, sites, units and ladder; not its tracks)')
    .addOption(new Option('--clock <clock>', "wall: real time; feed: the fixes' own times drive the run (replays a recorded feed)").choices(['wall', 'feed']).default('wall'))
    .option('--tick <duration>', "tick length (default: the scenario's), e.g. 1s")
    .option('--json', 'print one event per line (NDJSON); implies --headless')
    .option('--headless', 'print the timeline instead of opening the terminal UI, even on a terminal')
    .option('--no-mouse', 'leave the mouse to the terminal (to select text) instead of clicking and scrolling in the UI')
    .option('--input <file>', 'read NDJSON positions from this file or named pipe, followed as it grows (instead of standard input)')
    .option('--seed <n>', "random seed (overrides the scenario's)", (v) => seedArg(v))
    .option('--cot-in <port>', 'also take CoT position reports on udp 127.0.0.1:PORT (0: any free port)')
    .option('--cot-out <host:port>', 'send unit positions and alerts as CoT over UDP (host defaults to 127.0.0.1)')
    .option('--dis-in <[host:]port>', 'also take DIS Entity State PDUs over UDP on PORT (every interface; HOST:PORT for one, e.g. 127.0.0.1:3000; 0: any free port)')
    .option('--dis-group <addr>', 'join this multicast group for --dis-in (e.g. 239.1.2.3)')
    .addOption(new Option('--export <format>', 'at the end, export the received tracks and events').choices([...EXPORT_FORMATS]))
    .option('--export-out <file>', 'the file for --export')
    .option('--force', 'allow --export-out to overwrite an existing file')
    .option('--allow-outside-files', "let the scenario's track and zone files lie outside its folder")
    .action(async (file: string | undefined, o: LiveCliOptions) => {
      const { path, name } = scenarioArg(file);
      const stopSignal = new Promise<void>((res) => {
        process.once('SIGINT', () => res());
        process.once('SIGTERM', () => res());
      });
      const tty = !!(process.stdout.isTTY && process.stdin.isTTY);
      const { liveCommand } = await import('../io/cli.js');
      setCode(await liveCommand(path, name, o, { write, error: writeErr, stdin: process.stdin, stopSignal, tty }));
    });

  program
    .command('validate')
    .description('check scenario files without running them')
    .argument('<files...>', 'scenario files')
    .option('--allow-outside-files', "let the scenarios' track and zone files lie outside their folders")
    .option('--strict', 'fail (exit 1) when a file has warnings')
    .action((files: string[], o: { allowOutsideFiles?: boolean; strict?: boolean }) => setCode(cmdValidate(files, write, o.allowOutsideFiles, o.strict)));

  program
    .command('edit')
    .description('edit a scenario on the map (a new file starts from a template); see docs/editor.md')
    .argument('[file]', 'the scenario file to edit or create (default: new-scenario.yaml)')
    .option('--template <name>', 'start a new file from a template: blank or tanf')
    .option('--at <lat,lon>', "where a new scenario's map looks first (default: the At Tanf garrison)")
    .option('--no-mouse', 'leave the mouse to the terminal instead of clicking on the map')
    .action(async (file: string | undefined, o: { template?: string; mouse: boolean; at?: string }) => {
      if (!hooks.edit) throw new UsageError('edit needs the terminal UI');
      setCode(await hooks.edit(file, o));
    });

  program
    .command('check')
    .description('run scenarios and report each expectation as passed or failed (exit 1 on a failure)')
    .argument('<files...>', 'scenario files or bundled names')
    .addOption(new Option('--seed <n>', 'random seed').argParser((v) => seedArg(v)))
    .option('--allow-outside-files', "let the scenarios' track and zone files lie outside their folders")
    .action((files: string[], o: { seed?: number; allowOutsideFiles?: boolean }) => setCode(cmdCheck(files, write, o.seed, o.allowOutsideFiles)));

  program
    .command('schema')
    .description('print the JSON Schema for scenario files')
    .action(() => {
      write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      setCode(EXIT.OK);
    });

  program
    .command('list')
    .description('list the bundled scenarios')
    .action(() => setCode(cmdList(write)));

  program
    .command('train')
    .description('decision mode: the run stops at every decision point for the student to choose the response, graded against doctrine (docs/training.md)')
    .argument('[file]', 'scenario file or bundled scenario name')
    .option('--msel <file>', "a MSEL file whose injects replace the scenario's")
    .option('--session <file>', 'record every decision to this NDJSON file (default: <scenario>-session.ndjson, never overwriting)')
    .option('--force', 'allow --session to overwrite an existing file')
    .option('--student <name>', "who takes the decisions, named in the session and the reports (default: the session file's name)")
    .option('--seed <n>', "random seed (overrides the scenario's)", (v) => seedArg(v))
    .option('--speed <x>', 'playback speed in the terminal UI (simulated seconds per second)', (v) => Number(v))
    .action(async (file: string | undefined, _o: TrainOptions, cmd: Command) => {
      // --seed and --speed are also options of the program itself, which may take them first.
      const o = cmd.optsWithGlobals<TrainOptions>();
      const { path, name } = scenarioArg(file);
      const tty = !!(process.stdout.isTTY && process.stdin.isTTY);
      const { trainCommand } = await import('../training/cli.js');
      setCode(await trainCommand(path, name, o, { write, error: writeErr, tty }));
    });

  program
    .command('report')
    .description('write the after-action report of a run, or of a training session (--session); Markdown, HTML with a map, or JSON')
    .argument('<file>', 'scenario file or bundled scenario name')
    .option('--session <file>', 'a session file from `deconflict train` (or a folder of them): report its decisions against doctrine; given more than once, or a folder, one class report of every session', (v: string, prev?: string | string[]) => (prev === undefined ? v : ([] as string[]).concat(prev, v)))
    .option('--msel <file>', "a MSEL file whose injects replace the scenario's (default with --session: the session's)")
    .option('--seed <n>', "random seed (overrides the scenario's)", (v) => seedArg(v))
    .addOption(new Option('--format <format>', 'md, html (self-contained, with a map) or json').choices(['md', 'html', 'json']).default('md'))
    .option('-o, --output <file>', 'write the report to this file (default: standard output)')
    .option('--force', 'allow -o to overwrite an existing file')
    .action(async (file: string, _o: ReportOptions, cmd: Command) => {
      const o = cmd.optsWithGlobals<ReportOptions>();
      const { path, name } = scenarioArg(file);
      const { reportCommand } = await import('../report/cli.js');
      setCode(reportCommand(path, name, o, { write, error: writeErr }));
    });

  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: write, writeErr }).showHelpAfterError();
  return program;
}

function threadsArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads: '${v}' is not a whole number from 1 to 64`);
  return n;
}

function seedArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--seed: '${v}' is not a whole number`);
  return n;
}

/** Run the CLI with arguments; returns the exit code. Never throws for user errors. */
export async function main(argv: string[], hooks: UiHooks = {}, write: (s: string) => void = writeOut): Promise<number> {
  let code: number = EXIT.OK;
  const program = buildProgram(write, (c) => (code = c), hooks);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return EXIT.OK;
      return EXIT.BAD_INPUT;
    }
    if (e instanceof ScenarioError) {
      writeErr(`${terminalLine(e.message)}\n`);
      return EXIT.BAD_INPUT;
    }
    if (e instanceof UsageError) {
      writeErr(`deconflict: ${terminalLine(e.message)}\n`);
      return EXIT.BAD_INPUT;
    }
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return EXIT.OK;
    writeErr(`deconflict: internal error: ${terminalLine(String((e as Error).message ?? e))}\n`);
    if (process.env.DECONFLICT_DEBUG) writeErr(`${(e as Error).stack}\n`);
    return EXIT.INTERNAL;
  }
}

let started = false;

/**
 * Runs the command line on this process's arguments and sets the exit code (once per process).
 * The terminal UI is loaded only when it is opened, so headless runs never pay for Ink.
 */
export function runCli(): void {
  if (started) return;
  started = true;
  // A reader that went away (`| head`) ends the run quietly; any other failure to write standard
  // output (a full disk) is one line and exit 2, never output lost with exit 0.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(EXIT.OK);
    writeErr(`deconflict: cannot write standard output (${writeProblem(e)})\n`);
    process.exit(EXIT.BAD_INPUT);
  });
  const hooks: UiHooks = {
    tui: async (file, o) => {
      const ui = await import('../ui/launch.js');
      return ui.launchTui(file, o);
    },
    edit: async (file, o) => {
      const ed = await import('../ui/editor/launch.js');
      return ed.launchEditor(file, o);
    },
  };
  main(process.argv.slice(2), hooks).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      writeErr(`deconflict: internal error: ${terminalLine(String((e as Error).message))}\n`);
      process.exitCode = EXIT.INTERNAL;
    },
  );
}

/** Whether this file is the program node was started with. */
function isEntryPoint(): boolean {
  if (!process.argv[1]) return false;
  try {
    return realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

// The executable is dist/bin/deconflict.js (src/cli/bin.ts, bundled). This file was the
// executable before, and links made then (an npx cache, an old global install) still start it.
if (isEntryPoint()) runCli();
