#!/usr/bin/env node
/**
 * The deconflict command: the commander tree and main(). Each command lives in ./commands/, and
 * those that are not on the common paths (import, export, live, train, report; the terminal UI
 * and the editor) are loaded when they run, so the terminal UI, run and validate do not parse
 * XML, CSV, report or Ink code they do not need.
 * Exit codes: 0 ok, 1 expectations failed, 2 bad input, 3 internal fault.
 */
import { Command, CommanderError, Option } from 'commander';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ScenarioError } from '../core/errors.js';
import type { Scenario } from '../core/model.js';
import { terminalLine } from '../core/text/safe.js';
import { EXPORT_FORMATS } from '../io/formats.js';
import { writeProblem } from '../io/write-file.js';
import type { ImportOptions } from './commands/import.js';
import type { LiveCliOptions } from './commands/live.js';
import type { ReportOptions } from './commands/report.js';
import type { RunOptions } from './commands/run.js';
import type { TrainOptions } from './commands/train.js';
import { EXIT, UsageError } from './errors.js';
import { allowOutsideOption, isPlayableSpeed, noMouseOption, seedArg, seedOption, threadsArg } from './options.js';
import { writeErr, writeOut } from './output.js';
import { DEFAULT_SCENARIO } from '../io/bundled.js';
import { scenarioArg, version } from './scenario-name.js';
import { addClassCommand } from './commands/class.js';

/** Hooks the terminal UI registers (kept out of this file so that headless runs never load Ink). */
export interface UiHooks {
  /** Open the live terminal UI on a scenario; resolves to the exit code. */
  tui?: (scenario: Scenario, opts: { seed?: number; speed?: number; mouse?: boolean }) => Promise<number>;
  /** Open the scenario editor (`deconflict edit`); resolves to the exit code. */
  edit?: (file: string | undefined, opts: { template?: string; mouse?: boolean; at?: string }) => Promise<number>;
}

/** `run` (the engine, RxJS and the timeline), loaded when a run starts: validate and the other commands never parse them. */
async function runHeadless(file: string | undefined, opts: RunOptions, write: (s: string) => void): Promise<number> {
  const run = await import('./commands/run.js');
  return run.runHeadless(file, opts, write);
}

/** validate, check and list, loaded when one of them runs. */
const checks = () => import('./commands/check.js');

export function buildProgram(write: (s: string) => void, setCode: (c: number) => void, hooks: UiHooks = {}): Command {
  const program = new Command();
  program
    .name('deconflict')
    .description('Replay unit tracks against deconfliction zones and fire the escalation ladder, in the terminal or headless.')
    .version(version(), '-V, --version')
    .argument('[file]', `scenario file, or a bundled scenario name (default: ${DEFAULT_SCENARIO})`)
    .addOption(seedOption())
    .option('--speed <x>', 'playback speed in the terminal UI (simulated seconds per second)', (v) => Number(v))
    .option('--headless', 'print the timeline instead of opening the terminal UI')
    .addOption(noMouseOption())
    // Options after a command's name are that command's own (`run FILE --seed 2`).
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: write, writeErr })
    .action(async (file: string | undefined, o: { seed?: number; speed?: number; headless?: boolean; mouse: boolean }) => {
      const tty = process.stdout.isTTY && process.stdin.isTTY;
      if (!o.headless && tty && hooks.tui) {
        // The scenario is loaded (and --speed checked) before the screen is touched: a bad file is one line on the normal screen.
        const scenario = (await import('./scenario-arg.js')).loadArg(file);
        if (o.speed !== undefined && !isPlayableSpeed(o.speed))
          throw new UsageError(`--speed: '${o.speed}' is not a positive number (simulated seconds per second, e.g. 60)`);
        setCode(await hooks.tui(scenario, { seed: o.seed, speed: o.speed, mouse: o.mouse }));
      } else setCode(await runHeadless(file, { seed: o.seed }, write));
    });

  program
    .command('run')
    .description('run a scenario headless and print its timeline (or NDJSON events)')
    .argument('[file]', 'scenario file or bundled scenario name')
    .option('--json', 'print one event per line (NDJSON)')
    .option('--until <time>', 'stop at this time (ISO 8601 UTC, or +2h after the start)')
    .addOption(seedOption())
    .option('--out <file>', 'also write NDJSON events to this file as the run goes')
    .option('--force', 'allow --out (and --export-out) to overwrite an existing file')
    .option('--threads <n>', 'split the units over n threads (the same events as one thread; default 1)', threadsArg)
    .addOption(
      new Option(
        '--export <format>',
        'export the run for other tools: geojson (QGIS, kepler.gl, geojson.io), kml (Google Earth) or cot (ATAK/WinTAK); to standard output unless --export-out or --udp',
      ).choices([...EXPORT_FORMATS]),
    )
    .option('--export-out <file>', 'write the export to this file (the timeline still prints)')
    .option('--udp <host:port>', 'with --export cot: send each CoT event as a UDP datagram (host defaults to 127.0.0.1)')
    .option('--cot-interval <duration>', 'with --export cot: time between unit position reports (default 1m)')
    .addOption(allowOutsideOption())
    .action(async (file: string | undefined, o: RunOptions) => {
      if (o.export === undefined && o.exportOut === undefined && o.udp === undefined && o.cotInterval === undefined)
        return setCode(await runHeadless(file, o, write));
      const { path, name } = scenarioArg(file);
      const { exportCommand } = await import('./commands/export.js');
      setCode(await exportCommand(path, name, o, { write, error: writeErr }, () => runHeadless(file, o, write)));
    });

  program
    .command('import')
    .description('write a starter scenario from GPX, KML, GeoJSON or CSV files (tracks become units, polygons and lines zones, points sites)')
    .argument('<files...>', 'track and zone files')
    .option('-o, --output <file>', 'write the scenario to this file (default: standard output); paths to the data are written relative to it')
    .option('--force', 'allow -o to overwrite an existing file')
    .option('--title <text>', "the scenario's title")
    .option(
      '--side <side>',
      'the side of the imported units (default: their side property, else "opposing"); SIDE=FILE for one file\'s units, e.g. --side own=patrol.gpx (repeatable)',
      (v: string, prev: string[] = []) => [...prev, v],
    )
    .option('--format <format>', 'the format of the files (default: from their extension)')
    .option('--columns <map>', 'CSV column names, e.g. unit=Callsign,time=DTG,lat=Lat,lon=Lon')
    .option('--starts <time>', 'routes, lines and tracks without times become units setting off at this time (ISO 8601)')
    .option('--speed <speed>', 'their speed with --starts (default 30km/h)')
    .action(async (files: string[], o: ImportOptions) => {
      const { importCommand } = await import('./commands/import.js');
      setCode(importCommand(files, o, { write, error: writeErr }));
    });

  program
    .command('live')
    .description(
      "run a scenario's zones and ladder on positions that arrive live (NDJSON lines on standard input or from --input FILE, and/or CoT over UDP on a loopback port), in the terminal UI when on a terminal",
    )
    .argument('[file]', 'scenario file or bundled scenario name (its zones, sites, units and ladder; not its tracks)')
    .addOption(
      new Option('--clock <clock>', "wall: real time; feed: the fixes' own times drive the run (replays a recorded feed)")
        .choices(['wall', 'feed'])
        .default('wall'),
    )
    .option('--tick <duration>', "tick length (default: the scenario's), e.g. 1s")
    .option('--json', 'print one event per line (NDJSON); implies --headless')
    .option('--headless', 'print the timeline instead of opening the terminal UI, even on a terminal')
    .addOption(noMouseOption())
    .option('--input <file>', 'read NDJSON positions from this file or named pipe, followed as it grows (instead of standard input)')
    .addOption(seedOption())
    .option('--cot-in <port>', 'also take CoT position reports on udp 127.0.0.1:PORT (0: any free port)')
    .option('--cot-out <host:port>', 'send unit positions and alerts as CoT over UDP (host defaults to 127.0.0.1)')
    .option(
      '--dis-in <[host:]port>',
      'also take DIS Entity State PDUs over UDP on PORT (every interface; HOST:PORT for one, e.g. 127.0.0.1:3000; 0: any free port)',
    )
    .option('--dis-group <addr>', 'join this multicast group for --dis-in (e.g. 239.1.2.3)')
    .addOption(new Option('--export <format>', 'at the end, export the received tracks and events').choices([...EXPORT_FORMATS]))
    .option('--export-out <file>', 'the file for --export')
    .option('--force', 'allow --export-out to overwrite an existing file')
    .addOption(allowOutsideOption())
    .action(async (file: string | undefined, o: LiveCliOptions) => {
      const { path, name } = scenarioArg(file);
      const stopSignal = new Promise<void>((res) => {
        process.once('SIGINT', () => res());
        process.once('SIGTERM', () => res());
      });
      const tty = !!(process.stdout.isTTY && process.stdin.isTTY);
      const { liveCommand } = await import('./commands/live.js');
      setCode(await liveCommand(path, name, o, { write, error: writeErr, stdin: process.stdin, stopSignal, tty }));
    });

  program
    .command('validate')
    .description('check scenario files without running them')
    .argument('<files...>', 'scenario files')
    .addOption(allowOutsideOption(true))
    .option('--strict', 'fail (exit 1) when a file has warnings')
    .option('--all', 'print every warning (by default, at most 10 of each kind and a count of the rest)')
    .action(async (files: string[], o: { allowOutsideFiles?: boolean; strict?: boolean; all?: boolean }) =>
      setCode((await checks()).cmdValidate(files, write, o.allowOutsideFiles, o.strict, o.all)),
    );

  program
    .command('edit')
    .description('edit a scenario on the map (a new file starts from a template); see docs/editor.md')
    .argument('[file]', 'the scenario file to edit or create (default: new-scenario.yaml)')
    .option('--template <name>', 'start a new file from a template: blank or tanf')
    .option('--at <lat,lon>', "where a new scenario's map looks first (default: the At Tanf garrison)")
    .addOption(noMouseOption('leave the mouse to the terminal instead of clicking on the map'))
    .action(async (file: string | undefined, o: { template?: string; mouse: boolean; at?: string }) => {
      if (!hooks.edit) throw new UsageError('edit needs the terminal UI');
      setCode(await hooks.edit(file, o));
    });

  program
    .command('check')
    .description('run scenarios and report each expectation as passed or failed (exit 1 on a failure)')
    .argument('<files...>', 'scenario files or bundled names')
    .addOption(new Option('--seed <n>', 'random seed').argParser((v) => seedArg(v)))
    .addOption(allowOutsideOption(true))
    .action(async (files: string[], o: { seed?: number; allowOutsideFiles?: boolean }) =>
      setCode(await (await checks()).cmdCheck(files, write, o.seed, o.allowOutsideFiles)),
    );

  program
    .command('schema')
    .description('print the JSON Schema for scenario files')
    .action(async () => {
      const { scenarioJsonSchema } = await import('../core/schema.js');
      write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
      setCode(EXIT.OK);
    });

  program
    .command('list')
    .description('list the bundled scenarios')
    .action(async () => setCode((await checks()).cmdList(write)));

  program
    .command('train')
    .description('decision mode: the run stops at every decision point for the student to choose the response, graded against doctrine (docs/training.md)')
    .argument('[file]', 'scenario file or bundled scenario name')
    .option('--msel <file>', "a MSEL file whose injects replace the scenario's")
    .option('--session <file>', 'record every decision to this NDJSON file (default: <scenario>-session.ndjson, never overwriting)')
    .option('--force', 'allow --session to overwrite an existing file')
    .option('--student <name>', "who takes the decisions, named in the session and the reports (default: the session file's name)")
    .option(
      '--resume <session>',
      'continue a quit session where it stopped, appending to it (its scenario, MSEL, seed and student are the recorded ones; --force replays it on a changed scenario)',
    )
    .option(
      '--branch <n>',
      'with --session FILE: go back to decision N of that session and answer it again; the run replays exactly to it, and the branch is appended to the file beside the first answers',
      (v) => Number(v),
    )
    .addOption(seedOption())
    .option('--speed <x>', 'playback speed in the terminal UI (simulated seconds per second)', (v) => Number(v))
    .action(async (file: string | undefined, _o: TrainOptions, cmd: Command) => {
      // --seed and --speed are also options of the program itself, which may take them first.
      const o = cmd.optsWithGlobals<TrainOptions>();
      const { path, name } = scenarioArg(file);
      const tty = !!(process.stdout.isTTY && process.stdin.isTTY);
      const { trainCommand } = await import('./commands/train.js');
      setCode(await trainCommand(path, name, o, { write, error: writeErr, tty }));
    });

  program
    .command('report')
    .description('write the after-action report of a run, or of a training session (--session); Markdown, HTML with a map, or JSON')
    .argument('<file>', 'scenario file or bundled scenario name')
    .option(
      '--session <file>',
      'a session file from `deconflict train` (or a folder of them): report its decisions against doctrine; given more than once, or a folder, one class report of every session',
      (v: string, prev?: string | string[]) => (prev === undefined ? v : ([] as string[]).concat(prev, v)),
    )
    .option('--msel <file>', "a MSEL file whose injects replace the scenario's (default with --session: the session's)")
    .addOption(seedOption())
    .addOption(new Option('--format <format>', 'md, html (self-contained, with a map) or json').choices(['md', 'html', 'json']).default('md'))
    .option('-o, --output <file>', 'write the report to this file (default: standard output)')
    .option('--force', 'allow -o to overwrite an existing file, and report a session recorded on a scenario whose run has changed since')
    .action(async (file: string, _o: ReportOptions, cmd: Command) => {
      const o = cmd.optsWithGlobals<ReportOptions>();
      const { path, name } = scenarioArg(file);
      const { reportCommand } = await import('./commands/report.js');
      setCode(reportCommand(path, name, o, { write, error: writeErr }));
    });

  addClassCommand(program, { write, error: writeErr, setCode, scenarioArg });

  for (const c of program.commands) c.exitOverride().configureOutput({ writeOut: write, writeErr }).showHelpAfterError();
  return program;
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
    tui: async (scenario, o) => {
      const ui = await import('../ui/launch.js');
      return ui.launchTui(scenario, o);
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
