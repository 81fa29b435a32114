/**
 * The two timeline rows: the status (playing or paused, speed, time, tick; a live run's status
 * instead) and the scrubber with the marks where rungs changed.
 */
import { formatDuration, formatTime } from '../../../core/units.js';
import { liveProblemSegs, liveStatusSegs } from '../../live/status.js';
import { row, width, type Seg } from '../../text.js';
import { RUNG_COLOR, RUNG_KEYS, type Style } from '../../theme.js';
import type { FrameContext } from '../context.js';
import { clock, speedText } from '../format.js';

export interface Timeline {
  rows: [string, string];
  /** The scrubber: its first column and width; undefined when time cannot be moved (live). */
  scrubber?: { x0: number; w: number };
}

export function timeline(ctx: FrameContext, w: number): Timeline {
  const s = ctx.session;
  const e = ctx.engine;
  const sc = e.scenario;
  const t = e.time;
  const live = s.live;
  const p = s.playback;
  const top: Seg[] = [[' ']];
  if (live) top.push(...liveStatusSegs(live, e));
  else {
    const state: Seg = p?.seeking
      ? ['» seeking', { fg: 'yellow', bold: true }]
      : p?.playing
        ? ['▶ playing', { fg: 'green', bold: true }]
        : ['‖ paused', { bold: true }];
    top.push(
      state,
      [`  ${speedText(p?.speed ?? 0)}`, { bold: true }],
      [`   ${formatTime(t).replace('T', ' ')}`],
      [`   +${formatDuration(t - sc.start)} of ${formatDuration(sc.end - sc.start)}`, { dim: true }],
      // Tick n is n ticks after the start (tick 0 is at the start, as before it).
      [`   tick ${Math.max(0, e.tickIndex)}/${e.tickCount - 1}`, { dim: true }],
    );
  }
  if (s.note) top.push([`   ${s.note}`, { fg: 'yellow' }]);
  const startL = ` ${clock(sc.start).slice(0, 5)} `;
  const endL = ` ${clock(sc.end).slice(0, 5)} `;
  // A live run's latest input problem shares this row with a shorter scrubber.
  const problem = live?.problemCount ? liveProblemSegs(live) : undefined;
  const room = problem ? Math.max(width(startL) + width(endL) + 8, Math.floor(w * 0.4)) : w;
  const bw = Math.max(4, room - width(startL) - width(endL));
  const levels = ctx.marks.update(s.timelineEvents, sc.start, sc.end, bw);
  const frac = e.tickIndex < 0 ? 0 : (t - sc.start) / Math.max(1, sc.end - sc.start);
  const cur = Math.max(0, Math.min(bw - 1, Math.round(frac * (bw - 1))));
  const segs: Seg[] = [[startL, { dim: true }]];
  let run = '';
  let runStyle: Style | undefined;
  const flush = () => {
    if (run) segs.push([run, runStyle]);
    run = '';
  };
  const push = (ch: string, st: Style) => {
    if (runStyle === undefined || JSON.stringify(st) !== JSON.stringify(runStyle)) {
      flush();
      runStyle = st;
    }
    run += ch;
  };
  for (let c = 0; c < bw; c++) {
    const lvl = levels[c];
    if (c === cur) push('●', { bold: true, fg: 'whiteBright' });
    else if (lvl) {
      const fg = lvl === 1 ? 'green' : RUNG_COLOR[RUNG_KEYS[lvl - 1]];
      push('┃', { fg, bold: c < cur, dim: c > cur });
    } else if (c < cur) push('━', { fg: 'cyan' });
    else push('─', { dim: true });
  }
  flush();
  segs.push([endL, { dim: true }]);
  if (problem) segs.push(...problem);
  return { rows: [row(top, w, ctx.color), row(segs, w, ctx.color)], scrubber: p ? { x0: width(startL), w: bw } : undefined };
}
