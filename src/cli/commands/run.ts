/** `deconflict run` (and the root command off a terminal): the headless timeline, NDJSON, --out, --threads. */
import { lastValueFrom, tap } from 'rxjs';
import { HighestRungs, unitOutcomes, type RungSource } from '../../core/analysis/outcome.js';
import { Engine, type TickBatch } from '../../core/engine.js';
import { eventToNdjson, formatTimelineLine } from '../../core/events.js';
import { RUNG_LABEL } from '../../core/ladder.js';
import type { Scenario } from '../../core/model.js';
import { fastClock, run$ } from '../../core/stream.js';
import { terminalLine } from '../../core/text/safe.js';
import { formatDistance, formatTime } from '../../core/units.js';
import { EXIT } from '../errors.js';
import { parseUntil } from '../options.js';
import { EventFile, timelineWidths, writeOut } from '../output.js';
import { load } from '../scenario-arg.js';
import type { ExportOptions } from './export.js';

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
function summary(sc: Scenario, highest: HighestRungs, state: RungSource): string {
  const lines = ['', 'Outcome:'];
  for (const o of unitOutcomes(sc, state, highest)) {
    lines.push(
      `  ${o.id.padEnd(16)} highest rung: ${o.highest ? RUNG_LABEL[o.highest] : 'none'}${o.struck ? ' (struck)' : `; now: ${o.now ? RUNG_LABEL[o.now] : 'none'}`}`,
    );
  }
  return lines.join('\n');
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
  // The worker threads start first (they are ready by the time this thread has loaded the scenario, then get their parts from it).
  let split: import('../../io/threads/run.js').SplitRun | undefined;
  if (threads > 1) {
    const { SplitRun } = await import('../../io/threads/run.js');
    split = new SplitRun({ kind: 'given' }, threads);
  }
  try {
    return await runLoaded(file, opts, write, split);
  } finally {
    await split?.terminate();
  }
}

async function runLoaded(
  file: string | undefined,
  opts: RunOptions,
  write: (s: string) => void,
  split: import('../../io/threads/run.js').SplitRun | undefined,
): Promise<number> {
  const sc = load(file, opts.allowOutsideFiles);
  const until = parseUntil(opts.until, sc);
  // A headless run never goes back, and writes events as they come: no checkpoints for seeking, no events kept.
  const engine = split ? undefined : new Engine(sc, { seed: opts.seed, checkpointEvery: Infinity, keepEvents: false });
  const out = opts.out ? new EventFile(opts.out, !!opts.force) : undefined;
  const widths = timelineWidths(sc);
  if (!opts.json) write(header(sc));
  const target = until === undefined ? ticksOf(sc) - 1 : tickAtOf(sc, until);
  const highest = new HighestRungs();
  // Each event becomes text once (NDJSON shared by standard output and --out); output goes out in chunks of 64 kB.
  let buf = '';
  const onBatch = (b: TickBatch & { lines?: string[] }) => {
    if (!b.events.length && !b.lines?.length) return;
    const evs = b.events;
    // A split run with --json gives the lines themselves (made by the threads that ran the units).
    const lines = b.lines ?? (opts.json || out ? evs.map(eventToNdjson) : undefined);
    out?.writeLines(lines!);
    if (opts.json) buf += lines!.join('');
    else {
      highest.note(evs);
      for (let i = 0; i < evs.length; i++) buf += `${formatTimelineLine(evs[i], widths)}\n`;
    }
    if (buf.length > 1 << 16) {
      write(buf);
      buf = '';
    }
  };
  try {
    if (split) {
      const end = await split.run(sc, { seed: opts.seed, lastTick: target, lines: !!opts.json }, onBatch);
      write(buf);
      if (!opts.json) write(`${summary(sc, highest, { unitRung: (u) => ({ rung: end.rungs[u] }), isStruck: (u) => end.struck[u] })}\n`);
      return EXIT.OK;
    }
    const eng = engine!;
    // With --out, each tick's lines are written (and synced) before the next tick is computed,
    // as docs/events.md promises; without it ticks are taken in chunks, which is faster.
    await lastValueFrom(run$(eng, fastClock(out ? 1 : 2000), target).pipe(tap(onBatch)), { defaultValue: undefined });
    write(buf);
    if (!opts.json) write(`${summary(sc, highest, eng)}\n`);
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
