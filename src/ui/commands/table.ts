/**
 * The one command table. Key dispatch (dispatch.ts), the context-sensitive key bar (keybar.ts)
 * and the `?` overlay (help.ts) are all generated from it, so a key can never work without
 * being listed, or be listed without working. Its order matters: the first command whose
 * context holds takes a key, and the help lists commands in this order.
 */
import { SORT_KEYS, SORT_LABEL } from '../view-model/units.js';
import type { Playback } from '../playback/source.js';
import { effectiveView, FOCUS_ORDER, zoomView, type UiState } from '../state.js';
import { jumping, listOrOverlay, mapFocus, notTyping, panels, typing } from './guards.js';
import { jumpTo, move, pan, typeFilter, type Move } from './reducers.js';
import type { Command, Env } from './types.js';

/**
 * Places in the key bar, lower first (kept first when the bar is short of room). Commands that
 * share a place never show at the same time (other contexts or modes) or show as one entry.
 */
const BAR = {
  close: 0,
  play: 1,
  next: 2,
  input: 2,
  step: 3,
  move: 4,
  help: 5,
  quit: 6,
  focus: 7,
  details: 8,
  zoom: 9,
  fit: 10,
  filter: 11,
  speed: 12,
  sort: 13,
  follow: 14,
  restart: 15,
  previous: 16,
  jump: 17,
} as const;

/** Places in the key bar while text is typed (a filter, a time): the text, then delete, confirm, cancel. */
const TYPING_BAR = { text: 1, delete: 2, confirm: 3, cancel: 4 } as const;

type Entry = Omit<Command, 'group' | 'run' | 'keyLabel'> & { keyLabel?: string };

/** A command of a replay's playback: it works while nothing is typed, and does nothing in a live run (which has no playback). */
function playback(c: Entry & { act: (p: Playback) => void; then?: (s: UiState) => UiState }): Command {
  const { act, then = (s: UiState) => s, ...rest } = c;
  return {
    keyLabel: c.keys[0],
    group: 'Playback',
    modes: ['replay'],
    when: notTyping,
    ...rest,
    run: (s, env) => {
      const p = env.session.playback;
      if (p) act(p);
      return then(s);
    },
  };
}

const PAN = {
  left: { vim: 'h', arrow: '←', toward: 'west', dx: -1, dy: 0 },
  down: { vim: 'j', arrow: '↓', toward: 'south', dx: 0, dy: -1 },
  up: { vim: 'k', arrow: '↑', toward: 'north', dx: 0, dy: 1 },
  right: { vim: 'l', arrow: '→', toward: 'east', dx: 1, dy: 0 },
} as const;

/** An arrow key (or its vi letter) pans the focused map; the four share one entry of the bar. */
function panCommand(dir: keyof typeof PAN): Command {
  const p = PAN[dir];
  return {
    id: `pan-${dir}`,
    keys: [dir, p.vim],
    keyLabel: `${p.arrow} ${p.vim}`,
    label: 'pan',
    help: `pan the map ${p.toward} (map focused)`,
    group: 'Map',
    when: mapFocus,
    bar: BAR.move,
    barLabel: 'pan',
    barKey: '←↓↑→',
    run: pan(p.dx, p.dy),
  };
}

/** A key that moves through the focused list (units, events) or scrolls the open overlay. */
function scrollCommand(c: Omit<Entry, 'when'> & { keyLabel: string }, delta: Move): Command {
  return { group: 'Panels', when: listOrOverlay, ...c, run: move(delta) };
}

/** Typing into the filter or the time: the text typed is taken by `applyKeys` itself. */
const TEXT = { keys: ['text'], keyLabel: 'type', bar: TYPING_BAR.text, run: (s: UiState) => s } as const;

const zoom =
  (factor: number) =>
  (s: UiState, env: Env): UiState => ({ ...s, view: zoomView(effectiveView(s, env.fit, env.unitPos), factor) });
const close = (s: UiState): UiState => ({ ...s, overlay: 'none', overlayScroll: 0 });
const toggle =
  (overlay: 'help' | 'input') =>
  (s: UiState): UiState =>
    s.overlay === overlay ? close(s) : { ...s, overlay, overlayScroll: 0 };
const focusStep =
  (d: number) =>
  (s: UiState): UiState => ({ ...s, focus: FOCUS_ORDER[(FOCUS_ORDER.indexOf(s.focus) + FOCUS_ORDER.length + d) % FOCUS_ORDER.length] });
const ZOOM_SHORT = { key: '+ - 0', label: 'zoom' };
const ESCALATION_SHORT = { key: 'n N', label: 'escalation' };

export const COMMANDS: readonly Command[] = [
  // Playback
  playback({
    id: 'play',
    keys: ['space'],
    label: (_, env) => (env.session.playback?.playing ? 'pause' : 'play'),
    help: 'play or pause (real time × speed)',
    bar: BAR.play,
    act: (p) => p.toggle(),
  }),
  playback({
    id: 'next',
    keys: ['n'],
    label: 'next escalation',
    help: 'run to the next escalation or stand-down, pause there',
    bar: BAR.next,
    barShort: ESCALATION_SHORT,
    act: (p) => p.nextEscalation(),
  }),
  playback({
    id: 'previous',
    keys: ['N'],
    label: 'previous escalation',
    help: 'back to the previous escalation or stand-down',
    bar: BAR.previous,
    barShort: ESCALATION_SHORT,
    act: (p) => p.previousEscalation(),
  }),
  playback({ id: 'step', keys: ['.'], label: 'tick', help: 'one tick forward', bar: BAR.step, barLabel: 'step', barKey: '. ,', act: (p) => p.stepForward() }),
  playback({
    id: 'back',
    keys: [','],
    label: 'back',
    help: 'one tick back, exactly as if played forward to it',
    bar: BAR.step,
    barLabel: 'step',
    barKey: '. ,',
    act: (p) => p.stepBack(),
  }),
  playback({ id: 'faster', keys: [']'], label: 'faster', help: 'play faster', bar: BAR.speed, barLabel: 'speed', barKey: '] [', act: (p) => p.faster() }),
  playback({ id: 'slower', keys: ['['], label: 'slower', help: 'play slower', bar: BAR.speed, barLabel: 'speed', barKey: '] [', act: (p) => p.slower() }),
  playback({
    id: 'restart',
    keys: ['r'],
    label: 'restart',
    help: 'restart from the beginning (paused)',
    bar: BAR.restart,
    act: (p) => p.restart(),
    then: (s) => ({ ...s, logSel: 0 }),
  }),
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
    bar: BAR.input,
    run: toggle('input'),
  },
  // Map
  panCommand('left'),
  panCommand('down'),
  panCommand('up'),
  panCommand('right'),
  {
    id: 'zoom-in',
    keys: ['+', '='],
    keyLabel: '+',
    label: 'zoom in',
    help: 'zoom in',
    group: 'Map',
    when: panels,
    bar: BAR.zoom,
    barLabel: 'zoom',
    barKey: '+ -',
    barShort: ZOOM_SHORT,
    run: zoom(1.5),
  },
  {
    id: 'zoom-out',
    keys: ['-', '_'],
    keyLabel: '-',
    label: 'zoom out',
    help: 'zoom out',
    group: 'Map',
    when: panels,
    bar: BAR.zoom,
    barLabel: 'zoom',
    barKey: '+ -',
    barShort: ZOOM_SHORT,
    run: zoom(1 / 1.5),
  },
  {
    id: 'fit',
    keys: ['0'],
    keyLabel: '0',
    label: 'fit',
    help: 'fit all zones, sites and tracks',
    group: 'Map',
    when: panels,
    bar: BAR.fit,
    barShort: ZOOM_SHORT,
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
    bar: BAR.follow,
    run: (s, env) => (s.follow ? { ...s, follow: false, view: effectiveView(s, env.fit, env.unitPos) } : { ...s, follow: true, view: s.view ?? env.fit() }),
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
    bar: BAR.focus,
    run: focusStep(1),
  },
  {
    id: 'focus-prev',
    keys: ['shift+tab'],
    keyLabel: 'shift+tab',
    label: 'focus back',
    help: 'previous panel',
    group: 'Panels',
    when: panels,
    run: focusStep(-1),
  },
  scrollCommand(
    {
      id: 'select-up',
      keys: ['up', 'k'],
      keyLabel: '↑ k',
      label: 'select',
      help: 'previous unit or older event; scroll up',
      bar: BAR.move,
      barLabel: 'select',
      barKey: '↑↓',
    },
    -1,
  ),
  scrollCommand(
    {
      id: 'select-down',
      keys: ['down', 'j'],
      keyLabel: '↓ j',
      label: 'select',
      help: 'next unit or newer event; scroll down',
      bar: BAR.move,
      barLabel: 'select',
      barKey: '↑↓',
    },
    1,
  ),
  scrollCommand({ id: 'page-up', keys: ['pageup'], keyLabel: 'pgup', label: 'page up', help: 'a page up' }, '-page'),
  scrollCommand({ id: 'page-down', keys: ['pagedown'], keyLabel: 'pgdn', label: 'page down', help: 'a page down' }, 'page'),
  scrollCommand({ id: 'first', keys: ['home', 'g'], keyLabel: 'home g', label: 'first', help: 'first unit, oldest event, top' }, 'home'),
  scrollCommand({ id: 'last', keys: ['end', 'G'], keyLabel: 'end G', label: 'last', help: 'last unit, newest event, bottom' }, 'end'),
  {
    id: 'details',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'details',
    help: 'unit details: ladder history, threat, closest approach',
    group: 'Panels',
    when: panels,
    bar: BAR.details,
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
    bar: BAR.sort,
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
    bar: BAR.close,
    run: (s) => (s.overlay !== 'none' ? close(s) : { ...s, filter: '', draft: '', logSel: 0 }),
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
    bar: BAR.jump,
    run: (s) => ({ ...s, jump: '' }),
  },
  { id: 'jump-type', ...TEXT, label: 'time', help: 'the time: HH:MM, HH:MM:SS or +1h30m', group: 'Playback', modes: ['replay'], when: jumping },
  {
    id: 'jump-delete',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete',
    help: 'delete a character of the time',
    group: 'Playback',
    modes: ['replay'],
    when: jumping,
    bar: TYPING_BAR.delete,
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
    bar: TYPING_BAR.confirm,
    run: jumpTo,
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
    bar: TYPING_BAR.cancel,
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
    bar: BAR.filter,
    run: (s) => ({ ...s, editing: true, draft: s.filter, focus: 'log' }),
  },
  { id: 'filter-type', ...TEXT, label: 'filter words', help: 'words: unit, zone, type, rung or reason', group: 'Filter', when: typing },
  {
    id: 'filter-delete',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete',
    help: 'delete a character',
    group: 'Filter',
    when: typing,
    bar: TYPING_BAR.delete,
    run: (s) => typeFilter(s, [...s.draft].slice(0, -1).join('')),
  },
  {
    id: 'filter-apply',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'apply',
    help: 'keep the filter, back to the keys',
    group: 'Filter',
    when: typing,
    bar: TYPING_BAR.confirm,
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
    bar: TYPING_BAR.cancel,
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
    bar: BAR.help,
    run: toggle('help'),
  },
  { id: 'quit', keys: ['q'], keyLabel: 'q', label: 'quit', help: 'quit', group: 'General', when: notTyping, bar: BAR.quit, run: (s) => ({ ...s, quit: true }) },
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
