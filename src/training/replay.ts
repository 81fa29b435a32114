/**
 * Replaying a session file: load the scenario (and the MSEL the session was run with), check
 * that they are the files the session was recorded on, and run the recorded choices again.
 */
import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { ScenarioError } from '../core/errors.js';
import type { Engine, TickBatch } from '../core/engine.js';
import type { SimEvent } from '../core/events.js';
import { RUNG_LABEL } from '../core/ladder.js';
import type { LonLat, Rung, Scenario } from '../core/model.js';
import { positionAt } from '../core/track.js';
import { formatTime } from '../core/units.js';
import { loadMsel, loadScenario } from '../io/node/load.js';
import { choiceLabel, GRADE_LABEL, GRADES, scoreOf, type Grade } from './grade.js';
import { runChanges, runIdentity } from './identity.js';
import { applyMsel, type Msel } from './msel.js';
import { lineDecisions, lineEnd, readSession, sessionChoices, sessionFires, sha256File, studentOf, type SessionFile } from './session.js';
import { withFires } from './fire.js';
import { SessionMismatchError, Trainer, type Decision, type ReplayStop } from './trainer.js';

export interface ReplayInput {
  /** The scenario file to read, and the name to show for it. */
  scenarioPath: string;
  scenarioName?: string;
  sessionPath: string;
  /** A MSEL file; by default the one the session names (beside the session file if not found as given). */
  mselPath?: string;
  /** Replay even when the scenario's run has changed since the session was recorded (`report --force`). */
  force?: boolean;
  /** Which line of answers: 0 (the default) the first answers, k branch k. */
  line?: number;
  /** The session file as already read from `sessionPath` (not read again). */
  session?: SessionFile;
}

export interface Replay {
  scenario: Scenario;
  msel?: Msel;
  session: SessionFile;
  trainer: Trainer;
  events: SimEvent[];
}

/**
 * Find the MSEL a session names: as written, else next to the session file. A path written in a
 * file is held to the scenario's folder or the session's, as a scenario's own track and zone files
 * are held to its folder; a MSEL elsewhere is given with --msel.
 */
function sessionMsel(session: SessionFile, sessionPath: string, scenarioPath: string): string | undefined {
  const m = session.header.msel;
  if (!m) return undefined;
  const beside = join(dirname(sessionPath), m);
  const path = existsSync(m) || isAbsolute(m) || !existsSync(beside) ? m : beside;
  if (existsSync(path)) {
    const real = realpathSync(path);
    const within = (folder: string) => {
      const rel = relative(realpathSync(folder), real);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    };
    if (!within(dirname(scenarioPath)) && !within(dirname(sessionPath))) {
      const col = Math.max(1, JSON.stringify(session.header).indexOf('"msel":') + 1);
      throw new ScenarioError({
        file: session.file,
        line: 1,
        column: col,
        field: 'msel',
        message: `the MSEL '${m}' lies outside the scenario's folder and the session's`,
        hint: 'keep the MSEL beside the scenario or the session, or give it with --msel FILE',
      });
    }
  }
  return path;
}

/**
 * A session set up for replay, as the after-action report steps it (src/report/model.ts takes
 * it as it is: the report knows nothing of training but these).
 */
export interface PreparedReplay extends Omit<Replay, 'events'> {
  stop: ReplayStop;
  /** The seed the session was recorded with. */
  seed: number;
  /** The line of answers replayed (0 the first answers, k branch k). */
  line: number;
  engine: Engine;
  /** The next tick of the replay (undefined at the session's end); a session that no longer fits its scenario is a ScenarioError naming its line. */
  step(): TickBatch | undefined;
  /** The session's decisions, graded, and its score (once stepped). */
  summary(): ReturnType<typeof sessionSummary>;
  /** The trainee's holds (once stepped). */
  holds(): ReturnType<typeof sessionHolds>;
}

/** Load what a session needs and set up its replay, without running it. Throws ScenarioError (exit 2) for bad or mismatched input. */
export function prepareReplay(input: ReplayInput): PreparedReplay {
  const session = input.session ?? readSession(input.sessionPath);
  const header = session.header;
  const base = loadScenario(input.scenarioPath, { displayName: input.scenarioName ?? input.scenarioPath });
  const headerError = (field: string, message: string, hint: string) => {
    const col = Math.max(1, JSON.stringify(header).indexOf(`"${field}":`) + 1);
    return new ScenarioError({ file: session.file, line: 1, column: col, field, message, hint });
  };
  // The bytes are the same, or (checked below, once the MSEL is applied) what they compile to.
  const sameBytes = sha256File(input.scenarioPath) === header.scenario_sha256;
  if (!sameBytes && !header.run && !input.force) {
    throw headerError(
      'scenario_sha256',
      `the session was recorded on another version of the scenario, not on ${input.scenarioName ?? input.scenarioPath}`,
      `it was recorded on ${header.scenario} ("${header.title}"); pass --force to replay it on this version anyway`,
    );
  }
  const mselPath = input.mselPath ?? sessionMsel(session, input.sessionPath, input.scenarioPath);
  let msel: Msel | undefined;
  if (mselPath) {
    msel = loadMsel(mselPath, base);
    const sha = sha256File(mselPath);
    if (header.msel_sha256 === null) throw headerError('msel', `the session was recorded without a MSEL, but ${mselPath} was given`, 'leave out --msel');
    // With a run identity the MSEL, like the scenario, is judged by what it changes (below).
    if (sha !== header.msel_sha256 && !header.run && !input.force)
      throw headerError('msel_sha256', `the session was recorded with another MSEL, not ${mselPath}`, `it was recorded with ${header.msel}`);
  } else if (header.msel_sha256 !== null) {
    throw headerError('msel', `the session was recorded with the MSEL ${header.msel}, which is not given`, 'pass it with --msel FILE');
  }
  const compiled = applyMsel(base, msel);
  if (header.run && !input.force) {
    const changes = runChanges(header.run, runIdentity(compiled));
    if (changes.length)
      throw headerError(
        'scenario_sha256',
        `the session was recorded on another version of the scenario, not on ${input.scenarioName ?? input.scenarioPath}: ${changes.join('; ')}`,
        `it was recorded on ${header.scenario} ("${header.title}"); pass --force to replay it on this version anyway`,
      );
  }
  const line = input.line ?? 0;
  if (line < 0 || line > session.branches.length)
    throw new ScenarioError({
      file: session.file,
      line: 1,
      column: 1,
      field: 'branch',
      message: `the session has no branch ${line}`,
      hint: session.branches.length ? `its branches are 1 to ${session.branches.length}` : 'it has no branches',
    });
  // The injects the trainer fired now (a class) are part of the run the session saw.
  const scenario = withFires(compiled, sessionFires(session, compiled));
  const trainer = new Trainer(scenario, { seed: header.seed, replay: sessionChoices(session, scenario, line) });
  const end = lineEnd(session, line);
  const stop: ReplayStop = end ? { untilTick: end.status === 'quit' ? end.tick : undefined } : { partial: true };
  return {
    scenario,
    msel,
    session,
    trainer,
    stop,
    seed: header.seed,
    line,
    engine: trainer.engine,
    step: () => {
      try {
        return trainer.replayStep(stop);
      } catch (e) {
        if (e instanceof SessionMismatchError) throw mismatchError(e, session);
        throw e;
      }
    },
    summary: () => sessionSummary(scenario, session, trainer.decisions, end?.status ?? 'incomplete', line),
    holds: () => sessionHolds(scenario, trainer),
  };
}

/**
 * A trainee's holds: the rung kept where doctrine would have moved, with where the unit was.
 * A hold fires no event, yet the debrief needs to see it (the report puts it on the timeline and the map).
 */
function sessionHolds(sc: Scenario, trainer: Trainer) {
  const out: { t: number; unit: string; zone: string; rung: Rung | null; at: LonLat; reason: string }[] = [];
  const xy = [0, 0];
  for (const d of trainer.decisions) {
    if (d.choice !== 'hold') continue;
    const p = d.proposal;
    positionAt(trainer.engine.trackOf(p.unit), p.t, xy);
    const why = d.justification ? `: ${d.justification}` : '';
    out.push({
      t: p.t,
      unit: sc.units[p.unit].id,
      zone: sc.zones[p.zone].id,
      rung: p.from,
      at: [Math.round(xy[0] * 1e6) / 1e6, Math.round(xy[1] * 1e6) / 1e6],
      reason: `held at ${p.from ? RUNG_LABEL[p.from] : 'none'} where doctrine would ${choiceLabel(d.doctrine)}${why}`,
    });
  }
  return out;
}

/** A session's part of the after-action report: who, how it ended, every decision graded, the score. */
function sessionSummary(sc: Scenario, file: SessionFile, decisions: Decision[], status: 'complete' | 'quit' | 'incomplete', line: number) {
  const byGrade = Object.fromEntries(GRADES.map((g) => [g, 0])) as Record<Grade, number>;
  for (const d of decisions) byGrade[d.grade]++;
  const lines = new Map(lineDecisions(file, line).map((l) => [l.n, l]));
  return {
    file: file.file,
    student: file.header.student ?? studentOf(file.file),
    status,
    decisions: decisions.map((d) => ({
      n: d.n,
      t: formatTime(d.proposal.t),
      unit: sc.units[d.proposal.unit].id,
      zone: sc.zones[d.proposal.zone].id,
      kind: d.proposal.kind,
      situation: lines.get(d.n)?.situation ?? '',
      from: d.proposal.from,
      choice: choiceLabel(d.choice),
      doctrine: choiceLabel(d.doctrine),
      grade: d.grade,
      gradeLabel: GRADE_LABEL[d.grade],
      ...(d.justification ? { justification: d.justification } : {}),
      rule: d.rule,
      reason: d.proposal.reason,
    })),
    score: scoreOf(decisions.map((d) => d.grade)),
    byGrade,
  };
}

/** Turn a SessionMismatchError into a ScenarioError naming the session line (exit 2). */
export function mismatchError(e: SessionMismatchError, session: SessionFile): ScenarioError {
  const m = /^(.*?):(\d+): (.*)$/s.exec(e.message);
  if (m) return new ScenarioError({ file: m[1], line: Number(m[2]), column: 1, field: '', message: m[3] });
  return new ScenarioError({ file: session.file, line: session.end?.line ?? session.decisions.length + 1, column: 1, field: '', message: e.message });
}

/** Replay a session file. Throws ScenarioError (exit 2) for bad or mismatched input. */
export function replaySession(input: ReplayInput): Replay {
  const r = prepareReplay(input);
  try {
    const events = r.trainer.replayToEnd(r.stop);
    return { scenario: r.scenario, msel: r.msel, session: r.session, trainer: r.trainer, events };
  } catch (e) {
    if (e instanceof SessionMismatchError) throw mismatchError(e, r.session);
    throw e;
  }
}
