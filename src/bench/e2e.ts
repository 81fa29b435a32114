/**
 * End to end: `deconflict run FILE --json > /dev/null` on the standard workload written as a
 * scenario file (10,000 units; the tracks in a CSV beside it), timed from the spawn of the
 * executable to its exit — process start, loading, the run and the output — on one thread and
 * on more (`--threads`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, closeSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type Spread } from './startup.js';
import { generateWorkload, workloadToCsv, workloadToYaml, type WorkloadOptions } from './workload.js';

export interface EndToEnd {
  units: number;
  updates: number;
  /** Per thread count: wall time of the whole run (ms). */
  runs: { threads: number; ms: Spread }[];
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return { median: mid, min: s[0], max: s[s.length - 1], runs: xs };
}

/** Writes the workload's scenario file, then times `reps` runs of it for each thread count (after one unmeasured run). */
export function measureEndToEnd(wl: WorkloadOptions, threads: number[], reps: number, log: (s: string) => void = () => {}): EndToEnd {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-e2e-'));
  try {
    const w = generateWorkload(wl);
    writeFileSync(join(dir, 'bench-tracks.csv'), workloadToCsv(w));
    const file = join(dir, 'bench.yaml');
    writeFileSync(file, workloadToYaml(w, 'bench-tracks.csv'));
    const once = (n: number): number => {
      const nul = openSync('/dev/null', 'w');
      try {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [BIN, 'run', file, '--json', '--threads', String(n)], { stdio: ['ignore', nul, 'pipe'], encoding: 'utf8' });
        const ms = performance.now() - t0;
        if (r.status !== 0) throw new Error(`deconflict run --threads ${n} failed (${r.status}): ${r.stderr.trim().split('\n').slice(-3).join(' ')}`);
        return ms;
      } finally {
        closeSync(nul);
      }
    };
    once(threads[0]);
    const runs = threads.map((n) => {
      const xs: number[] = [];
      for (let i = 0; i < reps; i++) {
        xs.push(once(n));
        log(`  end to end, ${n} thread${n === 1 ? '' : 's'}, run ${i + 1}/${reps}: ${(xs[i] / 1000).toFixed(2)} s`);
      }
      return { threads: n, ms: spread(xs) };
    });
    const span = wl.duration / wl.tick + 1;
    return { units: wl.units, updates: span * wl.units, runs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
