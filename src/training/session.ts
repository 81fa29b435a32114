/**
 * Session files (NDJSON, one JSON object a line; docs/training.md):
 *
 *   {"type":"session","version":1,"scenario":…,"title":…,"scenario_sha256":…,"msel":…,"msel_sha256":…,"seed":…}
 *   {"type":"decision","n":1,"t":…,"unit":…,"zone":…,"proposal":{"kind":…,"from":…,"to":…,"reason":…},
 *    "situation":…,"choice":…,"doctrine":…,"justification":…,"grade":…,"rule":…}
 *   {"type":"fire","inject":…,"t":…}     (an inject the trainer fired now: src/training/fire.ts)
 *   {"type":"end","status":"complete"|"quit","t":…,"tick":…,"decisions":…,"correct":…,"score":…}
 *
 * A branch (the student went back to decision `at` of line `parent` and answered it again) follows
 * in the same file, after the line it leaves (line 0 is the first answers, the lines above):
 *
 *   {"type":"branch","branch":1,"parent":0,"at":3,"t":…,"unit":…,"zone":…}
 *   {"type":"decision","branch":1,"n":3,…}   … and its own end line, "branch":1.
 *
 * Its decisions 1 … at-1 are the parent line's (not written again); nothing before it is changed.
 *
 * Decisions are written (and flushed) as they are made, so a session survives a crash. Nothing
 * in a session depends on the wall clock: the same choices give the same bytes. Replaying the
 * recorded choices against the same scenario, MSEL and seed reproduces the run exactly.
 */
import { basename } from 'node:path';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { readInput } from '../io/source.js';
import type { Choice, Proposal } from '../core/engine.js';
import { didYouMean, ScenarioError } from '../core/errors.js';
import { RUNGS } from '../core/ladder.js';
import type { Rung, Scenario } from '../core/model.js';
import { formatTime, parseIsoUtc } from '../core/units.js';
import { CHOICES, GRADES, scoreOf, type Grade } from './grade.js';
import type { Decision, RecordedChoice, Trainer } from './trainer.js';
import { isRunIdentity, runIdentity, type RunIdentity } from './identity.js';
import type { Fire } from './fire.js';

export const SESSION_VERSION = 1;

export interface SessionHeader {
  type: 'session';
  version: number;
  scenario: string;
  title: string;
  scenario_sha256: string;
  msel: string | null;
  msel_sha256: string | null;
  seed: number;
  /** Who took the decisions (`--student`, by default the session file's name). */
  student?: string;
  /** What the scenario compiled to (identity.ts): a session stays reportable across edits that do not change the run. */
  run?: RunIdentity;
}

export interface SessionDecisionLine {
  type: 'decision';
  /** The branch it answers on (absent: the first answers). */
  branch?: number;
  n: number;
  t: string;
  unit: string;
  zone: string;
  proposal: { kind: Proposal['kind']; from: Rung | null; to: Rung | null; reason: string };
  situation: string;
  choice: Choice;
  doctrine: Choice;
  justification?: string;
  grade: Grade;
  rule: string;
}

export interface SessionEnd {
  type: 'end';
  /** The branch this line ends (absent: the first answers). */
  branch?: number;
  status: 'complete' | 'quit';
  t: string;
  tick: number;
  decisions: number;
  correct: number;
  score: number;
}

/** A decision as read: with the line it is on and the columns of its unit and zone fields. */
export type ReadDecision = SessionDecisionLine & { line: number; unitColumn: number; zoneColumn: number };

/** The record that opens a branch: the student went back to decision `at` of line `parent` and answered it again. */
export interface SessionBranchLine {
  type: 'branch';
  /** 1, 2, … in the order made. */
  branch: number;
  /** The line it leaves: 0 the first answers, else an earlier branch. */
  parent: number;
  /** The decision answered again (its number on the parent line). */
  at: number;
  /** When, who and where that decision was (for people reading the file). */
  t: string;
  unit: string;
  zone: string;
}

export interface SessionBranch extends SessionBranchLine {
  line: number;
  /** This branch's own decisions: numbered from `at` on (the ones before are the parent's). */
  decisions: ReadDecision[];
  end?: SessionEnd & { line: number };
}

export interface SessionFile {
  file: string;
  header: SessionHeader;
  /** The first answers' decisions (line 0). */
  decisions: ReadDecision[];
  end?: SessionEnd & { line: number };
  /** Branches, in the order made (branch k is `branches[k - 1]`). */
  branches: SessionBranch[];
  /** Injects the trainer fired now (a class, docs/class.md), in order, with the line each is on. */
  fires: (Fire & { line: number; injectColumn: number })[];
}

export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

export function headerFor(
  sc: Scenario,
  o: { scenarioPath: string; scenarioSha: string; mselPath?: string; mselSha?: string; seed?: number; student?: string },
): SessionHeader {
  return {
    type: 'session',
    version: SESSION_VERSION,
    scenario: o.scenarioPath,
    title: sc.title,
    scenario_sha256: o.scenarioSha,
    msel: o.mselPath ?? null,
    msel_sha256: o.mselSha ?? null,
    seed: o.seed ?? sc.seed,
    ...(o.student ? { student: o.student } : {}),
    run: runIdentity(sc),
  };
}

/** A student's name from a session file's: `alice.ndjson` is alice. */
export function studentOf(sessionPath: string): string {
  return basename(sessionPath).replace(/\.(nd)?json$/i, '');
}

export function decisionLine(sc: Scenario, d: Decision, situation: string, branch = 0): SessionDecisionLine {
  const p = d.proposal;
  return {
    type: 'decision',
    ...(branch ? { branch } : {}),
    n: d.n,
    t: formatTime(p.t),
    unit: sc.units[p.unit].id,
    zone: sc.zones[p.zone].id,
    proposal: { kind: p.kind, from: p.from, to: p.to, reason: p.reason },
    situation,
    choice: d.choice,
    doctrine: d.doctrine,
    ...(d.justification ? { justification: d.justification } : {}),
    grade: d.grade,
    rule: d.rule,
  };
}

export function endLine(trainer: Trainer, status: 'complete' | 'quit', branch = 0): SessionEnd {
  const s = trainer.score;
  const k = trainer.tickDone;
  const t = k < 0 ? trainer.scenario.start : trainer.engine.tickTime(k);
  return { type: 'end', ...(branch ? { branch } : {}), status, t: formatTime(t), tick: k, decisions: s.total, correct: s.correct, score: s.percent };
}

/** Writes a session file line by line, flushing each; refuses to overwrite a file without force. */
export class SessionWriter {
  private fd: number;
  readonly path: string;

  constructor(path: string, force: boolean, header: SessionHeader | null) {
    this.path = path;
    if (header === null) {
      this.fd = openSync(path, 'a');
      return;
    }
    if (existsSync(path) && !force) throw new SessionExistsError(`${path} exists; pass --force to overwrite it`);
    this.fd = openSync(path, force ? 'w' : 'wx');
    this.line(header);
  }

  /**
   * Go on writing a quit session: its end line (`endLine`, 1-based; none when the file stops
   * without one) is taken off, everything before it kept byte for byte, and new lines appended.
   */
  static resume(path: string, endLine?: number): SessionWriter {
    if (endLine !== undefined) {
      const text = readFileSync(path, 'utf8');
      let at = 0;
      for (let i = 1; i < endLine; i++) at = text.indexOf('\n', at) + 1;
      truncateSync(path, Buffer.byteLength(text.slice(0, at)));
    }
    return new SessionWriter(path, false, null);
  }

  line(o: object): void {
    writeSync(this.fd, `${JSON.stringify(o)}\n`);
    fsyncSync(this.fd);
  }

  close(): void {
    closeSync(this.fd);
  }
}

export class SessionExistsError extends Error {}

// ------------------------------------------------------------------ reading

/** Largest session file read, in bytes. */
export const MAX_SESSION_BYTES = 20 * 1024 * 1024;

class LineReader {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly text: string,
    readonly obj: Record<string, unknown>,
  ) {}

  /** Column of a field's key in the line (1-based), or 1. */
  column(path: string[]): number {
    let from = 0;
    for (const k of path) {
      const i = this.text.indexOf(`"${k}":`, from);
      if (i < 0) return from + 1;
      from = i;
    }
    return from + 1;
  }

  error(path: string[], message: string, hint?: string): ScenarioError {
    return new ScenarioError({ file: this.file, line: this.line, column: this.column(path), field: path.join('.'), message, hint });
  }

  get(path: string[]): unknown {
    let v: unknown = this.obj;
    for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
    return v;
  }

  string(path: string[], optional = false): string | undefined {
    const v = this.get(path);
    if (v === undefined && optional) return undefined;
    if (typeof v !== 'string')
      throw this.error(path, v === undefined ? `missing required field '${path[path.length - 1]}'` : `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  number(path: string[], integer = true): number {
    const v = this.get(path);
    if (typeof v !== 'number' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
      throw this.error(
        path,
        v === undefined ? `missing required field '${path[path.length - 1]}'` : `expected ${integer ? 'a whole number' : 'a number'}, got ${JSON.stringify(v)}`,
      );
    }
    return v;
  }

  oneOf<T extends string>(path: string[], values: readonly T[], nullable = false): T | null {
    const v = this.get(path);
    if (v === null && nullable) return null;
    if (typeof v === 'string' && (values as readonly string[]).includes(v)) return v as T;
    const guess = typeof v === 'string' ? didYouMean(v, values) : undefined;
    const what = v === undefined ? `missing required field '${path[path.length - 1]}'` : `unknown ${path[path.length - 1]} ${JSON.stringify(v)}`;
    throw this.error(path, what, guess ? `did you mean '${guess}'?` : `one of ${[...values, ...(nullable ? ['null'] : [])].join(', ')}`);
  }

  time(path: string[]): string {
    const s = this.string(path)!;
    if (parseIsoUtc(s) === undefined) throw this.error(path, `'${s}' is not an ISO 8601 UTC time`);
    return s;
  }
}

/** Read a session file. Throws ScenarioError (file:line:column, field) for a bad file. */
export function readSession(path: string, displayName = path): SessionFile {
  const file = displayName;
  const bytes = readInput(path, file, {
    limit: MAX_SESSION_BYTES,
    over: () => ({ message: `the file is over the ${MAX_SESSION_BYTES / 1048576} MiB limit for sessions` }),
  });
  return parseSession(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'), file);
}

/** Parse the text of a session file. */
export function parseSession(text: string, file = '<session>'): SessionFile {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  if (!lines.length)
    throw new ScenarioError({
      file,
      line: 1,
      column: 1,
      field: '',
      message: 'the file is empty',
      hint: 'a session file is written by `deconflict train --session FILE`',
    });
  let header: SessionHeader | undefined;
  const decisions: SessionFile['decisions'] = [];
  const fires: SessionFile['fires'] = [];
  let end: SessionFile['end'];
  const branches: SessionBranch[] = [];
  /** The branch the lines belong to now (undefined: the first answers). */
  let cur: SessionBranch | undefined;
  /** How many decisions line k has in all (its parent's before `at`, then its own). */
  const lineLength = (k: number): number => (k === 0 ? decisions.length : branches[k - 1].at - 1 + branches[k - 1].decisions.length);
  lines.forEach((raw, i) => {
    const line = i + 1;
    if (!raw.trim())
      throw new ScenarioError({ file, line, column: 1, field: '', message: 'empty line', hint: 'a session file has one JSON object on every line' });
    let obj: unknown;
    try {
      obj = JSON.parse(raw);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      const col = m ? Number(m[1]) + 1 : 1;
      throw new ScenarioError({
        file,
        line,
        column: col,
        field: '',
        message: `not valid JSON (${(e as Error).message.replace(/ in JSON at position \d+.*$/, '')})`,
        hint: 'a session file has one JSON object on every line',
      });
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
      throw new ScenarioError({ file, line, column: 1, field: '', message: 'expected a JSON object' });
    const r = new LineReader(file, line, raw, obj as Record<string, unknown>);
    const type = r.oneOf(['type'], ['session', 'decision', 'fire', 'end', 'branch'] as const);
    if ((cur ? cur.end : end) && type !== 'branch')
      throw r.error(['type'], 'a line after the end of the session', 'the "end" line is the last one, or a "branch" line follows it');
    // Decisions and end lines name their branch (none: the first answers), which is the one open.
    const own = cur?.branch ?? 0;
    if (type === 'decision' || type === 'end') {
      const b = r.get(['branch']);
      if ((b ?? 0) !== own)
        throw r.error(['branch'], `expected ${own ? `"branch":${own}` : 'no branch'}, got ${JSON.stringify(b)}`, 'a branch\'s lines follow its "branch" line');
    }
    if (line === 1 && type !== 'session')
      throw r.error(['type'], 'the first line must be the session header ("type":"session")', 'was this file written by `deconflict train`?');
    if (type === 'session') {
      if (line !== 1) throw r.error(['type'], 'a second session header', 'one session a file');
      const version = r.number(['version']);
      if (version !== SESSION_VERSION)
        throw r.error(['version'], `session format version ${version} is not supported`, `this deconflict reads version ${SESSION_VERSION}`);
      const seed = r.number(['seed']);
      const msel = r.get(['msel']);
      const mselSha = r.get(['msel_sha256']);
      if (msel !== null && msel !== undefined && typeof msel !== 'string') throw r.error(['msel'], 'expected a path or null');
      if (mselSha !== null && mselSha !== undefined && (typeof mselSha !== 'string' || !/^[0-9a-f]{64}$/.test(mselSha)))
        throw r.error(['msel_sha256'], 'expected a SHA-256 in hex or null');
      const sha = r.string(['scenario_sha256'])!;
      if (!/^[0-9a-f]{64}$/.test(sha)) throw r.error(['scenario_sha256'], 'expected a SHA-256 in hex');
      header = {
        type: 'session',
        version,
        scenario: r.string(['scenario'])!,
        title: r.string(['title'])!,
        scenario_sha256: sha,
        msel: msel ?? null,
        msel_sha256: mselSha ?? null,
        seed,
        ...(typeof r.get(['student']) === 'string' ? { student: r.get(['student']) as string } : {}),
        ...(isRunIdentity(r.get(['run'])) ? { run: r.get(['run']) as RunIdentity } : {}),
      };
    } else if (type === 'branch') {
      const k = r.number(['branch']);
      if (k !== branches.length + 1) throw r.error(['branch'], `branch ${k} out of order`, `expected ${branches.length + 1}`);
      const parent = r.number(['parent']);
      if (parent < 0 || parent >= k) throw r.error(['parent'], `no line ${parent} to branch from`, `0 (the first answers) to ${k - 1}`);
      const at = r.number(['at']);
      if (at < 1 || at > lineLength(parent))
        throw r.error(['at'], `line ${parent} has no decision ${at}`, `it has ${lineLength(parent)} decision${lineLength(parent) === 1 ? '' : 's'}`);
      cur = { type: 'branch', branch: k, parent, at, t: r.time(['t']), unit: r.string(['unit'])!, zone: r.string(['zone'])!, line, decisions: [] };
      branches.push(cur);
    } else if (type === 'decision') {
      const n = r.number(['n']);
      const want = cur ? lineLength(cur.branch) + 1 : decisions.length + 1;
      if (n !== want) throw r.error(['n'], `decision ${n} out of order`, `expected ${want}`);
      const proposal = r.get(['proposal']);
      if (proposal === null || typeof proposal !== 'object' || Array.isArray(proposal))
        throw r.error(['proposal'], proposal === undefined ? "missing required field 'proposal'" : 'expected an object');
      const justification = r.string(['justification'], true);
      (cur ? cur.decisions : decisions).push({
        line,
        unitColumn: r.column(['unit']),
        zoneColumn: r.column(['zone']),
        type: 'decision',
        ...(own ? { branch: own } : {}),
        n,
        t: r.time(['t']),
        unit: r.string(['unit'])!,
        zone: r.string(['zone'])!,
        proposal: {
          kind: r.oneOf(['proposal', 'kind'], ['escalate', 'stand_down', 'self_defence'] as const)!,
          from: r.oneOf(['proposal', 'from'], RUNGS, true),
          to: r.oneOf(['proposal', 'to'], RUNGS, true),
          reason: r.string(['proposal', 'reason'])!,
        },
        situation: r.string(['situation'], true) ?? '',
        choice: r.oneOf(['choice'], CHOICES)!,
        doctrine: r.oneOf(['doctrine'], CHOICES)!,
        ...(justification !== undefined ? { justification } : {}),
        grade: r.oneOf(['grade'], GRADES)!,
        rule: r.string(['rule'])!,
      });
    } else if (type === 'fire') {
      const inject = r.number(['inject']);
      if (!Number.isInteger(inject) || inject < 0) throw r.error(['inject'], 'expected the place of an inject (0, 1, …)');
      const t = parseIsoUtc(r.time(['t']))!;
      const last = fires[fires.length - 1];
      if (last && t < last.t) throw r.error(['t'], 'fired before the fire on the line above', 'fires are written in the order they are made');
      fires.push({ line, injectColumn: r.column(['inject']), inject, t });
    } else {
      const status = r.oneOf(['status'], ['complete', 'quit'] as const)!;
      const e: SessionEnd & { line: number } = {
        line,
        type: 'end',
        ...(own ? { branch: own } : {}),
        status,
        t: r.time(['t']),
        tick: r.number(['tick']),
        decisions: r.number(['decisions']),
        correct: r.number(['correct']),
        score: r.number(['score'], false),
      };
      const has = lineLength(own);
      if (e.decisions !== has) throw r.error(['decisions'], `the end line counts ${e.decisions} decisions but the ${own ? `branch has` : 'file has'} ${has}`);
      if (cur) cur.end = e;
      else end = e;
    }
  });
  return { file, header: header!, decisions, end, branches, fires };
}

/**
 * The recorded choices of a session, resolved against a scenario (unit and zone ids to indices).
 * Throws ScenarioError at the line of a decision that names an unknown unit or zone.
 */
export function sessionChoices(s: SessionFile, sc: Scenario, line = 0): RecordedChoice[] {
  const units = new Map(sc.units.map((u, i) => [u.id, i]));
  const zones = new Map(sc.zones.map((z, i) => [z.id, i]));
  return lineDecisions(s, line).map((d) => {
    const unit = units.get(d.unit);
    if (unit === undefined)
      throw new ScenarioError({
        file: s.file,
        line: d.line,
        column: d.unitColumn,
        field: 'unit',
        message: `unknown unit '${d.unit}' in ${sc.file}`,
        hint: 'replay the session with the scenario it was recorded on',
      });
    const zone = zones.get(d.zone);
    if (zone === undefined)
      throw new ScenarioError({
        file: s.file,
        line: d.line,
        column: d.zoneColumn,
        field: 'zone',
        message: `unknown zone '${d.zone}' in ${sc.file}`,
        hint: 'replay the session with the scenario it was recorded on',
      });
    const proposal: Proposal = { t: parseIsoUtc(d.t)!, unit, zone, kind: d.proposal.kind, from: d.proposal.from, to: d.proposal.to, reason: d.proposal.reason };
    return { proposal, choice: d.choice, ...(d.justification ? { justification: d.justification } : {}), where: `${s.file}:${d.line}` };
  });
}

/**
 * The injects a session fired now, checked against the compiled scenario's injects. Throws
 * ScenarioError at the line of a fire that names an inject the scenario does not have.
 */
export function sessionFires(s: SessionFile, sc: Scenario): Fire[] {
  return s.fires.map((f) => {
    if (f.inject >= sc.injects.length)
      throw new ScenarioError({
        file: s.file,
        line: f.line,
        column: f.injectColumn,
        field: 'inject',
        message: `the scenario has no inject ${f.inject} (it has ${sc.injects.length})`,
        hint: 'replay the session with the scenario and MSEL it was recorded on',
      });
    return { inject: f.inject, t: f.t };
  });
}

/** The decisions of line `k` in order: 0 the first answers; a branch, its parent's before the one it answered again, then its own. */
export function lineDecisions(s: SessionFile, k = 0): ReadDecision[] {
  if (k === 0) return s.decisions;
  const b = s.branches[k - 1];
  return [...lineDecisions(s, b.parent).slice(0, b.at - 1), ...b.decisions];
}

/** The end line of line `k` (none when it stops without one). */
export function lineEnd(s: SessionFile, k = 0): SessionFile['end'] {
  return k === 0 ? s.end : s.branches[k - 1].end;
}

/** The line the student was on last: the last branch, or the first answers. */
export function lastLine(s: SessionFile): number {
  return s.branches.length;
}

/** Score of a session file's decisions (the first answers). */
export function sessionScore(s: SessionFile): { correct: number; total: number; percent: number } {
  return scoreOf(s.decisions.map((d) => d.grade));
}
