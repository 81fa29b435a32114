/**
 * The one command table. Key dispatch, the context-sensitive key bar and the `?` overlay are
 * all generated from it, so a key can never work without being listed, or be listed without
 * working.
 */
import { isPrintable } from './keys.js';
import type { Layout } from './layout.js';
import { SORT_KEYS, SORT_LABEL } from './model.js';
import type { Session } from './session.js';
import type { View } from './map/view.js';
import { FOCUS_ORDER, panView, zoomView, type UiState } from './state.js';

/** What commands may read besides the UI state. */
export interface Env {
  session: Session;
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
export const GROUP_TITLE: Record<Group, string> = { Playback: 'Playback', Live: 'Live input', Map: 'Map', Panels: 'Panels', Filter: 'Filter (after /)', General: 'General' };

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

const typing = (s: UiState) => s.editing && s.jump === undefined;
const jumping = (s: UiState) => s.jump !== undefined;
const panels = (s: UiState) => !s.editing && s.jump === undefined && s.overlay === 'none';
const notTyping = (s: UiState) => !s.editing && s.jump === undefined;
const inOverlay = (s: UiState) => notTyping(s) && s.overlay !== 'none';
const listFocus = (s: UiState) => panels(s) && (s.focus === 'units' || s.focus === 'log');

function currentView(s: UiState, env: Env): View {
  if (s.follow && s.selected >= 0) {
    const base = s.view ?? env.fit();
    const [lon, lat] = env.unitPos(s.selected);
    // A live unit with no position yet leaves the view where it is.
    if (Number.isFinite(lon) && Number.isFinite(lat)) return { lon, lat, mpd: base.mpd };
    return base;
  }
  return s.view ?? env.fit();
}

function pan(dx: number, dy: number) {
  return (s: UiState, env: Env): UiState => {
    const stepX = Math.max(2, Math.round(env.layout.map.iw * 2 * 0.2));
    const stepY = Math.max(2, Math.round(env.layout.map.ih * 4 * 0.2));
    return { ...s, follow: false, view: panView(currentView(s, env), dx * stepX, dy * stepY) };
  };
}

function move(delta: number | 'page' | '-page' | 'home' | 'end') {
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

export const COMMANDS: readonly Command[] = [
  // Playback
  {
    id: 'play',
    keys: ['space'],
    keyLabel: 'space',
    label: (_, env) => (env.session.playing ? 'pause' : 'play'),
    help: 'play or pause (real time × speed)',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 1,
    run: (s, env) => (env.session.toggle(), s),
  },
  {
    id: 'next',
    keys: ['n'],
    keyLabel: 'n',
    label: 'next escalation',
    help: 'run to the next escalation or stand-down, pause there',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 2,
    barShort: { key: 'n N', label: 'escalation' },
    run: (s, env) => (env.session.nextEscalation(), s),
  },
  {
    id: 'previous',
    keys: ['N'],
    keyLabel: 'N',
    label: 'previous escalation',
    help: 'back to the previous escalation or stand-down',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 16,
    barShort: { key: 'n N', label: 'escalation' },
    run: (s, env) => (env.session.previousEscalation(), s),
  },
  {
    id: 'step',
    keys: ['.'],
    keyLabel: '.',
    label: 'tick',
    help: 'one tick forward',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 3,
    barLabel: 'step',
    barKey: '. ,',
    run: (s, env) => (env.session.stepForward(), s),
  },
  {
    id: 'back',
    keys: [','],
    keyLabel: ',',
    label: 'back',
    help: 'one tick back, exactly as if played forward to it',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 3,
    barLabel: 'step',
    barKey: '. ,',
    run: (s, env) => (env.session.stepBack(), s),
  },
  {
    id: 'faster',
    keys: [']'],
    keyLabel: ']',
    label: 'faster',
    help: 'play faster',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 12,
    barLabel: 'speed',
    barKey: '] [',
    run: (s, env) => (env.session.faster(), s),
  },
  {
    id: 'slower',
    keys: ['['],
    keyLabel: '[',
    label: 'slower',
    help: 'play slower',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 12,
    barLabel: 'speed',
    barKey: '] [',
    run: (s, env) => (env.session.slower(), s),
  },
  {
    id: 'restart',
    keys: ['r'],
    keyLabel: 'r',
    label: 'restart',
    help: 'restart from the beginning (paused)',
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    bar: 15,
    run: (s, env) => (env.session.restart(), { ...s, logSel: 0 }),
  },
  // Live input
  {
    id: 'input',
    keys: ['i'],
    keyLabel: 'i',
    label: (s) => (s.overlay === 'input' ? 'close input' : 'input'),
    help: 'where positions come from, what came in, every input problem (toggle)',
    group: 'Live',
    modes: ['live'],
    when: notTyping,
    bar: 2,
    run: (s) => (s.overlay === 'input' ? { ...s, overlay: 'none', overlayScroll: 0 } : { ...s, overlay: 'input', overlayScroll: 0 }),
  },
  // Map
  {
    id: 'pan-left',
    keys: ['left', 'h'],
    keyLabel: '← h',
    label: 'pan',
    help: 'pan the map west (map focused)',
    group: 'Map',
    when: (s) => panels(s) && s.focus === 'map',
    bar: 4,
    barLabel: 'pan',
    barKey: '←↓↑→',
    run: pan(-1, 0),
  },
  {
    id: 'pan-down',
    keys: ['down', 'j'],
    keyLabel: '↓ j',
    label: 'pan',
    help: 'pan the map south (map focused)',
    group: 'Map',
    when: (s) => panels(s) && s.focus === 'map',
    bar: 4,
    barLabel: 'pan',
    barKey: '←↓↑→',
    run: pan(0, -1),
  },
  {
    id: 'pan-up',
    keys: ['up', 'k'],
    keyLabel: '↑ k',
    label: 'pan',
    help: 'pan the map north (map focused)',
    group: 'Map',
    when: (s) => panels(s) && s.focus === 'map',
    bar: 4,
    barLabel: 'pan',
    barKey: '←↓↑→',
    run: pan(0, 1),
  },
  {
    id: 'pan-right',
    keys: ['right', 'l'],
    keyLabel: '→ l',
    label: 'pan',
    help: 'pan the map east (map focused)',
    group: 'Map',
    when: (s) => panels(s) && s.focus === 'map',
    bar: 4,
    barLabel: 'pan',
    barKey: '←↓↑→',
    run: pan(1, 0),
  },
  {
    id: 'zoom-in',
    keys: ['+', '='],
    keyLabel: '+',
    label: 'zoom in',
    help: 'zoom in',
    group: 'Map',
    when: panels,
    bar: 9,
    barLabel: 'zoom',
    barKey: '+ -',
    barShort: { key: '+ - 0', label: 'zoom' },
    run: (s, env) => ({ ...s, view: zoomView(currentView(s, env), 1.5) }),
  },
  {
    id: 'zoom-out',
    keys: ['-', '_'],
    keyLabel: '-',
    label: 'zoom out',
    help: 'zoom out',
    group: 'Map',
    when: panels,
    bar: 9,
    barLabel: 'zoom',
    barKey: '+ -',
    barShort: { key: '+ - 0', label: 'zoom' },
    run: (s, env) => ({ ...s, view: zoomView(currentView(s, env), 1 / 1.5) }),
  },
  {
    id: 'fit',
    keys: ['0'],
    keyLabel: '0',
    label: 'fit',
    help: 'fit all zones, sites and tracks',
    group: 'Map',
    when: panels,
    bar: 10,
    barShort: { key: '+ - 0', label: 'zoom' },
    run: (s) => ({ ...s, view: null, follow: false }),
  },
  {
    id: 'follow',
    keys: ['f'],
    keyLabel: 'f',
    label: (s) => (s.follow ? 'unfollow' : 'follow'),
    help: 'follow the selected unit (toggle)',
    group: 'Map',
    when: (s) => panels(s) && s.selected >= 0,
    bar: 14,
    run: (s, env) => {
      if (s.follow) return { ...s, follow: false, view: currentView(s, env) };
      return { ...s, follow: true, view: s.view ?? env.fit() };
    },
  },
  // Panels
  {
    id: 'focus-next',
    keys: ['tab'],
    keyLabel: 'tab',
    label: 'focus',
    help: 'next panel (units, map, events)',
    group: 'Panels',
    when: panels,
    bar: 7,
    run: (s) => ({ ...s, focus: FOCUS_ORDER[(FOCUS_ORDER.indexOf(s.focus) + 1) % FOCUS_ORDER.length] }),
  },
  {
    id: 'focus-prev',
    keys: ['shift+tab'],
    keyLabel: 'shift+tab',
    label: 'focus back',
    help: 'previous panel',
    group: 'Panels',
    when: panels,
    run: (s) => ({ ...s, focus: FOCUS_ORDER[(FOCUS_ORDER.indexOf(s.focus) + FOCUS_ORDER.length - 1) % FOCUS_ORDER.length] }),
  },
  {
    id: 'select-up',
    keys: ['up', 'k'],
    keyLabel: '↑ k',
    label: 'select',
    help: 'previous unit or older event; scroll up',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    bar: 4,
    barLabel: 'select',
    barKey: '↑↓',
    run: move(-1),
  },
  {
    id: 'select-down',
    keys: ['down', 'j'],
    keyLabel: '↓ j',
    label: 'select',
    help: 'next unit or newer event; scroll down',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    bar: 4,
    barLabel: 'select',
    barKey: '↑↓',
    run: move(1),
  },
  {
    id: 'page-up',
    keys: ['pageup'],
    keyLabel: 'pgup',
    label: 'page up',
    help: 'a page up',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    run: move('-page'),
  },
  {
    id: 'page-down',
    keys: ['pagedown'],
    keyLabel: 'pgdn',
    label: 'page down',
    help: 'a page down',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    run: move('page'),
  },
  {
    id: 'first',
    keys: ['home', 'g'],
    keyLabel: 'home g',
    label: 'first',
    help: 'first unit, oldest event, top',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    run: move('home'),
  },
  {
    id: 'last',
    keys: ['end', 'G'],
    keyLabel: 'end G',
    label: 'last',
    help: 'last unit, newest event, bottom',
    group: 'Panels',
    when: (s) => listFocus(s) || inOverlay(s),
    run: move('end'),
  },
  {
    id: 'details',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'details',
    help: 'unit details: ladder history, threat, closest approach',
    group: 'Panels',
    when: (s) => panels(s),
    bar: 8,
    run: (s, env) => {
      const u = s.focus === 'log' ? env.logUnit(s) : s.selected;
      if (u < 0) return s;
      return { ...s, overlay: 'details', detailsUnit: u, selected: u, overlayScroll: 0 };
    },
  },
  {
    id: 'sort',
    keys: ['s'],
    keyLabel: 's',
    label: (s) => `sort: ${s.sort}`,
    help: `sort units by ${SORT_KEYS.map((k) => SORT_LABEL[k].replace('distance ', '')).join(', ')}`,
    group: 'Panels',
    when: panels,
    bar: 13,
    barShort: { key: 's', label: 'sort' },
    run: (s) => ({ ...s, sort: SORT_KEYS[(SORT_KEYS.indexOf(s.sort) + 1) % SORT_KEYS.length] }),
  },
  {
    id: 'close',
    keys: ['escape'],
    keyLabel: 'esc',
    label: 'close',
    help: 'close the overlay; clear the log filter',
    group: 'Panels',
    when: (s) => !s.editing && (s.overlay !== 'none' || s.filter !== ''),
    bar: 0,
    run: (s) => (s.overlay !== 'none' ? { ...s, overlay: 'none', overlayScroll: 0 } : { ...s, filter: '', draft: '', logSel: 0 }),
  },
  // Go to a time
  {
    id: 'jump',
    keys: [':'],
    keyLabel: ':',
    label: 'go to time',
    help: 'go to a time: type 07:30 (or 07:30:15, or +1h30m after the start), enter goes there, esc cancels',
    group: 'Playback',
    modes: ['replay'],
    when: panels,
    bar: 17,
    run: (s) => ({ ...s, jump: '' }),
  },
  {
    id: 'jump-type',
    keys: ['text'],
    keyLabel: 'type',
    label: 'time',
    help: 'the time: HH:MM, HH:MM:SS or +1h30m',
    group: 'Playback',
    modes: ['replay'],
    when: jumping,
    bar: 1,
    run: (s) => s,
  },
  {
    id: 'jump-delete',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete',
    help: 'delete a character of the time',
    group: 'Playback',
    modes: ['replay'],
    when: jumping,
    bar: 2,
    run: (s) => ({ ...s, jump: [...(s.jump ?? '')].slice(0, -1).join('') }),
  },
  {
    id: 'jump-go',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'go there',
    help: 'go to the time typed',
    group: 'Playback',
    modes: ['replay'],
    when: jumping,
    bar: 3,
    run: (s, env) => {
      const session = env.session;
      const sc = session.engine.scenario;
      const t = parseJump(s.jump ?? '', sc.start);
      if (t === undefined) session.note = `“${s.jump}” is not a time: type 07:30, 07:30:15 or +1h30m`;
      else {
        const at = Math.max(sc.start, Math.min(sc.end, t));
        session.seekTick(session.engine.tickAt(at));
        if (at !== t) session.note = `${s.jump} is outside the scenario: at the ${t < sc.start ? 'start' : 'end'}`;
      }
      return { ...s, jump: undefined };
    },
  },
  {
    id: 'jump-cancel',
    keys: ['escape'],
    keyLabel: 'esc',
    label: 'cancel',
    help: 'do not go anywhere',
    group: 'Playback',
    modes: ['replay'],
    when: jumping,
    bar: 4,
    run: (s) => ({ ...s, jump: undefined }),
  },
  // Filter
  {
    id: 'filter',
    keys: ['/'],
    keyLabel: '/',
    label: 'filter',
    help: 'filter the event log (every word must match)',
    group: 'Filter',
    when: panels,
    bar: 11,
    run: (s) => ({ ...s, editing: true, draft: s.filter, focus: 'log' }),
  },
  {
    id: 'filter-type',
    keys: ['text'],
    keyLabel: 'type',
    label: 'filter words',
    help: 'words: unit, zone, type, rung or reason',
    group: 'Filter',
    when: typing,
    bar: 1,
    run: (s) => s,
  },
  {
    id: 'filter-delete',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete',
    help: 'delete a character',
    group: 'Filter',
    when: typing,
    bar: 2,
    run: (s) => ({ ...s, draft: [...s.draft].slice(0, -1).join(''), filter: [...s.draft].slice(0, -1).join(''), logSel: 0 }),
  },
  {
    id: 'filter-apply',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'apply',
    help: 'keep the filter, back to the keys',
    group: 'Filter',
    when: typing,
    bar: 3,
    run: (s) => ({ ...s, editing: false, filter: s.draft, logSel: 0 }),
  },
  {
    id: 'filter-cancel',
    keys: ['escape'],
    keyLabel: 'esc',
    label: 'clear',
    help: 'clear the filter',
    group: 'Filter',
    when: typing,
    bar: 4,
    run: (s) => ({ ...s, editing: false, filter: '', draft: '', logSel: 0 }),
  },
  // General
  {
    id: 'help',
    keys: ['?'],
    keyLabel: '?',
    label: (s) => (s.overlay === 'help' ? 'close help' : 'help'),
    help: 'this list of keys (toggle)',
    group: 'General',
    when: notTyping,
    bar: 5,
    run: (s) => (s.overlay === 'help' ? { ...s, overlay: 'none', overlayScroll: 0 } : { ...s, overlay: 'help', overlayScroll: 0 }),
  },
  {
    id: 'quit',
    keys: ['q'],
    keyLabel: 'q',
    label: 'quit',
    help: 'quit',
    group: 'General',
    when: notTyping,
    bar: 6,
    run: (s) => ({ ...s, quit: true }),
  },
  {
    id: 'interrupt',
    keys: ['ctrl+c'],
    keyLabel: 'ctrl+c',
    label: 'quit',
    help: 'quit, also while filtering',
    group: 'General',
    run: (s) => ({ ...s, quit: true }),
  },
];

const BY_MODE = new Map<Mode, readonly Command[]>();

/** The command table of a mode: the commands that exist in it (`COMMANDS` holds both modes'). */
export function commandsFor(mode: Mode): readonly Command[] {
  let t = BY_MODE.get(mode);
  if (!t) BY_MODE.set(mode, (t = COMMANDS.filter((c) => !c.modes || c.modes.includes(mode))));
  return t;
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

/** The command a key runs in a state, if any. */
export function commandFor(key: string, s: UiState, commands: readonly Command[] = commandsFor('replay')): Command | undefined {
  for (const c of commands) {
    if (c.when && !c.when(s)) continue;
    if (c.keys.includes(key)) return c;
  }
  if (isPrintable(key)) {
    for (const c of commands) if (c.keys.includes('text') && (!c.when || c.when(s))) return c;
  }
  return undefined;
}

/** Apply keys in order; text typed while filtering goes into the filter. */
export function applyKeys(keys: readonly string[], s: UiState, env: Env, commands: readonly Command[] = commandsFor('replay')): UiState {
  for (const k of keys) {
    if (s.quit) break;
    const c = commandFor(k, s, commands);
    if (!c) continue;
    if (c.keys.includes('text') && !c.keys.includes(k)) {
      const ch = k === 'space' ? ' ' : k;
      if (s.jump !== undefined) {
        if (s.jump.length < 24) s = { ...s, jump: s.jump + ch };
        continue;
      }
      const draft = s.draft + ch;
      s = { ...s, draft, filter: draft, logSel: 0 };
      continue;
    }
    s = c.run(s, env);
  }
  return s;
}

export interface BarItem {
  key: string;
  label: string;
}

/**
 * The key bar for a state: the commands that work now, by priority; related commands share one
 * entry. `short`: the shorter entries (barShort) where a command has one.
 */
export function barItems(s: UiState, env: Env, commands: readonly Command[] = commandsFor('replay'), short = false): BarItem[] {
  const seen = new Map<string, { item: BarItem; bar: number; order: number }>();
  commands.forEach((c, order) => {
    if (c.bar === undefined || (c.when && !c.when(s))) return;
    const label = short && c.barShort ? c.barShort.label : (c.barLabel ?? (typeof c.label === 'function' ? c.label(s, env) : c.label));
    const prev = seen.get(label);
    if (prev) {
      // A shared entry keeps the place of its most important command.
      prev.bar = Math.min(prev.bar, c.bar);
      return;
    }
    const key = short && c.barShort ? c.barShort.key : (c.barKey ?? c.keyLabel.split(' ')[0]);
    seen.set(label, { item: { key, label }, bar: c.bar, order });
  });
  return [...seen.values()].sort((a, b) => a.bar - b.bar || a.order - b.order).map((x) => x.item);
}

/** Width of bar items side by side, `gap` spaces apart. */
export function barWidth(items: readonly BarItem[], gap = 2): number {
  return items.reduce((n, it, i) => n + it.key.length + 1 + it.label.length + (i ? gap : 0), 0);
}

/** Fit bar items into a width (items are `key label` separated by `gap` spaces); keeps the first (most important) that fit. */
export function fitBar(items: readonly BarItem[], width: number, gap = 2): BarItem[] {
  const out: BarItem[] = [];
  let used = 0;
  for (const it of items) {
    const w = it.key.length + 1 + it.label.length + (out.length ? gap : 0);
    if (used + w > width) continue;
    out.push(it);
    used += w;
  }
  return out;
}

/**
 * What the bar shows in `width` cells: every entry with its full label if they all fit; else the
 * shorter entries; else the shorter entries one space apart, as many as fit by priority.
 */
export function chooseBar(full: readonly BarItem[], short: readonly BarItem[], width: number): { items: BarItem[]; gap: number } {
  if (barWidth(full) <= width) return { items: [...full], gap: 2 };
  if (barWidth(short) <= width) return { items: [...short], gap: 2 };
  return { items: fitBar(short, width, 1), gap: 1 };
}

export interface HelpLine {
  keys: string;
  help: string;
}

/** The help overlay's sections, straight from the table. */
export function helpSections(commands: readonly Command[] = commandsFor('replay')): { group: Group; lines: HelpLine[] }[] {
  return GROUPS.map((group) => ({
    group,
    lines: commands.filter((c) => c.group === group).map((c) => ({ keys: c.keyLabel, help: c.help })),
  })).filter((g) => g.lines.length > 0);
}
