/**
 * Loading, as a user meets it: `deconflict validate` on the benchmark's workload written as a
 * scenario file (`--write-scenario`: the YAML and its track CSV), 1,000, 10,000 and 20,000 units,
 * each run a fresh process of the shipped executable timed from the spawn, beside a bare
 * `node -e 0`. The figure that counts is the time beyond `node -e 0`: what deconflict adds to
 * starting Node. The warnings a run prints (thousands for the larger files) go to a file, not a
 * pipe: a pipe's buffer would fill, and its first line is what a failure shows.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, type Spread } from './startup.js';
import { generateWorkload, STANDARD, workloadToCsv, workloadToYaml } from './workload.js';

/** The sizes measured, and their targets beyond `node -e 0` (ms): issue 18's for 1,000 and 10,000 units, issue 17's for 20,000. */
export const LOADING_SIZES = [
  { key: 'units1k', units: 1000, target: 150 },
  { key: 'units10k', units: 10_000, target: 1000 },
  { key: 'units20k', units: 20_000, target: 2000 },
] as const;

type SizeKey = (typeof LOADING_SIZES)[number]['key'];

export interface LoadingResult {
  bareNode: Spread;
  /** `deconflict --version`: the executable's own start-up, for scale. */
  version: Spread;
  /** `deconflict validate` on each workload file. */
  validate: Record<SizeKey, Spread>;
  /** Sizes of the files: YAML and CSV bytes. */
  sizes: Record<SizeKey, [number, number]>;
  /** Peak resident memory of one validate of each file, kB (measured with /usr/bin/time where there is one). */
  peakKb?: Record<SizeKey, number>;
}

function spread(xs: number[]): Spread {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)], min: s[0], max: s[s.length - 1], runs: xs };
}

/** Runs `node ARGS` in `cwd` and times it from the spawn; its standard error goes to a file, whose first line a failure shows. */
export function timed(args: string[], cwd: string): number {
  const errFile = join(cwd, 'stderr.txt');
  const fd = openSync(errFile, 'w');
  let status: number | null;
  let signal: NodeJS.Signals | null;
  let ms: number;
  try {
    const t = performance.now();
    const r = spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'ignore', fd] });
    ms = performance.now() - t;
    status = r.status;
    signal = r.signal;
    if (r.error) throw r.error;
  } finally {
    closeSync(fd);
  }
  if (status !== 0) {
    const first = readFileSync(errFile, 'utf8').trim().split('\n')[0] ?? '';
    throw new Error(`node ${args.join(' ')} ${signal ? `was killed by ${signal}` : `exited ${status}`}${first ? `: ${first}` : ''}`);
  }
  return ms;
}

/** Peak resident memory (kB) of `node ARGS`, from GNU time; undefined without it. */
function peakKb(args: string[], cwd: string): number | undefined {
  if (!existsSync('/usr/bin/time')) return undefined;
  const out = join(cwd, 'time.txt');
  const r = spawnSync('/usr/bin/time', ['-o', out, '-f', '%M', process.execPath, ...args], { cwd, stdio: 'ignore' });
  if (r.status !== 0) return undefined;
  const kb = Number(readFileSync(out, 'utf8').trim().split('\n').pop());
  return Number.isFinite(kb) ? kb : undefined;
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
    const sizes = {} as Record<SizeKey, [number, number]>;
    const runs = {} as Record<SizeKey, number[]>;
    for (const s of LOADING_SIZES) {
      sizes[s.key] = writeWorkload(dir, s.key, s.units);
      runs[s.key] = [];
    }
    const bare: number[] = [];
    const version: number[] = [];
    timed(['-e', '0'], dir);
    for (const s of LOADING_SIZES) timed([BIN, 'validate', `${s.key}.yaml`], dir);
    for (let i = 0; i < reps; i++) {
      log(`  loading ${i + 1}/${reps}`);
      bare.push(timed(['-e', '0'], dir));
      version.push(timed([BIN, '--version'], dir));
      for (const s of LOADING_SIZES) runs[s.key].push(timed([BIN, 'validate', `${s.key}.yaml`], dir));
    }
    const validate = {} as Record<SizeKey, Spread>;
    for (const s of LOADING_SIZES) validate[s.key] = spread(runs[s.key]);
    let peak: Record<SizeKey, number> | undefined = {} as Record<SizeKey, number>;
    for (const s of LOADING_SIZES) {
      const kb = peakKb([BIN, 'validate', `${s.key}.yaml`], dir);
      if (kb === undefined) {
        peak = undefined;
        break;
      }
      peak[s.key] = kb;
    }
    return { bareNode: spread(bare), version: spread(version), validate, sizes, peakKb: peak };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (x: Spread) => `${x.median.toFixed(0)} ms [${x.min.toFixed(0)}–${x.max.toFixed(0)}]`;
const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** The report's lines, and whether each target is met. */
export function loadingLines(r: LoadingResult, reps: number): { lines: string[]; targets: string[] } {
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  const lines = [
    `loading: deconflict validate on the workload written as a scenario file, a fresh process each time, from the spawn; medians of ${reps} runs, min–max in brackets:`,
  ];
  const targets: string[] = [];
  for (const s of LOADING_SIZES) {
    const v = r.validate[s.key];
    const beyond = v.median - r.bareNode.median;
    const [yaml, csv] = r.sizes[s.key];
    const peak = r.peakKb ? `, peak ${(r.peakKb[s.key] / 1024).toFixed(0)} MB` : '';
    lines.push(`  ${s.units.toLocaleString('en')} units (${mib(yaml)} YAML, ${mib(csv)} CSV): ${ms(v)}, ${beyond.toFixed(0)} ms beyond node -e 0${peak}`);
    const limit = s.target >= 1000 ? `${s.target / 1000} s` : `${s.target} ms`;
    targets.push(
      `  the ${s.units.toLocaleString('en')}-unit workload file validates in under ${limit} beyond node -e 0: ${beyond.toFixed(0)} ms — ${ok(beyond < s.target)}`,
    );
  }
  lines.push(`  (a bare node -e 0: ${ms(r.bareNode)}; deconflict --version, the executable's own start-up: ${ms(r.version)})`);
  return { lines, targets };
}
