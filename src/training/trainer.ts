/**
 * Decision mode. The engine asks a synchronous `decide(proposal)` before every rung change
 * doctrine would make; a student answers asynchronously. The Trainer bridges the two:
 *
 * - every tick starts from a snapshot; the engine's decider answers from a queue of the
 *   student's recorded choices, in the order the engine asks;
 * - when the queue has no answer, the decider throws a private signal: the Trainer restores the
 *   snapshot (the tick never happened), keeps the proposal as `pending` and returns it;
 * - `answer(choice)` grades the choice, appends it to the queue, and the next `advance()` runs
 *   the tick again from its start, now with the answer.
 *
 * Ticks are deterministic, so the re-run asks the same questions in the same order; replaying
 * the recorded choices of a session reproduces the run exactly. The student's choice, not
 * doctrine's, is what the engine applies, so a wrong choice plays out.
 */
import { Engine, type Choice, type Proposal, type Snapshot, type TickBatch } from '../core/engine.js';
import type { SimEvent } from '../core/events.js';
import { rungChange } from '../core/ladder.js';
import type { LonLat, Rung, Scenario } from '../core/model.js';
import { formatTime } from '../core/units.js';
import { assess, scoreOf, type Assessment, type Grade } from './grade.js';
import type { RuleId } from './rules.js';

/** What the student sees at a decision point (doctrine's answer is not in it). */
export interface Situation {
  t: number;
  unit: number;
  zone: number;
  /** Where the unit is (the tick's position). */
  at: LonLat;
  /** Signed distance to the zone's edge (negative inside), metres. */
  edge_m: number;
  /** Distance to the protected site, metres. */
  site_m?: number;
  /** The unit's rung in this zone now. */
  rung: Rung | null;
  kind: Proposal['kind'];
  /** What has just happened, in words. */
  what: string;
}

export interface Decision {
  /** 1, 2, … in the order the engine asked. */
  n: number;
  proposal: Proposal;
  choice: Choice;
  justification?: string;
  doctrine: Choice;
  grade: Grade;
  rule: RuleId;
}

/** A choice recorded earlier (a session file), with the proposal it answered. */
export interface RecordedChoice {
  proposal: Proposal;
  choice: Choice;
  justification?: string;
  /** Where it was read from, for messages (e.g. `session.ndjson:4`). */
  where?: string;
}

export type Advance = { kind: 'tick'; batch: TickBatch } | { kind: 'decision'; proposal: Proposal; situation: Situation } | { kind: 'done' };

/** Where a replay stops early: at the tick a student quit, or (partial) at the first unrecorded decision. */
export interface ReplayStop {
  untilTick?: number;
  partial?: boolean;
}

export interface TrainerOptions {
  seed?: number;
  /** Choices to replay, in order. */
  replay?: readonly RecordedChoice[];
}

/** A replayed session does not fit the scenario (a different file, MSEL or seed). */
export class SessionMismatchError extends Error {}

/** Thrown out of a tick that reaches an unanswered decision point (caught by guardedStep, never by a user). */
class NeedDecision extends Error {
  constructor(
    readonly proposal: Proposal,
    readonly situation: Situation,
  ) {
    super('a decision point is waiting for an answer');
  }
}

interface Queued {
  proposal?: Proposal;
  choice: Choice;
  justification?: string;
  where?: string;
}

export class Trainer {
  readonly scenario: Scenario;
  /** The seed the run was given (undefined: the scenario's). */
  readonly seed?: number;
  readonly engine: Engine;
  /** Every decision so far, graded. */
  readonly decisions: Decision[] = [];
  /**
   * The decision point the run is waiting on. The run stands at the moment of the question: the
   * engine is left inside the tick that asks it (its time, its positions, its distances), so every
   * view of the engine shows the moment the question describes; `tickSoFar` has the tick's events
   * up to the question. The answer puts the tick back to its start and runs it again.
   */
  pending?: { proposal: Proposal; situation: Situation };
  /** The events of the pending decision's tick that came before the question, by time. */
  tickSoFar: readonly SimEvent[] = [];
  /** The state before the pending decision's tick (restored when it is answered). */
  private held?: Snapshot;

  private readonly queue: Queued[] = [];
  private cursor = 0;
  /** cursorAt[k + 1]: how many queued choices the engine had used after tick k (cursorAt[0] = 0). */
  private readonly cursorAt: number[] = [0];
  /** A stand-down the student chose at an escalation: the engine's follow-up question is answered with it. */
  private echo?: { t: number; unit: number; zone: number };

  constructor(scenario: Scenario, opts: TrainerOptions = {}) {
    this.scenario = scenario;
    this.seed = opts.seed;
    // Every step of the engine goes through guardedStep; a pending decision holds the run (loops
    // that step until done stop there); going back in time tells rewound.
    this.engine = new Engine(scenario, {
      seed: opts.seed,
      decide: (p) => this.decide(p),
      hooks: { guardStep: (run) => this.guardedStep(run), rewound: (index) => this.rewound(index), holding: () => !!this.pending },
    });
    for (const r of opts.replay ?? []) {
      const a = assess(scenario, r.proposal, r.choice);
      this.decisions.push(this.record(r.proposal, r.choice, r.justification, a));
      this.queue.push({ proposal: r.proposal, choice: r.choice, justification: r.justification, where: r.where });
    }
  }

  /** Recorded choices not yet asked for by the engine. */
  get unanswered(): number {
    return this.queue.length - this.cursor;
  }

  /** Whether the run is over: the last tick has run. */
  get finished(): boolean {
    return this.engine.tickIndex >= this.engine.tickCount - 1;
  }

  get done(): boolean {
    return this.finished && !this.pending;
  }

  /** The last tick run to its end (while a decision is pending, the one before the question's tick). */
  get tickDone(): number {
    return this.held ? this.held.index : this.engine.tickIndex;
  }

  /** Score so far. */
  get score(): { correct: number; total: number; percent: number } {
    return scoreOf(this.decisions.map((d) => d.grade));
  }

  /**
   * Run one tick, or stop at a decision point (the tick is then undone until it is answered).
   * While a decision is pending, returns it again.
   */
  advance(): Advance {
    if (this.pending) return { kind: 'decision', ...this.pending };
    if (this.finished) return { kind: 'done' };
    const batch = this.engine.step();
    const pending = this.pending as Trainer['pending'];
    if (pending) return { kind: 'decision', ...pending };
    return { kind: 'tick', batch };
  }

  /**
   * One tick of the engine, guarded: taken from a snapshot, undone if it reaches a decision point
   * with no answer yet (the point is then `pending`). While a decision is pending the engine does
   * not move. Anything that steps the engine — `advance`, `runUntil`, `seekTick`, a UI's clock —
   * goes through here.
   */
  guardedStep(run: () => TickBatch): TickBatch {
    const e = this.engine;
    const stay = () => ({ index: e.tickIndex, t: e.time, events: [] });
    if (this.pending || this.finished) return stay();
    const snap = e.snapshot();
    try {
      const batch = run();
      this.cursorAt[batch.index + 1] = this.cursor;
      return batch;
    } catch (err) {
      if (!(err instanceof NeedDecision)) throw err;
      // Stop at the moment of the question (see pending); the answer restores `snap`.
      this.held = snap;
      this.tickSoFar = [...e.tickSoFar].sort((a, b) => a.t - b.t);
      this.pending = { proposal: err.proposal, situation: err.situation };
      return stay();
    }
  }

  /**
   * The engine went back to before tick `index + 1` (a restore, a reset, a seek backwards): the
   * choices are asked for again from where they stood then, and a pending decision waits until
   * the run reaches it again.
   */
  rewound(index: number): void {
    this.cursor = this.cursorAt[index + 1] ?? 0;
    this.pending = undefined;
    this.held = undefined;
    this.tickSoFar = [];
    this.echo = undefined;
  }

  /** Run ticks until a decision point, the end, or `maxTicks` ticks; returns the events produced and why it stopped. */
  run(maxTicks = Infinity): { events: SimEvent[]; stop: Advance } {
    const events: SimEvent[] = [];
    let n = 0;
    for (;;) {
      if (n >= maxTicks) return { events, stop: { kind: 'tick', batch: { index: this.engine.tickIndex, t: this.engine.time, events: [] } } };
      const a = this.advance();
      if (a.kind !== 'tick') return { events, stop: a };
      n++;
      for (const e of a.batch.events) events.push(e);
    }
  }

  /**
   * One tick of a replay (answering nothing): the tick's batch, or undefined at the end, at tick
   * `untilTick` (where a student quit), or — with `partial` — at the first decision point that has
   * no recorded choice (a session cut short). Throws SessionMismatchError when the recorded choices
   * do not fit the run.
   */
  replayStep(opts: ReplayStop = {}): TickBatch | undefined {
    const until = opts.untilTick ?? Infinity;
    if (this.pending) {
      if (opts.partial || this.tickDone >= until) {
        this.unwind();
        return undefined;
      }
      throw new SessionMismatchError(
        `the run asks for a decision the session does not have: ${describeProposal(this.scenario, this.pending.proposal)} (the session was recorded on another scenario, MSEL or seed)`,
      );
    }
    if (this.finished || this.engine.tickIndex >= until) {
      if (until === Infinity && !opts.partial && this.unanswered > 0) {
        const q = this.queue[this.cursor];
        throw new SessionMismatchError(
          `${q.where ? `${q.where}: ` : ''}the run never asked for this decision: ${q.proposal ? describeProposal(this.scenario, q.proposal) : ''} (the session was recorded on another scenario, MSEL or seed)`,
        );
      }
      return undefined;
    }
    const a = this.advance();
    if (a.kind === 'decision') {
      if (opts.partial) {
        this.unwind();
        return undefined;
      }
      throw new SessionMismatchError(
        `the run asks for a decision the session does not have: ${describeProposal(this.scenario, a.proposal)} (the session was recorded on another scenario, MSEL or seed)`,
      );
    }
    return a.kind === 'tick' ? a.batch : undefined;
  }

  /** Put a pending decision's tick back to its start (the run then stands after its last whole tick). */
  unwind(): void {
    if (this.held) this.engine.restore(this.held);
  }

  /** Replay to the end (see replayStep); returns all the run's events. */
  replayToEnd(opts: ReplayStop = {}): SimEvent[] {
    while (this.replayStep(opts));
    return this.engine.events;
  }

  /** Answer the pending decision: grades it and lets the run go on with it. */
  answer(choice: Choice, justification?: string): Decision & { assessment: Assessment } {
    const pending = this.pending;
    if (!pending) throw new Error('no decision is pending');
    // Back to the start of the question's tick (this clears `pending`); the next advance runs it with the answer.
    if (this.held) this.engine.restore(this.held);
    const j = justification?.replace(/\s+/g, ' ').trim() || undefined;
    const a = assess(this.scenario, pending.proposal, choice);
    const d = this.record(pending.proposal, choice, j, a);
    this.decisions.push(d);
    this.queue.push({ choice, justification: j });
    this.pending = undefined;
    return { ...d, assessment: a };
  }

  private record(p: Proposal, choice: Choice, justification: string | undefined, a: Assessment): Decision {
    // The proposal as a session file keeps it (its `why` is the run's to give again), so that a
    // replayed session's decisions equal the live ones.
    const { why: _why, ...proposal } = p;
    return {
      n: this.decisions.length + 1,
      proposal,
      choice,
      ...(justification ? { justification } : {}),
      doctrine: a.doctrine,
      grade: a.grade,
      rule: a.rule.id,
    };
  }

  /** The engine's decider. */
  private decide(p: Proposal): { choice: Choice; reason?: string } | undefined {
    const echo = this.echo;
    this.echo = undefined;
    if (echo && p.kind === 'stand_down' && echo.t === p.t && echo.unit === p.unit && echo.zone === p.zone) return { choice: 'stand_down' };
    if (this.cursor < this.queue.length) {
      const q = this.queue[this.cursor];
      if (q.proposal && !sameProposal(q.proposal, p)) {
        throw new SessionMismatchError(
          `${q.where ? `${q.where}: ` : ''}the session answers ${describeProposal(this.scenario, q.proposal)}, but the run asks ${describeProposal(this.scenario, p)} (the session was recorded on another scenario, MSEL or seed)`,
        );
      }
      this.cursor++;
      const choice = engineChoice(p, q.choice);
      if (p.kind === 'escalate' && choice === 'stand_down') this.echo = { t: p.t, unit: p.unit, zone: p.zone };
      return { choice, ...(q.justification ? { reason: q.justification } : {}) };
    }
    throw new NeedDecision(p, this.situation(p));
  }

  private situation(p: Proposal): Situation {
    const e = this.engine;
    const at: LonLat = [e.positions[p.unit * 2], e.positions[p.unit * 2 + 1]];
    const d = e.distances(p.unit, p.zone);
    return {
      t: p.t,
      unit: p.unit,
      zone: p.zone,
      at,
      edge_m: d.edge,
      ...(d.site !== undefined ? { site_m: d.site } : {}),
      rung: p.from,
      kind: p.kind,
      what: situationText(this.scenario, p),
    };
  }
}

/**
 * What the engine is told. A choice to stay at the current rung is a hold; a stand-down named by
 * the rung it stands down to is a stand-down.
 */
export function engineChoice(p: Proposal, choice: Choice): Choice {
  if (p.kind === 'stand_down' && p.to !== null && choice === p.to) return 'stand_down';
  if (choice !== 'hold' && choice !== 'stand_down' && choice === p.from) return 'hold';
  return choice;
}

function sameProposal(a: Proposal, b: Proposal): boolean {
  return a.t === b.t && a.unit === b.unit && a.zone === b.zone && a.kind === b.kind && a.from === b.from && a.to === b.to;
}

export function describeProposal(sc: Scenario, p: Proposal): string {
  const what = p.kind === 'self_defence' ? 'a hostile act' : p.kind === 'stand_down' ? 'a stand-down' : rungChange(p.from, p.to, 'no rung');
  return `${what} for ${sc.units[p.unit]?.id ?? `unit ${p.unit}`} in ${sc.zones[p.zone]?.id ?? `zone ${p.zone}`} at ${formatTime(p.t)}`;
}

/** The facts behind a proposal, without doctrine's conclusion (the engine gives them as `why`). */
export function situationText(_sc: Scenario, p: Proposal): string {
  return p.why?.facts ?? p.reason;
}
