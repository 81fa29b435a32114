import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError } from '../../src/core/errors.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Choice } from '../../src/core/engine.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { withMsel } from '../../src/training/msel.js';
import { replaySession } from '../../src/training/replay.js';
import { decisionLine, endLine, headerFor, parseSession, readSession, SessionExistsError, SessionWriter, sha256File } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { ndjson } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'session-'));
let n = 0;
const tmp = (name = 'session.ndjson') => join(dir, `${++n}-${name}`);

/** Train on a scenario with a policy, writing the session file as the UI does; returns the run's events. */
function train(
  scenarioPath: string,
  out: string,
  policy: (p: import('../../src/core/engine.js').Proposal, n: number) => { choice: Choice; why?: string },
  o: { msel?: string; quitAfter?: number; force?: boolean } = {},
) {
  const { scenario, msel } = withMsel(loadScenario(scenarioPath), o.msel);
  const t = new Trainer(scenario);
  const w = new SessionWriter(
    out,
    !!o.force,
    headerFor(scenario, { scenarioPath, scenarioSha: sha256File(scenarioPath), mselPath: o.msel, mselSha: msel ? sha256File(o.msel!) : undefined }),
  );
  let k = 0;
  for (;;) {
    const a = t.advance();
    if (a.kind === 'done') {
      w.line(endLine(t, 'complete'));
      break;
    }
    if (a.kind === 'decision') {
      if (o.quitAfter !== undefined && k >= o.quitAfter) {
        w.line(endLine(t, 'quit'));
        break;
      }
      const c = policy(a.proposal, ++k);
      const d = t.answer(c.choice, c.why);
      w.line(decisionLine(scenario, d, a.situation.what));
    }
  }
  w.close();
  return { events: ndjson(t.engine.events), trainer: t };
}

const TANF = 'scenarios/tanf-2017-05-18.yaml';
const oneWrong = (p: import('../../src/core/engine.js').Proposal) =>
  p.to === 'show_of_force' ? { choice: 'warning_shots' as Choice, why: 'it has a tank' } : { choice: doctrineChoice(p), why: 'by the book' };

describe('session files', () => {
  it('record every decision and replay to the same run, byte for byte', () => {
    const f = tmp();
    const live = train(TANF, f, oneWrong);
    const lines = readFileSync(f, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ type: 'session', version: 1, scenario: TANF, seed: 18, msel: null, msel_sha256: null, scenario_sha256: sha256File(TANF) });
    const decisions = lines.filter((l) => l.type === 'decision');
    expect(decisions.map((d) => `${d.proposal.to}:${d.choice}:${d.grade}`)).toEqual([
      'monitor:monitor:correct',
      'warn:warn:correct',
      'show_of_force:warning_shots:too_early',
      'strike:strike:correct',
    ]);
    expect(decisions[2]).toMatchObject({
      n: 3,
      unit: 'convoy',
      zone: 'tanf-dz',
      doctrine: 'show_of_force',
      justification: 'it has a tank',
      rule: 'show_of_force',
      proposal: { kind: 'escalate', from: 'warn', to: 'show_of_force' },
    });
    expect(decisions[2].situation).toMatch(/^closed 2\.\d km on At Tanf garrison/);
    expect(decisions[2].t).toMatch(/^2017-05-18T07:3\d:\d0Z$/);
    expect(lines[lines.length - 1]).toMatchObject({
      type: 'end',
      status: 'complete',
      decisions: 4,
      correct: 3,
      score: 75,
      tick: 1440,
      t: '2017-05-18T10:00:00Z',
    });

    const r = replaySession({ scenarioPath: TANF, sessionPath: f });
    expect(ndjson(r.events)).toBe(live.events);
    expect(r.trainer.decisions).toEqual(live.trainer.decisions);

    // The same choices give the same bytes.
    const g = tmp();
    train(TANF, g, oneWrong);
    expect(readFileSync(g, 'utf8')).toBe(readFileSync(f, 'utf8'));
  });

  it('replays a session cut short where the student quit', () => {
    const f = tmp();
    const live = train(TANF, f, (p) => ({ choice: doctrineChoice(p) }), { quitAfter: 2 });
    const s = readSession(f);
    expect(s.end).toMatchObject({ status: 'quit', decisions: 2 });
    const r = replaySession({ scenarioPath: TANF, sessionPath: f });
    expect(ndjson(r.events)).toBe(live.events);
    expect(r.trainer.engine.tickIndex).toBe(s.end!.tick);
  });

  it('replays with the MSEL the session was recorded with, found beside the session file', () => {
    const msel = join(dir, 'variant.yaml');
    writeFileSync(msel, 'title: the convoy fires\ninjects:\n  - {t: +1h35m, type: hostile_act, unit: convoy, target: tanf, expected: strike at once}\n');
    const f = tmp();
    const live = train(TANF, f, (p) => (p.kind === 'self_defence' ? { choice: 'show_of_force' } : { choice: doctrineChoice(p) }), { msel });
    const r = replaySession({ scenarioPath: TANF, sessionPath: f });
    expect(r.msel?.title).toBe('the convoy fires');
    expect(ndjson(r.events)).toBe(live.events);
    expect(r.trainer.decisions.map((d) => d.grade)).toContain('missed_self_defence');
  });

  it('never overwrites a file without force', () => {
    const f = tmp();
    writeFileSync(f, 'precious\n');
    const sc = loadScenario(TANF);
    expect(() => new SessionWriter(f, false, headerFor(sc, { scenarioPath: TANF, scenarioSha: 'x' }))).toThrow(SessionExistsError);
    expect(readFileSync(f, 'utf8')).toBe('precious\n');
    new SessionWriter(f, true, headerFor(sc, { scenarioPath: TANF, scenarioSha: 'x' })).close();
    expect(readFileSync(f, 'utf8')).toContain('"type":"session"');
  });

  it('refuses a session recorded on another scenario', () => {
    const f = tmp();
    train(TANF, f, (p) => ({ choice: doctrineChoice(p) }));
    expect(() => replaySession({ scenarioPath: 'scenarios/tanf-2017-06-06.yaml', sessionPath: f })).toThrow(
      /:1:\d+: scenario_sha256: the session was recorded on another version of the scenario/,
    );
  });

  it('refuses a session whose decisions do not fit the run, naming the line', () => {
    const f = tmp();
    train(TANF, f, (p) => ({ choice: doctrineChoice(p) }));
    const text = readFileSync(f, 'utf8').replace('"to":"warn"', '"to":"show_of_force"');
    const g = tmp();
    writeFileSync(g, text);
    expect(() => replaySession({ scenarioPath: TANF, sessionPath: g })).toThrow(new RegExp(`^${g.replace(/[.]/g, '\\.')}:3:1: the session answers`));
  });
});

describe('reading session files', () => {
  const header =
    '{"type":"session","version":1,"scenario":"s.yaml","title":"T","scenario_sha256":"' + 'a'.repeat(64) + '","msel":null,"msel_sha256":null,"seed":1}';
  const decision = (o: Record<string, unknown> = {}) =>
    JSON.stringify({
      type: 'decision',
      n: 1,
      t: '2017-05-18T06:30:10Z',
      unit: 'convoy',
      zone: 'tanf-dz',
      proposal: { kind: 'escalate', from: null, to: 'monitor', reason: 'r' },
      situation: 's',
      choice: 'monitor',
      doctrine: 'monitor',
      grade: 'correct',
      rule: 'monitor',
      ...o,
    });
  const err = (text: string): string => {
    try {
      parseSession(text, 'S.ndjson');
    } catch (e) {
      if (e instanceof ScenarioError) return e.message;
      throw e;
    }
    return 'no error';
  };

  it('reads a good file', () => {
    const s = parseSession(`${header}\n${decision()}\n`, 'S.ndjson');
    expect(s.decisions).toHaveLength(1);
    expect(s.end).toBeUndefined();
  });

  it.each([
    ['', 'S.ndjson:1:1: the file is empty'],
    [`${header}\n{"type":"decision",\n`, 'S.ndjson:2:20: not valid JSON'],
    [decision(), 'S.ndjson:1:2: type: the first line must be the session header'],
    [
      `${header}\n${decision({ choice: 'strik' })}`,
      `S.ndjson:2:${decision().indexOf('"choice"') + 1}: choice: unknown choice "strik" (did you mean 'strike'?)`,
    ],
    [`${header}\n${decision({ n: 2 })}`, `S.ndjson:2:${decision().indexOf('"n"') + 1}: n: decision 2 out of order (expected 1)`],
    [`${header}\n${decision({ t: 'noon' })}`, `S.ndjson:2:${decision().indexOf('"t"') + 1}: t: 'noon' is not an ISO 8601 UTC time`],
    [
      `${header}\n${decision({ proposal: { kind: 'escalate', from: null, to: 'monitr', reason: 'r' } })}`,
      'to: unknown to "monitr" (did you mean \'monitor\'?)',
    ],
    [header.replace('"version":1', '"version":7'), 'S.ndjson:1:19: version: session format version 7 is not supported'],
    [`${header}\n${decision()}\n{"type":"end","status":"complete","t":"2017-05-18T10:00:00Z","tick":1,"decisions":2,"correct":1,"score":50}`, 'S.ndjson:3:'],
    [`${header}\n\n`, 'S.ndjson:2:1: empty line'],
  ])('reports a bad file at file:line:column: %#', (text, message) => {
    expect(err(text)).toContain(message);
  });

  it('names a missing file', () => {
    expect(() => readSession(join(dir, 'nope.ndjson'))).toThrow(/nope\.ndjson:1:1: no such file/);
    expect(existsSync(join(dir, 'nope.ndjson'))).toBe(false);
  });
});
