/** The train UI's decision panel and keys, rendered with ink-testing-library (no pty). */
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { displayTime } from '../../src/training/prompts.js';
import { growLog } from '../../src/ui/training/app.js';
import { computeLayout } from '../../src/ui/layout.js';
import { Projection } from '../../src/ui/map/view.js';
import { detailsLines } from '../../src/ui/screen/overlays/details.js';
import { mapPanel } from '../../src/ui/screen/panels/map.js';
import { initialUi } from '../../src/ui/state.js';
import { plain, width } from '../../src/ui/text.js';
import { mount } from './mount.js';

afterEach(() => cleanup());

describe('TrainApp', () => {
  it('opens the decision panel at a decision point, in the event log’s place, within the terminal', async () => {
    const ui = await mount();
    await ui.runToDecision();
    const f = ui.frame();
    expect(f).toContain('╭─ Decision 1 — convoy in tanf-dz');
    expect(f).toContain('What happened: 9.9 km outside the edge of the At Tanf deconfliction zone, in the approach band');
    expect(f).toContain('Where: in the approach band of the At Tanf deconfliction zone, 9.9 km outside the edge; 64.9 km from');
    expect(f).toContain('╭─ Map ');
    expect(f).not.toContain('╭─ Events ');
    expect(f).toContain('1-7 choose');
    const lines = f.split('\n');
    expect(lines.length).toBe(33);
    for (const l of lines) expect(width(l)).toBeLessThanOrEqual(110);
  });

  it('takes a choice, a justification typed in one chunk with a correction, and shows the feedback', async () => {
    const ui = await mount();
    await ui.runToDecision();
    // Arrow keys move the choice; 7 picks hold; esc goes back; 1 picks monitor; backspace edits.
    await ui.press('7');
    expect(ui.frame()).toContain('enter confirm hold');
    await ui.press('\x1b');
    await ui.press('1watching thx');
    await ui.press('\x7f\x7f\x7f');
    await ui.press('the convoy\r');
    expect(ui.recorded).toEqual(['1:monitor:correct:watching the convoy:9.9 km outside the e']);
    const f = ui.frame();
    expect(f).toContain('Decision 1: correct');
    expect(f).toContain('Correct: monitor is what doctrine does here.');
    expect(f).toContain('Your justification: watching the convoy');
    expect(f).toContain('decisions 1 · correct 1 · 100 %');
  });

  it('a wrong choice is graded and explained, and q quits with status quit', async () => {
    const ui = await mount();
    await ui.runToDecision();
    await ui.press('5\r');
    expect(ui.frame()).toContain('Out of proportion: you chose strike; doctrine would move to monitor.');
    expect(ui.frame()).toContain('Rule 1 — monitor');
    // q asks first; any other key goes on, y quits.
    await ui.press('q');
    expect(ui.status()).toBeUndefined();
    expect(ui.frame()).toContain('Quit the exercise? y quit');
    await ui.press('x');
    expect(ui.frame()).not.toContain('Quit the exercise?');
    await ui.press('q');
    await ui.press('y');
    expect(ui.status()).toBe('quit');
  });

  it('shows one moment at a decision point: clock, map, units table, details, log and panel describe the question’s tick', async () => {
    // deconflict train tanf-2017-05-18, n, answer, n (and the message acknowledged): the first decision in the zone.
    const ui = await mount();
    await ui.press('n');
    expect(ui.frame()).toContain('Decision 1 — convoy in tanf-dz');
    await ui.press('1\r');
    expect(ui.frame()).toContain('Decision 1: correct');
    // The 07:00 message stops the clock on the way; acknowledged, n goes on to the decision.
    await ui.press('n');
    expect(ui.frame()).toContain('Exercise message — 07:00:00Z');
    await ui.press('\r');
    await ui.press('n');
    const f = ui.frame();
    expect(f).toContain('Decision 2 — convoy in tanf-dz');
    const s = ui.trainer.pending!.situation;
    const when = displayTime(s.t);
    expect(when).toBe('2017-05-18 07:30:50Z');
    const inside = `${Math.round(-s.edge_m)} m`;
    expect(s.edge_m).toBeLessThan(0);
    // The decision panel.
    expect(f).toContain(`${when.slice(11)}  Pro-regime convoy (convoy), now at monitor`);
    expect(f).toContain(`${inside} inside the edge`);
    // The status line's clock.
    expect(f).toMatch(new RegExp(`paused .* ${when}`));
    // The units table: the convoy's signed distance to the edge is the panel's.
    expect(f).toMatch(new RegExp(`▶convoy .* -${inside}`));
    // The map draws the convoy at the question's position.
    const convoy = ui.trainer.scenario.units.findIndex((u) => u.id === 'convoy');
    const layout = growLog(computeLayout(110, 34), 999);
    const fr = mapPanel(ui.frames, initialUi(2), layout);
    expect(fr.rows.length).toBe(layout.map.ih);
    const view = ui.frames.view(initialUi(2), layout);
    const p = new Projection(view, layout.map.iw * 2, layout.map.ih * 4);
    expect(ui.frames.renderer.unitNear(Math.floor(p.x(s.at[0]) / 2), Math.floor(p.y(s.at[1]) / 4), 0)).toBe(convoy);
    // The details: the same distance, the same moment.
    const details = detailsLines(ui.frames, convoy, 100).map(plain).join('\n');
    expect(details).toContain(`${inside} inside the edge`);
    // The log: the entry that led to the question, inside the question's tick, is there.
    const log = ui.session.shownEvents.map((e) => `${displayTime(e.t).slice(11, 19)} ${e.type}`);
    expect(log).toContain('07:30:48 enter');
    expect(log.at(-1)).toBe('07:30:48 enter');
  });

  it('shows the summary at the end', async () => {
    const ui = await mount();
    let held = false;
    for (let i = 0; i < 12 && !ui.trainer.done; i++) {
      await ui.runToDecision();
      const p = ui.trainer.pending?.proposal;
      if (p) {
        const hold: boolean = p.to === 'show_of_force' && !held;
        held ||= hold;
        await ui.press(hold ? '7\r' : `${['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike'].indexOf(p.to!) + 1}\r`);
        await ui.press('\r');
      }
    }
    const f = ui.frame();
    expect(f).toContain('End of the exercise');
    expect(f).toMatch(/Score: \d of \d decisions as doctrine would/);
    expect(f).toContain('too late');
    await ui.press('q');
    expect(ui.status()).toBe('complete');
  });

  it.each([
    [80, 24],
    [140, 45],
  ])('at %i×%i, b goes back to an earlier decision: the picker, the question again with the first answer, a branch recorded', async (cols, rows) => {
    const ui = await mount(cols, rows, 'scenarios/tanf-2017-05-18.yaml', false, true);
    await ui.runToDecision();
    // Nothing to go back to yet: b does nothing.
    await ui.press('b');
    expect(ui.frame()).not.toContain('Go back to a decision');
    await ui.press('1watching\r');
    // The feedback's bar offers it, and ? lists it.
    expect(ui.frame()).toContain('b back to a decision');
    await ui.press('?');
    expect(ui.frame()).toContain('go back to an earlier decision and answer it again');
    await ui.press('\x1b');
    // On to decision 2 (the 07:00 message acknowledged on the way), answered out of proportion.
    await ui.press('n');
    await ui.press('\r');
    // The clock's own bar offers b too, once there is a decision to go back to (the short label where the bar is narrow).
    const bar = ui.frame().split('\n').at(-1)!;
    expect(bar).toMatch(/\bb back\b/);
    expect(bar.indexOf('q quit')).toBeLessThan(bar.indexOf('b back'));
    await ui.press('n');
    expect(ui.frame()).toContain('Decision 2 — convoy in tanf-dz');
    await ui.press('5it has a tank\r');
    expect(ui.frame()).toContain('Decision 2: out of proportion');
    const first = ui.trainer;
    // b: the decisions so far, the last one chosen; esc goes back to where it was.
    await ui.press('b');
    let f = ui.frame();
    expect(f).toContain('Go back to a decision');
    expect(f).toContain('1. 06:30:10Z convoy in tanf-dz: chose monitor — correct');
    expect(f).toContain('▶ 2. 07:30:50Z convoy in tanf-dz: chose strike — out of proportion');
    expect(f).toContain('enter answer decision 2 again');
    for (const l of f.split('\n')) expect(width(l)).toBeLessThanOrEqual(cols);
    expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
    await ui.press('\x1b');
    expect(ui.frame()).toContain('Decision 2: out of proportion');
    // ↑ then enter: back to decision 1 (the picker's keys each a character of one chunk).
    await ui.press('b');
    await ui.press('\x1b[A');
    expect(ui.frame()).toContain('enter answer decision 1 again');
    await ui.press('2');
    expect(ui.frame()).toContain('enter answer decision 2 again');
    await ui.press('\r');
    f = ui.frame();
    expect(ui.trainer).not.toBe(first);
    expect(f).toContain('Decision 2 — convoy in tanf-dz');
    expect(f).toContain('Before: you chose strike (out of proportion): it has a tank');
    expect(f).toContain('branch 1');
    expect(f).toMatch(/paused .* 2017-05-18 07:30:50Z/);
    for (const c of ['1 monitor', '2 warn', '7 hold']) expect(f).toContain(c);
    expect(ui.recorded).toEqual([
      '1:monitor:correct:watching:9.9 km outside the e',
      '2:strike:out_of_proportion:it has a tank:inside the At Tanf d',
      'branch 1 from 0 at 2 2017-05-18T07:30:50Z',
    ]);
    // The first line is left as it was; the branch answers again from decision 2.
    expect(first.decisions.map((d) => d.choice)).toEqual(['monitor', 'strike']);
    await ui.press('2leaflets\r');
    expect(ui.frame()).toContain('Decision 2: correct');
    expect(ui.recorded.at(-1)).toBe('b1:2:warn:correct:leaflets:inside the At Tanf d');
    expect(ui.trainer.decisions.map((d) => d.choice)).toEqual(['monitor', 'warn']);
  });
});
