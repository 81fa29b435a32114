/** What the commands of the table do to the UI state, where it takes more than a line. */
import { effectiveView, panView, type UiState } from '../state.js';
import type { Env } from './types.js';

/** While a filter is typed the log follows it: the filter is the draft, and the selection goes back to the newest match. */
export function typeFilter(s: UiState, draft: string): UiState {
  return { ...s, draft, filter: draft, logSel: 0 };
}

/** Pan the map a fifth of its size (dx right, dy up); panning stops following. */
export function pan(dx: number, dy: number) {
  return (s: UiState, env: Env): UiState => {
    const stepX = Math.max(2, Math.round(env.layout.map.iw * 2 * 0.2));
    const stepY = Math.max(2, Math.round(env.layout.map.ih * 4 * 0.2));
    return { ...s, follow: false, view: panView(effectiveView(s, env.fit, env.unitPos), dx * stepX, dy * stepY) };
  };
}

export type Move = number | 'page' | '-page' | 'home' | 'end';

/** Move through what has the keys: the open overlay (scroll), the event log or the units table (selection). */
export function move(delta: Move) {
  return (s: UiState, env: Env): UiState => {
    if (s.overlay !== 'none') {
      const page = Math.max(1, env.overlayPage());
      const max = Math.max(0, env.overlayLines(s) - page);
      const d = delta === 'page' ? page - 1 : delta === '-page' ? -(page - 1) : delta === 'home' ? -Infinity : delta === 'end' ? Infinity : delta;
      return { ...s, overlayScroll: Math.max(0, Math.min(max, s.overlayScroll + d)) };
    }
    if (s.focus === 'log') {
      const page = Math.max(1, env.layout.log.ih - 1);
      // Down is newer (toward 0), up is older.
      const d = delta === 'page' ? -page : delta === '-page' ? page : delta === 'home' ? Infinity : delta === 'end' ? -Infinity : -delta;
      return { ...s, logSel: Math.max(0, Math.min(Math.max(0, env.logCount(s) - 1), s.logSel + d)) };
    }
    const order = env.order(s);
    if (!order.length) return s;
    const page = Math.max(1, env.layout.table.ih - 2);
    const cur = Math.max(0, order.indexOf(s.selected));
    const d = delta === 'page' ? page : delta === '-page' ? -page : delta === 'home' ? -Infinity : delta === 'end' ? Infinity : delta;
    const next = Math.max(0, Math.min(order.length - 1, cur + d));
    return { ...s, selected: order[next] };
  };
}

/**
 * A time typed after `:`: `07:30` or `07:30:15` on the day the scenario starts (the next day when
 * that is before the start, for a scenario that runs past midnight), or `+1h30m` after the start.
 */
export function parseJump(text: string, start: number): number | undefined {
  const s = text.trim();
  const rel = /^\+(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(s);
  if (rel && s !== '+') return start + ((Number(rel[1] ?? 0) * 60 + Number(rel[2] ?? 0)) * 60 + Number(rel[3] ?? 0)) * 1000;
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(s);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59 || Number(m[3] ?? 0) > 59) return undefined;
  const day = Math.floor(start / 86_400_000) * 86_400_000;
  const t = day + ((Number(m[1]) * 60 + Number(m[2])) * 60 + Number(m[3] ?? 0)) * 1000;
  return t < start ? t + 86_400_000 : t;
}

/** Go to the time typed after `:` (clamped to the scenario; a note says why when it is not a time or was clamped). */
export function jumpTo(s: UiState, env: Env): UiState {
  const session = env.session;
  const sc = session.engine.scenario;
  const t = parseJump(s.jump ?? '', sc.start);
  if (t === undefined) session.note = `“${s.jump}” is not a time: type 07:30, 07:30:15 or +1h30m`;
  else {
    const at = Math.max(sc.start, Math.min(sc.end, t));
    session.playback?.seekTick(session.engine.tickAt(at));
    if (at !== t) session.note = `${s.jump} is outside the scenario: at the ${t < sc.start ? 'start' : 'end'}`;
  }
  return { ...s, jump: undefined };
}
