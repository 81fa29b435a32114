/**
 * A worker thread of a split run (src/io/threads/run.ts): on `go`, runs its part of the units (sent
 * by the main thread, or built here from the benchmark's workload) and sends its ticks to the main
 * thread in chunks.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../../core/model.js';
import { partFromData } from '../../core/split-data.js';
import { SplitPart, type PartTick } from '../../core/split.js';
import { threadCpuMs } from './cputime.js';
import type { FromWorker, Go, WorkerInit } from './protocol.js';

/** Ticks per message (fewer messages; the main thread merges a chunk at a time). */
const CHUNK = 64;

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: FromWorker) => port.postMessage(m);

/** The benchmark's warm-up engines, kept until the run is over. */
let warmed: SplitPart[] = [];

/** The benchmark's workload, built here; undefined when the part comes with 'go'. */
async function scenarioOf(): Promise<Scenario | undefined> {
  const src = init.source;
  if (src.kind === 'given') return undefined;
  const mod = (await import(src.url)) as Record<string, (arg: unknown) => Scenario>;
  // Warm-up runs first (the benchmark: the measured run is then compiled code, as on one thread).
  // Their engines are kept until the run is over: collected, they would take the hidden classes V8
  // compiled for with them, and the run would compile everything again (src/bench/threads.ts).
  // It runs this thread's part of each warm-up workload, as the measured run will its part.
  for (const w of src.warm ?? []) {
    const part = new SplitPart(mod[src.name](w), init.parts, init.part);
    while (!part.done) part.step();
    warmed.push(part);
  }
  return mod[src.name](src.arg);
}

function run(sc: Scenario | undefined, go: Go): void {
  const cpu0 = threadCpuMs();
  const opts = { seed: go.seed, shares: go.shares, lines: go.lines };
  const part = sc ? new SplitPart(sc, init.parts, init.part, opts) : new SplitPart(partFromData(go.part!), 1, 0, opts);
  let ticks: PartTick[] = [];
  while (!part.done && part.engine.tickIndex < go.lastTick) {
    ticks.push(part.step());
    if (ticks.length === CHUNK) {
      send({ type: 'ticks', ticks });
      ticks = [];
    }
  }
  if (ticks.length) send({ type: 'ticks', ticks });
  const cpu1 = threadCpuMs();
  warmed = [];
  send({ type: 'end', end: part.end(), cpuMs: cpu0 !== undefined && cpu1 !== undefined ? cpu1 - cpu0 : undefined });
}

const fail = (e: unknown) => send({ type: 'error', message: (e as Error)?.message ?? String(e), stack: (e as Error)?.stack });

const loaded = scenarioOf();
loaded.then(() => send({ type: 'loaded' }), fail);
port.once('message', (go: Go) => {
  loaded.then(
    (sc) => {
      try {
        run(sc, go);
      } catch (e) {
        fail(e);
      }
      port.close();
    },
    () => port.close(),
  );
});
