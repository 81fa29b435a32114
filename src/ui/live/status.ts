/**
 * What the terminal UI shows of a live run besides the engine's state: the LIVE mark, the
 * status line under the panels (time, fixes used and skipped, the last input problem) and the
 * `i` overlay (where positions come from, what came in per unit, every input problem).
 */
import type { Engine } from '../../core/engine.js';
import { formatDuration, formatTime } from '../../core/units.js';
import type { LiveClock, LiveStats } from '../../io/live.js';
import { row, wrap, type Seg } from '../text.js';
import { FOCUS_COLOR } from '../theme.js';
import { maxOf } from '../../core/extent.js';

export interface LiveStatus {
  /** `wall`: ticks in real time; `feed`: the fixes' own times drive the run. */
  clock: LiveClock;
  tickMs: number;
  /** Where positions come from, in words. */
  sources: string;
  /** Lines read, fixes used, skipped, late, CoT events. */
  stats: Readonly<LiveStats>;
  /** The run's window is known (at once with the wall clock, at the first fix with the feed clock). */
  started: boolean;
  /** Input problems, oldest first (the most recent `PROBLEMS_KEPT`), and how many there were in all. */
  problems: readonly string[];
  problemCount: number;
  /** Notes on the run itself (the port listened on, the window's end), oldest first. */
  notes: readonly string[];
  /** The last fix used: its unit, its time and where it came from. */
  lastFix?: { unit: string; t: number; source: string };
  /** Per unit: fixes used and the time of the last one. */
  perUnit: readonly { fixes: number; last?: number }[];
  /** The input stopped by itself: its stream ended, or the run's window is over. */
  ended?: 'input' | 'window';
  /** DIS input's counts, in words (with --dis-in, once a datagram came). */
  dis?: string;
}

export const PROBLEMS_KEPT = 500;

const HHMMSS = (t: number) => new Date(t).toISOString().slice(11, 19);
/** A time to the second. */
const at = (t: number) => formatTime(Math.floor(t / 1000) * 1000);

/** The mark in the header. */
export function liveBadge(): Seg {
  return [' ● LIVE ', { fg: 'red', bold: true, inverse: true }];
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The status line of a live run (in place of the replay's play state, speed and tick). */
export function liveStatusSegs(live: LiveStatus, engine: Engine): Seg[] {
  const sc = engine.scenario;
  const t = engine.time;
  const out: Seg[] = [
    ['● LIVE', { fg: 'red', bold: true }],
    [live.clock === 'wall' ? '  real time' : '  feed time', { bold: true }],
  ];
  if (live.started) {
    out.push(
      [`  ${formatTime(t).replace('T', ' ')}`],
      [`  +${formatDuration(Math.max(0, t - sc.start))} of ${formatDuration(sc.end - sc.start)}`, { dim: true }],
    );
  }
  if (live.ended === 'window') out.push(['  the window is over', { fg: 'yellow', bold: true }]);
  else if (live.ended === 'input') out.push(['  input ended', { fg: 'yellow', bold: true }]);
  const s = live.stats;
  if (s.fixes === 0 && !s.skipped) out.push([`  waiting for ${live.sources}`, { fg: 'yellow' }]);
  else {
    out.push([`  ${plural(s.fixes, 'fix', 'fixes')} used`, { bold: true }]);
    out.push([`, ${s.skipped} skipped`, s.skipped ? { fg: 'yellow', bold: true } : { dim: true }]);
    if (live.lastFix) out.push([`  last: ${live.lastFix.unit} ${HHMMSS(live.lastFix.t)}`, { dim: true }]);
  }
  return out;
}

/** The latest input problem (next to the scrubber): never fatal, but never silent either. */
export function liveProblemSegs(live: LiveStatus): Seg[] {
  const n = live.problemCount;
  return [
    [' ⚠ ', { fg: 'yellow', bold: true }],
    [`${n > 1 ? `${n} input problems, the last: ` : ''}${live.problems[live.problems.length - 1] ?? ''}`, { fg: 'yellow' }],
  ];
}

/** The `i` overlay: sources, clock and window, counts, each unit's fixes, notes and every input problem kept. */
export function inputLines(live: LiveStatus, engine: Engine, w: number, color: boolean): string[] {
  const sc = engine.scenario;
  const out: string[] = [];
  const LW = 12;
  const para = (label: string, body: string, dim = false) => {
    wrap(body, Math.max(10, w - LW - 4)).forEach((l, i) =>
      out.push(row([['  '], [i ? ''.padEnd(LW) : label.padEnd(LW), { bold: true }], [l, dim ? { dim: true } : undefined]], w, color)),
    );
  };
  const title = (text: string) => out.push(row([['  '], [text, { bold: true, fg: FOCUS_COLOR }]], w, color));
  const s = live.stats;
  para('positions', `from ${live.sources}`);
  para(
    'clock',
    live.clock === 'wall'
      ? `real time, a tick every ${formatDuration(live.tickMs)}; a fix counts from the next tick`
      : `the fixes' own times drive the run (tick ${formatDuration(live.tickMs)}); every tick before a fix runs when it arrives`,
  );
  para('window', live.started ? `${formatTime(sc.start)} → ${formatTime(sc.end)}` : 'from the first fix on (its time decides the window)');
  para(
    'received',
    `${plural(s.lines, 'line')}${s.cotEvents ? ` and ${plural(s.cotEvents, 'CoT event')}` : ''} read: ${plural(s.fixes, 'fix', 'fixes')} used, ${s.skipped} skipped${s.late ? `, ${s.late} late (counted from the next tick)` : ''}`,
  );
  if (live.dis) para('DIS', live.dis.replace(/^DIS: /, ''));
  if (live.lastFix) para('last fix', `${live.lastFix.unit} at ${at(live.lastFix.t)} (${live.lastFix.source})`);
  out.push(row([], w, color));
  title('Units');
  const idW = Math.min(
    16,
    maxOf(sc.units, (u) => u.id.length, 4),
  );
  sc.units.forEach((u, i) => {
    const p = live.perUnit[i];
    const text = p && p.fixes ? `${plural(p.fixes, 'fix', 'fixes')}, the last at ${p.last !== undefined ? at(p.last) : '-'}` : 'no position received yet';
    out.push(row([['    '], [u.id.padEnd(idW), { bold: true }], ['  '], [text, p && p.fixes ? undefined : { dim: true }]], w, color));
  });
  if (live.notes.length) {
    out.push(row([], w, color));
    title('Notes');
    for (const n of live.notes) for (const l of wrap(n, Math.max(10, w - 6))) out.push(row([['    '], [l]], w, color));
  }
  out.push(row([], w, color));
  const kept = live.problems.length < live.problemCount ? `, the last ${live.problems.length} kept` : '';
  title(`Input problems: ${live.problemCount}${live.problemCount ? ` (newest first${kept})` : ''}`);
  if (!live.problemCount) out.push(row([['    none: every line and datagram so far was read', { dim: true }]], w, color));
  for (let k = live.problems.length - 1; k >= 0; k--)
    wrap(live.problems[k], Math.max(10, w - 6)).forEach((l, i) => out.push(row([[i ? '      ' : '    '], [l, { fg: 'yellow' }]], w, color)));
  return out;
}
