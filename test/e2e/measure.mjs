#!/usr/bin/env node
/**
 * Measures the terminal UI (not a test; numbers depend on the machine):
 *   - frame build time (every panel's rows) with 1,000 units on the map, 120×40;
 *   - time to the first full frame of the real binary in a pseudo-terminal;
 *   - CPU used while paused (over 30 s), and while playing, from /proc (Linux).
 *
 * Run after `npm run build`:  node test/e2e/measure.mjs
 * (DECONFLICT_BIN=dist/cli/bin.js measures the unbundled build instead of the shipped executable.)
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isWholeFrame } from '../../dist/bench/startup.js';
import { Engine } from '../../dist/core/engine.js';
import { geodesicDestination } from '../../dist/core/geo/geodesic.js';
import { loadScenario } from '../../dist/io/node/load.js';
import { FrameContext } from '../../dist/ui/screen/context.js';
import { commandEnv } from '../../dist/ui/screen/env.js';
import { buildFrame, composeScreen } from '../../dist/ui/screen/frame.js';
import { computeLayout } from '../../dist/ui/layout.js';
import { loadBorders } from '../../dist/ui/map/borders.js';
import { ReplaySession } from '../../dist/ui/playback/replay.js';
import { initialUi } from '../../dist/ui/state.js';

const TANF = [38.61778, 33.50583];

/** A scenario with `n` units converging on At Tanf from every direction, some entering the zone. */
export function manyUnitsYaml(n) {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const units = [];
  for (let i = 0; i < n; i++) {
    const az = rnd() * 360;
    const a = geodesicDestination(TANF, az, 80_000 + rnd() * 60_000);
    const b = geodesicDestination(TANF, az + (rnd() - 0.5) * 30, 20_000 + rnd() * 60_000);
    const speed = Math.round(15 + rnd() * 30);
    units.push(`  - id: u${String(i).padStart(4, '0')}
    name: Unit ${i}
    side: pro-regime
    composition: {tanks: ${i % 3}, technicals: ${1 + (i % 4)}, personnel: ${10 + (i % 50)}}
    track:
      - {pos: [${a[0].toFixed(5)}, ${a[1].toFixed(5)}], t: 2017-05-18T06:00:00Z}
      - {pos: [${b[0].toFixed(5)}, ${b[1].toFixed(5)}], speed: ${speed}km/h}`);
  }
  return `title: ${n} units converge on At Tanf (load test)
start: 2017-05-18T06:00:00Z
end: 2017-05-18T10:00:00Z
tick: 10s
seed: 1
sites:
  - {id: tanf, name: At Tanf garrison, side: coalition, pos: {lat: 33.50583, lon: 38.61778}}
zones:
  - {id: tanf-dz, name: the At Tanf deconfliction zone, type: circle, center: tanf, radius: 55km, protects: tanf, applies_to: [pro-regime], approach: 10km, hysteresis: 250m}
units:
${units.join('\n')}
`;
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p50: q(0.5), p95: q(0.95), max: s[s.length - 1] };
}

const fmt = (o) =>
  Object.entries(o)
    .map(([k, v]) => `${k} ${v.toFixed(1)} ms`)
    .join(', ');

function frameBuild(file) {
  const sc = loadScenario(file);
  const session = new ReplaySession(new Engine(sc));
  const b = new FrameContext(session, true);
  b.setBorders(loadBorders());
  const L = computeLayout(120, 40);
  const ui = initialUi(sc.units.length);
  const env = commandEnv(b, L);
  session.seekTick(Math.floor(session.engine.tickCount / 2));
  const build = [];
  const step = [];
  // Warm up (JIT), then measure.
  for (let i = 0; i < 40; i++) {
    session.stepForward();
    composeScreen(buildFrame(b, ui, L, env), L, true);
  }
  for (let i = 0; i < 150; i++) {
    let t = performance.now();
    session.stepForward();
    step.push(performance.now() - t);
    t = performance.now();
    composeScreen(buildFrame(b, ui, L, env), L, true);
    build.push(performance.now() - t);
  }
  // Follow mode moves the view every frame: the static layer is redrawn each time.
  const follow = [];
  const fui = { ...ui, follow: true };
  for (let i = 0; i < 150; i++) {
    session.stepForward();
    const t = performance.now();
    composeScreen(buildFrame(b, fui, L, env), L, true);
    follow.push(performance.now() - t);
  }
  return { units: sc.units.length, build: stats(build), follow: stats(follow), step: stats(step) };
}

function cpuTicks(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const parts = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(parts[11]) + Number(parts[12]);
}

export async function live(file, { playMs = 0 } = {}) {
  const term = new xterm.Terminal({ cols: 120, rows: 40, allowProposedApi: true });
  const env = { ...process.env, TERM: 'xterm-256color' };
  for (const k of Object.keys(env)) if (k === 'CI' || k.startsWith('CI_')) delete env[k];
  const t0 = performance.now();
  const p = pty.spawn(process.execPath, [process.env.DECONFLICT_BIN ?? 'dist/bin/deconflict.js', file], { cols: 120, rows: 40, env });
  let chain = Promise.resolve();
  p.onData((d) => (chain = chain.then(() => new Promise((r) => term.write(d, r)))));
  const text = () => {
    const b = term.buffer.active;
    let s = '';
    for (let y = 0; y < 40; y++) s += `${b.getLine(y)?.translateToString(true) ?? ''}\n`;
    return s;
  };
  let first;
  for (;;) {
    await chain;
    if (isWholeFrame(text())) {
      first = performance.now() - t0;
      break;
    }
    if (performance.now() - t0 > 60_000) throw new Error('no first frame');
    await new Promise((r) => setTimeout(r, 5));
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  await sleep(4000); // borders load after the first frame, and JIT settles
  const hz = 100;
  let a = cpuTicks(p.pid);
  // 30 s: long enough to include the one-off garbage collection V8 runs once a process has gone
  // quiet (about 15 s after start-up), so the figure is the whole cost of sitting paused.
  await sleep(30_000);
  const paused = ((cpuTicks(p.pid) - a) / hz / 30) * 100;
  let playing;
  if (playMs) {
    p.write(' ');
    await sleep(500);
    a = cpuTicks(p.pid);
    await sleep(playMs);
    playing = ((cpuTicks(p.pid) - a) / hz / (playMs / 1000)) * 100;
    p.write(' ');
  }
  p.write('q');
  await new Promise((r) => p.onExit(r));
  return { first, paused, playing };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'deconflict-measure-'));
  try {
    const many = join(dir, 'many.yaml');
    writeFileSync(many, manyUnitsYaml(1000));
    for (const f of ['scenarios/tanf-2017-05-18.yaml', many]) {
      const r = frameBuild(f);
      console.log(`frame build, ${r.units} units, 120x40: ${fmt(r.build)}`);
      console.log(`  following a unit (static layer redrawn each frame): ${fmt(r.follow)}`);
      console.log(`  engine step for comparison: ${fmt(r.step)}`);
    }
    for (const f of ['scenarios/tanf-2017-05-18.yaml', many]) {
      const r = await live(f, { playMs: 3000 });
      console.log(
        `${f === many ? '1000 units' : 'tanf-2017-05-18'}: first full frame ${r.first.toFixed(0)} ms after spawn; CPU paused ${r.paused.toFixed(2)} %, playing ${r.playing?.toFixed(1)} %`,
      );
    }
    const t = performance.now();
    const p = pty.spawn(process.execPath, ['-e', '0'], { cols: 80, rows: 24 });
    await new Promise((r) => p.onExit(r));
    console.log(`(bare node start in a pty: ${(performance.now() - t).toFixed(0)} ms)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) await main();
