/**
 * Messages between a split run's main thread and its worker threads (src/io/threads/run.ts and
 * threads-worker.ts). A worker gets its part from the main thread, which loaded the scenario
 * (`given`: the part comes with 'go', as data, src/core/split-data.ts), or builds the whole
 * scenario itself from a function of a module (the benchmark's workload).
 */
import type { PartData } from '../../core/split-data.js';
import type { PartEnd, PartTick } from '../../core/split.js';

/** Where a worker gets the scenario: its part from the main thread, or a function of a module (the benchmark's workload). */
export type ScenarioSource = { kind: 'given' } | { kind: 'module'; url: string; name: string; arg: unknown; warm?: unknown[] };

/** workerData of a worker: its part of `parts`. */
export interface WorkerInit {
  source: ScenarioSource;
  parts: number;
  part: number;
}

/** Main to worker: run (seed, and the last tick index to run). */
export interface Go {
  type: 'go';
  seed?: number;
  lastTick: number;
  /** Each part's share of the units (see partUnits). */
  shares: number[];
  /** The worker's part (source `given`). */
  part?: PartData;
  /** Send events as NDJSON tails (PartTick.tails). */
  lines?: boolean;
}

/** Worker to main. */
export type FromWorker =
  | { type: 'loaded' }
  | { type: 'ticks'; ticks: PartTick[] }
  | { type: 'end'; end: PartEnd; cpuMs?: number }
  | { type: 'error'; message: string; stack?: string };
