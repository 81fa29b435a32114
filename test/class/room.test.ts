/** The class's pure state: seats, names, answers once, spread, reveal, going on, and the files it writes (in memory here). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Choice } from '../../src/core/engine.js';
import { CHOICES } from '../../src/training/grade.js';
import { nameProblem, validName } from '../../src/training/class/names.js';
import { ClassRoom, type ClassEvent, type SeatStore } from '../../src/training/class/room.js';
import { headerFor, parseSession } from '../../src/training/session.js';
import { load } from '../training/helpers.js';

const tanf = load('tanf-2017-05-18');

function memoryStore() {
  const files = new Map<string, string[]>();
  const open = (name: string, header: object) => {
    const lines = files.get(name) ?? [];
    if (!files.has(name)) lines.push(JSON.stringify(header));
    files.set(name, lines);
    return { line: (o: object) => void lines.push(JSON.stringify(o)), close: () => {} };
  };
  const store: SeatStore = { open, openRun: (h) => open('.class/run', h) };
  return { files, store, text: (name: string) => `${files.get(name)!.join('\n')}\n` };
}

function room(pace: 'class' | 'self', seats = 40) {
  const m = memoryStore();
  const r = new ClassRoom(tanf, {
    pace,
    seats,
    header: (student) => headerFor(tanf, { scenarioPath: 'tanf.yaml', scenarioSha: '0'.repeat(64), student }),
    store: m.store,
  });
  const events: ClassEvent[] = [];
  r.subscribe((e) => e && events.push(e));
  return { r, m, events };
}

/** The class run to its first question. */
function toQuestion(r: ClassRoom) {
  r.run!.run();
  r.sync();
  return r.question!;
}

describe('names', () => {
  it('takes letters, digits, - _ . and nothing else', () => {
    for (const ok of ['alice', 'Bob-2', 'c_d.e', '7']) expect(validName(ok)).toBe(true);
    for (const bad of ['', '.x', 'a b', 'a/b', '..', 'é', 'a\x1b[2J', 'x'.repeat(33), 'a\u202eb']) {
      expect(validName(bad)).toBe(false);
      expect(nameProblem(bad)).toBeTruthy();
    }
  });

  it('never admits a control character, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (s) => !validName(s) || /^[A-Za-z0-9._-]+$/.test(s)),
      { numRuns: 300 },
    );
  });
});

describe('the class room', () => {
  it('seats up to --seats, gives a seat back to its student, never to a second connection, and not to a removed name', () => {
    const { r, events } = room('self', 2);
    expect(r.join('a').ok).toBe(true);
    expect(r.join('b').ok).toBe(true);
    expect(r.join('c')).toEqual({ ok: false, reason: 'the class is full (2 seats)' });
    expect(r.join('a')).toMatchObject({ ok: false, reason: expect.stringContaining('taken') });
    r.leave('a');
    expect(r.join('a')).toMatchObject({ ok: true, back: true });
    expect(r.remove('b')).toBe(true);
    expect(r.join('b')).toMatchObject({ ok: false, reason: expect.stringContaining('removed') });
    expect(events.map((e) => e.type)).toEqual(['join', 'join', 'leave', 'join', 'remove']);
  });

  it('class pace: one answer a student, written as given; the spread; reveal; the run goes on along the class', () => {
    const { r, m } = room('class');
    for (const n of ['a', 'b', 'c']) r.join(n);
    const q = toQuestion(r);
    expect(q.n).toBe(1);
    expect(r.answer('a', { choice: 'warn', justification: '  early   warning ' })).toEqual({ ok: true });
    expect(r.answer('a', { choice: 'monitor' })).toEqual({ ok: false, reason: 'already answered' });
    r.answer('b', { choice: 'warn' });
    r.answer('c', { choice: 'monitor' });
    const a = parseSession(m.text('a'), 'a.ndjson');
    expect(a.decisions).toMatchObject([{ n: 1, choice: 'warn', justification: 'early warning', doctrine: 'monitor', grade: 'too_early' }]);
    expect(r.spread().filter((s) => s.count)).toEqual([
      { choice: 'monitor', count: 1 },
      { choice: 'warn', count: 2 },
    ]);
    expect(r.mostCommon()).toBe('warn');
    expect(r.reveal()).toBe(true);
    expect(r.answer('c', { choice: 'hold' })).toMatchObject({ ok: false });
    expect(r.goOn('class')).toBe('warn');
    expect(r.run!.decisions[0].choice).toBe('warn');
    expect(parseSession(m.text('.class/run'), 'run.ndjson').decisions).toMatchObject([{ choice: 'warn' }]);
  });

  it("a tie goes to doctrine's answer; nobody answering goes on along doctrine", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...CHOICES), { maxLength: 12 }), (answers: Choice[]) => {
        const { r } = room('class');
        toQuestion(r);
        answers.forEach((c, i) => {
          r.join(`s${i}`);
          r.answer(`s${i}`, { choice: c });
        });
        const spread = r.spread();
        expect(spread.reduce((n, s) => n + s.count, 0)).toBe(answers.length);
        const most = r.mostCommon()!;
        const top = Math.max(...spread.map((s) => s.count));
        const doc = r.doctrine()!;
        if (!answers.length) expect(most).toBe(doc);
        else {
          expect(spread.find((s) => s.choice === most)!.count).toBe(top);
          if (spread.find((s) => s.choice === doc)!.count === top) expect(most).toBe(doc);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('ends every seat with its end line and says so', () => {
    const { r, m, events } = room('self');
    r.join('a');
    r.end();
    expect(parseSession(m.text('a'), 'a.ndjson').end).toMatchObject({ status: 'quit', decisions: 0 });
    expect(events.at(-1)).toEqual({ type: 'end' });
    expect(r.join('b')).toMatchObject({ ok: false, reason: 'the class has ended' });
  });
});
