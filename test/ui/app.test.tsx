import { afterEach, describe, expect, test } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { commandsFor } from '../../src/ui/commands/dispatch.js';
import { computeLayout } from '../../src/ui/layout.js';
import { width } from '../../src/ui/text.js';
import { mount, TANF } from './helpers.js';

afterEach(() => cleanup());

const BRAILLE = /[\u2801-\u28ff]/;

describe('layout', () => {
  test('draws map, units, events, timeline and key bar within the terminal, one row short of it', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    const lines = ui.lines();
    expect(lines.length).toBe(29);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(100);
    const f = ui.frame();
    expect(f).toContain('╭─ Map ');
    expect(f).toContain('╭─ Units ');
    expect(f).toContain('╭─ Events ');
    expect(f).toMatch(BRAILLE);
    expect(f).toContain('tanf-dz');
    expect(f).toMatch(/[■•] tanf/);
    expect(f).toMatch(/├─+┤ \d+(\.\d)? km/);
    expect(f).toContain('‖ paused');
    expect(f).toContain('06:00');
    expect(f).toContain('10:00');
    expect(lines[lines.length - 1]).toMatch(/space play .*n (next|N) escalation/);
  });

  test('says the terminal is too small instead of drawing a broken layout', async () => {
    for (const [cols, rows] of [
      [79, 30],
      [100, 23],
    ]) {
      const ui = await mount({ cols, rows });
      expect(ui.frame()).toContain(`needs a terminal of at least 80×24`);
      expect(ui.frame()).toContain(`This one is ${cols}×${rows}`);
      expect(ui.frame()).not.toContain('╭─ Map');
      ui.unmount();
    }
  });

  test('follows a resize: too small, then the full layout again', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    ui.rerender(70, 20);
    await ui.press('');
    expect(ui.frame()).toContain('This one is 70×20');
    ui.rerender(90, 26);
    await ui.press('');
    expect(ui.frame()).toContain('╭─ Map ');
    expect(ui.lines().length).toBe(25);
  });
});

describe('units table', () => {
  test('lists units with side, zone, rung and signed distances; n steps the ladder one rung at a time', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    expect(ui.frame()).toMatch(/convoy\s+• none\s+80\.0 km\s+\+25\.0 km/);
    await ui.press('n');
    expect(ui.frame()).toMatch(/convoy\s+○ monitor\s+64\.9 km\s+\+9\.9 km/);
    expect(ui.session.engine.tickIndex).toBeGreaterThan(0);
    // Keys typed together arrive in one string: each one counts.
    await ui.press('nnnn');
    expect(ui.frame()).toMatch(/convoy\s+× struck\s+44\.6 km\s+-10\.4 km/);
    expect(ui.frame()).toContain('warning shots → strike');
  });

  test('sorts by rung, distance to site, distance to edge and id', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    await ui.press('n');
    const mapW = computeLayout(100, 30).map.w;
    const order = () =>
      ui
        .lines()
        .map((l) => [...l].slice(mapW).join(''))
        .filter((l) => /^│[▶ ](convoy|mat-patrol) /.test(l))
        .map((l) => (l.includes('convoy') ? 'c' : 'm'));
    expect(ui.frame()).toContain('sorted by rung');
    expect(order()).toEqual(['c', 'm']);
    await ui.press('s');
    expect(ui.frame()).toContain('sorted by distance to site');
    expect(order()).toEqual(['m', 'c']);
    await ui.press('s');
    expect(ui.frame()).toContain('sorted by distance to edge');
    await ui.press('s');
    expect(ui.frame()).toContain('sorted by id');
    expect(order()).toEqual(['c', 'm']);
  });
});

describe('stepping', () => {
  test(', goes back one tick exactly: the state equals playing forward to that tick', async () => {
    const ui = await mount();
    await ui.press('nnnnn');
    const k = ui.session.engine.tickIndex;
    await ui.press(',');
    expect(ui.session.engine.tickIndex).toBe(k - 1);
    const fresh = new Engine(loadScenario(TANF));
    fresh.seekTick(k - 1);
    const e = ui.session.engine;
    expect(e.events.map((x) => JSON.stringify(x))).toEqual(fresh.events.map((x) => JSON.stringify(x)));
    expect(Array.from(e.positions)).toEqual(Array.from(fresh.positions));
    expect(e.unitRung(0)).toEqual(fresh.unitRung(0));
    expect(ui.frame()).toContain(`tick ${k - 1}/`);
    expect(ui.frame()).toMatch(/convoy\s+▲ warning shots/);
    await ui.press('.');
    expect(ui.session.engine.tickIndex).toBe(k);
    expect(ui.frame()).toMatch(/convoy\s+× struck/);
  });

  test('r restarts; ] and [ change speed', async () => {
    const ui = await mount();
    await ui.press('nn');
    await ui.press('r');
    expect(ui.session.engine.tickIndex).toBe(-1);
    expect(ui.frame()).toContain('0 events');
    const s = ui.session.speed;
    await ui.press(']]');
    expect(ui.session.speed).toBeGreaterThan(s);
    expect(ui.frame()).toContain(`${ui.session.speed}×`);
    await ui.press('[[[');
    expect(ui.session.speed).toBeLessThan(s);
  });

  test('space plays in real time and pauses; nothing runs while paused', async () => {
    const ui = await mount();
    // 600×: three ticks a frame, far from the end within the test.
    ui.session.speed = 600;
    await ui.press(' ');
    expect(ui.session.playing).toBe(true);
    expect(ui.frame()).toContain('▶ playing');
    await new Promise((r) => setTimeout(r, 300));
    await ui.press(' ');
    expect(ui.session.playing).toBe(false);
    const k = ui.session.engine.tickIndex;
    expect(k).toBeGreaterThan(2);
    expect(ui.frame()).toContain('‖ paused');
    await new Promise((r) => setTimeout(r, 200));
    expect(ui.session.engine.tickIndex).toBe(k);
  });
});

describe('event log', () => {
  test('shows events with their reasons, coloured by type, and filters with /', async () => {
    const ui = await mount({ cols: 100, rows: 40 });
    await ui.press('nnnnn');
    expect(ui.frame()).toContain('9 events');
    expect(ui.frame()).toMatch(/07:15:10 convoy\s+DWELL/);
    await ui.press('/');
    expect(ui.frame()).toContain('/█');
    await ui.press('dwell');
    expect(ui.frame()).toContain('/dwell█');
    expect(ui.frame()).toContain('filter “dwell”: 1 of 9');
    await ui.press('\r');
    const log = ui.lines().filter((l) => /^│\d\d:\d\d:\d\d (convoy|-) /.test(l));
    expect(log).toHaveLength(1);
    expect(log[0]).toMatch(/DWELL\s+Pro-regime convoy/);
    // The focused log shows the selected event's whole reason under the list.
    expect(ui.frame()).toContain('has stayed within 500 m for 30 min');
    // Keys work again after enter: q would quit, n steps.
    expect(ui.frame()).not.toContain('/dwell█');
    await ui.press('\x1b');
    expect(ui.frame()).toContain('9 events');
    expect(ui.lines().filter((l) => /^│\d\d:\d\d:\d\d (convoy|-) /.test(l)).length).toBeGreaterThan(3);
  });

  test('while filtering, letters are text, not commands; backspace deletes; esc clears', async () => {
    const ui = await mount();
    await ui.press('nnnnn');
    await ui.press('/strike q');
    expect(ui.frame()).toContain('/strike q█');
    expect(ui.frame()).not.toContain('╭─ Keys');
    await ui.press('\x7f\x7f');
    expect(ui.frame()).toContain('/strike█');
    expect(ui.frame()).toMatch(/filter “strike”: [12] of 9/);
    await ui.press('\x1b');
    expect(ui.frame()).not.toContain('filter “');
  });

  test('enter on a log line opens the details of its unit', async () => {
    const ui = await mount();
    await ui.press('nn');
    await ui.press('\t\t');
    expect(ui.frame()).toMatch(/╭─ Events/);
    await ui.press('\r');
    expect(ui.frame()).toContain('╭─ Unit convoy');
  });
});

describe('help and key bar', () => {
  test('? lists every command of the table; the bar shows the keys that work now', async () => {
    const ui = await mount({ cols: 100, rows: 60 });
    await ui.press('?');
    const f = ui.frame();
    expect(f).toContain('╭─ Keys');
    // The replay's commands (the live mode's own are tested in live.test.tsx).
    for (const c of commandsFor('replay')) {
      expect(f).toContain(c.keyLabel);
      expect(f).toContain(c.help.slice(0, 40));
    }
    expect(ui.lines().at(-1)).toMatch(/esc close .*\? close help/);
    await ui.press('?');
    expect(ui.frame()).not.toContain('╭─ Keys');
  });

  test('the bar follows the focus: select in the table, pan on the map, words while filtering', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    expect(ui.lines().at(-1)).toContain('↑↓ select');
    await ui.press('\t');
    expect(ui.lines().at(-1)).toContain('←↓↑→ pan');
    await ui.press('/');
    expect(ui.lines().at(-1)).toMatch(/type filter words .*backspace delete .*enter apply .*esc clear/);
  });
});

describe('details', () => {
  test('enter shows the ladder history with times and reasons, composition, threat and closest approach; esc closes', async () => {
    const ui = await mount({ cols: 100, rows: 40 });
    await ui.press('nnnnn');
    await ui.press('\r');
    const f = ui.frame();
    expect(f).toContain('╭─ Unit convoy');
    expect(f).toContain('1 tank, 3 technicals, 1 engineering vehicle, 25 personnel');
    expect(f).toMatch(/score 8\.5.*threshold .* 5/);
    expect(f).toMatch(/closest\s+44\.6 km from At Tanf garrison at 07:55:50/);
    expect(f).toContain('Ladder history (5)');
    expect(f).toMatch(/06:30:10\s+none → monitor\s+watch and report/);
    expect(f).toMatch(/07:55:50\s+warning shots → strike\s+still inside/);
    await ui.press('\x1b');
    expect(ui.frame()).toContain('╭─ Map');
  });
});

describe('map keys', () => {
  test('+ and - zoom, arrows pan with the map focused, 0 fits, f follows the selection', async () => {
    const ui = await mount({ cols: 100, rows: 30 });
    const scale = () => /([\d.]+) km\/cell/.exec(ui.frame())?.[1];
    const fit = scale();
    await ui.press('+');
    expect(Number(scale())).toBeLessThan(Number(fit));
    await ui.press('-');
    expect(scale()).toBe(fit);
    await ui.press('\t');
    const before = ui.frame();
    await ui.press('\x1b[C');
    expect(ui.frame()).not.toBe(before);
    await ui.press('hjkl');
    await ui.press('0');
    expect(ui.frame()).toBe(before);
    await ui.press('f');
    expect(ui.frame()).toContain('following convoy');
  });
});
