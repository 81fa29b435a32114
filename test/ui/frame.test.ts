import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import { commandEnv } from '../../src/ui/screen/env.js';
import { buildFrame, composeScreen } from '../../src/ui/screen/frame.js';
import { logLine } from '../../src/ui/screen/panels/log.js';
import { timeline } from '../../src/ui/screen/panels/timeline.js';
import { tablePanel } from '../../src/ui/screen/panels/units.js';
import { computeLayout } from '../../src/ui/layout.js';
import { LogIndex } from '../../src/ui/view-model/log.js';
import { defaultSpeed, ReplaySession, SPEEDS } from '../../src/ui/playback/replay.js';
import { initialUi } from '../../src/ui/state.js';
import { plain, row, wrap } from '../../src/ui/text.js';
import { colorWanted } from '../../src/ui/theme.js';
import { Projection } from '../../src/ui/map/view.js';
import { session, TANF } from './helpers.js';

const layout = computeLayout(120, 40);

describe('colour', () => {
  test('NO_COLOR turns colour off (any value but empty)', () => {
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ NO_COLOR: '' })).toBe(true);
    expect(colorWanted({})).toBe(true);
  });

  test('without colour the screen has no colour codes, but keeps reverse video for the selection', () => {
    const COLOUR = /\x1b\[[0-9;]*(3[0-7]|9[0-7])[;m]/;
    for (const color of [true, false]) {
      const s = session();
      s.nextEscalation();
      const b = new FrameContext(s, color);
      const lines = composeScreen(buildFrame(b, initialUi(2), layout, commandEnv(b, layout)), layout, color).join('\n');
      expect(COLOUR.test(lines)).toBe(color);
      expect(lines).toContain('\x1b[7m');
    }
  });
});

describe('panels', () => {
  test.each([80, 100, 109, 110, 140])('the event log’s reasons start in one column at %i columns', (w) => {
    const s = session();
    for (let i = 0; i < 6; i++) s.nextEscalation();
    const b = new FrameContext(s, false);
    const lines = s.engine.events.map((e) => plain(logLine(b, e, w - 2, false)));
    const starts = new Set(lines.map((l, i) => l.indexOf(s.engine.events[i].reason.slice(0, 20))));
    expect(lines.length).toBeGreaterThan(6);
    expect([...starts], lines.join('\n')).toHaveLength(1);
  });

  test('the units table at 120 columns shows closing speed; the rung column fits every rung', () => {
    const s = session();
    s.nextEscalation();
    const b = new FrameContext(s, false);
    const t = tablePanel(b, initialUi(2), layout).rows.map(plain);
    expect(t[0]).toMatch(/unit\s+rung▼\s+to site\s+to edge\s+closing/);
    expect(t.find((l) => l.includes('convoy'))).toMatch(/▶convoy\s+○ monitor\s+64\.9 km\s+\+9\.9 km\s+\+30 km\/h/);
    while (!s.engine.isStruck(0)) s.nextEscalation();
    s.stepBack();
    expect(tablePanel(b, initialUi(2), layout).rows.map(plain).join('\n')).toContain('▲ warning shots');
  });

  test('rows are exactly as wide as their panel, whatever the size', () => {
    const s = session();
    s.nextEscalation();
    s.nextEscalation();
    const b = new FrameContext(s, true);
    for (const [c, r] of [
      [80, 24],
      [100, 30],
      [143, 51],
      [200, 60],
    ]) {
      const L = computeLayout(c, r);
      const lines = composeScreen(buildFrame(b, initialUi(2), L, commandEnv(b, L)), L, true);
      expect(lines.length).toBe(r - 1);
      for (const l of lines) expect([...plain(l)].length, `${c}x${r}: ${plain(l)}`).toBe(c);
    }
  });

  test('the timeline marks where rungs changed, and keeps marks ahead after going back', () => {
    const s = session();
    const b = new FrameContext(s, false);
    for (let i = 0; i < 5; i++) s.nextEscalation();
    const bar = () => plain(timeline(b, 120).rows[1]);
    // Five rung changes; the cursor stands on the last one.
    expect(bar().match(/┃/g)?.length).toBe(4);
    expect(bar().indexOf('●')).toBeGreaterThan(bar().lastIndexOf('┃'));
    s.seekTick(10);
    // All five marks stay, now ahead of the cursor.
    expect(bar().match(/┃/g)?.length).toBe(5);
    expect(bar().indexOf('●')).toBeLessThan(bar().indexOf('┃'));
    expect(plain(timeline(b, 120).rows[0])).toContain('tick 10/1440');
  });
});

describe('hits', () => {
  test('a frame returns what it drew where: the table’s units, the log’s rows, the scrubber, the units on the map', () => {
    const s = session();
    for (let i = 0; i < 3; i++) s.nextEscalation();
    const b = new FrameContext(s, false);
    const ui = { ...initialUi(2), focus: 'log' as const };
    const f = buildFrame(b, ui, layout, commandEnv(b, layout));
    const table = f.table!.rows.map(plain);
    // The table's rows under the titles, in order.
    expect(f.hits.tableUnits.map((u) => s.engine.scenario.units[u].id)).toEqual(
      table.slice(1, 1 + f.hits.tableUnits.length).map((l) => l.trim().replace(/^▶/, '').split(/\s+/)[0]),
    );
    // The log: the newest event's logSel is 0, in the last row that holds an event.
    expect(f.hits.logRows).toBe(Math.min(s.engine.events.length, f.hits.logNewest + 1));
    expect(f.hits.scrubber).toEqual({ x0: 7, w: layout.cols - 14 });
    const convoy = s.engine.scenario.units.findIndex((u) => u.id === 'convoy');
    const view = b.view(ui, layout);
    const [lon, lat] = b.unitPos(convoy);
    const p = new Projection(view, layout.map.iw * 2, layout.map.ih * 4);
    expect(f.hits.unitOnMap(Math.floor(p.x(lon) / 2), Math.floor(p.y(lat) / 4))).toBe(convoy);
    // Building again changes nothing; an overlay frame has no panels to hit.
    expect(buildFrame(b, ui, layout, commandEnv(b, layout)).hits.tableUnits).toEqual(f.hits.tableUnits);
    const o = buildFrame(b, { ...ui, overlay: 'help' }, layout, commandEnv(b, layout)).hits;
    expect([o.tableUnits, o.logRows, o.unitOnMap(0, 0)]).toEqual([[], 0, -1]);
    expect(o.scrubber).toEqual(f.hits.scrubber);
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
    const s = new ReplaySession(new Engine(loadScenario(TANF)), { defer: (f) => pending.push(f) });
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
      const s = new ReplaySession(new Engine(loadScenario(join('scenarios', f))), { defer: (g) => g() });
      const b = new FrameContext(s, true);
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
            const lines = composeScreen(buildFrame(b, ui, L, commandEnv(b, L)), L, true);
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
