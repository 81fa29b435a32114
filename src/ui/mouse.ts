/**
 * The mouse: SGR mouse reports (sent once the TerminalGuard turns them on) turned into
 * what a click or a wheel turn means where it happened. A click selects the unit under it (a
 * row of the table, or its symbol on the map) or an event of the log, and focuses that panel; a
 * click on the timeline jumps there (replays only); the wheel zooms the map, and moves through
 * the table, the log and an open overlay. Everything else stays with the keys: the mouse reuses
 * their commands wherever one does the job.
 */
import { applyKeys } from './commands/dispatch.js';
import type { Command, Env, Mode } from './commands/types.js';
import type { Layout } from './layout.js';
import type { UiState } from './state.js';

export type MouseButton = 'left' | 'middle' | 'right' | 'wheelup' | 'wheeldown';

export interface MouseEvent {
  button: MouseButton;
  /** Cell, from 0 at the top left. */
  x: number;
  y: number;
  /** A button let go (SGR `m`). */
  release: boolean;
}

// Ink passes a report on as its own input, without the escape character.
const SGR = /^\x1b?\[<(\d+);(\d+);(\d+)([Mm])$/;

/** A mouse report, or undefined for anything else (keys). */
export function parseMouse(input: string): MouseEvent | undefined {
  const m = SGR.exec(input);
  if (!m) return undefined;
  const code = Number(m[1]);
  // Low bits: the button; 4, 8, 16: shift, meta, ctrl; 32: motion; 64: the wheel.
  if (code & 32) return undefined;
  const b = code & 3;
  const button: MouseButton | undefined = code & 64 ? (b === 0 ? 'wheelup' : b === 1 ? 'wheeldown' : undefined) : (['left', 'middle', 'right'] as const)[b];
  if (!button) return undefined;
  return { button, x: Number(m[2]) - 1, y: Number(m[3]) - 1, release: m[4] === 'm' };
}

/** Where a cell is on the screen (see layout.ts for the arrangement). */
export type Region =
  | { kind: 'map'; cx: number; cy: number }
  | { kind: 'table'; row: number }
  | { kind: 'log'; row: number }
  | { kind: 'overlay' }
  | { kind: 'timeline'; col: number }
  | { kind: 'other' };

/** Content coordinates inside a panel's border (row 0 is the first row inside it). */
export function hitTest(L: Layout, overlay: boolean, x: number, y: number): Region {
  if (L.tooSmall || y <= 0 || x < 0 || x >= L.cols || y >= L.height) return { kind: 'other' };
  const top = 1;
  if (overlay) {
    if (y < top + L.overlay.h) return { kind: 'overlay' };
  } else if (y < top + L.map.h) {
    if (x < L.map.w) return x > 0 && x < L.map.w - 1 && y > top && y < top + L.map.h - 1 ? { kind: 'map', cx: x - 1, cy: y - top - 1 } : { kind: 'other' };
    return y > top && y < top + L.map.h - 1 ? { kind: 'table', row: y - top - 1 } : { kind: 'other' };
  } else if (y < top + L.map.h + L.log.h) {
    const first = top + L.map.h + 1;
    return y >= first && y < top + L.map.h + L.log.h - 1 ? { kind: 'log', row: y - first } : { kind: 'other' };
  }
  // The two timeline rows come last but one: status, then the scrubber.
  if (y === L.height - 2) return { kind: 'timeline', col: x };
  return { kind: 'other' };
}

/** What a frame drew where, for clicks (returned with the frame: see screen/frame.ts). */
export interface Hits {
  /** Units in the table's rows, from its first row under the column titles. */
  tableUnits: readonly number[];
  /** The log's rows: `logSel` of row i is `logNewest - i`; `logRows` rows hold events. */
  logNewest: number;
  logRows: number;
  /** The timeline's scrubber: first column and width; undefined when time cannot be moved (live). */
  scrubber?: { x0: number; w: number };
  /** The unit drawn nearest a map cell (within a cell or two), or -1. */
  unitOnMap(cx: number, cy: number): number;
}

/** The mouse's meaning on the last frame drawn (`hits`): a new UI state (the playback may have been moved too, for a timeline click). */
export function applyMouse(ev: MouseEvent, s: UiState, env: Env, hits: Hits, commands: readonly Command[]): UiState {
  if (ev.release || ev.button === 'middle' || ev.button === 'right' || s.editing || s.quit) return s;
  const wheel = ev.button === 'wheelup' ? 'up' : ev.button === 'wheeldown' ? 'down' : undefined;
  const r = hitTest(env.layout, s.overlay !== 'none', ev.x, ev.y);
  switch (r.kind) {
    case 'overlay':
      return wheel ? applyKeys([wheel, wheel, wheel], s, env, commands) : s;
    case 'map': {
      if (wheel) return applyKeys([wheel === 'up' ? '+' : '-'], s, env, commands);
      const u = hits.unitOnMap(r.cx, r.cy);
      return u >= 0 ? { ...s, focus: 'map', selected: u } : { ...s, focus: 'map' };
    }
    case 'table': {
      if (wheel) return applyKeys([wheel], { ...s, focus: 'units' }, env, commands);
      const u = r.row >= 1 ? hits.tableUnits[r.row - 1] : undefined;
      return u !== undefined ? { ...s, focus: 'units', selected: u } : { ...s, focus: 'units' };
    }
    case 'log': {
      if (wheel) return applyKeys([wheel], { ...s, focus: 'log' }, env, commands);
      return r.row < hits.logRows ? { ...s, focus: 'log', logSel: hits.logNewest - r.row } : { ...s, focus: 'log' };
    }
    case 'timeline': {
      const sc = hits.scrubber;
      if (wheel || !sc || r.col < sc.x0 || r.col >= sc.x0 + sc.w) return s;
      const e = env.session.engine;
      const frac = sc.w > 1 ? (r.col - sc.x0) / (sc.w - 1) : 0;
      const t = e.scenario.start + frac * (e.scenario.end - e.scenario.start);
      // The tick nearest that time (the scrubber's column for a tick is rounded the same way).
      // The playback tells the screen it moved.
      env.session.playback?.seekTick(Math.max(0, Math.min(e.tickCount - 1, Math.round((t - e.scenario.start) / e.scenario.tick))));
      return s;
    }
    default:
      return s;
  }
}

/** For the help overlay: what the mouse does. */
export const MOUSE_HELP: readonly { where: string; help: string; modes?: readonly Mode[] }[] = [
  { where: 'click', help: 'select a unit (its row, or its symbol on the map) or an event, and focus that panel' },
  { where: 'click timeline', help: 'jump to that time', modes: ['replay'] },
  { where: 'wheel', help: 'zoom the map; move through the table, the log or the help' },
];
