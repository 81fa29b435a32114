/**
 * The mouse: SGR reports parsed, cells placed in the layout, and clicks and wheel turns on the
 * App (ink-testing-library, terminal size passed in) doing what they do to a person.
 */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { RUNG_GLYPH } from '../../src/ui/theme.js';
import { computeLayout } from '../../src/ui/layout.js';
import { hitTest, parseMouse } from '../../src/ui/mouse.js';
import { mount } from './helpers.js';

afterEach(() => cleanup());

/** A report as the terminal sends it (cells from 1). */
const press = (x: number, y: number, code = 0) => `\x1b[<${code};${x + 1};${y + 1}M`;

describe('parseMouse', () => {
  test('presses, releases and the wheel, with the cell from 0; Ink passes them on without the escape', () => {
    expect(parseMouse('\x1b[<0;10;5M')).toEqual({ button: 'left', x: 9, y: 4, release: false });
    expect(parseMouse('[<0;10;5m')).toEqual({ button: 'left', x: 9, y: 4, release: true });
    expect(parseMouse('[<2;1;1M')?.button).toBe('right');
    expect(parseMouse('[<64;3;4M')).toEqual({ button: 'wheelup', x: 2, y: 3, release: false });
    expect(parseMouse('[<65;3;4M')?.button).toBe('wheeldown');
    // With ctrl (16) held the button is the same; motion (32) is not a click.
    expect(parseMouse('[<16;3;4M')?.button).toBe('left');
    expect(parseMouse('[<32;3;4M')).toBeUndefined();
  });

  test('keys are not the mouse', () => {
    for (const s of ['q', '[', '[<', '[<0;1M', 'x[<0;1;1M', '\x1b[A', '[<0;1;1Mq']) expect(parseMouse(s)).toBeUndefined();
  });
});

describe('hitTest at 120×40', () => {
  const L = computeLayout(120, 40);
  test('panels by their content, borders and bars outside them', () => {
    expect(hitTest(L, false, 5, 0).kind).toBe('other'); // header
    expect(hitTest(L, false, 0, 5).kind).toBe('other'); // the map's left border
    expect(hitTest(L, false, 1, 2)).toEqual({ kind: 'map', cx: 0, cy: 0 });
    expect(hitTest(L, false, L.map.w, 2)).toEqual({ kind: 'table', row: 0 });
    expect(hitTest(L, false, L.map.w + 3, 4)).toEqual({ kind: 'table', row: 2 });
    expect(hitTest(L, false, 10, 1 + L.map.h + 1)).toEqual({ kind: 'log', row: 0 });
    expect(hitTest(L, false, 10, 1 + L.map.h + L.log.h - 1).kind).toBe('other'); // the log's bottom border
    expect(hitTest(L, false, 30, L.height - 2)).toEqual({ kind: 'timeline', col: 30 });
    expect(hitTest(L, false, 30, L.height - 1).kind).toBe('other'); // key bar
    expect(hitTest(L, true, 30, 10).kind).toBe('overlay');
    expect(hitTest(computeLayout(60, 20), false, 10, 10).kind).toBe('other'); // too small
  });
});

describe('the mouse on the screen', () => {
  test('a click on a table row selects that unit; on the column titles it only focuses the table', async () => {
    const ui = await mount({ cols: 120, rows: 40, initial: { focus: 'map' } });
    const L = computeLayout(120, 40);
    const rowOf = (id: string) => ui.lines().findIndex((l) => new RegExp(`[▶ ]${id}\\b`).test(l.slice(L.map.w)));
    expect(ui.lines()[rowOf('convoy')].slice(L.map.w)).toMatch(/▶convoy/);
    await ui.press(press(L.map.w + 5, rowOf('mat-patrol')));
    expect(ui.lines()[rowOf('mat-patrol')].slice(L.map.w)).toMatch(/▶mat-patrol/);
    await ui.press(press(L.map.w + 5, 2));
    expect(ui.lines()[rowOf('mat-patrol')].slice(L.map.w)).toMatch(/▶mat-patrol/);
  });

  test('a click on the timeline jumps there; the wheel on the map zooms in and out', async () => {
    const ui = await mount({ cols: 120, rows: 40 });
    const L = computeLayout(120, 40);
    const bar = ui.lines()[L.height - 2];
    const x0 = bar.indexOf('06:00') + 6;
    const x1 = bar.indexOf('10:00') - 2;
    await ui.press(press(Math.round((x0 + x1) / 2), L.height - 2));
    // Half way through the four hours.
    expect(ui.frame()).toMatch(/2017-05-18 08:0\d:\d0Z/);
    await ui.press(press(x0, L.height - 2));
    expect(ui.session.engine.tickIndex).toBe(0);
    const scale = () => /([\d.]+ k?m)\/cell/.exec(ui.lines()[1])?.[1];
    const before = scale();
    await ui.press(press(10, 8, 64));
    const zoomed = scale();
    expect(zoomed).not.toBe(before);
    await ui.press(press(10, 8, 65));
    expect(scale()).toBe(before);
  });

  test("a click on a unit's symbol on the map selects it", async () => {
    const ui = await mount({ cols: 120, rows: 40 });
    await ui.press('n'); // the convoy is on the map with its label
    const L = computeLayout(120, 40);
    // Select the other unit first, with a click on its row.
    await ui.press(
      press(
        L.map.w + 5,
        ui.lines().findIndex((l) => l.slice(L.map.w).includes('mat-patrol')),
      ),
    );
    const y = ui.lines().findIndex((l, i) => i > 1 && [...l].slice(0, L.map.w).join('').includes('convoy'));
    // The symbol is beside its label: on the left, or on the right where the label moved off a zone edge.
    const row = [...ui.lines()[y]].slice(0, L.map.w);
    const at = row.join('').indexOf('convoy');
    const x = Object.values(RUNG_GLYPH).includes(row[at - 1]) ? at - 1 : at + 'convoy'.length;
    expect(ui.lines().join('\n')).not.toMatch(/▶convoy/);
    await ui.press(press(x, y));
    expect(ui.lines().join('\n')).toMatch(/▶convoy/);
    expect(ui.lines()[1]).toMatch(/╭─ Map/);
  });

  test('a click on a log line selects that event and focuses the log; the wheel moves through it', async () => {
    const ui = await mount({ cols: 120, rows: 40 });
    for (let i = 0; i < 5; i++) await ui.press('n');
    const L = computeLayout(120, 40);
    const first = 1 + L.map.h + 1;
    const enterRow = ui.lines().findIndex((l, i) => i >= first && /ENTER/.test(l));
    await ui.press(press(20, enterRow));
    // The log is focused and shows the chosen event's whole text under the list.
    expect(ui.lines()[1 + L.map.h]).toMatch(/╭─ Events/);
    expect(ui.frame()).toMatch(/\d\d:\d\d:\d\d ENTER convoy in tanf-dz: entered/);
    await ui.press(press(20, first, 65));
    expect(ui.frame()).toMatch(/\d\d:\d\d:\d\d ESCALATE convoy in tanf-dz: leaflets/);
  });

  test('the help lists what the mouse does when the terminal reports it', async () => {
    const ui = await mount({ cols: 120, rows: 40 });
    await ui.press('?');
    expect(ui.frame()).not.toMatch(/Mouse/);
    ui.frames.mouse = true;
    await ui.press('\x1b');
    await ui.press('?');
    expect(ui.frame()).toMatch(/Mouse/);
    expect(ui.frame()).toMatch(/click timeline\s+jump to that time/);
    // The wheel scrolls the help like the arrow keys.
    const top = ui.lines()[2];
    await ui.press(press(30, 10, 65));
    expect(ui.lines()[2]).not.toBe(top);
  });
});
