/**
 * Exercise control: an inject fired now. The schedule (moved when still ahead, fired again when
 * past, unconditional), and the property the class stands on: a run whose injects change in place
 * at tick k gives the events of a run of the fired scenario from the start — so a report and
 * `--resume` replay what the class saw.
 */
import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { doctrineChoice } from '../../src/training/grade.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import type { Scenario } from '../../src/core/model.js';
import { ClassRoom, type ClassEvent, type SeatStore } from '../../src/training/class/room.js';
import { folderStore, readClassFolder } from '../../src/training/class/files.js';
import { applyFiresInPlace, firedInjects, injectLabel, withFires, type Fire } from '../../src/training/fire.js';
import { prepareReplay } from '../../src/training/replay.js';
import { headerFor, parseSession, sessionFires, sha256File } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { load } from './helpers.js';

const EUPHRATES = 'scenarios/euphrates-2018-02-07.yaml';
const ndjson = (es: readonly SimEvent[]) => es.map((e) => eventToNdjson(e)).join('');

/** Answer every decision with doctrine's choice until tick `until` has run (or the end). */
function driveTo(t: Trainer, until = Infinity): void {
  while (!t.finished && t.engine.tickIndex < until) {
    const a = t.advance();
    if (a.kind === 'done') return;
    if (a.kind === 'decision') t.answer(doctrineChoice(a.proposal));
  }
}

describe('the schedule of a fired inject', () => {
  const tut = load('tutorial');
  const [message, withdraw] = tut.injects;

  it('moves an inject still ahead to the time it is fired at, and drops its condition', () => {
    const at = tut.start + 3600_000;
    const list = firedInjects(tut.injects, [{ inject: 1, t: at }]);
    expect(list).toHaveLength(2);
    expect(list[1]).toMatchObject({ type: 'withdraw', t: at, unit: withdraw.type === 'withdraw' ? withdraw.unit : -1 });
    expect('on' in list[1]).toBe(false);
    expect(tut.injects[1].t).toBe(withdraw.t); // the scenario itself is untouched
  });

  it('fires an inject already past again, in time order, and keeps the fires in the order made', () => {
    const at = tut.start + 3600_000;
    const list = firedInjects(tut.injects, [
      { inject: 0, t: at },
      { inject: 0, t: at },
    ]);
    expect(list.map((i) => [i.type, i.t])).toEqual([
      ['message', message.t],
      ['message', at],
      ['message', at],
      ['withdraw', withdraw.t],
    ]);
    expect(() => firedInjects(tut.injects, [{ inject: 5, t: at }])).toThrow(/no inject 5/);
  });

  it('says an inject in words for the list', () => {
    expect(injectLabel(tut, withdraw)).toBe(
      `10:15 withdraw ${tut.units[withdraw.type === 'withdraw' ? withdraw.unit : 0].name}: Bravo turns back after the warning shots.`,
    );
  });
});

describe('firing now equals the fired scenario from the start', () => {
  it('for any tick and any inject of the Euphrates scenario (a hostile act, a message), byte for byte', () => {
    const base = load('euphrates-2018-02-07');
    const ticks = Math.floor((base.end - base.start) / base.tick);
    fc.assert(
      fc.property(fc.integer({ min: -1, max: ticks - 2 }), fc.integer({ min: 0, max: base.injects.length - 1 }), (k, inject) => {
        const live: Scenario = { ...base, injects: base.injects.slice() };
        const original = base.injects.slice();
        const t1 = new Trainer(live);
        driveTo(t1, k);
        const fire: Fire = { inject, t: t1.engine.tickTime(t1.engine.tickIndex + 1) };
        applyFiresInPlace(live, original, [fire]);
        driveTo(t1);
        const t2 = new Trainer(withFires(base, [fire]));
        driveTo(t2);
        expect(ndjson(t1.engine.events)).toBe(ndjson(t2.engine.events));
        // The fired inject is in the run at its new time.
        expect(t1.engine.events.some((e) => 'inject' in e && e.t === fire.t)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});

describe('a class fires an inject', () => {
  function memoryStore() {
    const files = new Map<string, string[]>();
    const open = (name: string, header: object) => {
      const lines = files.get(name) ?? [];
      if (!files.has(name)) lines.push(JSON.stringify(header));
      files.set(name, lines);
      return { line: (o: object) => void lines.push(JSON.stringify(o)), close: () => {} };
    };
    const store: SeatStore = { open, openRun: (h) => open('.class/run', h) };
    return { files, text: (name: string) => `${files.get(name)!.join('\n')}\n`, store };
  }

  it('records the fire in the run and every seat (a late student too); the report of the run replays it; self pace refuses', () => {
    const sc = load('euphrates-2018-02-07');
    const sha = sha256File(EUPHRATES);
    const m = memoryStore();
    const room = new ClassRoom(sc, {
      pace: 'class',
      seats: 40,
      header: (student) => headerFor(sc, { scenarioPath: EUPHRATES, scenarioSha: sha, student }),
      store: m.store,
    });
    const events: ClassEvent[] = [];
    room.subscribe((e) => e && events.push(e));
    room.join('alice');
    // Twenty minutes in, the trainer fires the hostile act (due at 18:40:25) now.
    while (room.run!.engine.tickIndex < 40) {
      room.run!.run(40 - room.run!.engine.tickIndex);
      room.sync();
      if (room.question) room.goOn('doctrine');
    }
    const r = room.fire(1);
    expect(r).toMatchObject({ ok: true });
    const at = room.run!.engine.tickTime(41);
    expect(events.at(-1)).toEqual({
      type: 'fire',
      inject: 1,
      t: new Date(at).toISOString().replace('.000Z', 'Z'),
      kind: 'hostile_act',
      text: sc.injects.find((i) => i.type === 'hostile_act')?.text,
    });
    room.join('bob');
    // The class goes on along doctrine to the end.
    for (let guard = 0; guard < 50 && !room.run!.done; guard++) {
      room.run!.run();
      room.sync();
      if (room.question) {
        expect(room.fire(0)).toEqual({ ok: false, reason: 'a question is open: go on (g or c) first' });
        room.goOn('doctrine');
      }
    }
    expect(room.fire(0)).toMatchObject({ ok: false });
    const struck = room.run!.engine.events.filter((e) => e.type === 'escalate' && e.rung === 'strike');
    expect(struck.length).toBeGreaterThan(0);
    expect(struck[0].t).toBeLessThan(new Date('2018-02-07T18:40:25Z').getTime());
    room.end();
    for (const name of ['alice', 'bob', '.class/run']) {
      const s = parseSession(m.text(name), name);
      expect(sessionFires(s, sc)).toEqual([{ inject: 1, t: at }]);
    }
    // The report's replay of the class's run reproduces it, fire included.
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-fire-'));
    const runFile = join(dir, 'run.ndjson');
    writeFileSync(runFile, m.text('.class/run'));
    const rep = prepareReplay({ scenarioPath: EUPHRATES, sessionPath: runFile });
    for (;;) {
      if (!rep.step()) break;
    }
    expect(ndjson(rep.engine.events)).toBe(ndjson(room.run!.engine.events));

    const self = new ClassRoom(load('euphrates-2018-02-07'), {
      pace: 'self',
      seats: 4,
      header: (student) => headerFor(sc, { scenarioPath: EUPHRATES, scenarioSha: sha, student }),
      store: memoryStore().store,
    });
    expect(self.fire(0)).toMatchObject({ ok: false, reason: expect.stringMatching(/own clock/) });
  });

  it('--resume brings back a class that fired an inject: the same run, standing where it stood', () => {
    const sha = sha256File(EUPHRATES);
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-fire-class-'));
    const make = (resume: boolean) => {
      const sc = load('euphrates-2018-02-07');
      return new ClassRoom(sc, {
        pace: 'class',
        seats: 40,
        header: (student) => headerFor(sc, { scenarioPath: EUPHRATES, scenarioSha: sha, student }),
        store: folderStore(dir),
        resume: resume ? readClassFolder(dir, sc, sha) : undefined,
      });
    };
    const first = make(false);
    first.join('alice');
    const until = (room: ClassRoom, k: number) => {
      while (!room.run!.done && room.run!.engine.tickIndex < k) {
        room.run!.run(k - room.run!.engine.tickIndex);
        room.sync();
        if (room.question) room.goOn('doctrine');
      }
    };
    until(first, 20);
    expect(first.fire(1)).toMatchObject({ ok: true });
    until(first, 200);
    // The trainer's process is killed here (no end line); the class comes back from its folder.
    const back = make(true);
    expect(back.fires).toEqual(first.fires);
    until(back, first.run!.engine.tickIndex);
    expect(ndjson(back.run!.engine.events)).toBe(ndjson(first.run!.engine.events));
  });
});
