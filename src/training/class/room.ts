/**
 * A class in one room: the roster, the seats and, in class pace, the class's one run with the
 * answers given at each decision point, their spread, the reveal and the choice the run goes on
 * with. It holds no socket and no terminal: the SSH server (src/io/class) seats students through
 * `join` and `leave`, the screens (src/ui/class) read the roster and the question, and every
 * answer goes to the student's session file through the injected `SeatStore` as it is given.
 *
 * Two paces:
 * - `self`: each seat has its own Trainer; the student's choices drive their own run, as
 *   `deconflict train` does, and the room keeps their progress and score;
 * - `class`: one Trainer for the class, stepped by the trainer's clock. At a decision point every
 *   connected student answers once; the trainer reveals (doctrine's answer and the spread) and
 *   the run goes on along doctrine's answer or the class's most common one.
 *
 * Nothing here reads the wall clock: the same joins and answers give the same files.
 */
import type { Choice, Proposal } from '../../core/engine.js';
import type { Inject, Scenario } from '../../core/model.js';
import { formatTime } from '../../core/units.js';
import { assess, CHOICES, scoreOf, type Grade } from '../grade.js';
import { decisionLine, endLine, type SessionHeader } from '../session.js';
import { Trainer, type Decision, type RecordedChoice, type Situation } from '../trainer.js';
import { validName } from './names.js';
import { applyFiresInPlace, fireLine, type Fire } from '../fire.js';

export type Pace = 'class' | 'self';

/** A session file being written (one JSON object a line, flushed as it is written). */
export interface SeatLog {
  line(o: object): void;
  close(): void;
}

/** Where the seats' session files go (src/training/class/files.ts writes them to a folder). */
export interface SeatStore {
  /** The session file of a seat: made with its header, or continued when it exists. */
  open(name: string, header: SessionHeader): SeatLog;
  /** The class's own run (class pace), in the same format. */
  openRun(header: SessionHeader): SeatLog;
}

/** What a session file held, to bring a seat back (`--resume`). */
export interface ResumedSeat {
  name: string;
  choices: RecordedChoice[];
  grades: Grade[];
  /** The session had ended (its "end" line). */
  ended: boolean;
}

export interface RoomOptions {
  pace: Pace;
  /** Most seats taken at once (connected or waiting for their student to come back). */
  seats: number;
  seed?: number;
  /** A session header for a student (the run's header for the class's own run: student undefined). */
  header: (student?: string) => SessionHeader;
  store: SeatStore;
  /** Seats and (class pace) the class run brought back from a folder. */
  resume?: { seats: ResumedSeat[]; run?: RecordedChoice[]; fires?: Fire[] };
}

export interface Seat {
  name: string;
  connected: boolean;
  /** Self pace: the student's own run. */
  trainer?: Trainer;
  /** Answers given, and how many agreed with doctrine. */
  answered: number;
  grades: Grade[];
  /** The session has ended (self pace: the run was played to its end). */
  ended: boolean;
  log: SeatLog;
  /** Class pace: the question number of the last answer. */
  lastQuestion: number;
}

export interface Answer {
  choice: Choice;
  justification?: string;
}

/** The class's open decision point (class pace). */
export interface Question {
  /** 1, 2, … in the order the class's run asks. */
  n: number;
  proposal: Proposal;
  situation: Situation;
  /** The answers so far, by student. */
  answers: Map<string, Answer>;
  revealed: boolean;
}

export type JoinResult = { ok: true; seat: Seat; back: boolean } | { ok: false; reason: string };

/** The class's own events (`deconflict class --json`). */
export type ClassEvent =
  | { type: 'join'; name: string; back: boolean }
  | { type: 'leave'; name: string }
  | { type: 'remove'; name: string }
  | { type: 'question'; n: number; t: string; unit: string }
  | { type: 'answer'; name: string; n: number; t?: string; choice: Choice; grade: Grade }
  | { type: 'reveal'; n: number; doctrine: Choice; spread: Partial<Record<Choice, number>> }
  | { type: 'go_on'; n: number; choice: Choice; along: 'doctrine' | 'class' }
  | { type: 'fire'; inject: number; t: string; kind: Inject['type']; text?: string }
  | { type: 'end' };

export interface RosterRow {
  name: string;
  connected: boolean;
  answered: number;
  correct: number;
  percent: number;
  /** Class pace: has answered the open question. Self pace: waiting at a decision point. */
  current: boolean;
  /** Self pace: how far the student's run is (simulated time). */
  at?: number;
  ended: boolean;
}

export class ClassRoom {
  readonly seats = new Map<string, Seat>();
  /** Class pace: the class's run. */
  readonly run?: Trainer;
  question?: Question;
  ended = false;
  private readonly runLog?: SeatLog;
  /** The scenario's injects as compiled (class pace: `scenario.injects` changes as the trainer fires them). */
  private readonly original: readonly Inject[];
  /** The injects the trainer fired now, in order (class pace). */
  readonly fires: Fire[] = [];
  private readonly removed = new Set<string>();
  private readonly listeners = new Set<(e: ClassEvent | undefined) => void>();

  constructor(
    readonly scenario: Scenario,
    readonly opts: RoomOptions,
  ) {
    const r = opts.resume;
    this.original = scenario.injects.slice();
    if (opts.pace === 'class' && r?.fires?.length) {
      this.fires.push(...r.fires);
      applyFiresInPlace(scenario, this.original, this.fires);
    }
    if (opts.pace === 'class') {
      this.run = new Trainer(scenario, { seed: opts.seed, replay: r?.run ?? [] });
      // Brought back: the run replays the class's answers and stands at its next question (the
      // one open when the process stopped, if it was), as the trainer's clock would have found it.
      if (r) {
        if (r.run?.length) this.run.replayToEnd({ partial: true });
        if (r.seats.length || r.run?.length) this.run.run();
      }
      this.runLog = opts.store.openRun(opts.header());
    }
    for (const s of r?.seats ?? []) {
      const seat: Seat = {
        name: s.name,
        connected: false,
        answered: s.grades.length,
        grades: [...s.grades],
        ended: s.ended,
        log: opts.store.open(s.name, opts.header(s.name)),
        lastQuestion: 0,
      };
      if (opts.pace === 'self') {
        seat.trainer = new Trainer(scenario, { seed: opts.seed, replay: s.choices });
        seat.trainer.replayToEnd({ partial: true });
      }
      this.seats.set(s.name, seat);
    }
    this.sync();
    // An answer to the open question given before the trainer's process stopped is still the student's answer.
    if (this.question && r) {
      for (const s of r.seats) {
        const last = s.choices[s.choices.length - 1];
        if (last && sameProposal(last.proposal, this.question.proposal)) {
          this.question.answers.set(s.name, { choice: last.choice, ...(last.justification ? { justification: last.justification } : {}) });
          this.seats.get(s.name)!.lastQuestion = this.question.n;
        }
      }
    }
  }

  get pace(): Pace {
    return this.opts.pace;
  }

  /** Hear every change (an event, or undefined for a change without one, e.g. the clock). */
  subscribe(f: (e: ClassEvent | undefined) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  private emit(e?: ClassEvent): void {
    for (const f of this.listeners) f(e);
  }

  /** A student comes in (or back to their seat). */
  join(name: string): JoinResult {
    if (this.ended) return { ok: false, reason: 'the class has ended' };
    if (!validName(name)) return { ok: false, reason: 'a name may have only letters, digits, -, _ and .' };
    if (this.removed.has(name)) return { ok: false, reason: 'the trainer has removed this name from the class' };
    const had = this.seats.get(name);
    if (had) {
      if (had.connected) return { ok: false, reason: `the seat ${name} is taken: choose another name` };
      had.connected = true;
      this.emit({ type: 'join', name, back: true });
      return { ok: true, seat: had, back: true };
    }
    if (this.seats.size >= this.opts.seats) return { ok: false, reason: `the class is full (${this.opts.seats} seats)` };
    const seat: Seat = {
      name,
      connected: true,
      answered: 0,
      grades: [],
      ended: false,
      log: this.opts.store.open(name, this.opts.header(name)),
      lastQuestion: 0,
    };
    // A student who comes late replays the same run: their file holds the injects fired before they came.
    for (const f of this.fires) seat.log.line(fireLine(f));
    if (this.pace === 'self') seat.trainer = new Trainer(this.scenario, { seed: this.opts.seed });
    this.seats.set(name, seat);
    this.emit({ type: 'join', name, back: false });
    return { ok: true, seat, back: false };
  }

  /** A student's connection is gone: the seat waits for them. */
  leave(name: string): void {
    const s = this.seats.get(name);
    if (!s || !s.connected) return;
    s.connected = false;
    this.emit({ type: 'leave', name });
  }

  /** The trainer takes a student out of the class: the seat goes and the name is not let in again. */
  remove(name: string): boolean {
    const s = this.seats.get(name);
    if (!s) return false;
    this.seats.delete(name);
    this.removed.add(name);
    this.question?.answers.delete(name);
    s.log.close();
    this.emit({ type: 'remove', name });
    return true;
  }

  // ------------------------------------------------------------------ self pace

  /** Self pace: a student answered in their own run (after `trainer.answer`); written at once. */
  recordOwn(name: string, d: Decision, situation: Situation): void {
    const s = this.seats.get(name);
    if (!s) return;
    s.log.line(decisionLine(this.scenario, d, situation.what));
    s.answered++;
    s.grades.push(d.grade);
    this.emit({ type: 'answer', name, n: d.n, t: formatTime(d.proposal.t), choice: d.choice, grade: d.grade });
  }

  /** Self pace: a student's run came to its end. */
  finishOwn(name: string): void {
    const s = this.seats.get(name);
    if (!s || s.ended || !s.trainer) return;
    s.ended = true;
    s.log.line(endLine(s.trainer, 'complete'));
    this.emit(undefined);
  }

  // ------------------------------------------------------------------ class pace

  /** Look at the class's run: a new decision point opens a question. Call after the clock moved. */
  sync(): void {
    const run = this.run;
    if (!run) return;
    const p = run.pending;
    if (!p) {
      if (this.question) {
        this.question = undefined;
        this.emit(undefined);
      }
      return;
    }
    if (this.question && sameProposal(this.question.proposal, p.proposal)) return;
    this.question = { n: run.decisions.length + 1, proposal: p.proposal, situation: p.situation, answers: new Map(), revealed: false };
    this.emit({ type: 'question', n: this.question.n, t: formatTime(p.proposal.t), unit: this.scenario.units[p.proposal.unit].id });
  }

  /** Class pace: a student's answer to the open question. Once given it stands; it is written before this returns. */
  answer(name: string, a: Answer): { ok: true } | { ok: false; reason: string } {
    const q = this.question;
    const s = this.seats.get(name);
    if (!s) return { ok: false, reason: 'no seat' };
    if (!q) return { ok: false, reason: 'no question is open' };
    if (q.revealed) return { ok: false, reason: 'the answer has been revealed' };
    if (q.answers.has(name)) return { ok: false, reason: 'already answered' };
    const justification = a.justification?.replace(/\s+/g, ' ').trim() || undefined;
    const as = assess(this.scenario, q.proposal, a.choice);
    const d: Decision = {
      n: s.answered + 1,
      proposal: q.proposal,
      choice: a.choice,
      ...(justification ? { justification } : {}),
      doctrine: as.doctrine,
      grade: as.grade,
      rule: as.rule.id,
    };
    s.log.line(decisionLine(this.scenario, d, q.situation.what));
    q.answers.set(name, { choice: a.choice, ...(justification ? { justification } : {}) });
    s.answered++;
    s.grades.push(as.grade);
    s.lastQuestion = q.n;
    this.emit({ type: 'answer', name, n: q.n, choice: a.choice, grade: as.grade });
    return { ok: true };
  }

  /** How many chose each response to the open question, in the order of CHOICES. */
  spread(): { choice: Choice; count: number }[] {
    const q = this.question;
    return CHOICES.map((choice) => ({ choice, count: q ? [...q.answers.values()].filter((a) => a.choice === choice).length : 0 }));
  }

  /** Doctrine's answer to the open question. */
  doctrine(): Choice | undefined {
    const q = this.question;
    return q ? assess(this.scenario, q.proposal, 'hold').doctrine : undefined;
  }

  /** The class's most common answer (a tie goes to doctrine's, then to the lower rung); doctrine's when nobody answered. */
  mostCommon(): Choice | undefined {
    const doc = this.doctrine();
    if (!doc) return undefined;
    let best: { choice: Choice; count: number } = { choice: doc, count: 0 };
    for (const s of this.spread()) {
      if (s.count > best.count || (s.count === best.count && s.count > 0 && s.choice === doc)) best = s;
    }
    return best.choice;
  }

  /** Show doctrine's answer and the spread to everyone. */
  reveal(): boolean {
    const q = this.question;
    if (!q || q.revealed) return false;
    q.revealed = true;
    const spread: Partial<Record<Choice, number>> = {};
    for (const s of this.spread()) if (s.count) spread[s.choice] = s.count;
    this.emit({ type: 'reveal', n: q.n, doctrine: this.doctrine()!, spread });
    return true;
  }

  /** The run goes on along doctrine's answer or the class's most common one (revealing first if not yet). */
  goOn(along: 'doctrine' | 'class'): Choice | undefined {
    const q = this.question;
    const run = this.run;
    if (!q || !run?.pending) return undefined;
    if (!q.revealed) this.reveal();
    const choice = along === 'doctrine' ? this.doctrine()! : this.mostCommon()!;
    const d = run.answer(choice, along === 'class' ? "the class's most common answer" : "doctrine's answer");
    this.runLog?.line(decisionLine(this.scenario, d, q.situation.what));
    this.question = undefined;
    this.emit({ type: 'go_on', n: q.n, choice, along });
    return choice;
  }

  /**
   * Class pace: fire the scenario's inject number `inject` (its place in the compiled injects) now:
   * it happens at the run's next tick, which follows at once when the clock is stopped. Written to
   * the class's run and every seat's session file before this returns, so a replay, a report and
   * `--resume` see the same run. Not while a question is open (answer it first) or after the end.
   */
  fire(inject: number): { ok: true; fire: Fire } | { ok: false; reason: string } {
    const run = this.run;
    if (!run) return { ok: false, reason: 'in self pace each student has their own clock: there is no "now" to fire an inject at' };
    if (this.ended) return { ok: false, reason: 'the class has ended' };
    if (this.question || run.pending) return { ok: false, reason: 'a question is open: go on (g or c) first' };
    const inj = this.original[inject];
    if (!inj) return { ok: false, reason: `no inject ${inject}` };
    if (run.done) return { ok: false, reason: 'the run is over' };
    const e = run.engine;
    const t = e.tickTime(e.tickIndex + 1);
    if (!(t <= this.scenario.end)) return { ok: false, reason: 'the run is over' };
    const f: Fire = { inject, t };
    const line = fireLine(f);
    this.runLog?.line(line);
    for (const s of this.seats.values()) if (!s.ended) s.log.line(line);
    this.fires.push(f);
    applyFiresInPlace(this.scenario, this.original, this.fires);
    this.emit({ type: 'fire', inject, t: line.t, kind: inj.type, ...(inj.text ? { text: inj.text } : {}) });
    return { ok: true, fire: f };
  }

  /** The injects the trainer can fire, as compiled (class pace fires them by their place here). */
  get injects(): readonly Inject[] {
    return this.original;
  }

  // ------------------------------------------------------------------ the roster

  roster(): RosterRow[] {
    return [...this.seats.values()].map((s) => {
      const sc = scoreOf(s.grades);
      const t = s.trainer;
      return {
        name: s.name,
        connected: s.connected,
        answered: s.answered,
        correct: sc.correct,
        percent: sc.percent,
        current: this.pace === 'class' ? !!this.question?.answers.has(s.name) : !!t?.pending,
        ...(t ? { at: t.engine.time } : {}),
        ended: s.ended,
      };
    });
  }

  /** The class ends: every session file gets its end line (self pace: where each student stood). */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    for (const s of this.seats.values()) {
      if (!s.ended) {
        const t = s.trainer ?? this.run;
        if (t && this.pace === 'self') s.log.line(endLine(t, t.done ? 'complete' : 'quit'));
        else if (t) s.log.line({ ...endLine(t, t.done ? 'complete' : 'quit'), ...ownScore(s) });
        s.ended = true;
      }
      s.log.close();
    }
    if (this.run && this.runLog) {
      this.runLog.line(endLine(this.run, this.run.done ? 'complete' : 'quit'));
      this.runLog.close();
    }
    this.emit({ type: 'end' });
  }

  /** Tell the listeners that something without an event changed (the clock). */
  touch(): void {
    this.emit(undefined);
  }
}

function ownScore(s: Seat): { decisions: number; correct: number; score: number } {
  const sc = scoreOf(s.grades);
  return { decisions: sc.total, correct: sc.correct, score: sc.percent };
}

export function sameProposal(a: Proposal, b: Proposal): boolean {
  return a.t === b.t && a.unit === b.unit && a.zone === b.zone && a.kind === b.kind && a.from === b.from && a.to === b.to;
}
