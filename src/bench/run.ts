/**
 * `npm run bench`: the benchmark of issue 5. It generates the standard workload from a fixed seed
 * (src/bench/workload.ts), measures the engine end to end on it and on its growth variants, runs
 * the straightforward baseline (src/bench/baseline.ts) on the same workload in the same run, and
 * checks that both give the same zone membership for every update (src/bench/check.ts).
 *
 * Every measured run happens in a fresh child process, after warm-up runs in that process, so
 * that repetitions are independent and the peak RSS reported is that of one run.
 *
 *   npm run bench                                  # the full benchmark (a few minutes)
 *   npm run bench -- --quick                       # fewer repetitions, smaller growth runs
 *   npm run bench -- --json results.json           # also write the results as JSON
 *   npm run bench -- --startup                     # only the start-up of the executable and UI
 *   npm run bench -- --split                       # only the standard workload on 1 and 2 threads
 *   npm run bench -- --e2e                         # only end to end: `deconflict run FILE --json`
 *   npm run bench -- --memory                      # only the 100,000-unit runs (peak RSS)
 *   npm run bench -- --loading                     # only loading (validate on the workload files)
 *   npm run bench -- --class                       # only a class over SSH: 40 students join and answer at once
 *   npm run bench -- --write-scenario bench.yaml   # write the workload as a scenario file (and
 *       [--units N] [--zones N] [--seed N] [--force]  #   its tracks as bench-tracks.csv beside it)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../core/engine.js';
import { runBaseline } from './baseline.js';
import { checkMembership } from './check.js';
import { measureEndToEnd, type EndToEnd } from './e2e.js';
import { loadingLines, measureLoading } from './loading.js';
import { measureStartup, type Spread, type StartupResult } from './startup.js';
import { fmtRate, median, pairedRatio, rowOf, splitLines, type Row, type Sample } from './rows.js';
import { keepWarm, settle, splitSample, warmups, WARM_ROUNDS } from './threads.js';
import { threadCpuMs } from '../io/threads/cputime.js';
import { generateWorkload, STANDARD, workloadScenario, workloadToCsv, workloadToYaml, type WorkloadOptions } from './workload.js';

const SELF = fileURLToPath(import.meta.url);

/** What a child process runs. */
type Spec =
  | { kind: 'engine'; wl: WorkloadOptions; seconds: number; warm: WorkloadOptions[]; lean?: boolean }
  | { kind: 'baseline'; wl: WorkloadOptions; stride: number; warmUnits: number }
  | { kind: 'check'; wl: WorkloadOptions }
  | { kind: 'split'; wl: WorkloadOptions; seconds: number; threads: number; warm: WorkloadOptions[] };

// ------------------------------------------------------------------ child side

function cpuMs(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1000;
}

async function child(spec: Exclude<Spec, { kind: 'split' }>): Promise<Sample> {
  if (spec.kind === 'engine') {
    // Warm-up: runs of the same kind (warmups in threads.ts), so that the measured run is
    // compiled code. The warm-up engines are kept until the measured run is over (see keepWarm).
    const warmed = spec.warm.map((w) => new Engine(workloadScenario(w)));
    for (const e of warmed) e.runToEnd();
    // The scenario as the loader would give it (zones with no index built yet): building the
    // geometry index is part of the run. (The generator's own data is dropped first.)
    const sc = workloadScenario(spec.wl);
    (globalThis as { gc?: () => void }).gc?.();
    await settle();
    const c0 = process.cpuUsage();
    const tc0 = threadCpuMs();
    const t0 = performance.now();
    // lean: as `deconflict run` runs it — no checkpoints for seeking, events not kept once out.
    const engine = new Engine(sc, spec.lean ? { checkpointEvery: Infinity, keepEvents: false } : {});
    const target = engine.tickAt(sc.start + spec.seconds * 1000);
    const types: Record<string, number> = {};
    let events = 0;
    while (engine.tickIndex < target && !engine.done) {
      const b = engine.step();
      events += b.events.length;
      for (const e of b.events) types[e.type] = (types[e.type] ?? 0) + 1;
    }
    const wallMs = performance.now() - t0;
    const cpu = cpuMs(process.cpuUsage(c0));
    const tc1 = threadCpuMs();
    const updates = (engine.tickIndex + 1) * sc.units.length;
    keepWarm(warmed);
    return {
      updates,
      wallMs,
      cpuMs: cpu,
      events,
      rssMB: process.resourceUsage().maxRSS / 1024,
      extra: { types, threadCpuMs: [tc0 !== undefined && tc1 !== undefined ? tc1 - tc0 : undefined] },
    };
  }
  if (spec.kind === 'baseline') {
    const sc = workloadScenario(spec.wl);
    const sample: number[] = [];
    for (let u = 0; u < sc.units.length; u += spec.stride) sample.push(u);
    // Warm-up on a few units, then the measured run.
    runBaseline(sc, sample.slice(0, spec.warmUnits));
    (globalThis as { gc?: () => void }).gc?.();
    const c0 = process.cpuUsage();
    const r = runBaseline(sc, sample);
    const cpu = cpuMs(process.cpuUsage(c0));
    return {
      updates: r.updates,
      wallMs: r.ms,
      cpuMs: cpu,
      events: r.enters + r.exits,
      rssMB: process.resourceUsage().maxRSS / 1024,
      extra: { units: sample.length },
    };
  }
  const sc = workloadScenario(spec.wl);
  const r = checkMembership(sc);
  return { updates: r.updates, wallMs: r.ms, cpuMs: 0, events: 0, rssMB: process.resourceUsage().maxRSS / 1024, extra: { ...r } };
}

// ------------------------------------------------------------------ parent side

function spawnChild(spec: Spec): Sample {
  const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', JSON.stringify(spec)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`benchmark child failed (${r.status}): ${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  const line = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(line) as Sample;
}

/** A workload to measure, on one thread (the engine; `lean` as `deconflict run` runs it) or split over `threads`. */
interface Config {
  name: string;
  wl: WorkloadOptions;
  seconds: number;
  warm: WorkloadOptions[];
  threads?: number;
  lean?: boolean;
}

/**
 * `reps` runs of each configuration, taken in turn (A B, then B A, …), so that a machine whose
 * speed drifts over minutes gives them the same times; a row each.
 */
function measureInTurn(configs: Config[], reps: number, log: (s: string) => void): Row[] {
  const samples: Sample[][] = configs.map(() => []);
  for (let i = 0; i < reps; i++) {
    const order = configs.map((_, c) => c);
    if (i % 2) order.reverse();
    for (const c of order) {
      const { name, wl, seconds, warm, threads = 1, lean } = configs[c];
      const s = spawnChild(threads > 1 ? { kind: 'split', wl, seconds, threads, warm } : { kind: 'engine', wl, seconds, warm, lean });
      samples[c].push(s);
      log(`  ${name} run ${i + 1}/${reps}: ${fmtRate(s.updates / (s.wallMs / 1000))} updates/s, ${s.events} events, ${s.rssMB.toFixed(0)} MB`);
    }
  }
  return configs.map((c, i) => rowOf(c.name, c.wl, c.seconds, samples[i]));
}

function measure(
  name: string,
  wl: WorkloadOptions,
  seconds: number,
  reps: number,
  warm: WorkloadOptions[],
  log: (s: string) => void,
  threads = 1,
  lean = false,
): Row {
  return measureInTurn([{ name, wl, seconds, warm, threads, lean }], reps, log)[0];
}

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument '${a}'`);
    const key = a.slice(2);
    const next = argv[i + 1];
    if (['quick', 'force', 'help', 'startup', 'loading', 'split', 'e2e', 'memory', 'class'].includes(key)) out[key] = true;
    else if (next === undefined || next.startsWith('--')) throw new Error(`${a} needs a value`);
    else {
      out[key] = next;
      i++;
    }
  }
  return out;
}

function intArg(args: Record<string, string | boolean>, key: string, def: number): number {
  const v = args[key];
  if (v === undefined) return def;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${key} must be a positive whole number, not '${v}'`);
  return n;
}

/** End to end beside the engine alone. */
function e2eLines(e: EndToEnd, engine1?: number, engine2?: number): string[] {
  const out = [
    `end to end: deconflict run FILE --json > /dev/null on the standard workload as a scenario file (${e.units} units, tracks in a CSV; ${(e.updates / 1e6).toFixed(1)} M updates), from the spawn to the exit (start, loading, run, output), medians of ${e.runs[0].ms.runs.length}:`,
  ];
  for (const r of e.runs) {
    const rate = (ms: number) => fmtRate(e.updates / (ms / 1000));
    const engine = r.threads === 1 ? engine1 : engine2;
    out.push(
      `  ${r.threads} thread${r.threads === 1 ? ' ' : 's'}: ${(r.ms.median / 1000).toFixed(2)} s [${(r.ms.min / 1000).toFixed(2)}–${(r.ms.max / 1000).toFixed(2)}] = ${rate(r.ms.median)} updates/s [${rate(r.ms.max)}–${rate(r.ms.min)}]${engine ? `; the engine alone: ${fmtRate(engine)}` : ''}`,
    );
  }
  return out;
}

const ms = (x: Spread) => `${x.median.toFixed(0)} ms [${x.min.toFixed(0)}–${x.max.toFixed(0)}]`;

function startupLines(st: StartupResult, reps: number): string[] {
  return [
    `start-up of the executable (dist/bin/deconflict.js), a fresh process each time, from the spawn; medians of ${reps} runs, min–max in brackets:`,
    `  deconflict --version: ${ms(st.version)}`,
    `  deconflict run tanf-2017-05-18 --json (the whole 4-hour scenario): ${ms(st.runJson)}`,
    `  terminal UI, first whole frame in a 120×40 pseudo-terminal: ${ms(st.firstFrame)}`,
    `  (a bare node -e 0: ${ms(st.bareNode)})`,
  ];
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    const spec = JSON.parse(argv[1]) as Spec;
    const sample = spec.kind === 'split' ? await splitSample(spec.wl, spec.seconds, spec.threads, spec.warm) : await child(spec);
    process.stdout.write(`${JSON.stringify(sample)}\n`);
    return 0;
  }
  let args: Record<string, string | boolean>;
  try {
    args = parseArgs(argv);
    if (args.help) {
      process.stdout.write(
        'usage: npm run bench -- [--quick] [--startup] [--loading] [--class] [--json FILE] | --write-scenario FILE [--units N] [--zones N] [--seed N] [--force]\n',
      );
      return 0;
    }
    if (args['write-scenario'] !== undefined) {
      // The scenario, and its tracks in a CSV file beside it (scenario files are kept small).
      const file = String(args['write-scenario']);
      const csv = `${basename(file).replace(/\.(ya?ml|json)$/i, '')}-tracks.csv`;
      const csvPath = join(dirname(file), csv);
      for (const f of [file, csvPath]) if (existsSync(f) && !args.force) throw new Error(`${f} exists; pass --force to overwrite it`);
      const wl = generateWorkload({
        ...STANDARD,
        units: intArg(args, 'units', STANDARD.units),
        zones: intArg(args, 'zones', STANDARD.zones),
        seed: intArg(args, 'seed', STANDARD.seed),
      });
      const text = workloadToYaml(wl, csv);
      const tracks = workloadToCsv(wl);
      writeFileSync(csvPath, tracks);
      writeFileSync(file, text);
      process.stdout.write(
        `wrote ${file} (${(text.length / 1048576).toFixed(1)} MiB) and ${csvPath} (${(tracks.length / 1048576).toFixed(1)} MiB): ${wl.units.length} units, ${wl.zones.length} zones\n`,
      );
      return 0;
    }
    for (const k of Object.keys(args))
      if (!['quick', 'json', 'startup', 'loading', 'split', 'e2e', 'memory', 'class'].includes(k)) throw new Error(`unknown option --${k}`);
  } catch (e) {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    return 2;
  }

  const quick = !!args.quick;
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const started = performance.now();
  const load0 = loadavg();
  const std = STANDARD;
  // The warm-up: the workload's size for its first 20 minutes, other seeds, WARM_ROUNDS times. V8
  // optimizes a function once it has run enough, so a smaller warm-up left a hundred or so
  // functions of the engine to be compiled during the measured run (docs/performance.md, "Two threads").
  const warm1: WorkloadOptions = { ...std, units: 10_000, duration: 1200, seed: 99 };
  const warm = warmups(warm1);
  // The 100,000-unit runs are for memory: one smaller warm-up, whose engine (kept) adds little
  // to their peak.
  const warmBig = [{ ...warm1, units: 10_000, duration: 600 }];
  const reps = quick ? 2 : 5;
  // One thread against two is a ratio of two medians, and one thread's runs spread widely (the
  // machine's cores run at two speeds over time: docs/performance.md, "One thread's spread"): five
  // runs each even with --quick, taken in turn.
  const splitReps = 5;
  const standardPair: Config[] = [
    { name: 'standard', wl: std, seconds: std.duration, warm },
    { name: '2 threads', wl: std, seconds: std.duration, warm, threads: 2 },
  ];
  const growthReps = quick ? 1 : 3;
  // 200 zones against 20 is a ratio too: three runs of each even with --quick, taken in turn.
  const zoneReps = 3;
  const zoneSet: Config[] = [
    { name: '20 zones', wl: std, seconds: std.duration, warm },
    { name: '1 zone', wl: { ...std, zones: 1 }, seconds: std.duration, warm },
    { name: '200 zones', wl: { ...std, zones: 200 }, seconds: std.duration, warm },
  ];

  const startupReps = quick ? 3 : 7;
  const loadingReps = quick ? 3 : 7;
  if (args.loading) {
    log('loading…');
    const lr = measureLoading(loadingReps, log);
    const ll = loadingLines(lr, loadingReps);
    process.stdout.write(
      `node ${process.version}, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}\n${ll.lines.join('\n')}\ntargets:\n${ll.targets.join('\n')}\n`,
    );
    if (typeof args.json === 'string') writeFileSync(args.json, JSON.stringify({ node: process.version, loading: lr }, null, 2));
    return 0;
  }
  if (args.class) {
    const { measureClass, classLines } = await import('./class.js');
    const { measureConsole, consoleLines } = await import('./class-console.js');
    const cr = await measureClass(40, log);
    const co = await measureConsole(40, log);
    process.stdout.write(
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}\n${[...classLines(cr), ...consoleLines(co)].join('\n')}\n`,
    );
    if (typeof args.json === 'string') writeFileSync(args.json, JSON.stringify({ node: process.version, class: cr, console: co }, null, 2));
    return cr.recorded === cr.students ? 0 : 1;
  }
  if (args.startup) {
    log('start-up…');
    const st = await measureStartup(startupReps, log);
    const lines = startupLines(st, startupReps);
    lines.push(`target: terminal UI's first frame within 700 ms — ${st.firstFrame.median <= 700 ? 'met' : 'NOT met'}`);
    process.stdout.write(
      `node ${process.version}, load average ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}\n${lines.join('\n')}\n`,
    );
    if (typeof args.json === 'string') writeFileSync(args.json, JSON.stringify({ node: process.version, startup: st }, null, 2));
    return 0;
  }

  const e2eReps = quick ? 2 : 5;
  if (args.split || args.e2e || args.memory) {
    const lines = [
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, load average at the start ${load0.map((x) => x.toFixed(2)).join(' ')}`,
    ];
    let one: Row | undefined;
    let two: Row | undefined;
    if (args.split) {
      log('standard workload on 1 and 2 threads…');
      [one, two] = measureInTurn(standardPair, splitReps, log);
      lines.push(...splitLines(one, two));
    }
    let mem: Row[] | undefined;
    if (args.memory) {
      log('100,000 units…');
      const big = { ...std, units: 100_000 };
      mem = [measure('100k units', big, 1800, 1, warmBig, log), measure('100k lean', big, 1800, 1, warmBig, log, 1, true)];
      for (const r of mem)
        lines.push(`${r.name}: ${r.units} units, 30 min, ${fmtRate(r.rate.median)} updates/s, ${r.events} events, peak RSS ${r.rssMB.toFixed(0)} MB`);
      lines.push('(lean: as deconflict run runs it, with no checkpoints for seeking and no events kept once out)');
    }
    let e2e: EndToEnd | undefined;
    if (args.e2e) {
      log('end to end…');
      e2e = measureEndToEnd(std, [1, 2], e2eReps, log);
      lines.push(...e2eLines(e2e, one?.rate.median, two?.rate.median));
    }
    lines.push(
      `load average at the end ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
    if (typeof args.json === 'string')
      writeFileSync(args.json, JSON.stringify({ node: process.version, load: [load0, loadavg()], one, two, e2e, mem }, null, 2));
    return 0;
  }

  process.stdout.write(
    [
      'deconflict benchmark (issue 5)',
      `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${load0.map((x) => x.toFixed(2)).join(' ')}`,
      `standard workload: ${std.units} units × ${std.waypoints} waypoints within ${std.radius / 1000} km of At Tanf, ${std.zones} zones (the 55 km circle, a 200-vertex line, 18 polygons of 16–1,000 vertices), ${std.duration} s at ${std.tick} s, seed ${std.seed}`,
      `method: each run in a fresh process after ${WARM_ROUNDS} warm-up runs (${warm1.units} units, ${warm1.duration} s, seeds ${warm1.seed}–${warm1.seed + WARM_ROUNDS - 1}; 100k units: one, ${warmBig[0].duration} s); engine construction, geometry index and run to the end are timed; medians of ${splitReps} runs (the standard workload on 1 and 2 threads, taken in turn), ${reps} (1k units), ${growthReps} (growth with units), ${zoneReps} (1, 20 and 200 zones, taken in turn), ${quick ? 1 : 2} (100k units); min–max in brackets`,
      '',
    ].join('\n'),
  );

  log('standard workload on 1 and 2 threads, in turn…');
  const [standard, standard2] = measureInTurn(standardPair, splitReps, log);
  // Growth with units over the first half hour (the first ticks cost more than the later ones, so
  // all three are compared over the same span).
  log('growth with units…');
  const half = quick ? 600 : 1800;
  const u1k = measure('1k units', { ...std, units: 1000 }, half, reps, warm, log);
  const u10k = measure('10k units', std, half, growthReps, warm, log);
  const big = { ...std, units: quick ? 50_000 : 100_000 };
  const u100k = measure('100k units', big, half, quick ? 1 : 2, warmBig, log);
  const u100kLean = measure('100k lean', big, half, quick ? 1 : 2, warmBig, log, 1, true);
  log('growth with zones…');
  // Its own 20-zone runs, taken in turn with the others (not the standard rows, run minutes
  // before: the machine's speed drifts, and a ratio of runs far apart in time measures the drift).
  const [z20, z1, z200] = measureInTurn(zoneSet, zoneReps, log);

  // The baseline on the same workload: every `stride`-th unit for the whole hour.
  log('baseline…');
  const stride = quick ? 100 : 50;
  const base: Sample[] = [];
  for (let i = 0; i < (quick ? 1 : 3); i++) base.push(spawnChild({ kind: 'baseline', wl: std, stride, warmUnits: 10 }));
  const baseRates = base.map((s) => s.updates / (s.wallMs / 1000));
  const baseRate = median(baseRates);

  log('membership check…');
  const checkWl = quick ? { ...std, units: 2000 } : std;
  const check = spawnChild({ kind: 'check', wl: checkWl });
  const c = check.extra as unknown as {
    updates: number;
    memberships: number;
    inside: number;
    baselineErrors: number;
    engineErrors: number;
    stateErrors: number;
    positionErrors: number;
    notJudged: number;
    crossingUnits: number;
    crossingPairs: number;
    crossingsCompared: number;
    crossingsEqual: number;
    examples: string[];
  };

  log('start-up…');
  const startup = await measureStartup(startupReps, log);
  log('end to end…');
  const e2e = measureEndToEnd(std, [1, 2], e2eReps, log);
  log('loading…');
  const loading = loadingLines(measureLoading(loadingReps, log), loadingReps);

  const load1 = loadavg();
  const row = (r: Row) =>
    `${r.name.padEnd(11)} ${String(r.units).padStart(7)} ${String(r.zones).padStart(5)} ${String(r.seconds).padStart(6)} ${(r.updates / 1e6).toFixed(1).padStart(8)} M  ${fmtRate(r.rate.median).padStart(9)} [${fmtRate(r.rate.min)}–${fmtRate(r.rate.max)}]  ${fmtRate(r.cpuRate).padStart(9)}  ${String(r.events).padStart(8)}  ${r.rssMB.toFixed(0).padStart(5)} MB`;
  const lines: string[] = [];
  lines.push('engine, end to end (unit updates per second, wall clock; cpu: on the process CPU time):');
  lines.push(
    `${'run'.padEnd(11)} ${'units'.padStart(7)} ${'zones'.padStart(5)} ${'sim s'.padStart(6)} ${'updates'.padStart(10)}  ${'updates/s (median [min–max])'.padEnd(30)} ${'cpu'.padStart(6)}  ${'events'.padStart(8)}  peak RSS`,
  );
  for (const r of [standard, standard2, u1k, u10k, u100k, u100kLean, z1, z20, z200]) lines.push(row(r));
  lines.push(`(2 threads: run --threads 2; 100k lean: the 100k run as deconflict run runs it, with no checkpoints for seeking and no events kept once out)`);
  lines.push('');
  const splitPairs = pairedRatio(standard, standard2);
  lines.push(...splitLines(standard, standard2, splitPairs));
  lines.push(...e2eLines(e2e, standard.rate.median, standard2.rate.median));
  lines.push('');
  const perUpdate = (r: Row) => 1e9 / r.rate.median;
  lines.push(
    `growth with units (${half} s each): ${perUpdate(u1k).toFixed(0)} / ${perUpdate(u10k).toFixed(0)} / ${perUpdate(u100k).toFixed(0)} ns per update at ${u1k.units} / ${u10k.units} / ${u100k.units} units (cost linear in units = the same ns per update); ${u100k.units} units cost ${(u100k.wallMs / u10k.wallMs).toFixed(1)}× ${u10k.units}`,
  );
  const zoneRatio = z200.wallMs / z20.wallMs;
  const zonePairs = pairedRatio(z200, z20);
  lines.push(
    `growth with zones: ${perUpdate(z1).toFixed(0)} / ${perUpdate(z20).toFixed(0)} / ${perUpdate(z200).toFixed(0)} ns per update at 1 / 20 / 200 zones; 200 zones cost ${zoneRatio.toFixed(2)}× 20 zones (the zones of a run cover about the same area: more zones are smaller)`,
    `  run in turn, 20 zones and 200: ${zonePairs.each.map((x) => `${x.toFixed(2)}×`).join(', ')}`,
  );
  lines.push('');
  lines.push(
    `baseline (turf.distance, turf.booleanPointInPolygon on every applicable zone without an index, one RxJS emission per update), every ${stride}th unit of the standard workload for the whole hour (${base[0].updates.toLocaleString('en')} updates), ${base.length} run(s):`,
  );
  lines.push(`  ${fmtRate(baseRate)} updates/s [${fmtRate(Math.min(...baseRates))}–${fmtRate(Math.max(...baseRates))}], ${base[0].events} membership changes`);
  const ratio = standard.rate.median / baseRate;
  lines.push(`engine / baseline: ${ratio.toFixed(1)}×`);
  lines.push('');
  lines.push(
    `membership check over every update of ${checkWl.units === std.units ? 'the standard workload' : `${checkWl.units} units of the standard workload`} (${c.updates.toLocaleString('en')} updates, ${c.memberships.toLocaleString('en')} unit-zone memberships, ${c.inside.toLocaleString('en')} inside):`,
  );
  lines.push(`  baseline errors (turf's sphere wrong, engine right by geographiclib): ${c.baselineErrors}`);
  lines.push(
    `  engine disagreements not proved right: ${c.engineErrors}; engine state against its geometry: ${c.stateErrors} wrong; interpolation differences: ${c.positionErrors}`,
  );
  if (c.notJudged)
    lines.push(`  not compared: a line beyond the reach of the engine's index, for units without a pair with it: ${c.notJudged.toLocaleString('en')}`);
  lines.push(
    `  crossings between ticks of every 100th unit (${c.crossingUnits} units, ${c.crossingPairs} unit-zone pairs) against a dense reference (5 m samples, bisection): ${c.crossingsCompared.toLocaleString('en')} approach/enter/exit events compared, ${c.crossingsEqual.toLocaleString('en')} equal (time within 1 ms, point within 0.1 m)`,
  );
  for (const ex of c.examples) lines.push(`    e.g. ${ex}`);
  lines.push('');
  lines.push(...startupLines(startup, startupReps));
  lines.push('');
  lines.push(...loading.lines);
  lines.push('');
  const ok = (b: boolean) => (b ? 'met' : 'NOT met');
  lines.push('targets:');
  lines.push(`  ≥ 10 M updates/s on the standard workload: ${fmtRate(standard.rate.median)} — ${ok(standard.rate.median >= 10e6)}`);
  lines.push(`  ≥ 30× the baseline: ${ratio.toFixed(1)}× — ${ok(ratio >= 30)}`);
  lines.push(`  200 zones < 3× 20 zones: ${zoneRatio.toFixed(2)}× — ${ok(zoneRatio < 3)} (median of the pairs run in turn: ${zonePairs.median.toFixed(2)}×)`);
  lines.push(`  peak RSS < 500 MB on the standard workload: ${standard.rssMB.toFixed(0)} MB — ${ok(standard.rssMB < 500)}`);
  lines.push(
    `  peak RSS < 600 MB with ${u100k.units} units: ${u100kLean.rssMB.toFixed(0)} MB as deconflict run runs it — ${ok(u100kLean.rssMB < 600)}; ${u100k.rssMB.toFixed(0)} MB keeping checkpoints for seeking and every event — ${ok(u100k.rssMB < 600)}`,
  );
  const speedup = standard2.rate.median / standard.rate.median;
  lines.push(
    `  2 threads ≥ 1.7× one thread on the standard workload: ${speedup.toFixed(2)}× — ${ok(speedup >= 1.7)} (median of the pairs run in turn: ${splitPairs.median.toFixed(2)}×)`,
  );
  for (const r of e2e.runs) {
    const rate = e2e.updates / (r.ms.median / 1000);
    lines.push(
      `  end to end ≥ 10 M updates/s (deconflict run FILE --json, ${r.threads} thread${r.threads === 1 ? '' : 's'}): ${fmtRate(rate)} — ${ok(rate >= 10e6)}`,
    );
  }
  lines.push(`  same membership as the baseline except its own errors: ${ok(c.engineErrors === 0 && c.stateErrors === 0 && c.positionErrors === 0)}`);
  lines.push(`  the same crossings between ticks as the dense reference: ${ok(c.crossingsCompared > 0 && c.crossingsEqual === c.crossingsCompared)}`);
  lines.push(
    `  terminal UI's first frame within 700 ms of starting the process: ${startup.firstFrame.median.toFixed(0)} ms — ${ok(startup.firstFrame.median <= 700)}`,
  );
  lines.push(...loading.targets);
  lines.push('');
  lines.push(`load average at the end ${load1.map((x) => x.toFixed(2)).join(' ')}; the benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  process.stdout.write(`${lines.join('\n')}\n`);
  if (typeof args.json === 'string') {
    writeFileSync(
      args.json,
      JSON.stringify(
        {
          node: process.version,
          load: [load0, load1],
          standard,
          standard2,
          e2e,
          u100kLean,
          u1k,
          u10k,
          u100k,
          z1,
          z20,
          z200,
          baseline: { rate: baseRate, rates: baseRates, updates: base[0].updates, stride },
          ratio,
          check: c,
          startup,
        },
        null,
        2,
      ),
    );
  }
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`bench: ${(e as Error).message}\n`);
    process.exitCode = 1;
  },
);
