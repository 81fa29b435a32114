/**
 * A worker thread of a split run (src/io/threads/run.ts): on `go`, runs its part of the units (sent
 * by the main thread, or built here from the benchmark's workload) and sends its ticks to the main
 * thread in chunks. Given its part by the main thread, it warms up until then (warmUntilGo).
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import type { Scenario } from '../../core/model.js';
import { partFromData } from '../../core/split-data.js';
import { SplitPart, type PartTick } from '../../core/split.js';
import { STANDARD, workloadScenario } from '../../core/workload.js';
import { threadCpuMs } from './cputime.js';
import type { FromWorker, Go, WorkerInit } from './protocol.js';

/** Ticks per message (fewer messages; the main thread merges a chunk at a time). */
const CHUNK = 64;

const port = parentPort!;
const init = workerData as WorkerInit;
const send = (m: FromWorker) => port.postMessage(m);

/**
 * The warm-up engines, kept until the run is over: collected, they would take the hidden classes V8
 * compiled for with them, and the run would compile everything again (src/bench/threads.ts).
 */
let warmed: SplitPart[] = [];

/**
 * The warm-up of a worker whose part comes from the main thread: a small synthetic theatre (the
 * benchmark's workload: the 55 km circle, a line, polygons; units crossing them, the ladder
 * climbing), run while the main thread loads the scenario, so that the engine is compiled code when
 * the part arrives. Its events go nowhere. It looks for 'go' every few ticks (each well under a
 * millisecond) and stops there; the message it took, if any, is returned.
 */
const WARM_UP = { ...STANDARD, units: 1000, duration: 1200, seed: 7 };

function warmUntilGo(): Go | undefined {
  const part = new SplitPart(workloadScenario(WARM_UP), 1, 0, { lines: true });
  warmed.push(part);
  for (let n = 1; !part.done; n++) {
    part.step();
    if (n % 4 === 0) {
      const m = receiveMessageOnPort(port);
      if (m) return m.message as Go;
    }
  }
  return undefined;
}

/** The benchmark's workload, built here; undefined when the part comes with 'go'. */
async function scenarioOf(): Promise<Scenario | undefined> {
  const src = init.source;
  if (src.kind === 'given') return undefined;
  const mod = (await import(src.url)) as Record<string, (arg: unknown) => Scenario>;
  // A warm-up run first (the benchmark: the measured run is then compiled code, as on one thread).
  // Its engine is kept until the run is over: collected, it would take the hidden classes V8
  // compiled for with it, and the run would compile everything again (src/bench/threads.ts).
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
  const opts = { seed: go.seed, lines: go.lines };
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

function onGo(go: Go): void {
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
}

const loaded = scenarioOf();
if (init.source.kind === 'given') {
  send({ type: 'loaded' });
  let go: Go | undefined;
  try {
    go = warmUntilGo();
  } catch {
    // A warm-up that fails costs only its speed: the run itself decides.
    warmed = [];
  }
  if (go) onGo(go);
  else port.once('message', onGo);
} else {
  loaded.then(() => send({ type: 'loaded' }), fail);
  port.once('message', onGo);
}
