/**
 * Messages between a split run's main thread and its worker threads (src/io/threads/run.ts and
 * threads-worker.ts). The worker loads the scenario itself, while the main thread loads it too,
 * so both loads happen at the same time.
 */
import type { PartEnd, PartTick } from '../../core/split.js';

/** Where a worker gets the scenario: a scenario file, or a function of a module (the benchmark's workload). */
export type ScenarioSource =
  | { kind: 'file'; path: string; displayName: string; allowFilesOutside?: boolean }
  | { kind: 'module'; url: string; name: string; arg: unknown; warm?: unknown };

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
}

/** Worker to main. */
export type FromWorker =
  | { type: 'loaded' }
  | { type: 'ticks'; ticks: PartTick[] }
  | { type: 'end'; end: PartEnd; cpuMs?: number }
  | { type: 'error'; message: string; stack?: string };
