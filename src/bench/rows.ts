/**
 * The benchmark's figures: what a measured run gives (a sample), a row of samples (medians with
 * min–max), and the lines that compare one thread with two.
 */

/** What one measured run in a child process gives. */
export interface Sample {
  updates: number;
  wallMs: number;
  cpuMs: number;
  events: number;
  rssMB: number;
  extra?: Record<string, unknown>;
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export function fmtRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(2)} M` : `${(r / 1e3).toFixed(0)} k`;
}

export interface Row {
  name: string;
  units: number;
  zones: number;
  seconds: number;
  reps: number;
  /** Unit updates per second (wall clock): median, min, max. */
  rate: { median: number; min: number; max: number };
  /** Each run's rate, in the order they ran. */
  rates: number[];
  /** The same on CPU time of the process. */
  cpuRate: number;
  updates: number;
  events: number;
  rssMB: number;
  wallMs: number;
  /** Median CPU ms of each thread on its part (Linux), where known. */
  threadCpuMs?: number[];
}

function threadCpuMedians(samples: Sample[]): number[] | undefined {
  const per = samples.map((s) => (s.extra as { threadCpuMs?: (number | undefined)[] } | undefined)?.threadCpuMs);
  if (!per.every((x) => x && x.every((v) => v !== undefined))) return undefined;
  return per[0]!.map((_, i) => median(per.map((x) => x![i]!)));
}

/** A row from the samples of one workload. */
export function rowOf(name: string, wl: { units: number; zones: number }, seconds: number, samples: Sample[]): Row {
  const rates = samples.map((s) => s.updates / (s.wallMs / 1000));
  return {
    name,
    units: wl.units,
    zones: wl.zones,
    seconds,
    reps: samples.length,
    rate: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) },
    rates,
    cpuRate: median(samples.map((s) => s.updates / (s.cpuMs / 1000))),
    updates: samples[0].updates,
    events: samples[0].events,
    rssMB: Math.max(...samples.map((s) => s.rssMB)),
    wallMs: median(samples.map((s) => s.wallMs)),
    threadCpuMs: threadCpuMedians(samples),
  };
}

/**
 * `two`'s rate over `one`'s (two threads over one; 20 zones over 200, the cost of 200), as the
 * median of the runs taken in pairs (`one.rates[i]` and `two.rates[i]` ran one after the other):
 * the ratio of two runs made at about the same time, which a machine whose speed drifts over
 * minutes moves less than a ratio of two medians.
 */
export function pairedRatio(one: Row, two: Row): { median: number; each: number[] } {
  const each = two.rates.map((r, i) => r / one.rates[i]);
  return { median: median(each), each };
}

/** The standard workload on 2 threads against 1 (their runs taken in turn: measureInTurn in run.ts). */
export function splitLines(one: Row, two: Row, paired = pairedRatio(one, two)): string[] {
  const out = [
    `2 threads (run --threads 2: the units split over this thread and a worker thread, events merged byte for byte): ${fmtRate(two.rate.median)} [${fmtRate(two.rate.min)}–${fmtRate(two.rate.max)}] against ${fmtRate(one.rate.median)} [${fmtRate(one.rate.min)}–${fmtRate(one.rate.max)}] on one thread: ${(two.rate.median / one.rate.median).toFixed(2)}× (a median over the other)`,
    `  run in turn, one thread then two (then two then one): ${paired.each.map((x) => `${x.toFixed(2)}×`).join(', ')}; median of the pairs ${paired.median.toFixed(2)}×`,
  ];
  // Each thread's own CPU time says how the work is shared, whatever else runs on the machine: on
  // free cores the run takes as long as its busiest thread.
  const a = one.threadCpuMs?.[0];
  const b = two.threadCpuMs;
  if (a !== undefined && b) {
    out.push(
      `  CPU time of each thread (medians): one thread ${(a / 1000).toFixed(2)} s; 2 threads ${b.map((x) => `${(x / 1000).toFixed(2)} s`).join(' + ')} (main thread first, with the merge and the output); one thread over the busiest of the two: ${(a / Math.max(...b)).toFixed(2)}× (the speed-up on two free cores, if nothing else needed them)`,
    );
  }
  // V8's own threads (the optimizing compiler of each thread's isolate, the collector's helpers)
  // run beside the engine threads: on two cores they take the time a second engine thread needs.
  out.push(
    `  CPU time of the whole process (medians; V8's compiler and collector threads included): one thread ${(one.updates / one.cpuRate).toFixed(2)} s, 2 threads ${(two.updates / two.cpuRate).toFixed(2)} s`,
  );
  return out;
}
