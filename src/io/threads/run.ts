/**
 * `--threads N`: a run split by units over N threads — this one and N-1 worker threads
 * (threads-worker.ts) — merged into the events of one engine, byte for byte (src/core/split.ts
 * says why that holds). The workers are started first, so that they are ready when this thread
 * has loaded the scenario; then each gets its part of the units as data (src/core/split-data.ts:
 * its units' tracks in one transferred buffer), instead of loading the whole file again, which
 * took as much CPU as this thread's loading, on a core the run needed.
 */
import { Worker } from 'node:worker_threads';
import type { Rung, Scenario } from '../../core/model.js';
import { partData } from '../../core/split-data.js';
import { partOf, SplitMerge, SplitPart, type MergedBatch } from '../../core/split.js';
import { threadCpuMs } from './cputime.js';
import type { FromWorker, Go, ScenarioSource, WorkerInit } from './protocol.js';

/**
 * This thread's share of the units against 1 for each worker: it also merges the parts and writes
 * the output, which took about a tenth of its time on two threads (the benchmark prints each
 * thread's CPU time).
 */
const MAIN_SHARE = 0.85;

/** Ticks this thread runs between looks at what the workers sent. */
const CHUNK = 64;

/** What a split run knows at the end: each unit's rung and whether it was struck. */
export interface SplitOutcome {
  rungs: (Rung | null)[];
  struck: boolean[];
  events: number;
  /** CPU milliseconds each thread spent on its part (this one first; undefined where not known). */
  threadCpuMs: (number | undefined)[];
}

const yieldToLoop = () => new Promise<void>((r) => setImmediate(r));

export class SplitRun {
  private readonly workers: Worker[] = [];
  private merge: SplitMerge | undefined;
  private failure: Error | undefined;
  private ended = 0;
  private readonly ends: FromWorker[] = [];
  private wake: (() => void) | undefined;
  private loadedCount = 0;

  /** Start the N-1 worker threads of an N-thread run; each begins loading the scenario at once. */
  constructor(
    private readonly source: ScenarioSource,
    readonly threads: number,
  ) {
    const url = new URL('./threads-worker.js', import.meta.url);
    for (let p = 1; p < threads; p++) {
      const init: WorkerInit = { source, parts: threads, part: p };
      const w = new Worker(url, { workerData: init, stdout: false, stderr: false });
      w.on('message', (m: FromWorker) => this.receive(p, m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && this.ended < this.threads - 1) this.fail(new Error(`worker thread ${p} stopped (exit code ${code})`));
      });
      this.workers.push(w);
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    this.wake?.();
  }

  private receive(p: number, m: FromWorker): void {
    if (m.type === 'error') this.fail(new Error(`worker thread ${p}: ${m.message}`));
    else if (m.type === 'loaded') this.loadedCount++;
    else if (m.type === 'ticks') {
      // Workers send ticks only after 'go', which comes after the merge is made.
      for (const t of m.ticks) this.merge!.push(p, t);
    } else if (m.type === 'end') {
      this.ends[p] = m;
      this.ended++;
    }
    this.wake?.();
  }

  /** Resolves when every worker has its scenario (the benchmark times the run from there). */
  async loaded(): Promise<void> {
    while (this.loadedCount < this.threads - 1) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
    }
    if (this.failure) throw this.failure;
  }

  /** Stop the workers (after a run, or when the scenario could not be loaded). */
  async terminate(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  /**
   * Run `sc` (loaded by this thread from the same source as the workers) up to tick index
   * `lastTick`, calling `onBatch` with each tick's merged batch in order.
   */
  async run(sc: Scenario, opts: { seed?: number; lastTick: number; lines?: boolean }, onBatch: (b: MergedBatch) => void): Promise<SplitOutcome> {
    const cpu0 = threadCpuMs();
    const merge = new SplitMerge(sc, this.threads, !!opts.lines);
    this.merge = merge;
    const shares = [MAIN_SHARE, ...new Array<number>(this.threads - 1).fill(1)];
    this.workers.forEach((w, i) => {
      const go: Go = { type: 'go', seed: opts.seed, lastTick: opts.lastTick, shares, lines: opts.lines };
      if (this.source.kind !== 'given') w.postMessage(go);
      else {
        const { data, transfer } = partData(partOf(sc, this.threads, i + 1, shares));
        go.part = data;
        w.postMessage(go, transfer);
      }
    });
    const part = new SplitPart(sc, this.threads, 0, { seed: opts.seed, shares });
    const flush = () => {
      for (const b of merge.take()) onBatch(b);
    };
    while (!part.done && part.engine.tickIndex < opts.lastTick) {
      for (let i = 0; i < CHUNK && !part.done && part.engine.tickIndex < opts.lastTick; i++) merge.push(0, part.step());
      if (this.threads > 1) await yieldToLoop();
      if (this.failure) throw this.failure;
      flush();
    }
    while (this.ended < this.threads - 1) {
      if (this.failure) throw this.failure;
      await new Promise<void>((r) => (this.wake = r));
      this.wake = undefined;
      flush();
    }
    if (this.failure) throw this.failure;
    flush();
    const cpu1 = threadCpuMs();
    const n = sc.units.length;
    const rungs: (Rung | null)[] = new Array(n).fill(null);
    const struck: boolean[] = new Array(n).fill(false);
    const put = (end: ReturnType<SplitPart['end']>) =>
      end.units.forEach((u, i) => {
        rungs[u] = end.rungs[i];
        struck[u] = end.struck[i];
      });
    put(part.end());
    for (const m of this.ends) if (m?.type === 'end') put(m.end);
    const cpus = [cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined];
    for (let p = 1; p < this.threads; p++) {
      const m = this.ends[p];
      cpus.push(m?.type === 'end' ? m.cpuMs : undefined);
    }
    return { rungs, struck, events: merge.eventCount, threadCpuMs: cpus };
  }
}
