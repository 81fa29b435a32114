/**
 * `deconflict train FILE [--msel FILE] [--session OUT]`: decision mode. In a terminal it opens
 * the training UI (loaded only then); otherwise it runs a plain line mode that reads one answer
 * a line from standard input ("3 closing on the garrison": a choice by number or name, then an
 * optional justification), for scripts and screen readers.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import type { Choice } from '../core/engine.js';
import { formatTimelineLine, type SimEvent } from '../core/events.js';
import { describeComposition } from '../core/ladder.js';
import { loadScenario } from '../core/load.js';
import type { Scenario } from '../core/model.js';
import { formatDistance, formatTime } from '../core/units.js';
import { CHOICES, choiceLabel, GRADE_LABEL } from './grade.js';
import { withMsel } from './msel.js';
import { decisionLine, endLine, headerFor, SessionExistsError, SessionWriter, sha256File, studentOf } from './session.js';
import { Trainer, type Situation } from './trainer.js';
import { maxOf } from '../core/extent.js';
import { terminalLine, terminalText } from '../core/text/safe.js';
import { whereText } from './words.js';

export interface TrainOptions {
  msel?: string;
  session?: string;
  force?: boolean;
  seed?: number;
  speed?: number;
  /** Who takes the decisions (default: the session file's name). */
  student?: string;
}

export interface TrainIo {
  write: (s: string) => void;
  error: (s: string) => void;
  /** Whether to open the terminal UI. */
  tty: boolean;
  /** Lines of input for the plain mode (default: standard input). */
  lines?: AsyncIterable<string>;
}

/** What the UI (or the plain mode) needs to run a session. */
export interface TrainContext {
  scenario: Scenario;
  trainer: Trainer;
  writer: SessionWriter;
  /** Record a decision in the session file (called after trainer.answer). */
  record: (d: ReturnType<Trainer['answer']>, situation: Situation) => void;
  /** Write the end line and close the file. */
  finish: (status: 'complete' | 'quit') => void;
  speed?: number;
  /** The MSEL's title (or file), if one is used. */
  variant?: string;
  /** Who takes the decisions. */
  student?: string;
}

/** A session file name that does not exist yet: `<scenario>-session.ndjson`, then `-2`, `-3`… */
export function defaultSessionPath(scenarioPath: string): string {
  const stem = basename(scenarioPath).replace(/\.(ya?ml|json)$/i, '');
  for (let i = 1; ; i++) {
    const p = `${stem}-session${i > 1 ? `-${i}` : ''}.ndjson`;
    if (!existsSync(p)) return p;
  }
}

/** Run `train`. Returns the exit code; throws ScenarioError for bad scenario or MSEL files (exit 2). */
export async function trainCommand(scenarioPath: string, scenarioName: string, o: TrainOptions, io: TrainIo): Promise<number> {
  if (o.speed !== undefined && !(Number.isFinite(o.speed) && o.speed > 0)) {
    io.error('deconflict: --speed must be a positive number (simulated seconds per second, e.g. 600)\n');
    return 2;
  }
  const base = loadScenario(scenarioPath, { displayName: scenarioName });
  const { scenario, msel } = withMsel(base, o.msel);
  const sessionPath = o.session ?? defaultSessionPath(scenarioPath);
  const student = o.student?.trim() || studentOf(sessionPath);
  let writer: SessionWriter;
  try {
    writer = new SessionWriter(
      sessionPath,
      !!o.force,
      headerFor(scenario, { scenarioPath: scenarioName, scenarioSha: sha256File(scenarioPath), mselPath: o.msel, mselSha: msel ? sha256File(o.msel!) : undefined, seed: o.seed, student }),
    );
  } catch (e) {
    if (e instanceof SessionExistsError) {
      io.error(`deconflict: ${e.message}\n`);
      return 2;
    }
    const err = e as NodeJS.ErrnoException;
    io.error(`deconflict: cannot write the session file ${sessionPath} (${err.code ?? err.message})\n`);
    return 2;
  }
  const trainer = new Trainer(scenario, { seed: o.seed });
  let finished = false;
  const ctx: TrainContext = {
    scenario,
    trainer,
    writer,
    speed: o.speed,
    variant: msel ? (msel.title ?? o.msel) : undefined,
    student,
    record: (d, situation) => writer.line(decisionLine(scenario, d, situation.what)),
    finish: (status) => {
      if (finished) return;
      finished = true;
      writer.line(endLine(trainer, status));
      writer.close();
    },
  };
  try {
    if (io.tty) {
      const ui = await import('../ui/training/app.js');
      const status = await ui.runTrainUi(ctx);
      ctx.finish(status);
    } else {
      ctx.finish(await plainMode(ctx, io));
    }
  } finally {
    ctx.finish('quit');
  }
  io.write(summaryText(ctx));
  io.write(`Session written to ${sessionPath}; make the report with: deconflict report ${scenarioName} --session ${sessionPath}${o.msel ? ` --msel ${o.msel}` : ''}\n`);
  return 0;
}

/** A simulated time for people, to the second: `2017-05-18 07:43:03Z`. */
export function displayTime(t: number): string {
  return formatTime(Math.floor(t / 1000) * 1000).replace('T', ' ');
}

/** The end-of-session summary: score, every decision and its grade. */
export function summaryText(ctx: Pick<TrainContext, 'trainer' | 'scenario'>): string {
  const t = ctx.trainer;
  const s = t.score;
  const out = ['', s.total ? `Score: ${s.correct} of ${s.total} decisions as doctrine would (${s.percent} %)` : 'No decision was taken.'];
  for (const d of t.decisions) {
    const p = d.proposal;
    out.push(
      `  ${String(d.n).padStart(2)}. ${displayTime(p.t).slice(11)} ${ctx.scenario.units[p.unit].id}: chose ${choiceLabel(d.choice)}, doctrine ${choiceLabel(d.doctrine)} — ${GRADE_LABEL[d.grade]}`,
    );
  }
  for (let u = 0; u < ctx.scenario.units.length; u++) {
    const r = t.engine.unitRung(u).rung;
    if (t.engine.isStruck(u)) out.push(`  ${ctx.scenario.units[u].id}: struck`);
    else if (r) out.push(`  ${ctx.scenario.units[u].id}: at ${choiceLabel(r)} when the run stopped`);
  }
  return `${out.join('\n')}\n`;
}

/** The prompt for a decision, as lines of text (line mode). */
export function promptLines(sc: Scenario, n: number, s: Situation): string[] {
  const unit = sc.units[s.unit];
  return [
    `Decision ${n} at ${displayTime(s.t)} — ${unit.name} (${unit.id}), now at ${s.rung ? choiceLabel(s.rung) : 'no rung'}`,
    `Where: ${whereText(sc, s.zone, s.edge_m, s.site_m)}`,
    `What happened: ${s.what}`,
    `Unit: ${describeComposition(unit.composition)}`,
  ];
}

export const CHOICE_KEYS = CHOICES.map((c, i) => `${i + 1} ${choiceLabel(c)}`).join(', ');

/** A typed answer: "3", "show of force", "show_of_force closing fast", "5: it has a tank". */
export function parseAnswer(line: string): { choice: Choice; justification?: string } | undefined {
  const text = line.trim();
  const m = /^([1-7])\b[\s:,.-]*(.*)$/.exec(text);
  if (m) return { choice: CHOICES[Number(m[1]) - 1], ...(m[2].trim() ? { justification: m[2].trim() } : {}) };
  const lower = text.toLowerCase();
  const names = CHOICES.map((c) => ({ c, names: [c, choiceLabel(c), c.replace(/_/g, '-')] }))
    .flatMap((x) => x.names.map((n) => ({ c: x.c, n })))
    .sort((a, b) => b.n.length - a.n.length);
  for (const { c, n } of names) {
    if (lower === n || lower.startsWith(`${n} `) || lower.startsWith(`${n}:`) || lower.startsWith(`${n},`)) {
      const rest = text.slice(n.length).replace(/^[\s:,.-]+/, '').trim();
      return { choice: c, ...(rest ? { justification: rest } : {}) };
    }
  }
  return undefined;
}

async function plainMode(ctx: TrainContext, io: TrainIo): Promise<'complete' | 'quit'> {
  const sc = ctx.scenario;
  const t = ctx.trainer;
  const lines = io.lines ?? createInterface({ input: process.stdin, terminal: false });
  const it = lines[Symbol.asyncIterator]();
  const widths = { unit: maxOf(sc.units, (u) => u.id.length, 4), zone: maxOf(sc.zones, (z) => z.id.length, 4) };
  // The students' title and the briefing (the scenario's own title may tell how it ends).
  const brief = terminalText(sc.briefing ?? '').split(/\n+/).filter((p) => p.trim());
  io.write(`${terminalLine(sc.studentTitle ?? 'Training exercise')}${ctx.student ? ` — ${terminalLine(ctx.student)}` : ''}\n${brief.length ? `\nBriefing\n${brief.map((p) => `  ${p.trim()}`).join('\n')}\n` : ''}\nTraining: at each decision point answer with a number or a name (${CHOICE_KEYS}), then an optional justification.\n\n`);
  // The events of a question's tick that came before the question print before it; when the tick
  // runs again with the answer they are not printed twice.
  let shown = new Map<string, number>();
  const print = (e: SimEvent) => {
    const line = formatTimelineLine(e, widths);
    const n = shown.get(line) ?? 0;
    if (n > 0) shown.set(line, n - 1);
    else io.write(`${line}\n`);
  };
  for (;;) {
    const { events, stop } = t.run();
    for (const e of events) print(e);
    if (stop.kind === 'done') return 'complete';
    if (stop.kind !== 'decision') continue;
    // (Lines carry their time, and later ticks are later: only the re-run of this tick can repeat one.)
    shown = new Map();
    for (const e of t.tickSoFar) {
      const line = formatTimelineLine(e, widths);
      io.write(`${line}\n`);
      shown.set(line, (shown.get(line) ?? 0) + 1);
    }
    io.write(`\n${promptLines(sc, t.decisions.length + 1, stop.situation).join('\n')}\nChoose: ${CHOICE_KEYS}\n> `);
    let answer: ReturnType<typeof parseAnswer>;
    while (!answer) {
      const next = await it.next();
      if (next.done) {
        io.write('\n(end of input: the session stops here)\n');
        return 'quit';
      }
      if (/^\s*(q|quit)\s*$/i.test(next.value)) return 'quit';
      answer = parseAnswer(next.value);
      if (!answer) io.write(`'${next.value.trim()}' is not a choice; answer ${CHOICE_KEYS}\n> `);
    }
    const d = t.answer(answer.choice, answer.justification);
    ctx.record(d, stop.situation);
    io.write(`${d.assessment.feedback.map((l, i) => (i ? `  ${l}` : l)).join('\n')}\n\n`);
  }
}
