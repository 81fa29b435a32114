/**
 * The terminal UI on a live run (ink-testing-library, terminal size passed in): the same App and
 * panels on a LiveRun's engine through a LiveSession, fed line by line as `deconflict live` feeds
 * it, with the live mode's commands.
 */
import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, test } from 'vitest';
import { loadScenario } from '../../src/io/node/load.js';
import { LiveFeed, type LiveFrontEnd } from '../../src/io/live-feed.js';
import { LiveRun, type LiveClock } from '../../src/io/live.js';
import { App } from '../../src/ui/app/App.js';
import { applyKeys, commandsFor } from '../../src/ui/commands/dispatch.js';
import { helpSections } from '../../src/ui/commands/help.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import { commandEnv } from '../../src/ui/screen/env.js';
import { computeLayout } from '../../src/ui/layout.js';
import { LiveSession } from '../../src/ui/live/session.js';
import { closingSpeed } from '../../src/ui/view-model/units.js';
import { FOCUS_ORDER, initialUi, type UiState } from '../../src/ui/state.js';
import { plain, width } from '../../src/ui/text.js';
import { TANF } from './helpers.js';

afterEach(() => cleanup());

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const TIME_KEYS = ['play', 'next', 'previous', 'step', 'back', 'faster', 'slower', 'restart'];

/** A fix of the convoy `km` from At Tanf on its way in from the north-west. */
function convoyAt(km: number, t?: string): string {
  const a = [38.03808, 34.04047];
  const b = [38.61778, 33.50583];
  const f = 1 - km / 80;
  return JSON.stringify({ unit: 'convoy', lon: a[0] + (b[0] - a[0]) * f, lat: a[1] + (b[1] - a[1]) * f, ...(t ? { t } : {}) });
}

interface LiveUi {
  live: LiveRun;
  session: LiveSession;
  frames: FrameContext;
  frame(): string;
  lines(): string[];
  /** Feed NDJSON lines as `deconflict live --input feed.ndjson` would. */
  feed(...lines: string[]): Promise<void>;
  press(keys: string): Promise<void>;
  rerender(cols: number, rows: number): void;
}

async function mountLive(o: { cols?: number; rows?: number; clock?: LiveClock; now?: () => number } = {}): Promise<LiveUi> {
  const sc = loadScenario(TANF);
  const clock = o.clock ?? 'feed';
  let front: LiveFrontEnd | undefined;
  const live = new LiveRun(sc, {
    clock,
    now: o.now,
    warn: (m) => front?.warn(m),
    onEvents: (b) => front?.events(b),
    onFix: (u, f, s) => front?.fix?.(u, f, s),
    onTick: (b) => front?.tick?.(b),
  });
  const feed = new LiveFeed(live, { clock, follow: 'feed.ndjson', note: (m) => front?.warn(m) });
  const session = new LiveSession(live, feed, { clock, tick: sc.tick });
  front = session;
  const context = new FrameContext(session, false);
  const cols = o.cols ?? 100;
  const rows = o.rows ?? 30;
  const r = render(<App frames={context} cols={cols} rows={rows} />);
  const frames = () => r.frames.length;
  const settle = async () => {
    let n = frames();
    const start = Date.now();
    let since = Date.now();
    while (Date.now() - start < 1000 && Date.now() - since < 25) {
      await sleep(5);
      if (frames() !== n) since = Date.now();
      n = frames();
    }
  };
  for (let waited = 0; r.stdin.listenerCount('readable') === 0 && waited < 2000; waited += 5) await sleep(5);
  await settle();
  let lineNo = 0;
  return {
    live,
    session,
    frames: context,
    frame: () => plain(r.lastFrame() ?? ''),
    lines: () => plain(r.lastFrame() ?? '').split('\n'),
    feed: async (...lines) => {
      for (const l of lines) live.line(l, ++lineNo, 'feed.ndjson');
      await settle();
    },
    press: async (keys) => {
      r.stdin.write(keys);
      await settle();
    },
    rerender: (c, h) => r.rerender(<App frames={context} cols={c} rows={h} />),
  };
}

describe('the live screen', () => {
  test('before the first fix: LIVE, waiting for the source, units without a position, no keys that move time', async () => {
    const ui = await mountLive({ cols: 100, rows: 30 });
    const lines = ui.lines();
    expect(lines.length).toBe(29);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(100);
    expect(lines[0]).toContain('● LIVE');
    expect(ui.frame()).toContain('╭─ Map ');
    expect(ui.frame()).toContain('tanf-dz');
    expect(ui.frame()).toMatch(/convoy\s+no fix yet\s+-\s+-/);
    expect(ui.frame()).toMatch(/mat-patrol\s+no fix yet/);
    const status = lines[lines.length - 3];
    expect(status).toMatch(/● LIVE\s+feed time\s+waiting for feed\.ndjson/);
    const bar = lines[lines.length - 1];
    expect(bar).toMatch(/i input/);
    expect(bar).toMatch(/q quit/);
    expect(bar).not.toMatch(/space|next escalation|step|speed|restart/);
    expect(ui.frame()).toContain('no events yet: the ladder runs as positions come in');
    // The keys of a replay do nothing here: time belongs to the run.
    const before = ui.frame();
    await ui.press(' n.,][rN');
    expect(ui.frame()).toBe(before);
    expect(ui.session.engine.tickIndex).toBe(-1);
    expect(ui.live.engine).toBeUndefined();
  });

  test('fixes drive the convoy into the zone: the map, the table and the log follow; a malformed line is reported and skipped', async () => {
    const ui = await mountLive({ cols: 120, rows: 40 });
    await ui.feed(convoyAt(78, '2017-05-18T06:00:00Z'));
    // The first fix sets the window: the session now shows the run's own engine.
    expect(ui.session.engine).toBe(ui.live.engine);
    await ui.feed(
      '{"unit": "convoy", "lat": 33.9,',
      convoyAt(62, '2017-05-18T06:30:00Z'),
      convoyAt(50, '2017-05-18T07:30:00Z'),
      convoyAt(49.9, '2017-05-18T07:30:30Z'),
    );
    const f = ui.frame();
    // With the feed clock the ticks before a fix's time run when it comes: the 07:30:30 fix waits for the next one.
    expect(f).toMatch(/convoy\s+◇ warn\s+50\.0 km\s+-5\.0 km/);
    expect(f).toMatch(/APPROACH/);
    expect(f).toMatch(/ESCALATE\s+none → monitor/);
    expect(f).toMatch(/ENTER\s+entered the At Tanf deconfliction zone/);
    expect(f).toMatch(/ESCALATE\s+monitor → warn/);
    // On the map (left of the table): the convoy's symbol and label.
    const mapW = computeLayout(120, 40).map.w;
    const mapText = ui
      .lines()
      .slice(1, 1 + computeLayout(120, 40).map.h)
      .map((l) => [...l].slice(0, mapW).join(''))
      .join('\n');
    expect(mapText).toMatch(/◇convoy|convoy◇/);
    expect(mapText).not.toContain('mat-patrol');
    const lines = ui.lines();
    expect(lines[lines.length - 3]).toMatch(/● LIVE\s+feed time\s+2017-05-18 07:30:20Z\s+\+1h30m of 4h00m\s+4 fixes used, 1 skipped\s+last: convoy 07:30:30/);
    expect(lines[lines.length - 2]).toMatch(/06:00 ━+.*10:00\s+⚠ feed\.ndjson:2: malformed JSON/);
    expect(ui.live.stats).toMatchObject({ lines: 5, fixes: 4, skipped: 1 });
  });

  test("i lists the sources, each unit's fixes and every input problem, newest first; ? lists only the live keys", async () => {
    const ui = await mountLive({ cols: 100, rows: 40 });
    await ui.feed(
      convoyAt(78, '2017-05-18T06:00:00Z'),
      '{"unit": "konvoy", "lat": 33.9, "lon": 38.2, "t": "2017-05-18T06:01:00Z"}',
      'not json',
      convoyAt(70, '2017-05-18T06:10:00Z'),
    );
    expect(ui.lines().at(-2)).toContain('⚠ 2 input problems, the last: feed.ndjson:3: malformed');
    await ui.press('i');
    const f = ui.frame();
    expect(f).toContain('╭─ Live input');
    expect(f).toMatch(/positions\s+from feed\.ndjson/);
    expect(f).toMatch(/window\s+2017-05-18T06:00:00Z → 2017-05-18T10:00:00Z/);
    expect(f).toMatch(/received\s+4 lines read: 2 fixes used, 2 skipped/);
    expect(f).toMatch(/convoy\s+2 fixes, the last at 2017-05-18T06:10:00Z/);
    expect(f).toMatch(/mat-patrol\s+no position received yet/);
    expect(f).toContain('Input problems: 2 (newest first)');
    expect(f.indexOf('feed.ndjson:3: malformed JSON')).toBeLessThan(f.indexOf("feed.ndjson:2: unknown unit 'konvoy' (did you mean 'convoy'?); line skipped"));
    expect(ui.lines().at(-1)).toMatch(/esc close .*i close input/);
    await ui.press('\x1b');
    expect(ui.frame()).not.toContain('╭─ Live input');
    await ui.press('?');
    const help = ui.frame();
    expect(help).toContain('╭─ Keys');
    expect(help).toContain('Live input');
    expect(help).toContain('where positions come from');
    expect(help).not.toContain('Playback');
    expect(help).not.toContain('run to the next escalation');
    expect(help).not.toContain('play or pause');
  });

  test('a feed sparser than the tick: the closing speed stays that of the course, measured on the fixes', async () => {
    const ui = await mountLive({ cols: 120, rows: 40 });
    // One fix every 45 s (the tick is 10 s), 750 m nearer each time: 60 km/h toward the garrison.
    const t0 = Date.parse('2017-05-18T06:00:00Z');
    const at = (i: number) => convoyAt(40 - 0.75 * i, new Date(t0 + i * 45_000).toISOString());
    await ui.feed(at(0));
    expect(ui.frame()).toMatch(/convoy\s+no fix yet/);
    const shown: number[] = [];
    const onJudged: number[] = [];
    for (let i = 1; i <= 8; i++) {
      await ui.feed(at(i));
      const m = /convoy\b.*?([+-]?\d+) km\/h/.exec(ui.frame());
      expect(m, ui.frame()).not.toBeNull();
      shown.push(Number(m![1]));
      const e = ui.session.engine;
      onJudged.push(closingSpeed(e, 0, 0, 60_000, (u) => ({ track: ui.session.trackOf(u), end: e.time }))! * 3.6);
    }
    // The run's clock stands anywhere between two fixes when the screen is read; the speed does not swing with it.
    for (const k of shown) expect(Math.abs(k - 60)).toBeLessThanOrEqual(1);
    // What it replaced: on the judged track, which stands still between fixes, over the minute
    // ending now, the same course read anything from half the speed to more than it.
    expect(Math.max(...onJudged) - Math.min(...onJudged)).toBeGreaterThan(20);
  });

  test('follows the terminal size: too small says so, then the live layout again', async () => {
    const ui = await mountLive({ cols: 100, rows: 30 });
    await ui.feed(convoyAt(78, '2017-05-18T06:00:00Z'), convoyAt(60, '2017-05-18T06:30:00Z'), convoyAt(60, '2017-05-18T06:31:00Z'));
    ui.rerender(70, 20);
    await ui.press('');
    expect(ui.frame()).toContain('needs a terminal of at least 80×24');
    ui.rerender(80, 24);
    await ui.press('');
    const lines = ui.lines();
    expect(lines.length).toBe(23);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('● LIVE');
    expect(lines.at(-3)).toMatch(/● LIVE\s+feed time/);
    expect(ui.frame()).toMatch(/convoy\s+○ monitor/);
  });

  test('with the wall clock the run starts now and ticks in real time; a unit is drawn from its first judged position on', async () => {
    let now = Date.UTC(2030, 0, 1, 12, 0, 0);
    const ui = await mountLive({ clock: 'wall', now: () => now, cols: 100, rows: 30 });
    ui.live.start(now);
    ui.live.advanceTo(now);
    await ui.feed(convoyAt(70));
    expect(ui.frame()).toMatch(/convoy\s+no fix yet/);
    now += 10_000;
    ui.live.advanceTo(now);
    await ui.feed(convoyAt(62));
    expect(ui.frame()).toMatch(/convoy\s+• none\s+70\.0 km/);
    now += 10_000;
    ui.live.advanceTo(now);
    await ui.feed();
    expect(ui.frame()).toMatch(/convoy\s+○ monitor\s+62\.0 km/);
    expect(ui.lines().at(-3)).toMatch(/● LIVE\s+real time\s+2030-01-01 12:00:20Z\s+\+20s of 4h00m\s+2 fixes used, 0 skipped/);
    // The trail is what the engine judged: held at 70 km until the tick before it moved.
    const tr = ui.session.trackOf(0);
    expect([...tr.t]).toEqual([now - 10_000, now]);
    expect(ui.session.trackOf(1).t.length).toBe(0);
  });
});

describe('the live commands', () => {
  /** States covering the contexts the table distinguishes, with the live overlay. */
  function contexts(): UiState[] {
    const base = initialUi(2);
    const out: UiState[] = [];
    for (const focus of FOCUS_ORDER) out.push({ ...base, focus }, { ...base, focus, filter: 'x' });
    out.push({ ...base, editing: true }, { ...base, overlay: 'help' }, { ...base, overlay: 'input' }, { ...base, overlay: 'details', detailsUnit: 0 });
    return out;
  }

  test('the live table has none of the keys that move time, and its own; the replay table the other way round', () => {
    const live = commandsFor('live').map((c) => c.id);
    const replay = commandsFor('replay').map((c) => c.id);
    for (const id of TIME_KEYS) {
      expect(live).not.toContain(id);
      expect(replay).toContain(id);
    }
    expect(live).toContain('input');
    expect(replay).not.toContain('input');
    expect(helpSections(commandsFor('replay')).map((g) => g.group)).not.toContain('Live');
    for (const s of contexts()) {
      const byKey = new Map<string, string[]>();
      for (const c of commandsFor('live')) {
        if (c.when && !c.when(s)) continue;
        for (const k of c.keys) byKey.set(k, [...(byKey.get(k) ?? []), c.id]);
      }
      for (const [k, ids] of byKey) expect(ids, k).toHaveLength(1);
    }
  });

  test('i opens and closes the input overlay; the session has no playback, and the keys that move a replay do nothing', async () => {
    const ui = await mountLive();
    const env = commandEnv(ui.frames, computeLayout(100, 30));
    const s = applyKeys(['i'], initialUi(2), env, ui.frames.commands);
    expect(s.overlay).toBe('input');
    expect(applyKeys(['i'], s, env, ui.frames.commands).overlay).toBe('none');
    await ui.feed(convoyAt(78, '2017-05-18T06:00:00Z'), convoyAt(60, '2017-05-18T06:30:00Z'));
    const k = ui.live.engine!.tickIndex;
    expect(ui.session.playback).toBeUndefined();
    for (const key of [',', 'r', 'n', 'N', 'space', '.', ':']) expect(applyKeys([key], initialUi(2), env, ui.frames.commands), key).toEqual(initialUi(2));
    expect(ui.live.engine!.tickIndex).toBe(k);
  });
});
