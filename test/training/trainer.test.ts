import { describe, expect, it } from 'vitest';
import { Engine, type Proposal } from '../../src/core/engine.js';
import { parseMsel } from '../../src/io/node/load.js';
import { formatTime } from '../../src/core/units.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { applyMsel } from '../../src/training/msel.js';
import { engineChoice, situationText, Trainer } from '../../src/training/trainer.js';
import { drive, followDoctrine, load, ndjson, rungTrace, SCENARIO_FILES } from './helpers.js';

describe('Trainer on the bundled scenarios', () => {
  it.each(SCENARIO_FILES)('%s: a student who follows doctrine gets the doctrine run and a full score', (file) => {
    const sc = load(file);
    const doctrineRun = new Engine(sc).runToEnd();
    const t = new Trainer(sc);
    const events = drive(t, followDoctrine);
    expect(rungTrace(events)).toEqual(rungTrace(doctrineRun));
    // Every rung change doctrine made was a decision point, answered by the student.
    const changes = doctrineRun.filter((e) => e.type === 'escalate' || e.type === 'stand_down');
    expect(t.decisions.length).toBe(changes.length);
    expect(events.filter((e) => e.type === 'escalate' || e.type === 'stand_down').every((e) => e.by === 'trainee')).toBe(true);
    expect(t.decisions.every((d) => d.grade === 'correct')).toBe(true);
    expect(t.score.percent).toBe(100);
    // Events other than rung changes are untouched.
    const other = (evs: typeof events) => ndjson(evs.filter((e) => e.type !== 'escalate' && e.type !== 'stand_down').map((e) => ({ ...e, seq: 0 })));
    expect(other(events)).toBe(other(doctrineRun));
  });

  it.each(SCENARIO_FILES)('%s: replaying the recorded choices reproduces the run byte for byte', (file) => {
    const sc = load(file);
    // A student who gets things wrong in several ways, with justifications.
    const choices = ['hold', 'strike', 'warn', 'stand_down', 'show_of_force', 'monitor', 'warning_shots'] as const;
    const live = new Trainer(sc);
    const events = ndjson(drive(live, (p, n) => ({ choice: n % 3 === 0 ? doctrineChoice(p) : choices[n % choices.length], why: `reason ${n}` })));
    const replay = new Trainer(sc, { replay: live.decisions.map((d) => ({ proposal: d.proposal, choice: d.choice, justification: d.justification })) });
    expect(ndjson(replay.replayToEnd())).toBe(events);
    expect(replay.decisions).toEqual(live.decisions);
  });
});

describe('decision points on At Tanf, 18 May 2017', () => {
  const sc = load('tanf-2017-05-18');
  const convoy = sc.units.findIndex((u) => u.id === 'convoy');

  it('asks at each rung doctrine climbs, in order, with the situation but not the answer', () => {
    const t = new Trainer(sc);
    const seen: Proposal[] = [];
    drive(t, (p) => {
      seen.push(p);
      return followDoctrine(p);
    });
    expect(seen.map((p) => `${p.kind} ${p.from ?? '-'}>${p.to}`)).toEqual([
      'escalate ->monitor',
      'escalate monitor>warn',
      'escalate warn>show_of_force',
      'escalate show_of_force>warning_shots',
      'escalate warning_shots>strike',
    ]);
    expect(seen.every((p) => p.unit === convoy)).toBe(true);
    const warn = seen[1];
    expect(situationText(sc, warn)).toMatch(/^inside the At Tanf deconfliction zone, \d+ m past the edge$/);
    expect(situationText(sc, seen[2])).toMatch(/^closed 2\.\d km on At Tanf garrison since the warning/);
  });

  it('stops a tick at its decision: the run stands at the question, and the tick runs again with the answer', () => {
    const t = new Trainer(sc);
    const { stop } = t.run();
    expect(stop.kind).toBe('decision');
    if (stop.kind !== 'decision') return;
    expect(formatTime(stop.proposal.t)).toBe('2017-05-18T06:30:10Z');
    // The engine stands at the question's tick (its time and positions), with no monitor event yet;
    // the last whole tick is the one before.
    expect(t.engine.time).toBe(stop.proposal.t);
    expect(t.tickDone).toBe(t.engine.tickIndex - 1);
    expect([t.engine.positions[convoy * 2], t.engine.positions[convoy * 2 + 1]]).toEqual(stop.situation.at);
    expect(t.engine.distances(convoy, 0).edge).toBe(stop.situation.edge_m);
    expect(t.engine.events.some((e) => e.type === 'escalate')).toBe(false);
    expect(stop.situation.edge_m).toBeGreaterThan(9000);
    expect(stop.situation.site_m).toBeGreaterThan(64000);
    // Asking again returns the same decision.
    expect(t.advance()).toEqual(stop);
    t.answer('monitor', '  watching   the convoy ');
    expect(t.decisions[0]).toMatchObject({
      n: 1,
      choice: 'monitor',
      doctrine: 'monitor',
      grade: 'correct',
      justification: 'watching the convoy',
      rule: 'monitor',
    });
    const next = t.advance();
    expect(next.kind).toBe('tick');
    const mon = t.engine.events.find((e) => e.type === 'escalate')!;
    expect(mon).toMatchObject({ rung: 'monitor', by: 'trainee', t: stop.proposal.t });
    expect(mon.reason).toContain('watching the convoy');
  });

  it('a strike at the warning plays out: the convoy is struck at once and nothing more is asked', () => {
    const t = new Trainer(sc);
    const events = drive(t, (p) => (p.to === 'warn' ? { choice: 'strike', why: 'it is a tank' } : followDoctrine(p)));
    expect(t.decisions.map((d) => d.grade)).toEqual(['correct', 'out_of_proportion']);
    const strike = events.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(formatTime(strike.t)).toBe('2017-05-18T07:30:50Z');
    expect(strike).toMatchObject({ by: 'trainee', from: 'monitor', unit: 'convoy' });
    expect(t.engine.isStruck(convoy)).toBe(true);
    expect(events.filter((e) => e.type === 'escalate' && e.unit === 'convoy').map((e) => e.rung)).toEqual(['monitor', 'strike']);
  });

  it('holding at the show of force is too late, and doctrine asks again five minutes on', () => {
    const t = new Trainer(sc);
    let held = false;
    drive(t, (p) => {
      if (p.to === 'show_of_force' && !held) {
        held = true;
        return { choice: 'hold' };
      }
      return followDoctrine(p);
    });
    const sof = t.decisions.filter((d) => d.proposal.to === 'show_of_force');
    expect(sof.map((d) => d.grade)).toEqual(['too_late', 'correct']);
    expect(sof[1].proposal.t - sof[0].proposal.t).toBe(5 * 60_000);
    // The run ends in a strike anyway, five minutes later than doctrine's.
    const doctrineStrike = new Engine(sc).runToEnd().find((e) => e.rung === 'strike')!;
    const strike = t.engine.events.find((e) => e.rung === 'strike')!;
    expect(strike.t - doctrineStrike.t).toBe(5 * 60_000);
  });

  it('choosing the rung the unit is already at is a hold, asked once', () => {
    const t = new Trainer(sc);
    const asked: string[] = [];
    drive(t, (p) => {
      asked.push(`${formatTime(p.t)} ${p.to}`);
      return p.to === 'warn' && asked.length === 2 ? { choice: 'monitor' } : followDoctrine(p);
    });
    expect(t.decisions[1]).toMatchObject({ choice: 'monitor', grade: 'too_late' });
    // Asked again for the warning later, never twice in the same tick.
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.filter((a) => a.endsWith(' warn')).length).toBe(2);
  });

  it('a stand-down at an escalation is one decision, and the unit is stood down', () => {
    const t = new Trainer(sc);
    const events = drive(t, (p) => (p.to === 'show_of_force' && t.decisions.length === 2 ? { choice: 'stand_down' } : followDoctrine(p)));
    expect(t.decisions[2]).toMatchObject({ choice: 'stand_down', grade: 'too_late' });
    const sd = events.find((e) => e.type === 'stand_down')!;
    expect(sd).toMatchObject({ by: 'trainee', from: 'warn', rung: 'monitor' });
    expect(t.decisions.filter((d) => d.proposal.t === sd.t)).toHaveLength(1);
  });
});

describe('going back in a training run', () => {
  it('seeking back and playing forward again replays the decisions made, and asks only new ones', () => {
    const sc = load('tanf-2017-05-18');
    const t = new Trainer(sc);
    // Answer the first three decision points, the third one wrongly.
    let n = 0;
    for (;;) {
      const a = t.advance();
      if (a.kind !== 'decision') continue;
      if (++n > 3) break;
      t.answer(n === 3 ? 'hold' : doctrineChoice(a.proposal));
    }
    const pending = t.pending!.proposal;
    const before = ndjson(t.engine.events);
    const k = t.engine.tickIndex;
    // Back to before the first decision, and forward again: the same run, then the same question.
    t.engine.seekTick(10);
    expect(t.pending).toBeUndefined();
    expect(t.engine.events.length).toBeLessThan(before.length);
    t.engine.seekTick(k + 50);
    expect(t.engine.tickIndex).toBe(k);
    expect(ndjson(t.engine.events)).toBe(before);
    expect(t.pending?.proposal).toEqual(pending);
    // A restart too.
    t.engine.reset();
    expect(t.advance().kind).toBe('tick');
    const r = t.run();
    expect(r.stop.kind).toBe('decision');
    expect(ndjson(t.engine.events)).toBe(before);
    expect(t.decisions).toHaveLength(3);
  });
});

describe('stand-downs and self-defence', () => {
  it('6 June 2017: the force leaves the zone; holding the warning is too late and keeps the rung', () => {
    const sc = load('tanf-2017-06-06');
    const t = new Trainer(sc);
    const events = drive(t, (p) => (p.kind === 'stand_down' ? { choice: 'hold', why: 'it may come back' } : followDoctrine(p)));
    const d = t.decisions.find((x) => x.proposal.kind === 'stand_down')!;
    expect(d).toMatchObject({ choice: 'hold', doctrine: 'stand_down', grade: 'too_late', rule: 'stand_down' });
    expect(events.some((e) => e.type === 'stand_down')).toBe(false);
    // Still at warn when it comes back in: no second warning is asked for; the next question is the show of force.
    const after = t.decisions.filter((x) => x.proposal.t > d.proposal.t);
    expect(after[0].proposal).toMatchObject({ kind: 'escalate', from: 'warn', to: 'show_of_force' });
  });

  it('Euphrates 2018: anything but a strike after the hostile act is a missed self-defence', () => {
    const sc = load('euphrates-2018-02-07');
    const t = new Trainer(sc);
    const events = drive(t, (p) => (p.kind === 'self_defence' ? { choice: 'warn', why: 'call the hotline first' } : followDoctrine(p)));
    const d = t.decisions.find((x) => x.proposal.kind === 'self_defence')!;
    expect(d).toMatchObject({ doctrine: 'strike', grade: 'missed_self_defence', rule: 'self_defence' });
    const act = events.find((e) => e.type === 'hostile_act')!;
    expect(events.find((e) => e.type === 'escalate' && e.t === act.t)).toMatchObject({ rung: 'warn', by: 'trainee' });
    // It plays out: the force is not struck at the act but only after climbing the ladder again.
    const strike = events.find((e) => e.type === 'escalate' && e.rung === 'strike')!;
    expect(strike.t - act.t).toBeGreaterThan(20 * 60_000);
    expect(t.decisions.filter((x) => x.proposal.t > act.t).map((x) => x.proposal.to)).toEqual(['show_of_force', 'warning_shots', 'strike']);
  });

  it('a hostile act from a MSEL is a decision point', () => {
    const base = load('tanf-2017-05-18');
    const sc = applyMsel(base, parseMsel('injects:\n  - {t: +1h10m, type: hostile_act, unit: convoy, target: tanf}\n', base, 'v.yaml'));
    const t = new Trainer(sc);
    drive(t, followDoctrine);
    expect(t.decisions.map((d) => `${d.proposal.kind} ${d.doctrine}`)).toEqual(['escalate monitor', 'self_defence strike']);
  });
});

describe('engineChoice', () => {
  const p = (kind: Proposal['kind'], from: Proposal['from'], to: Proposal['to']): Proposal => ({ t: 0, unit: 0, zone: 0, kind, from, to, reason: '' });
  it('maps staying put to hold and a named stand-down rung to a stand-down', () => {
    expect(engineChoice(p('escalate', 'warn', 'show_of_force'), 'warn')).toBe('hold');
    expect(engineChoice(p('escalate', 'warn', 'show_of_force'), 'monitor')).toBe('monitor');
    expect(engineChoice(p('stand_down', 'warn', 'monitor'), 'monitor')).toBe('stand_down');
    expect(engineChoice(p('stand_down', 'warn', 'monitor'), 'warn')).toBe('hold');
    expect(engineChoice(p('self_defence', 'monitor', 'strike'), 'strike')).toBe('strike');
  });
});
