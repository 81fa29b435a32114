/**
 * The scenario editor (ink-testing-library, terminal size passed in): each drawing tool writes
 * what it drew into the file, undo and redo, the forms, and save.
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { geodesicDistance } from '../../src/core/geo/geodesic.js';
import { parseScenario } from '../../src/io/node/load.js';
import type { LonLat } from '../../src/core/model.js';
import { KEY, mountEditor, type EditorUi } from './editor-helpers.js';

const mounted: EditorUi[] = [];
afterEach(() => {
  for (const u of mounted.splice(0)) u.unmount();
});
async function editor(o: Parameters<typeof mountEditor>[0] = {}) {
  const u = await mountEditor(o);
  mounted.push(u);
  return u;
}
const times = (k: string, n: number) => Array<string>(n).fill(k);
const TANF = readFileSync('scenarios/tanf-2017-05-18.yaml', 'utf8');

/** A site and a 30 km circle on it, as the blank template grows. */
async function siteAndCircle(u: EditorUi) {
  await u.press('s', KEY.enter, KEY.esc);
  await u.press('c', KEY.enter, '3', '0', KEY.enter);
}

describe('the editor', () => {
  it('site tool: enter places a site at the cursor', async () => {
    const u = await editor();
    await u.press('s', ...times(KEY.right, 4), KEY.enter);
    expect(u.frame()).toMatch(/site site-1 placed/);
    await u.press(KEY.esc);
    expect(u.state().text).toMatch(/sites:\n {2}- id: site-1\n {4}name: Site 1\n {4}side: coalition\n {4}pos: \[38\.\d+, 33\.50583\]\n$/);
    expect(u.frame()).toMatch(/■.site-1/);
  });

  it('circle tool: the centre on a site protects it, the radius typed in km', async () => {
    const u = await editor();
    await siteAndCircle(u);
    expect(u.state().text).toContain(
      'zones:\n  - id: zone-1\n    name: the zone-1 zone\n    type: circle\n    center: site-1\n    radius: 30km\n    applies_to: [red]\n',
    );
    expect(u.frame()).toMatch(/circle zone-1 of 30 km added/);
    // Still a problem: no units yet, listed on screen.
    expect(u.frame()).toMatch(/units: missing required/);
  });

  it('circle tool: the radius follows the cursor, shown live in km', async () => {
    const u = await editor({ cols: 80, rows: 24 });
    await u.press('c', KEY.enter, ...times(KEY.right, 10));
    const m = /radius (\d+\.\d) km/.exec(u.frame());
    expect(m).not.toBeNull();
    const live = Number(m![1]);
    // Ten cells at 1.5 km a cell.
    expect(live).toBeGreaterThan(14);
    expect(live).toBeLessThan(16);
    await u.press(KEY.enter);
    expect(u.state().text).toContain(`radius: ${live}km`);
    expect(u.state().text).toMatch(/center: \[38\.61778, 33\.50583\]/);
  });

  it('polygon tool: vertex by vertex, f closes the ring; backspace drops the last vertex', async () => {
    const u = await editor();
    await u.press('p', KEY.enter, ...times(KEY.right, 8), KEY.enter, ...times(KEY.down, 5), KEY.enter, KEY.left, KEY.enter, KEY.backspace, 'f');
    const zone = /zones:\n {2}- id: zone-1[\s\S]*$/.exec(u.state().text)![0];
    expect(zone).toMatch(/type: polygon\n {4}polygon: \[\[\[38\.61778, 33\.50583\], \[[\d.]+, 33\.50583\], \[[\d.]+, [\d.]+\], \[38\.61778, 33\.50583\]\]\]\n/);
  });

  it('line tool: vertex by vertex, then the forbidden side chosen on the map', async () => {
    const u = await editor({ text: TANF });
    await u.press('l', KEY.enter, ...times(KEY.right, 10), KEY.enter, 'f');
    expect(u.frame()).toMatch(/forbidden side/);
    await u.press(...times(KEY.up, 3), KEY.enter);
    const sc = parseScenario(u.state().text, 't.yaml');
    const line = sc.zones.find((z) => z.id === 'line-1')!;
    expect(line.type).toBe('line');
    // Drawn west to east, the cursor north of it: north is on the left of the direction.
    expect(line.forbidden).toBe('left');
    expect(line.appliesTo).toEqual(['pro-regime']);
  });

  it('unit tool: a route waypoint by waypoint, with speeds and a hold', async () => {
    const u = await editor({ text: TANF });
    await u.press('n', KEY.enter, ...times(KEY.right, 6), ']', ']', KEY.enter, 'h', 'h', ...times(KEY.down, 6), '[', KEY.enter, KEY.esc);
    const sc = parseScenario(u.state().text, 't.yaml');
    const unit = sc.units.find((x) => x.id === 'unit-1')!;
    expect(unit.side).toBe('pro-regime');
    expect(u.state().text).toMatch(
      / {2}- id: unit-1\n {4}name: Unit 1\n {4}side: pro-regime\n {4}track:\n {6}- \{pos: \[[\d.]+, [\d.]+\], t: \+0s\}\n {6}- \{pos: \[[\d.]+, [\d.]+\], speed: 40km\/h, hold: 20m\}\n {6}- \{pos: \[[\d.]+, [\d.]+\], speed: 35km\/h\}\n/,
    );
    // A waypoint, its hold (two points at one place), then the last one.
    expect(unit.track.t.length).toBe(4);
    const leg = geodesicDistance([unit.track.lon[0], unit.track.lat[0]], [unit.track.lon[1], unit.track.lat[1]]);
    expect((unit.track.t[1] - unit.track.t[0]) / 1000).toBeCloseTo(leg / (40 / 3.6), -1);
    expect(unit.track.t[2] - unit.track.t[1]).toBe(20 * 60_000);
  });

  it("a: more of the selected unit's route, from its last waypoint", async () => {
    const u = await editor({ text: TANF });
    await u.press(KEY.tab, 'a', ...times(KEY.down, 3), KEY.enter, KEY.esc);
    const before = parseScenario(TANF, 't.yaml').units[0].track;
    const after = parseScenario(u.state().text, 't.yaml').units[0].track;
    expect(after.t.length).toBe(before.t.length + 1);
    const last = before.t.length - 1;
    // 3 cells of 4 dots at the fitted scale, south of where the convoy's track ended.
    expect(after.lat[last + 1]).toBeLessThan(before.lat[last]);
    expect(after.lon[last + 1]).toBeCloseTo(before.lon[last], 5);
    expect(u.state().text).toMatch(/ {6}- \{pos: \[38\.36505, [\d.]+\], speed: 30km\/h\}\n {2}- id: mat-patrol/);
  });

  it("a click on the map moves the cursor there and places the tool's point", async () => {
    const u = await editor({ cols: 80, rows: 24 });
    await u.press('s');
    await u.click(10, 5);
    await u.press(KEY.esc);
    const sc = parseScenario(
      `${u.state().text}zones: [{id: z, name: z, type: circle, center: site-1, radius: 1km, applies_to: [x]}]\nunits: [{id: u, name: u, side: x, track: [{pos: [38, 33], t: +0s}]}]\n`,
      't.yaml',
    );
    const p: LonLat = sc.sites[0].pos;
    // West and north of the centre, where the cell is.
    expect(p[0]).toBeLessThan(38.61778);
    expect(p[1]).toBeGreaterThan(33.50583);
  });

  it('the unit form sets side and composition; the inject form adds an inject', async () => {
    const u = await editor({ text: TANF });
    await u.press(KEY.tab, 'e');
    expect(u.frame()).toMatch(/Unit convoy/);
    // Typed quickly, several characters arrive as one input: each is a key of its own.
    await u.press(KEY.enter, KEY.backspace.repeat(20), 'red', KEY.enter, KEY.backspace.repeat(80), 'tanks=2', KEY.enter);
    let sc = parseScenario(u.state().text, 't.yaml');
    expect(sc.units[0].side).toBe('red');
    expect(sc.units[0].composition).toEqual({ tanks: 2 });
    // Its side now matches no zone: the warning is on screen.
    expect(u.frame()).toMatch(/Warnings \(\d\)/);
    expect(u.frame()).toMatch(/no zone applies to side 'red'/);
    await u.press('i', KEY.backspace.repeat(3), '+2h', KEY.enter, KEY.backspace.repeat(7), 'halt', KEY.enter, KEY.enter, 'Stop', KEY.enter);
    sc = parseScenario(u.state().text, 't.yaml');
    expect(sc.injects.some((j) => j.type === 'halt' && j.unit === 0 && j.t === sc.start + 2 * 3_600_000 && j.text === 'Stop')).toBe(true);
  });

  it('undo and redo step through every change', async () => {
    const u = await editor();
    await siteAndCircle(u);
    const withCircle = u.state().text;
    await u.press('z');
    expect(u.state().text).not.toContain('zones:');
    await u.press('z');
    expect(u.state().text).not.toContain('sites:');
    await u.press('z');
    expect(u.frame()).toMatch(/nothing to undo/);
    await u.press('y', 'y');
    expect(u.state().text).toBe(withCircle);
  });

  it('save: an unchanged bundled scenario saves as the same bytes; one moved waypoint changes one line', async () => {
    const u = await editor({ text: TANF, file: 'tanf.yaml' });
    await u.press('w');
    expect(u.saved).toEqual([TANF]);
    // Pick the waypoint nearest the cursor (the patrol's, at the garrison) and move it.
    await u.press('m', ...times(KEY.right, 3), KEY.enter, 'w');
    const after = u.saved[1];
    const a = TANF.split('\n');
    const b = after.split('\n');
    expect(b.length).toBe(a.length);
    const changed = a.flatMap((l, i) => (l === b[i] ? [] : [i]));
    expect(changed).toHaveLength(1);
    expect(a[changed[0]]).toMatch(/pos: \[38\.61778, 33\.50583\]/);
    expect(u.frame()).toMatch(/saved/);
  });

  it('quitting with unsaved changes asks first', async () => {
    const u = await editor();
    await u.press('s', KEY.enter, KEY.esc, 'q');
    expect(u.state().quit).toBe(false);
    expect(u.frame()).toMatch(/unsaved changes: w saves, q/);
    expect(u.state().message).toBe('unsaved changes: w saves, q again quits without saving');
    await u.press('q');
    expect(u.state().quit).toBe(true);
  });

  it('shows every key in the help, and the bar fits 80 columns', async () => {
    const u = await editor({ cols: 80, rows: 24 });
    await u.press('?');
    let seen = '';
    for (let i = 0; i < 40; i++) {
      const f = u.frame();
      expect(f.split('\n').length).toBeLessThanOrEqual(23);
      for (const l of f.split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
      seen += f;
      await u.press(KEY.down);
    }
    for (const k of ['site tool', 'circle tool', 'polygon tool', 'line tool', 'new unit', 'undo the last change', 'save the file', 'add an inject', 'quit'])
      expect(seen).toContain(k);
    await u.press(KEY.esc);
    expect(u.state().help).toBe(false);
    for (const l of u.frame().split('\n')) expect([...l].length).toBeLessThanOrEqual(80);
  });
});
