import { describe, expect, test } from 'vitest';
import { applyKeys, commandFor } from '../../src/ui/commands/dispatch.js';
import { helpSections } from '../../src/ui/commands/help.js';
import { barItems, fitBar } from '../../src/ui/commands/keybar.js';
import { parseJump } from '../../src/ui/commands/reducers.js';
import { COMMANDS } from '../../src/ui/commands/table.js';
import type { Command } from '../../src/ui/commands/types.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import { commandEnv } from '../../src/ui/screen/env.js';
import { keyBar } from '../../src/ui/screen/panels/keybar.js';
import { keysOf } from '../../src/ui/keys.js';
import { computeLayout } from '../../src/ui/layout.js';
import { FOCUS_ORDER, initialUi, type UiState } from '../../src/ui/state.js';
import { session } from './helpers.js';
import { plain, width } from '../../src/ui/text.js';

describe('keys', () => {
  test('every character of an input string is a key', () => {
    expect(keysOf('nn.', {})).toEqual(['n', 'n', '.']);
    expect(keysOf('a b\r', {})).toEqual(['a', 'space', 'b', 'enter']);
    expect(keysOf('x\x7f', {})).toEqual(['x', 'backspace']);
  });

  test('special keys as Ink reports them', () => {
    expect(keysOf('', { upArrow: true })).toEqual(['up']);
    expect(keysOf('', { tab: true, shift: true })).toEqual(['shift+tab']);
    expect(keysOf('', { escape: true, meta: true })).toEqual(['escape']);
    expect(keysOf('c', { ctrl: true })).toEqual(['ctrl+c']);
    expect(keysOf('\r', { return: true })).toEqual(['enter']);
    expect(keysOf('', { delete: true })).toEqual(['backspace']);
    expect(keysOf('', { pageDown: true })).toEqual(['pagedown']);
  });
});

/** States that cover every context the table distinguishes. */
function contexts(): UiState[] {
  const base = initialUi(2);
  const out: UiState[] = [];
  for (const focus of FOCUS_ORDER) {
    out.push({ ...base, focus });
    out.push({ ...base, focus, filter: 'x' });
  }
  out.push({ ...base, editing: true }, { ...base, overlay: 'help' }, { ...base, overlay: 'details', detailsUnit: 0 }, { ...base, selected: -1 });
  return out;
}

describe('the command table', () => {
  test('every command has keys, a key label, a label and a help line', () => {
    for (const c of COMMANDS) {
      expect(c.keys.length, c.id).toBeGreaterThan(0);
      expect(c.keyLabel, c.id).not.toBe('');
      expect(c.help.length, c.id).toBeGreaterThan(3);
    }
    expect(new Set(COMMANDS.map((c) => c.id)).size).toBe(COMMANDS.length);
  });

  test('no key means two things in the same context', () => {
    for (const s of contexts()) {
      const byKey = new Map<string, string[]>();
      for (const c of COMMANDS) {
        if (c.when && !c.when(s)) continue;
        for (const k of c.keys) byKey.set(k, [...(byKey.get(k) ?? []), c.id]);
      }
      for (const [k, ids] of byKey) expect(ids, `${k} in ${JSON.stringify({ focus: s.focus, overlay: s.overlay, editing: s.editing })}`).toHaveLength(1);
    }
  });

  test('the keys of the brief work where they should', () => {
    const s = initialUi(2);
    expect(commandFor('space', s)?.id).toBe('play');
    expect(commandFor('n', s)?.id).toBe('next');
    expect(commandFor('.', s)?.id).toBe('step');
    expect(commandFor(',', s)?.id).toBe('back');
    expect(commandFor(']', s)?.id).toBe('faster');
    expect(commandFor('[', s)?.id).toBe('slower');
    expect(commandFor('+', s)?.id).toBe('zoom-in');
    expect(commandFor('-', s)?.id).toBe('zoom-out');
    expect(commandFor('0', s)?.id).toBe('fit');
    expect(commandFor('tab', s)?.id).toBe('focus-next');
    expect(commandFor('down', s)?.id).toBe('select-down');
    expect(commandFor('enter', s)?.id).toBe('details');
    expect(commandFor('/', s)?.id).toBe('filter');
    expect(commandFor('r', s)?.id).toBe('restart');
    expect(commandFor('?', s)?.id).toBe('help');
    expect(commandFor('q', s)?.id).toBe('quit');
    expect(commandFor('ctrl+c', s)?.id).toBe('interrupt');
    const map = { ...s, focus: 'map' as const };
    for (const [k, id] of [
      ['left', 'pan-left'],
      ['h', 'pan-left'],
      ['j', 'pan-down'],
      ['up', 'pan-up'],
      ['l', 'pan-right'],
    ]) {
      expect(commandFor(k, map)?.id).toBe(id);
    }
    expect(commandFor('escape', { ...s, overlay: 'help' })?.id).toBe('close');
    const typing = { ...s, editing: true };
    expect(commandFor('q', typing)?.id).toBe('filter-type');
    expect(commandFor('ctrl+c', typing)?.id).toBe('interrupt');
  });

  test('help sections and the key bar are generated from the table, whatever it holds', () => {
    const extra: Command = { id: 'x', keys: ['x'], keyLabel: 'x', label: 'do x', help: 'does the x thing', group: 'General', bar: 0, run: (s) => s };
    const table = [...COMMANDS, extra];
    const general = helpSections(table).find((g) => g.group === 'General')!;
    expect(general.lines).toContainEqual({ keys: 'x', help: 'does the x thing' });
    const b = new FrameContext(session(), false);
    const env = commandEnv(b, computeLayout(120, 40));
    expect(barItems(initialUi(2), env, table)[0]).toEqual({ key: 'x', label: 'do x' });
    // Only commands that work now: no filter editing keys outside the filter.
    const normal = barItems(initialUi(2), env).map((i) => i.label);
    expect(normal).toContain('play');
    expect(normal).not.toContain('apply');
    const typing = barItems({ ...initialUi(2), editing: true }, env).map((i) => i.label);
    expect(typing).toEqual(['filter words', 'delete', 'apply', 'clear']);
    // Short of room, the most important entries stay and smaller ones fill the gap.
    expect(fitBar(barItems(initialUi(2), env), 20).map((i) => i.label)).toEqual(['play', 'step']);
  });

  test('the key bar shows every key from 140 columns (shorter entries first), and what fits by priority below', () => {
    const b = new FrameContext(session(), false);
    const keysAt = (w: number) => plain(keyBar(b, initialUi(2), commandEnv(b, computeLayout(w, 40)), w));
    for (const w of [140, 200]) {
      const bar = keysAt(w);
      expect(width(bar)).toBe(w);
      for (const k of ['space', '. ,', '↑↓', '?', 'q', 'tab', 'enter', '/', '] [', 's', 'f', 'r'])
        expect(bar).toMatch(new RegExp(`(^| )${k.replace(/[.?[\]/]/g, '\\$&')} `));
      // n and N: both, in one entry or two.
      expect(bar).toMatch(/ n N escalation | N previous escalation/);
    }
    expect(keysAt(200)).toContain(': go to time');
    // At 80 columns: the most important keys, in order.
    expect(keysAt(80)).toMatch(/^ space play +n N escalation +\. , step +↑↓ select +\? help +q quit/);
  });

  test('keys apply in order, each seeing the state the previous one left', () => {
    const b = new FrameContext(session(), false);
    const env = commandEnv(b, computeLayout(120, 40));
    const s = applyKeys(['/', 'w', 'a', 'r', 'n', 'enter', '?'], initialUi(2), env);
    expect(s.filter).toBe('warn');
    expect(s.editing).toBe(false);
    expect(s.overlay).toBe('help');
    expect(b.session.engine.tickIndex).toBe(-1);
    const q = applyKeys(['q', 'n'], initialUi(2), env);
    expect(q.quit).toBe(true);
    expect(b.session.engine.tickIndex).toBe(-1);
  });
});

describe('go to a time', () => {
  test('parses HH:MM, HH:MM:SS and +1h30m against the start', () => {
    const start = Date.parse('2017-05-18T06:00:00Z');
    expect(parseJump('07:30', start)).toBe(Date.parse('2017-05-18T07:30:00Z'));
    expect(parseJump('7:30:15', start)).toBe(Date.parse('2017-05-18T07:30:15Z'));
    expect(parseJump('+1h30m', start)).toBe(Date.parse('2017-05-18T07:30:00Z'));
    expect(parseJump('+90s', start)).toBe(start + 90_000);
    // Before the start on its day: the next day (a run past midnight).
    expect(parseJump('05:00', start)).toBe(Date.parse('2017-05-19T05:00:00Z'));
    for (const bad of ['', '+', '7', '25:00', '07:61', 'soon']) expect(parseJump(bad, start)).toBeUndefined();
  });

  test(': then 07:30 and enter goes to that tick exactly; the keys typed do nothing else', () => {
    const s = session();
    const b = new FrameContext(s, false);
    const env = commandEnv(b, computeLayout(120, 40));
    let ui = applyKeys([':', '0', '7', ':', '3', 'q'], initialUi(2), env);
    expect(ui.jump).toBe('07:3q');
    expect(ui.quit).toBe(false);
    expect(plain(keyBar(b, ui, env, 120))).toContain('go to time: 07:3q█');
    ui = applyKeys(['backspace', '0', 'enter'], ui, env);
    expect(ui.jump).toBeUndefined();
    expect(s.engine.time).toBe(Date.parse('2017-05-18T07:30:00Z'));
    ui = applyKeys([':', 'x', 'enter'], ui, env);
    expect(s.note).toContain('is not a time');
    expect(s.engine.time).toBe(Date.parse('2017-05-18T07:30:00Z'));
    // Back in time too, exactly; esc goes nowhere.
    ui = applyKeys([':', '+', '1', 'm', 'enter'], ui, env);
    expect(s.engine.time).toBe(Date.parse('2017-05-18T06:01:00Z'));
    ui = applyKeys([':', '0', '9', 'escape'], ui, env);
    expect(ui.jump).toBeUndefined();
    expect(s.engine.time).toBe(Date.parse('2017-05-18T06:01:00Z'));
  });
});
