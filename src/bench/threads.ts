/**
 * The benchmark's split runs: the standard workload over N threads (src/io/threads/run.ts), timed
 * like the engine on one thread (engines built and run to the end, events merged), in a child
 * process of the benchmark. Every worker builds the workload itself and warms up first, as the
 * one-thread run does; the run is timed from the moment all are ready.
 */
import { pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/engine.js';
import type { Scenario } from '../core/model.js';
import { SplitMerge, SplitPart } from '../core/split.js';
import { SplitRun } from '../io/threads/run.js';
import { workloadScenario, type WorkloadOptions } from './workload.js';

const WORKLOAD_MODULE = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), 'workload.js')).href;

/**
 * Keeps a warm-up run's engine alive up to this call, at the end of the measured run. Were it
 * collected before, V8 would collect the hidden classes (maps) of its objects with it, build them
 * again in the measured run, and throw away all the code it compiled for the old ones (115
 * deoptimizations and about 300 compilations of the standard workload's measured run were that:
 * as much compiling as without a warm-up, on the core a second thread needs).
 */
export function keepWarm(engines: (Engine | SplitPart)[]): void {
  for (const e of engines) if ((e instanceof Engine ? e : e.engine).tickIndex < 0) throw new Error('the warm-up engine never ran');
}

/**
 * The warm-up runs before a measured run: `warm` in turn with WARM_ROUNDS seeds. One warm-up is
 * not enough: what the engine does once per run (building its wheels and indexes, the first tick
 * of every unit, resetting its proofs of quiet) is compiled by V8 while it runs (on-stack
 * replacement) from the feedback of that one run, and deoptimized in the next where it lacked
 * some; with one warm-up the measured run still compiled about 70 functions (350 ms of TurboFan
 * on one thread's standard workload), with three about 25 (60 ms). The same for one thread and for two.
 */
export const WARM_ROUNDS = 3;

export function warmups(warm: WorkloadOptions): WorkloadOptions[] {
  return Array.from({ length: WARM_ROUNDS }, (_, i) => ({ ...warm, seed: warm.seed + i }));
}

/** A split run of `sc` over `threads` parts, all on this thread, merged; its parts. */
function warmSplit(sc: Scenario, threads: number): SplitPart[] {
  const parts = Array.from({ length: threads }, (_, p) => new SplitPart(sc, threads, p));
  const merge = new SplitMerge(sc, threads);
  while (!parts[0].done) {
    parts.forEach((part, p) => merge.push(p, part.step()));
    merge.take();
  }
  return parts;
}

/**
 * Waits (at most 5 s) until the process uses next to no CPU: V8 compiles on background threads,
 * and a compilation started before the measured run (building a 10,000-unit workload makes the
 * generator hot: about a second of compiling) would otherwise finish on the measured run's time,
 * on the core a second thread needs. The same for one thread and for two.
 */
export async function settle(): Promise<void> {
  const step = 50;
  for (let waited = 0; waited < 5000; waited += step) {
    const c0 = process.cpuUsage();
    await new Promise((r) => setTimeout(r, step));
    const c = process.cpuUsage(c0);
    if ((c.user + c.system) / 1000 < step / 10) return;
  }
}

export interface SplitSample {
  updates: number;
  wallMs: number;
  cpuMs: number;
  events: number;
  rssMB: number;
  extra: { threadCpuMs: (number | undefined)[] };
}

/** One split run of `wl` for `seconds` on `threads` threads, after the warm-up runs (warmups) on each thread. */
export async function splitSample(wl: WorkloadOptions, seconds: number, threads: number, rounds: WorkloadOptions[]): Promise<SplitSample> {
  const split = new SplitRun({ kind: 'module', url: WORKLOAD_MODULE, name: 'workloadScenario', arg: wl, warm: rounds }, threads);
  try {
    // The warm-up workloads run as the measured one is: split, every part run here and merged
    // (the workers run theirs too), so that the measured run is compiled code on every thread.
    const warmed = rounds.flatMap((w) => warmSplit(workloadScenario(w), threads));
    const sc = workloadScenario(wl);
    await split.loaded();
    (globalThis as { gc?: () => void }).gc?.();
    await settle();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    let last = -1;
    const lastTick = Math.min(Math.floor((seconds * 1000) / sc.tick), Math.floor((sc.end - sc.start) / sc.tick));
    const end = await split.run(sc, { lastTick }, (b) => (last = b.index));
    const wallMs = performance.now() - t0;
    const c = process.cpuUsage(c0);
    keepWarm(warmed);
    return {
      updates: (last + 1) * sc.units.length,
      wallMs,
      cpuMs: (c.user + c.system) / 1000,
      events: end.events,
      rssMB: process.resourceUsage().maxRSS / 1024,
      extra: { threadCpuMs: end.threadCpuMs },
    };
  } finally {
    await split.terminate();
  }
}
