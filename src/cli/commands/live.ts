/**
 * `deconflict live SCENARIO [--clock wall|feed] [--input FILE] [--cot-in PORT] [--cot-out HOST:PORT] [--json|--headless]`:
 * positions that arrive live, judged against the scenario's zones (in the terminal UI when
 * standard input and output are terminals). Returns its exit code; bad scenario or data files
 * throw ScenarioError (exit 2).
 */
import { unitOutcomes } from '../../core/analysis/outcome.js';
import { eventToNdjson, formatTimelineLine } from '../../core/events.js';
import { RUNG_LABEL } from '../../core/ladder.js';
import { loadScenario } from '../../io/node/load.js';
import { terminalLine } from '../../core/text/safe.js';
import { formatTime, parseDuration } from '../../core/units.js';
import type { ExportInput } from '../../io/common.js';
import { isMulticast, parseDisIn } from '../../io/dis/input.js';
import { cotAlert, cotUnitReport, CotUdpSender, parseHostPort } from '../../io/export-cot.js';
import { EXPORT_FORMATS, type ExportFormat } from '../../io/formats.js';
import { LiveFeed, type LiveFrontEnd } from '../../io/live-feed.js';
import { LiveRun, type LiveClock } from '../../io/live.js';
import { checkTarget, writeWhole } from '../../io/write-file.js';
import { EXIT, fail, type Io } from '../errors.js';
import { timelineWidths } from '../output.js';
import { exportText } from './export.js';

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

export interface LiveIo extends Io {
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
  if (o.disGroup !== undefined && !isMulticast(o.disGroup))
    return fail(io, `--dis-group: '${o.disGroup}' is not a multicast address (224.0.0.0 to 239.255.255.255)`);
  const cotOut = o.cotOut !== undefined ? parseHostPort(o.cotOut) : undefined;
  if (o.cotOut !== undefined && !cotOut) return fail(io, `--cot-out: '${o.cotOut}' is not HOST:PORT or PORT (e.g. 127.0.0.1:4242)`);
  if (o.export !== undefined && !(EXPORT_FORMATS as readonly string[]).includes(o.export))
    return fail(io, `--export: '${o.export}' is not one of ${EXPORT_FORMATS.join(', ')}`);
  if (o.export !== undefined && o.exportOut === undefined)
    return fail(io, '--export in a live run needs --export-out FILE (standard output carries the events)');
  if (o.exportOut !== undefined && o.export === undefined) return fail(io, '--export-out needs --export geojson|kml|cot');
  const exportTarget = o.exportOut !== undefined ? checkTarget(o.exportOut, !!o.force) : undefined;
  if (exportTarget) return fail(io, exportTarget);
  if (o.input !== undefined && o.input.trim() === '') return fail(io, '--input: give a file or named pipe to follow');
  const tui = !!io.tty && !o.json && !o.headless;
  if (tui && o.input === undefined && cotInPort === undefined && disIn === undefined) {
    return fail(
      io,
      'live: in the terminal UI the keyboard is standard input, so positions come from --input FILE (a file or named pipe, followed as it grows), --cot-in PORT or --dis-in PORT; add --headless to type NDJSON lines here instead',
    );
  }

  const sc = loadScenario(scenarioPath, { displayName: scenarioName, allowFilesOutside: o.allowOutsideFiles });
  const widths = timelineWidths(sc);
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
  const ui = tui ? await import('../../ui/live/launch.js') : undefined;
  const screen = ui?.liveScreen(live, feed, { clock, tick: tick ?? sc.tick, seed: o.seed, mouse: o.mouse });
  if (screen) front = screen.front;

  const info = (s: string) => (o.json ? io.error(s) : io.write(s));
  if (!screen) {
    const sources = [
      `${terminalLine(o.input ?? 'standard input')} (NDJSON)`,
      cotInPort !== undefined ? 'CoT over UDP' : undefined,
      disIn ? 'DIS Entity State PDUs over UDP' : undefined,
    ]
      .filter(Boolean)
      .join(' and ');
    info(
      `${terminalLine(sc.title)}\nlive: positions from ${sources}; ${clock === 'feed' ? "the fixes' times drive the clock" : 'real time'}, tick ${(tick ?? sc.tick) / 1000}s\n`,
    );
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
      const input: ExportInput = {
        scenario: { ...engine.scenario, end: Math.max(engine.scenario.start, engine.time) },
        events: engine.events,
        tracks: live.receivedTracks(),
      };
      const err = writeWhole(o.exportOut, exportText(input, o.export as ExportFormat), !!o.force);
      if (err) {
        io.error(`deconflict: ${terminalLine(err)}\n`);
        code = EXIT.BAD_INPUT;
      } else {
        const thinned = live.stats.thinned ? ` (tracks thinned to at most ${live.keepPerUnit} fixes a unit: ${live.stats.thinned} older fixes not kept)` : '';
        io.error(`${o.export} export of the live run written to ${terminalLine(o.exportOut)}${thinned}\n`);
      }
    }
  }
  const s = live.stats;
  const lines = [
    `live run ended: ${s.lines} line${s.lines === 1 ? '' : 's'}${s.cotEvents ? ` and ${s.cotEvents} CoT event${s.cotEvents === 1 ? '' : 's'}` : ''} read, ${s.fixes} fix${s.fixes === 1 ? '' : 'es'} used, ${s.skipped} skipped${s.late ? `, ${s.late} late` : ''}${s.unjudged ? `, ${s.unjudged} never judged (stopped)` : ''}; ${live.events.length} event${live.events.length === 1 ? '' : 's'}`,
  ];
  if (live.engine) {
    for (const u of unitOutcomes(sc, live.engine)) {
      lines.push(
        `  ${u.id.padEnd(widths.unit)}  ${live.received[u.u].length ? `now: ${u.now ? RUNG_LABEL[u.now] : 'none'}${u.struck ? ' (struck)' : ''}` : 'no position received'}`,
      );
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
