/** The trainer's console and a class-pace student screen as Ink components (ink-testing-library; the terminal size passed in). */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { ClassRoom, type SeatStore } from '../../src/training/class/room.js';
import { headerFor } from '../../src/training/session.js';
import { ClassConsole, seatViews } from '../../src/ui/class/console.js';
import { ClassHub } from '../../src/ui/class/hub.js';
import { ClassStudent } from '../../src/ui/class/student.js';
import { FrameContext } from '../../src/ui/screen/context.js';
import { plain } from '../../src/ui/text.js';
import { TrainSession } from '../../src/ui/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { load } from '../training/helpers.js';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const tanf = load('tanf-2017-05-18');
const nowhere: SeatStore = { open: () => ({ line: () => {}, close: () => {} }), openRun: () => ({ line: () => {}, close: () => {} }) };
const join = { commands: ['ssh -p 2222 NAME@192.168.1.20'], code: 'k7m2qp', fingerprint: 'SHA256:abc' };

function classAtQuestion() {
  const room = new ClassRoom(tanf, {
    pace: 'class',
    seats: 40,
    header: (s) => headerFor(tanf, { scenarioPath: 't.yaml', scenarioSha: '0'.repeat(64), student: s }),
    store: nowhere,
  });
  const hub = new ClassHub(room, { defer: (f) => f() });
  for (const n of ['ann', 'ben', 'cat']) room.join(n);
  room.run!.run();
  room.sync();
  room.answer('ann', { choice: 'monitor' });
  room.answer('ben', { choice: 'show_of_force' });
  return { room, hub };
}

async function settle(r: { frames: unknown[] }) {
  let n = r.frames.length;
  for (let quiet = 0, i = 0; quiet < 30 && i < 400; i++) {
    await sleep(5);
    quiet = r.frames.length === n ? quiet + 5 : 0;
    n = r.frames.length;
  }
}

describe('the trainer console', () => {
  for (const [cols, rows] of [
    [80, 24],
    [160, 50],
  ]) {
    it(`shows how to join, the roster and the spread at ${cols}x${rows}; the projector shows neither names nor doctrine before the reveal`, async () => {
      const { room, hub } = classAtQuestion();
      const builder = new FrameContext(hub.session!, false);
      const r = render(<ClassConsole hub={hub} join={join} builder={builder} cols={cols} rows={rows} onEnd={() => {}} />);
      await settle(r);
      let f = plain(r.lastFrame()!);
      expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
      expect(f).toContain('ssh -p 2222 NAME@192.168.1.20');
      expect(f).toContain('k7m2qp');
      for (const n of ['ann', 'ben', 'cat']) expect(f).toContain(n);
      expect(f).toContain('2 of 3 answered');
      expect(f).toContain('doctrine: monitor (hidden from the class)');
      r.stdin.write('p');
      await settle(r);
      f = plain(r.lastFrame()!);
      for (const n of ['ann', 'ben', 'cat']) expect(f).not.toContain(n);
      expect(f).not.toMatch(/doctrine:|◀ doctrine/);
      expect(f).not.toMatch(/█/);
      expect(f).toContain('2 answered');
      r.stdin.write('r');
      await settle(r);
      f = plain(r.lastFrame()!);
      expect(room.question!.revealed).toBe(true);
      expect(f).toMatch(/monitor +█+ 1 50% ◀ doctrine/);
      r.unmount();
      hub.dispose();
    });
  }

  it('removes a student on x after asking, and ends the class on e then y', async () => {
    const { room, hub } = classAtQuestion();
    const builder = new FrameContext(hub.session!, false);
    let ended = 0;
    const r = render(<ClassConsole hub={hub} join={join} builder={builder} cols={100} rows={30} onEnd={() => ended++} />);
    await settle(r);
    r.stdin.write('jx');
    await settle(r);
    expect(plain(r.lastFrame()!)).toContain('Remove ben from the class?');
    r.stdin.write('y');
    await settle(r);
    expect(room.roster().map((s) => s.name)).toEqual(['ann', 'cat']);
    r.stdin.write('ey');
    await settle(r);
    expect(ended).toBe(1);
    expect(room.ended).toBe(true);
    hub.dispose();
  });
});

describe('the console in self pace', () => {
  it("shows the selected student's own run: its map and clock, not the scenario's start", async () => {
    const room = new ClassRoom(load('tanf-2017-05-18'), {
      pace: 'self',
      seats: 40,
      header: (s) => headerFor(tanf, { scenarioPath: 't.yaml', scenarioSha: '0'.repeat(64), student: s }),
      store: nowhere,
    });
    const hub = new ClassHub(room, { defer: (f) => f() });
    room.join('ann');
    room.join('ben');
    // ann has played an hour of her run; ben has not started.
    const t = room.seats.get('ann')!.trainer!;
    while (t.engine.tickIndex < 360) {
      const a = t.advance();
      if (a.kind === 'decision') t.answer('monitor');
      if (a.kind === 'done') break;
    }
    const builder = new FrameContext(new TrainSession(new Trainer(room.scenario)), false);
    const builderFor = seatViews(room, false);
    const r = render(<ClassConsole hub={hub} join={join} builder={builder} builderFor={builderFor} cols={100} rows={30} onEnd={() => {}} />);
    await settle(r);
    let f = plain(r.lastFrame()!);
    expect(f).toContain("Map · ann's run");
    expect(f).toContain('2017-05-18 07:00:00Z');
    r.stdin.write('j');
    await settle(r);
    f = plain(r.lastFrame()!);
    expect(f).toContain("Map · ben's run");
    expect(f).toContain('2017-05-18 06:00:00Z');
    // The projector names nobody.
    r.stdin.write('p');
    await settle(r);
    expect(plain(r.lastFrame()!)).not.toContain("'s run");
    r.unmount();
    hub.dispose();
  });
});

describe('the trainer fires an inject now', () => {
  for (const [cols, rows] of [
    [80, 24],
    [140, 45],
  ]) {
    it(`lists the injects on i, fires the chosen one on enter, and closes on esc (${cols}x${rows})`, async () => {
      const tut = load('tutorial');
      const lines: string[] = [];
      const room = new ClassRoom(tut, {
        pace: 'class',
        seats: 40,
        header: (s) => headerFor(tut, { scenarioPath: 't.yaml', scenarioSha: '0'.repeat(64), student: s }),
        store: { open: () => ({ line: (o) => void lines.push(JSON.stringify(o)), close: () => {} }), openRun: () => ({ line: () => {}, close: () => {} }) },
      });
      const hub = new ClassHub(room, { defer: (f) => f() });
      room.join('ann');
      const builder = new FrameContext(hub.session!, false);
      const r = render(<ClassConsole hub={hub} join={join} builder={builder} cols={cols} rows={rows} onEnd={() => {}} />);
      await settle(r);
      r.stdin.write('i');
      await settle(r);
      let f = plain(r.lastFrame()!);
      expect(f.split('\n').length).toBeLessThanOrEqual(rows - 1);
      expect(f).toContain('Injects');
      expect(f).toMatch(/▶ +08:05 message: Intelligence expects/);
      expect(f).toContain('esc back');
      expect(f).toContain('10:15 withdraw');
      expect(f).toMatch(/enter fire now/);
      r.stdin.write('j');
      await settle(r);
      r.stdin.write('\r');
      await settle(r);
      expect(room.fires).toEqual([{ inject: 1, t: tut.start }]); // the clock had not started: the first tick
      expect(lines.some((l) => l.startsWith('{"type":"fire","inject":1,'))).toBe(true);
      f = plain(r.lastFrame()!);
      expect(f).toMatch(/fired +10:15 withdraw/);
      expect(f).toContain('fired now (08:00:00)');
      // The withdrawal happened at the tick after the fire (the clock was stopped: that tick ran at once).
      expect(hub.session!.shownEvents.some((e) => e.type === 'inject' && e.kind === 'withdraw' && e.t === tut.start)).toBe(true);
      r.stdin.write('\x1b');
      await settle(r);
      f = plain(r.lastFrame()!);
      expect(f).not.toContain('fire now');
      r.unmount();
      hub.dispose();
    });
  }
});

describe('a student in class pace', () => {
  it('answers once with keys (every character of one input chunk), then waits for the reveal', async () => {
    const { room, hub } = classAtQuestion();
    const seat = room.seats.get('cat')!;
    const builder = new FrameContext(new TrainSession(room.run!), false);
    const r = render(<ClassStudent hub={hub} seat={seat} builder={builder} cols={80} rows={24} onQuit={() => {}} />);
    await settle(r);
    expect(plain(r.lastFrame()!)).toContain('Your response');
    r.stdin.write('2too close\r');
    await settle(r);
    expect(room.question!.answers.get('cat')).toEqual({ choice: 'warn', justification: 'too close' });
    const f = plain(r.lastFrame()!);
    expect(f).toContain('Your answer: warn — too close');
    expect(f).not.toMatch(/◀ doctrine|\d+%/);
    room.reveal();
    await settle(r);
    expect(plain(r.lastFrame()!)).toMatch(/Your answer: warn — too early.*doctrine: monitor/);
    r.unmount();
    hub.dispose();
  });
});
