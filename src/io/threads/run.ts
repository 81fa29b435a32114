/**
 * `--threads N`: a run split by units over N parts, merged into the events of one engine, byte for
 * byte (src/core/split.ts says why that holds).
 *
 * `deconflict run` (source `given`): every part runs on a worker thread (threads-worker.ts) and this
 * thread loads the scenario, merges the parts and writes the output. The workers start first and,
 * while this thread loads the file, warm up on a small synthetic theatre (src/core/workload.ts),
 * so that V8 has compiled the engine on every worker by the time the parts arrive: a part run cold
 * took about as long as the whole run on one thread, its code interpreted and compiled while two
 * threads and their compilers shared two cores. Each worker gets its part as data
 * (src/core/split-data.ts: its units' tracks in one transferred buffer), instead of loading the
 * whole file again, which took as much CPU as this thread's loading, on a core the run needed.
 *
 * The benchmark (source `module`) runs it the same way, each worker building the workload and
 * warming up on it first.
 */
import { Worker } from 'node:worker_threads';
import type { Rung, Scenario } from '../../core/model.js';
import { partData } from '../../core/split-data.js';
import { partOf, SplitMerge, SplitPart, type MergedBatch } from '../../core/split.js';
import { threadCpuMs } from './cputime.js';
import type { FromWorker, Go, ScenarioSource, WorkerInit } from './protocol.js';

/** What a split run knows at the end: each unit's rung and whether it was struck. */
export interface SplitOutcome {
  rungs: (Rung | null)[];
  struck: boolean[];
  events: number;
  /** CPU milliseconds each thread spent on the run (this one first: the merge and the output; then each worker on its part; undefined where not known). */
  threadCpuMs: (number | undefined)[];
}

export class SplitRun {
  private readonly workers: Worker[] = [];
  private merge: SplitMerge | undefined;
  private failure: Error | undefined;
  private ended = 0;
  private readonly ends: FromWorker[] = [];
  private wake: (() => void) | undefined;
  private loadedCount = 0;
  /** Start the N worker threads of an N-part run; each begins loading or warming up at once. */
  constructor(
    private readonly source: ScenarioSource,
    readonly threads: number,
  ) {
    const url = new URL('./threads-worker.js', import.meta.url);
    for (let p = 0; p < threads; p++) {
      const init: WorkerInit = { source, parts: threads, part: p };
      const w = new Worker(url, { workerData: init, stdout: false, stderr: false });
      w.on('message', (m: FromWorker) => this.receive(p, m));
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0 && this.ended < this.workers.length) this.fail(new Error(`worker thread ${p} stopped (exit code ${code})`));
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
    while (this.loadedCount < this.workers.length) {
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
    this.workers.forEach((w, p) => {
      const go: Go = { type: 'go', seed: opts.seed, lastTick: opts.lastTick, lines: opts.lines };
      if (this.source.kind !== 'given') w.postMessage(go);
      else {
        const { data, transfer } = partData(partOf(sc, this.threads, p));
        go.part = data;
        w.postMessage(go, transfer);
      }
    });
    const flush = () => {
      for (const b of merge.take()) onBatch(b);
    };
    while (this.ended < this.workers.length) {
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
    for (const m of this.ends) if (m?.type === 'end') put(m.end);
    const cpus = [cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined];
    for (let p = 0; p < this.threads; p++) {
      const m = this.ends[p];
      cpus.push(m?.type === 'end' ? m.cpuMs : undefined);
    }
    return { rungs, struck, events: merge.eventCount, threadCpuMs: cpus };
  }
}
