/**
 * The shape of the one command table (table.ts): what a command is, and what it may read
 * besides the UI state.
 */
import type { Layout } from '../layout.js';
import type { View } from '../map/view.js';
import type { ScreenSource } from '../playback/source.js';
import type { UiState } from '../state.js';

/** What commands may read besides the UI state. */
export interface Env {
  session: ScreenSource;
  layout: Layout;
  /** Unit indices in table order for a state's sort. */
  order(s: UiState): readonly number[];
  /** Log lines matching a state's filter. */
  logCount(s: UiState): number;
  /** The unit of the log line `s.logSel` back from the newest (-1 if none). */
  logUnit(s: UiState): number;
  /** The view that shows everything. */
  fit(): View;
  /** Current position of a unit. */
  unitPos(u: number): [number, number];
  /** Lines in the open overlay. */
  overlayLines(s: UiState): number;
  /** Lines the overlay shows at once. */
  overlayPage(): number;
}

export type Group = 'Playback' | 'Live' | 'Map' | 'Panels' | 'Filter' | 'General';
export const GROUPS: readonly Group[] = ['Playback', 'Live', 'Map', 'Panels', 'Filter', 'General'];
export const GROUP_TITLE: Record<Group, string> = {
  Playback: 'Playback',
  Live: 'Live input',
  Map: 'Map',
  Panels: 'Panels',
  Filter: 'Filter (after /)',
  General: 'General',
};

/**
 * What the UI runs on: a scenario replayed (time can be played, stepped, rewound) or a live run
 * (time is the clock's or the feed's, and only goes forward).
 */
export type Mode = 'replay' | 'live';

export interface Command {
  id: string;
  /** Key names as `keysOf` produces them; 'text' stands for any printable key. */
  keys: readonly string[];
  /** How the keys are shown. */
  keyLabel: string;
  /** Short label for the key bar. */
  label: string | ((s: UiState, env: Env) => string);
  /** One line for the help overlay. */
  help: string;
  group: Group;
  /** The contexts in which it works (default: everywhere). */
  when?: (s: UiState) => boolean;
  /** The modes it exists in (default: both); elsewhere it is neither bound, listed in the bar nor in the help. */
  modes?: readonly Mode[];
  /** Position in the key bar (lower first to be kept when space is short); omitted: not in the bar. */
  bar?: number;
  /** In the key bar, commands with the same `barLabel` show as one entry with `barKey`. */
  barLabel?: string;
  barKey?: string;
  /** When the bar is short of room: a shorter entry (commands with the same short label share one). */
  barShort?: { key: string; label: string };
  run(s: UiState, env: Env): UiState;
}
