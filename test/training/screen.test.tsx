/**
 * The training screen at every size from 80×24: the seven responses and the whole justification
 * visible, the details, the event log and the legend reachable during a decision, one map size
 * for the question and its feedback, and the keys that leave (q asks first; esc never quits).
 */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { width } from '../../src/ui/text.js';
import { mount } from './mount.js';

afterEach(() => cleanup());

const SIZES: [number, number][] = [
  [80, 24],
  [100, 30],
  [140, 45],
  [200, 60],
];

/** The rows of a panel's box in a frame, from its title line to its bottom border. */
function box(frame: string, title: string): string[] {
  const lines = frame.split('\n');
  const top = lines.findIndex((l) => l.includes(`╭─ ${title}`));
  if (top < 0) return [];
  const col = lines[top].indexOf('╭');
  const out: string[] = [];
  for (let i = top + 1; i < lines.length && lines[i][col] !== '╰'; i++) out.push(lines[i]);
  return out;
}

describe.each(SIZES)('the decision panel at %i×%i', (cols, rows) => {
  it('shows all seven responses and the whole justification, within the terminal', async () => {
    const ui = await mount(cols, rows);
    await ui.press('n');
    let f = ui.frame();
    for (const c of ['1 monitor', '2 warn', '3 show of force', '4 warning shots', '5 strike', '6 stand down', '7 hold']) expect(f).toContain(c);
    expect(f).toContain('Where: in the approach band');
    const lines = f.split('\n');
    expect(lines.length).toBe(rows - 1);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(cols);
    // A long justification wraps; all of it stays on the screen.
    const why = 'the convoy has held at the edge for half an hour with a tank and a bulldozer so we keep watching it closely and report';
    await ui.press(`1${why}`);
    f = ui.frame();
    const panel = box(f, 'Decision 1')
      .map((l) => l.slice(1, -1).trim())
      .join(' ');
    expect(panel.replace(/\s+/g, ' ')).toContain(`Why (optional, one line): ${why}█`);
    expect(f).toContain('enter confirm monitor');
  });

  it('keeps the map the same size for the question and its feedback', async () => {
    const ui = await mount(cols, rows);
    await ui.press('n');
    const mapRows = box(ui.frame(), 'Map').length;
    expect(mapRows).toBeGreaterThanOrEqual(4);
    await ui.press('1\r');
    expect(ui.frame()).toContain('Decision 1: correct');
    expect(box(ui.frame(), 'Map').length).toBe(mapRows);
  });
});

describe('during a decision', () => {
  it('d, e and ? open the unit’s details, the event log and the help with the legend; esc goes back to the question', async () => {
    const ui = await mount(80, 24);
    await ui.press('n');
    await ui.press('n');
    // Not a choice: n is not a key of the question.
    expect(ui.frame()).toContain('Decision 1 — convoy');
    await ui.press('d');
    expect(ui.frame()).toContain('╭─ Unit convoy');
    expect(ui.frame()).toContain('esc back to the decision');
    await ui.press('e');
    expect(ui.frame()).toContain('╭─ Events');
    expect(ui.frame()).toMatch(/06:30:00 convoy\s+APPROACH/);
    await ui.press('?');
    expect(ui.frame()).toContain('╭─ Keys');
    // The legend is at the end of the help: scroll to it.
    await ui.press('\x1b[6~\x1b[6~\x1b[6~\x1b[6~\x1b[6~\x1b[6~');
    expect(ui.frame()).toContain('protected site');
    await ui.press('\x1b');
    await new Promise((r) => setTimeout(r, 80));
    expect(ui.frame()).toContain('╭─ Decision 1 — convoy');
    expect(ui.frame()).toContain('1-7 choose');
    // The question was not answered by any of this.
    expect(ui.recorded).toEqual([]);
  });

  it('the header says no decisions yet before the first answer, not 100 %', async () => {
    const ui = await mount(100, 30);
    expect(ui.frame()).toContain('no decisions yet');
    expect(ui.frame()).not.toContain('100');
  });
});

describe('leaving', () => {
  it('esc on the end screen does not quit; q does', async () => {
    const ui = await mount(100, 30);
    for (let i = 0; i < 12 && !ui.trainer.done; i++) {
      await ui.runToDecision();
      const p = ui.trainer.pending?.proposal;
      if (p) {
        const c = p.kind === 'stand_down' ? 'stand_down' : p.kind === 'self_defence' ? 'strike' : p.to!;
        await ui.press(`${['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike', 'stand_down'].indexOf(c) + 1}\r`);
        await ui.press('\r');
      }
    }
    expect(ui.frame()).toContain('End of the exercise');
    await ui.press('\x1b');
    await new Promise((r) => setTimeout(r, 80));
    expect(ui.status()).toBeUndefined();
    expect(ui.frame()).toContain('End of the exercise');
    await ui.press('q');
    expect(ui.status()).toBe('complete');
  });

  it('q while the run plays asks first', async () => {
    const ui = await mount(100, 30);
    await ui.press('q');
    expect(ui.status()).toBeUndefined();
    expect(ui.frame()).toContain('Quit the exercise? y quit');
    await ui.press('\x1b');
    await new Promise((r) => setTimeout(r, 80));
    expect(ui.frame()).not.toContain('Quit the exercise?');
    await ui.press('qy');
    expect(ui.status()).toBe('quit');
  });
});

describe('the briefing', () => {
  it('comes before the clock starts, under the students’ title; the scenario’s own title shows nowhere', async () => {
    const ui = await mount(80, 24, 'scenarios/tanf-2017-05-18.yaml', true);
    const f = ui.frame();
    expect(f).toContain('╭─ Briefing');
    expect(f).toContain('At Tanf, May 2017 — a convoy near the garrison');
    expect(f).toContain('Situation: coalition and partner forces');
    expect(f).toContain('enter start the exercise');
    expect(f).not.toContain('is struck');
    expect(ui.trainer.engine.tickIndex).toBe(-1);
    // The rest of the briefing is below: ↓ scrolls to it.
    for (let i = 0; i < 12; i++) await ui.press('\x1b[B');
    expect(ui.frame()).toContain('Your role:');
    await ui.press('\r');
    expect(ui.frame()).toContain('╭─ Map');
    expect(ui.frame()).not.toContain('is struck');
    await ui.press('n');
    expect(ui.frame()).toContain('Decision 1');
    expect(ui.frame()).not.toContain('is struck');
  });
});

describe('no spoilers', () => {
  it('the timeline marks no rung ahead of the clock, also after going back', async () => {
    const ui = await mount(100, 30);
    await ui.press('n');
    await ui.press('1\r');
    await ui.press('n');
    await ui.press('2\r');
    await ui.press('\r');
    await new Promise((r) => setTimeout(r, 200));
    await ui.press(' ');
    // Back to the first rung change, then look at the timeline.
    await ui.press('N');
    await new Promise((r) => setTimeout(r, 100));
    const bar = ui
      .frame()
      .split('\n')
      .find((l) => l.includes('●'))!;
    expect(bar).toBeDefined();
    expect(bar.slice(bar.indexOf('●'))).not.toContain('┃');
  });
});

describe('injects', () => {
  it('a message stops the clock at its own time until it is acknowledged, also when n would run past it', async () => {
    const ui = await mount(80, 24);
    await ui.press('n');
    await ui.press('1\r');
    await ui.press('n');
    let f = ui.frame();
    expect(f).toContain('Exercise message — 07:00:00Z');
    expect(f).toContain('enter acknowledge');
    expect(f).toMatch(/paused .* 2017-05-18 07:00:00Z/);
    expect(ui.trainer.pending).toBeUndefined();
    // The event log is there for it too.
    await ui.press('e');
    expect(ui.frame()).toMatch(/07:00:00 -\s+INJECT/);
    await ui.press('\x1b');
    await ui.press('\r');
    f = ui.frame();
    expect(f).not.toContain('Exercise message —');
    await ui.press('n');
    expect(ui.frame()).toContain('Decision 2 — convoy');
    // Going back over it and forward again does not stop there twice.
    expect(ui.frame()).not.toContain('Exercise message —');
  });
});

describe('go to a time', () => {
  it(': then a time goes there; forward, the run stops at a decision on the way; back, exactly', async () => {
    const ui = await mount(100, 30);
    await ui.press(':07:30\r');
    expect(ui.frame()).toContain('Decision 1 — convoy');
    await ui.press('1\r');
    await ui.press('\x1b');
    await ui.press(':06:10\r');
    await new Promise((r) => setTimeout(r, 100));
    expect(ui.frame()).toMatch(/paused .* 2017-05-18 06:10:00Z/);
    expect(ui.trainer.engine.events.filter((e) => e.type === 'escalate')).toHaveLength(0);
  });
});
