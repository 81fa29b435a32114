import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { composeScreen, FrameBuilder } from '../../src/ui/frame.js';
import { computeLayout } from '../../src/ui/layout.js';
import { LogIndex } from '../../src/ui/model.js';
import { defaultSpeed, Session, SPEEDS } from '../../src/ui/session.js';
import { initialUi } from '../../src/ui/state.js';
import { plain, row, wrap } from '../../src/ui/text.js';
import { colorWanted } from '../../src/ui/theme.js';
import { session, TANF } from './helpers.js';

const layout = computeLayout(120, 40);

describe('colour', () => {
  test('NO_COLOR turns colour off (any value but empty)', () => {
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ NO_COLOR: '' })).toBe(true);
    expect(colorWanted({})).toBe(true);
  });

  test('without colour the screen has no colour codes, but keeps reverse video for the selection', () => {
    // eslint-disable-next-line no-control-regex
    const COLOUR = /\x1b\[[0-9;]*(3[0-7]|9[0-7])[;m]/;
    for (const color of [true, false]) {
      const s = session();
      s.nextEscalation();
      const b = new FrameBuilder(s, color);
      const lines = composeScreen(b.build(initialUi(2), layout, b.env(layout)), layout, color).join('\n');
      expect(COLOUR.test(lines)).toBe(color);
      expect(lines).toContain('\x1b[7m');
    }
  });
});

describe('panels', () => {
  test.each([80, 100, 109, 110, 140])('the event log’s reasons start in one column at %i columns', (w) => {
    const s = session();
    for (let i = 0; i < 6; i++) s.nextEscalation();
    const b = new FrameBuilder(s, false);
    const lines = s.engine.events.map((e) => plain(b.logLine(e, w - 2, false)));
    const starts = new Set(lines.map((l, i) => l.indexOf(s.engine.events[i].reason.slice(0, 20))));
    expect(lines.length).toBeGreaterThan(6);
    expect([...starts], lines.join('\n')).toHaveLength(1);
  });

  test('the units table at 120 columns shows closing speed; the rung column fits every rung', () => {
    const s = session();
    s.nextEscalation();
    const b = new FrameBuilder(s, false);
    const t = b.tablePanel(initialUi(2), layout).rows.map(plain);
    expect(t[0]).toMatch(/unit\s+rung▼\s+to site\s+to edge\s+closing/);
    expect(t.find((l) => l.includes('convoy'))).toMatch(/▶convoy\s+○ monitor\s+64\.9 km\s+\+9\.9 km\s+\+30 km\/h/);
    while (!s.engine.isStruck(0)) s.nextEscalation();
    s.stepBack();
    expect(b.tablePanel(initialUi(2), layout).rows.map(plain).join('\n')).toContain('▲ warning shots');
  });

  test('rows are exactly as wide as their panel, whatever the size', () => {
    const s = session();
    s.nextEscalation();
    s.nextEscalation();
    const b = new FrameBuilder(s, true);
    for (const [c, r] of [
      [80, 24],
      [100, 30],
      [143, 51],
      [200, 60],
    ]) {
      const L = computeLayout(c, r);
      const lines = composeScreen(b.build(initialUi(2), L, b.env(L)), L, true);
      expect(lines.length).toBe(r - 1);
      for (const l of lines) expect([...plain(l)].length, `${c}x${r}: ${plain(l)}`).toBe(c);
    }
  });

  test('the timeline marks where rungs changed, and keeps marks ahead after going back', () => {
    const s = session();
    const b = new FrameBuilder(s, false);
    for (let i = 0; i < 5; i++) s.nextEscalation();
    const bar = () => plain(b.timeline(120)[1]);
    // Five rung changes; the cursor stands on the last one.
    expect(bar().match(/┃/g)?.length).toBe(4);
    expect(bar().indexOf('●')).toBeGreaterThan(bar().lastIndexOf('┃'));
    s.seekTick(10);
    // All five marks stay, now ahead of the cursor.
    expect(bar().match(/┃/g)?.length).toBe(5);
    expect(bar().indexOf('●')).toBeLessThan(bar().indexOf('┃'));
    expect(plain(b.timeline(120)[0])).toContain('tick 10/1440');
  });
});

describe('event log index', () => {
  test('grows with the run, is rebuilt after going back, and matches every word', () => {
    const e = new Engine(loadScenario(TANF));
    const idx = new LogIndex();
    e.runToEnd();
    const all = idx.view(e.events, 'convoy escalate');
    expect(all.count).toBe(5);
    e.seekTick(e.tickAt(Date.parse('2017-05-18T07:40:00Z')));
    expect(idx.view(e.events, 'convoy escalate').count).toBe(3);
    e.runToEnd();
    expect(idx.view(e.events, 'convoy escalate').count).toBe(5);
    expect(idx.view(e.events, 'STRIKE').count).toBe(1);
    expect(idx.view(e.events, '').count).toBe(e.events.length);
  });
});

describe('session', () => {
  test('the default speed plays a scenario in about four minutes', () => {
    expect(defaultSpeed(4 * 3600_000)).toBe(60);
    expect(SPEEDS).toContain(defaultSpeed(24 * 3600_000));
  });

  test('N goes back exactly to the previous rung change', () => {
    const s = session();
    for (let i = 0; i < 5; i++) s.nextEscalation();
    expect(s.engine.isStruck(0)).toBe(true);
    s.previousEscalation();
    expect(s.engine.unitRung(0).rung).toBe('warning_shots');
    const fresh = new Engine(loadScenario(TANF));
    fresh.seekTick(s.engine.tickIndex);
    expect(s.engine.events.map((e) => JSON.stringify(e))).toEqual(fresh.events.map((e) => JSON.stringify(e)));
    expect(s.engine.events.at(-1)?.rung).toBe('warning_shots');
    for (let i = 0; i < 4; i++) s.previousEscalation();
    expect(s.engine.unitRung(0).rung).toBe('monitor');
    s.previousEscalation();
    expect(s.note).toBe('no earlier escalation');
  });

  test('n finds one escalation per press, also when pressed again while searching', () => {
    const pending: (() => void)[] = [];
    const s = new Session(new Engine(loadScenario(TANF)), { defer: (f) => pending.push(f) });
    s.nextEscalation();
    s.nextEscalation();
    while (pending.length) pending.shift()!();
    const esc = s.engine.events.filter((e) => e.type === 'escalate');
    expect(esc.map((e) => e.rung)).toEqual(['monitor', 'warn']);
    expect(s.engine.events.at(-1)?.rung).toBe('warn');
  });
});

describe('every bundled scenario', () => {
  test('builds every panel and overlay at several sizes at every escalation, rows exactly as wide as the terminal', () => {
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) {
      const s = new Session(new Engine(loadScenario(join('scenarios', f))), { defer: (g) => g() });
      const b = new FrameBuilder(s, true);
      const n = s.engine.scenario.units.length;
      const states = [
        initialUi(n),
        { ...initialUi(n), focus: 'map' as const, follow: true },
        { ...initialUi(n), focus: 'log' as const, filter: 'escalate' },
        { ...initialUi(n), editing: true, draft: 'x' },
        { ...initialUi(n), overlay: 'help' as const },
        { ...initialUi(n), overlay: 'details' as const, detailsUnit: n - 1 },
      ];
      for (let step = 0; step < 12 && !s.engine.done; step++) {
        for (const [c, r] of [
          [80, 24],
          [120, 40],
          [200, 60],
        ]) {
          const L = computeLayout(c, r);
          for (const ui of states) {
            const lines = composeScreen(b.build(ui, L, b.env(L)), L, true);
            expect(lines.length, f).toBe(r - 1);
            for (const l of lines) expect([...plain(l)].length, `${f} ${c}x${r}`).toBe(c);
          }
        }
        s.nextEscalation();
      }
    }
  });
});

describe('text', () => {
  test('rows are cut with an ellipsis and padded to width', () => {
    expect(row([['abcdef']], 4, false)).toBe('abc…');
    expect(row([['ab']], 4, false)).toBe('ab  ');
    expect(wrap('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });
});
