/**
 * Class pace over SSH, and a class brought back after its process stopped: answers go to the
 * class and to each student's file, the reveal shows everyone doctrine's answer and the spread,
 * and no acknowledged answer is lost to a dropped connection or a killed trainer.
 */
import { readFileSync } from 'node:fs';
import { join as pjoin } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/training/session.js';
import { join, sleep, startClass, type TestClass } from './helpers.js';

let classes: TestClass[] = [];
afterEach(async () => {
  for (const c of classes) await c.stop();
  classes = [];
});

async function until(f: () => boolean, what: string, ms = 10_000) {
  const t0 = Date.now();
  while (!f()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

describe('class pace', () => {
  it('answers → reveal → every student sees doctrine and the spread; the run goes on along doctrine', async () => {
    const cls = await startClass({ pace: 'class', speed: 7200 });
    classes.push(cls);
    const a = await join(cls.port, 'ann');
    const b = await join(cls.port, 'ben');
    await a.waitFor('ann');
    await b.waitFor('ben');
    // The trainer starts the clock; it stops at the first decision point, for everyone.
    cls.hub.session!.play();
    await until(() => !!cls.room.question, 'the first question');
    await a.waitFor('Your response');
    await b.waitFor('Your response');
    a.keys('1');
    a.keys('watch it\r');
    b.keys('3');
    b.keys('\r');
    await a.waitFor('answer sent');
    await until(() => cls.room.question!.answers.size === 2, 'both answers');
    // Before the reveal, nobody's screen tells doctrine's answer.
    expect(a.out()).not.toContain('◀ doctrine');
    expect(a.out()).not.toMatch(/\d+%/);
    expect(b.out()).not.toMatch(/show of force +█/);
    expect(cls.room.spread().filter((s) => s.count)).toEqual([
      { choice: 'monitor', count: 1 },
      { choice: 'show_of_force', count: 1 },
    ]);
    cls.room.reveal();
    for (const s of [a, b]) {
      const t = await s.waitFor('◀ doctrine');
      expect(t).toMatch(/monitor +█+ 1 50% ◀ doctrine/);
      expect(t).toMatch(/show of force +█+ 1 50%/);
    }
    expect(b.out()).toContain('Your answer: show of force — out of proportion; doctrine: monitor');
    // Each student's own answer is in their file, graded.
    const ann = parseSession(readFileSync(pjoin(cls.dir, 'ann.ndjson'), 'utf8'));
    expect(ann.header.student).toBe('ann');
    expect(ann.decisions[0]).toMatchObject({ choice: 'monitor', justification: 'watch it', grade: 'correct' });
    cls.hub.goOn('doctrine');
    expect(cls.room.run!.decisions[0].choice).toBe('monitor');
    await until(() => !cls.room.question || cls.room.question.n === 2, 'the run goes on');
    a.end();
    b.end();
  });

  it('brings a class back from its folder after the trainer was killed: the run, the seats and an answer to the open question', async () => {
    const first = await startClass({ pace: 'class', speed: 7200 });
    classes.push(first);
    const a = await join(first.port, 'ann');
    await a.waitFor('ann');
    first.hub.session!.play();
    await until(() => !!first.room.question, 'the first question');
    first.room.answer('ann', { choice: 'monitor' });
    first.hub.goOn('doctrine');
    await until(() => first.room.question?.n === 2, 'the second question');
    await a.waitFor('Your response');
    a.keys('2');
    a.keys('\r');
    await until(() => first.room.question!.answers.has('ann'), "ann's second answer");
    // As after SIGKILL: nothing more is written (no end lines); the files stay as they are.
    a.end();
    first.hub.dispose();
    await first.server.close();
    classes = [];
    const again = await startClass({ pace: 'class', speed: 7200, dir: first.dir, resume: true });
    classes.push(again);
    const q = again.room.question;
    expect(q?.n).toBe(2);
    expect(q?.answers.get('ann')).toEqual({ choice: 'warn' });
    expect(again.room.roster()).toMatchObject([{ name: 'ann', connected: false, answered: 2 }]);
    // Ann comes back to her seat and sees her answer is in.
    const back = await join(again.port, 'ann');
    await back.waitFor('Your answer: warn');
    back.end();
  });

  it('self pace: a student comes back to their run after the trainer was killed', async () => {
    const first = await startClass({ pace: 'self' });
    classes.push(first);
    const s = await join(first.port, 'cat');
    await s.waitFor('Briefing');
    s.keys('\r');
    s.keys('n');
    await s.waitFor('Your response');
    s.keys('1');
    s.keys('first\r');
    await until(() => first.room.roster()[0].answered === 1, 'the answer');
    s.end();
    first.hub.dispose();
    await first.server.close();
    classes = [];
    const again = await startClass({ pace: 'self', dir: first.dir, resume: true });
    classes.push(again);
    expect(again.room.roster()).toMatchObject([{ name: 'cat', answered: 1, correct: 1 }]);
    const back = await join(again.port, 'cat');
    await back.waitFor('decisions 1');
    back.end();
  });

  it('a connection dropped mid-answer: nothing half-typed counts, the student answers on coming back, and an answer sent just before a drop is kept', async () => {
    const cls = await startClass({ pace: 'class', speed: 7200 });
    classes.push(cls);
    const a = await join(cls.port, 'ann');
    const b = await join(cls.port, 'ben');
    await a.waitFor('ann');
    await b.waitFor('ben');
    cls.hub.session!.play();
    await until(() => !!cls.room.question, 'the first question');
    await a.waitFor('Your response');
    await b.waitFor('Your response');
    // Ann drops while typing her reason; Ben drops right after pressing enter.
    a.keys('3half a reas');
    await a.waitFor('half a reas');
    a.end();
    b.keys('1\r');
    b.end();
    await a.closed;
    await b.closed;
    await until(() => cls.room.roster().every((r) => !r.connected), 'both gone');
    expect([...cls.room.question!.answers.keys()]).toEqual(['ben']);
    const back = await join(cls.port, 'ann');
    await back.waitFor('Your response');
    back.keys('2\r');
    await until(() => cls.room.question!.answers.has('ann'), "ann's answer");
    expect(cls.room.question!.answers.get('ann')).toEqual({ choice: 'warn' });
    const files = ['ann', 'ben'].map((n) => parseSession(readFileSync(pjoin(cls.dir, `${n}.ndjson`), 'utf8')).decisions.map((d) => d.choice));
    expect(files).toEqual([['warn'], ['monitor']]);
    back.end();
  });
});
