/**
 * Loading, as a user meets it: `deconflict validate` on the benchmark's workload written as a
 * scenario file (`--write-scenario`: the YAML and its track CSV), 1,000 and 10,000 units, each run a
 * fresh process of the shipped executable timed from the spawn, beside a bare `node -e 0`. The
 * figure that counts is the time beyond `node -e 0`: what deconflict adds to starting Node.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type Spread } from './startup.js';
import { generateWorkload, STANDARD, workloadToCsv, workloadToYaml } from './workload.js';

export interface LoadingResult {
  bareNode: Spread;
  /** `deconflict --version`: the executable's own start-up, for scale. */
  version: Spread;
  /** `deconflict validate` on the 1,000-unit workload file. */
  units1k: Spread;
  /** The same on the 10,000-unit (standard) workload file. */
  units10k: Spread;
  /** Sizes of the files: YAML and CSV bytes. */
  sizes: { units1k: [number, number]; units10k: [number, number] };
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], min: s[0], max: s[s.length - 1], runs: xs };
}

function timed(args: string[], cwd: string): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr.trim().split('\n')[0]}`);
  return ms;
}

/** Write the workload of `units` units as NAME.yaml and NAME-tracks.csv in `dir`; their sizes. */
function writeWorkload(dir: string, name: string, units: number): [number, number] {
  const wl = generateWorkload({ ...STANDARD, units });
  const yaml = workloadToYaml(wl, `${name}-tracks.csv`);
  const csv = workloadToCsv(wl);
  writeFileSync(join(dir, `${name}.yaml`), yaml);
  writeFileSync(join(dir, `${name}-tracks.csv`), csv);
  return [Buffer.byteLength(yaml), Buffer.byteLength(csv)];
}

/** Measures each `reps` times, interleaved, after one unmeasured run of each (for the file cache). */
export function measureLoading(reps: number, log: (s: string) => void = () => {}): LoadingResult {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-loading-'));
  try {
    const sizes = { units1k: writeWorkload(dir, 'w1k', 1000), units10k: writeWorkload(dir, 'w10k', 10_000) };
    const bare: number[] = [];
    const version: number[] = [];
    const v1k: number[] = [];
    const v10k: number[] = [];
    timed(['-e', '0'], dir);
    timed([BIN, 'validate', 'w1k.yaml'], dir);
    timed([BIN, 'validate', 'w10k.yaml'], dir);
    for (let i = 0; i < reps; i++) {
      log(`  loading ${i + 1}/${reps}`);
      bare.push(timed(['-e', '0'], dir));
      version.push(timed([BIN, '--version'], dir));
      v1k.push(timed([BIN, 'validate', 'w1k.yaml'], dir));
      v10k.push(timed([BIN, 'validate', 'w10k.yaml'], dir));
    }
    return { bareNode: spread(bare), version: spread(version), units1k: spread(v1k), units10k: spread(v10k), sizes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: Spread) => `${x.median.toFixed(0)} ms [${x.min.toFixed(0)}–${x.max.toFixed(0)}]`;
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** The report's lines, and whether each target is met. */
export function loadingLines(r: LoadingResult, reps: number): { lines: string[]; targets: string[] } {
  const beyond1k = r.units1k.median - r.bareNode.median;
  const beyond10k = r.units10k.median - r.bareNode.median;
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  return {
    lines: [
      `loading: deconflict validate on the workload written as a scenario file, a fresh process each time, from the spawn; medians of ${reps} runs, min–max in brackets:`,
      `  1,000 units (${mib(r.sizes.units1k[0])} YAML, ${mib(r.sizes.units1k[1])} CSV): ${ms(r.units1k)}, ${beyond1k.toFixed(0)} ms beyond node -e 0`,
      `  10,000 units (${mib(r.sizes.units10k[0])} YAML, ${mib(r.sizes.units10k[1])} CSV): ${ms(r.units10k)}, ${beyond10k.toFixed(0)} ms beyond node -e 0`,
      `  (a bare node -e 0: ${ms(r.bareNode)}; deconflict --version, the executable's own start-up: ${ms(r.version)})`,
    ],
    targets: [
      `  the 1,000-unit workload file validates in under 150 ms beyond node -e 0: ${beyond1k.toFixed(0)} ms — ${ok(beyond1k < 150)}`,
      `  the 10,000-unit workload file validates in under 1 s beyond node -e 0: ${beyond10k.toFixed(0)} ms — ${ok(beyond10k < 1000)}`,
    ],
  };
}
