/**
 * The editor's one key table: dispatch, the bar of the keys that work now and the `?` help are
 * all generated from it (as src/ui/commands/ does for the viewer).
 */
import { isPrintable } from '../keys.js';
import type { View } from '../map/view.js';
import {
  addCircle,
  addHold,
  addLine,
  addPolygon,
  addSite,
  addWaypoint,
  dirty,
  follow,
  formNext,
  formType,
  injectForm,
  lineToSide,
  moveCursor,
  moveWaypoint,
  redo,
  undo,
  unitForm,
  zoom,
  type EditorState,
  type Tool,
} from './state.js';

export interface EditorEnv {
  /** The map's size in cells. */
  map: { w: number; h: number };
  /** The view that shows the whole scenario. */
  fit(): View;
  /** Lines of the help at this width. */
  helpLines: number;
  /** Units in the file (for tab). */
  units(): number;
  /** Where a unit's track ends (to lay more of its route), if the file compiles. */
  unitEnd(u: number): [number, number] | undefined;
  /** Write the text to the file; returns the state with the outcome as its message. */
  save(s: EditorState): EditorState;
}

export type EditorGroup = 'Cursor' | 'Draw' | 'Route' | 'Edit' | 'General';
export const EDITOR_GROUPS: readonly EditorGroup[] = ['Cursor', 'Draw', 'Route', 'Edit', 'General'];

export interface EditorCommand {
  id: string;
  keys: readonly string[];
  keyLabel: string;
  label: string;
  help: string;
  group: EditorGroup;
  when?: (s: EditorState) => boolean;
  /** Position in the bar (lower first); omitted: not in the bar. */
  bar?: number;
  run(s: EditorState, env: EditorEnv): EditorState;
}

const inForm = (s: EditorState) => !!s.form;
const free = (s: EditorState) => !s.form && !s.help;
const browsing = (s: EditorState) => free(s) && s.tool === 'browse';
const drawing = (s: EditorState) => free(s) && s.tool !== 'browse';
const radius = (s: EditorState) => free(s) && s.tool === 'circle' && s.stage === 'radius';
const tool =
  (t: Tool, message: string) =>
  (s: EditorState): EditorState => ({ ...s, tool: t, stage: 'place', draft: [], typed: '', picked: undefined, unit: t === 'unit' ? -1 : s.unit, message });

/** Enter (or a click): what the tool does at the cursor. */
function act(s: EditorState): EditorState {
  switch (s.tool) {
    case 'site':
      return addSite(s);
    case 'circle':
      if (s.stage === 'place') return { ...s, draft: [s.cursor], stage: 'radius', typed: '', message: 'radius: move the cursor or type km, then enter' };
      return addCircle(s);
    case 'polygon':
      return { ...s, draft: [...s.draft, s.cursor], message: `vertex ${s.draft.length + 1}: f finishes the polygon` };
    case 'line':
      if (s.stage === 'side') return addLine(s);
      return { ...s, draft: [...s.draft, s.cursor], message: `vertex ${s.draft.length + 1}: f finishes the line` };
    case 'unit':
      return addWaypoint(s);
    case 'move':
      return moveWaypoint(s);
    default:
      return s;
  }
}

export const EDITOR_COMMANDS: readonly EditorCommand[] = [
  // A form takes every key first.
  {
    id: 'form-next',
    keys: ['enter', 'tab'],
    keyLabel: 'enter',
    label: 'next field',
    help: 'next field; on the last, apply the form',
    group: 'Edit',
    when: inForm,
    bar: 1,
    run: (s) => formNext(s),
  },
  {
    id: 'form-cancel',
    keys: ['escape'],
    keyLabel: 'esc',
    label: 'cancel',
    help: 'close the form without applying it',
    group: 'Edit',
    when: inForm,
    bar: 2,
    run: (s) => ({ ...s, form: undefined, message: 'form cancelled' }),
  },
  {
    id: 'form-back',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete',
    help: 'delete the last character',
    group: 'Edit',
    when: inForm,
    run: (s) => formType(s, 'backspace'),
  },
  { id: 'form-type', keys: ['text'], keyLabel: 'text', label: 'type', help: 'type into the field', group: 'Edit', when: inForm, run: (s) => s },
  // Help.
  {
    id: 'help-close',
    keys: ['escape', '?', 'q'],
    keyLabel: 'esc ?',
    label: 'close help',
    help: 'close the help',
    group: 'General',
    when: (s) => !s.form && s.help,
    bar: 1,
    run: (s) => ({ ...s, help: false }),
  },
  {
    id: 'help-down',
    keys: ['down', 'pagedown', 'space'],
    keyLabel: '↑↓',
    label: 'scroll',
    help: 'scroll the help',
    group: 'General',
    when: (s) => !s.form && s.help,
    bar: 2,
    run: (s, e) => ({ ...s, helpScroll: Math.min(Math.max(0, e.helpLines - e.map.h), s.helpScroll + 1) }),
  },
  {
    id: 'help-up',
    keys: ['up', 'pageup'],
    keyLabel: '↑',
    label: 'scroll',
    help: '',
    group: 'General',
    when: (s) => !s.form && s.help,
    run: (s) => ({ ...s, helpScroll: Math.max(0, s.helpScroll - 1) }),
  },
  // Radius typing comes before the digits' other uses.
  {
    id: 'radius-type',
    keys: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '.'],
    keyLabel: '0-9 .',
    label: 'radius km',
    help: 'type the radius in km',
    group: 'Draw',
    when: radius,
    bar: 3,
    run: (s) => s,
  },
  {
    id: 'radius-back',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'delete digit',
    help: 'delete the last digit typed',
    group: 'Draw',
    when: radius,
    run: (s) => ({ ...s, typed: s.typed.slice(0, -1) }),
  },
  // Cursor.
  {
    id: 'left',
    keys: ['left'],
    keyLabel: '←↑↓→',
    label: 'cursor',
    help: 'move the cursor one cell (the mouse: click a cell)',
    group: 'Cursor',
    when: free,
    bar: 20,
    run: (s, e) => moveCursor(s, -1, 0, e.map),
  },
  { id: 'right', keys: ['right'], keyLabel: '→', label: 'cursor', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 1, 0, e.map) },
  { id: 'up', keys: ['up'], keyLabel: '↑', label: 'cursor', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 0, -1, e.map) },
  { id: 'down', keys: ['down'], keyLabel: '↓', label: 'cursor', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 0, 1, e.map) },
  {
    id: 'far-left',
    keys: ['H'],
    keyLabel: 'H J K L',
    label: 'cursor ×8',
    help: 'move the cursor eight cells',
    group: 'Cursor',
    when: free,
    run: (s, e) => moveCursor(s, -8, 0, e.map),
  },
  { id: 'far-down', keys: ['J'], keyLabel: 'J', label: 'cursor ×8', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 0, 8, e.map) },
  { id: 'far-up', keys: ['K'], keyLabel: 'K', label: 'cursor ×8', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 0, -8, e.map) },
  { id: 'far-right', keys: ['L'], keyLabel: 'L', label: 'cursor ×8', help: '', group: 'Cursor', when: free, run: (s, e) => moveCursor(s, 8, 0, e.map) },
  {
    id: 'zoom-in',
    keys: ['+', '='],
    keyLabel: '+ -',
    label: 'zoom',
    help: 'zoom in or out around the cursor (the mouse wheel too)',
    group: 'Cursor',
    when: free,
    bar: 21,
    run: (s) => zoom(s, 2),
  },
  { id: 'zoom-out', keys: ['-'], keyLabel: '-', label: 'zoom', help: '', group: 'Cursor', when: free, run: (s) => zoom(s, 0.5) },
  {
    id: 'fit',
    keys: ['0'],
    keyLabel: '0',
    label: 'fit',
    help: 'show the whole scenario',
    group: 'Cursor',
    when: free,
    run: (s, e) => ({ ...s, view: e.fit() }),
  },
  // Draw.
  {
    id: 'act',
    keys: ['enter'],
    keyLabel: 'enter',
    label: 'place',
    help: "place the tool's point at the cursor (a click does the same)",
    group: 'Draw',
    when: drawing,
    bar: 2,
    run: (s) => act(s),
  },
  {
    id: 'site',
    keys: ['s'],
    keyLabel: 's',
    label: 'site',
    help: 'site tool: enter places a site',
    group: 'Draw',
    when: browsing,
    bar: 3,
    run: tool('site', 'site: enter places a site at the cursor'),
  },
  {
    id: 'circle',
    keys: ['c'],
    keyLabel: 'c',
    label: 'circle',
    help: 'circle tool: enter at the centre (on a site: it protects it), then the radius by the cursor or typed in km, enter',
    group: 'Draw',
    when: browsing,
    bar: 4,
    run: tool('circle', 'circle: enter at the centre'),
  },
  {
    id: 'polygon',
    keys: ['p'],
    keyLabel: 'p',
    label: 'polygon',
    help: 'polygon tool: enter places each vertex, f finishes',
    group: 'Draw',
    when: browsing,
    bar: 5,
    run: tool('polygon', 'polygon: enter places each vertex, f finishes'),
  },
  {
    id: 'line',
    keys: ['l'],
    keyLabel: 'l',
    label: 'line',
    help: 'line tool: enter places each vertex, f finishes, then enter on the forbidden side',
    group: 'Draw',
    when: browsing,
    bar: 6,
    run: tool('line', 'line: enter places each vertex, f finishes'),
  },
  {
    id: 'finish',
    keys: ['f'],
    keyLabel: 'f',
    label: 'finish',
    help: 'finish the polygon or line',
    group: 'Draw',
    when: (s) => free(s) && (s.tool === 'polygon' || (s.tool === 'line' && s.stage === 'place')),
    bar: 3,
    run: (s) => (s.tool === 'polygon' ? addPolygon(s) : lineToSide(s)),
  },
  {
    id: 'unpoint',
    keys: ['backspace'],
    keyLabel: 'backspace',
    label: 'drop vertex',
    help: 'drop the last vertex placed',
    group: 'Draw',
    when: (s) => free(s) && (s.tool === 'polygon' || s.tool === 'line') && s.draft.length > 0 && s.stage === 'place',
    run: (s) => ({ ...s, draft: s.draft.slice(0, -1) }),
  },
  // Route.
  {
    id: 'unit',
    keys: ['n'],
    keyLabel: 'n',
    label: 'unit',
    help: 'new unit: enter places it, each further enter a waypoint',
    group: 'Route',
    when: browsing,
    bar: 7,
    run: tool('unit', 'unit: enter places the unit at its first waypoint'),
  },
  {
    id: 'extend',
    keys: ['a'],
    keyLabel: 'a',
    label: 'add waypoints',
    help: "lay more of the selected unit's route from its last waypoint",
    group: 'Route',
    when: (s) => browsing(s) && s.unit >= 0,
    bar: 17,
    run: (s, e) => {
      const end = e.unitEnd(s.unit);
      if (!end) return { ...s, message: "the unit's track does not compile yet" };
      // The cursor goes to the end of the route, where the next leg starts.
      return follow(
        {
          ...s,
          cursor: end,
          tool: 'unit',
          stage: 'place',
          draft: [end],
          typed: '',
          message: 'enter adds waypoints, [ ] the speed, h a hold, esc ends the route',
        },
        e.map,
      );
    },
  },
  {
    id: 'slower',
    keys: ['['],
    keyLabel: '[ ]',
    label: 'speed',
    help: 'speed of the next legs: 5 km/h less or more',
    group: 'Route',
    when: (s) => free(s) && s.tool === 'unit',
    bar: 4,
    run: (s) => ({ ...s, speed: Math.max(5, s.speed - 5), message: `next legs at ${Math.max(5, s.speed - 5)} km/h` }),
  },
  {
    id: 'faster',
    keys: [']'],
    keyLabel: ']',
    label: 'speed',
    help: '',
    group: 'Route',
    when: (s) => free(s) && s.tool === 'unit',
    run: (s) => ({ ...s, speed: s.speed + 5, message: `next legs at ${s.speed + 5} km/h` }),
  },
  {
    id: 'hold',
    keys: ['h'],
    keyLabel: 'h',
    label: 'hold',
    help: 'hold 10 minutes more at the last waypoint',
    group: 'Route',
    when: (s) => free(s) && s.tool === 'unit',
    bar: 5,
    run: (s) => addHold(s),
  },
  {
    id: 'move',
    keys: ['m'],
    keyLabel: 'm',
    label: 'move point',
    help: 'pick the waypoint nearest the cursor, then enter puts it at the cursor',
    group: 'Route',
    when: browsing,
    bar: 13,
    run: (s) => moveWaypoint({ ...s, tool: 'move', picked: undefined }),
  },
  {
    id: 'select',
    keys: ['tab'],
    keyLabel: 'tab',
    label: 'next unit',
    help: 'select the next unit',
    group: 'Route',
    when: browsing,
    bar: 14,
    run: (s, e) => ({ ...s, unit: e.units() ? (s.unit + 1) % e.units() : -1 }),
  },
  {
    id: 'form',
    keys: ['e'],
    keyLabel: 'e',
    label: 'unit form',
    help: "the selected unit's name, side and composition",
    group: 'Route',
    when: browsing,
    bar: 15,
    run: (s) => unitForm(s),
  },
  {
    id: 'inject',
    keys: ['i'],
    keyLabel: 'i',
    label: 'inject',
    help: 'add an inject at a time (message, halt, withdraw)',
    group: 'Route',
    when: browsing,
    bar: 16,
    run: (s) => injectForm(s),
  },
  // Edit.
  {
    id: 'back',
    keys: ['escape'],
    keyLabel: 'esc',
    label: 'back',
    help: 'end the tool (a route ends at its last waypoint)',
    group: 'General',
    when: drawing,
    bar: 1,
    run: (s) => ({ ...s, tool: 'browse', stage: 'place', draft: [], typed: '', picked: undefined, message: '' }),
  },
  { id: 'undo', keys: ['z', 'u'], keyLabel: 'z', label: 'undo', help: 'undo the last change', group: 'Edit', when: free, bar: 9, run: (s) => undo(s) },
  { id: 'redo', keys: ['y', 'Z'], keyLabel: 'y', label: 'redo', help: 'redo what was undone', group: 'Edit', when: free, bar: 12, run: (s) => redo(s) },
  {
    id: 'save',
    keys: ['w', 'ctrl+s'],
    keyLabel: 'w',
    label: 'save',
    help: 'save the file (comments and formatting kept)',
    group: 'Edit',
    when: free,
    bar: 8,
    run: (s, e) => e.save(s),
  },
  // General.
  {
    id: 'help',
    keys: ['?'],
    keyLabel: '?',
    label: 'help',
    help: 'this help',
    group: 'General',
    when: free,
    bar: 10,
    run: (s) => ({ ...s, help: true, helpScroll: 0 }),
  },
  {
    id: 'quit',
    keys: ['q'],
    keyLabel: 'q',
    label: 'quit',
    help: 'quit (asks first when there is something unsaved)',
    group: 'General',
    when: browsing,
    bar: 11,
    run: (s) =>
      dirty(s) && !s.quitArmed ? { ...s, quitArmed: true, message: 'unsaved changes: w saves, q again quits without saving' } : { ...s, quit: true },
  },
  {
    id: 'interrupt',
    keys: ['ctrl+c'],
    keyLabel: 'ctrl+c',
    label: 'quit',
    help: 'quit from anywhere (asks first when there is something unsaved)',
    group: 'General',
    run: (s) =>
      dirty(s) && !s.quitArmed
        ? { ...s, form: undefined, help: false, quitArmed: true, message: 'unsaved changes: w saves, ctrl+c again quits without saving' }
        : { ...s, quit: true },
  },
];

/** The command a key runs in a state. */
export function editorCommandFor(key: string, s: EditorState): EditorCommand | undefined {
  for (const c of EDITOR_COMMANDS) {
    if (c.when && !c.when(s)) continue;
    if (c.keys.includes(key)) return c;
    if (c.keys.includes('text') && isPrintable(key)) return c;
  }
  return undefined;
}

/** Run keys in order (a string of typed characters is one key each). */
export function applyEditorKeys(keys: readonly string[], s: EditorState, env: EditorEnv): EditorState {
  for (const k of keys) {
    if (s.quit) break;
    const c = editorCommandFor(k, s);
    if (!c) continue;
    if (c.id === 'form-type') s = formType(s, k === 'space' ? ' ' : k);
    else if (c.id === 'radius-type') s = { ...s, typed: s.typed + k };
    else {
      try {
        s = c.run(s, env);
      } catch (e) {
        // An edit the file's shape does not allow (a track read from a file has no waypoints to add).
        s = { ...s, message: `not done: ${(e as Error).message}` };
      }
    }
    if (c.id !== 'quit' && c.id !== 'interrupt' && s.quitArmed) s = { ...s, quitArmed: false };
  }
  return s;
}

/** The bar of the keys that work now. */
export function editorBar(s: EditorState): { key: string; label: string }[] {
  const seen = new Set<string>();
  return EDITOR_COMMANDS.filter((c) => c.bar !== undefined && (!c.when || c.when(s)))
    .sort((a, b) => a.bar! - b.bar!)
    .filter((c) => (seen.has(c.label) ? false : (seen.add(c.label), true)))
    .map((c) => ({ key: c.keyLabel.split(' ')[0], label: c.label }));
}

/** The help: every command with a help line, by group. */
export function editorHelp(): { group: EditorGroup; lines: { keys: string; help: string }[] }[] {
  return EDITOR_GROUPS.map((group) => ({
    group,
    lines: EDITOR_COMMANDS.filter((c) => c.group === group && c.help).map((c) => ({ keys: c.keyLabel, help: c.help })),
  })).filter((g) => g.lines.length);
}
