/**
 * `deconflict train FILE [--msel FILE] [--session OUT]`: decision mode. In a terminal it opens
 * the training UI (loaded only then); otherwise it runs a plain line mode that reads one answer
 * a line from standard input ("3 closing on the garrison": a choice by number or name, then an
 * optional justification), for scripts and screen readers.
 */
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { createInterface } from 'node:readline';
import { formatTimelineLine, type SimEvent } from '../../core/events.js';
import { loadScenario } from '../../io/node/load.js';
import { terminalLine, terminalText } from '../../core/text/safe.js';
import type { TrainContext } from '../../training/context.js';
import { withMsel } from '../../training/msel.js';
import { beforeText, CHOICE_KEYS, displayTime, parseAnswer, promptLines, summaryText } from '../../training/prompts.js';
import { prepareReplay } from '../../training/replay.js';
import { BranchError, branchLine, branchTrainer } from '../../training/branch.js';
import { choiceLabel } from '../../training/grade.js';
import {
  decisionLine,
  endLine,
  headerFor,
  lastLine,
  lineEnd,
  readSession,
  SessionExistsError,
  SessionWriter,
  sha256File,
  studentOf,
} from '../../training/session.js';
import { Trainer } from '../../training/trainer.js';
import type { Io } from '../errors.js';
import { isPlayableSpeed } from '../options.js';
import { timelineWidths } from '../output.js';

export interface TrainOptions {
  msel?: string;
  session?: string;
  force?: boolean;
  seed?: number;
  speed?: number;
  /** Who takes the decisions (default: the session file's name). */
  student?: string;
  /** A quit session to continue where it stopped, appending to it. */
  resume?: string;
  /** Go back to this decision of the session (`--session` or `--resume`) and answer it again: a branch. */
  branch?: number;
}

export interface TrainIo extends Io {
  /** Whether to open the terminal UI. */
  tty: boolean;
  /** Lines of input for the plain mode (default: standard input). */
  lines?: AsyncIterable<string>;
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
  if (o.speed !== undefined && !isPlayableSpeed(o.speed)) {
    io.error('deconflict: --speed must be a positive number (simulated seconds per second, e.g. 600)\n');
    return 2;
  }
  if (o.branch !== undefined) return branchCommand(scenarioPath, scenarioName, o, io);
  if (o.resume !== undefined) return resumeCommand(scenarioPath, scenarioName, o, io);
  const base = loadScenario(scenarioPath, { displayName: scenarioName });
  const { scenario, msel } = withMsel(base, o.msel);
  const sessionPath = o.session ?? defaultSessionPath(scenarioPath);
  const student = o.student?.trim() || studentOf(sessionPath);
  let writer: SessionWriter;
  try {
    writer = new SessionWriter(
      sessionPath,
      !!o.force,
      headerFor(scenario, {
        scenarioPath: scenarioName,
        scenarioSha: sha256File(scenarioPath),
        mselPath: o.msel,
        mselSha: msel ? sha256File(o.msel!) : undefined,
        seed: o.seed,
        student,
      }),
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
  return runSession(
    { scenario, trainer, writer, speed: o.speed, variant: msel ? (msel.title ?? o.msel) : undefined, student, line: 0, nextBranch: 1 },
    sessionPath,
    scenarioName,
    o.msel,
    io,
  );
}

/**
 * `train --resume SESSION`: the session's recorded choices are replayed silently up to where it
 * was quit (the same checks as `report --session`: the scenario's run and the MSEL it was recorded
 * with), and the student goes on from there; new decisions are appended to the same file, after
 * its old end line is taken off.
 */
async function resumeCommand(scenarioPath: string, scenarioName: string, o: TrainOptions, io: TrainIo): Promise<number> {
  const path = o.resume!;
  for (const [flag, given] of [
    ['--session', o.session],
    ['--seed', o.seed],
    ['--student', o.student],
  ] as const) {
    if (given !== undefined) {
      io.error(`deconflict: ${flag} cannot be used with --resume (the session records it)\n`);
      return 2;
    }
  }
  // The line the student was on last: the first answers, or the last branch.
  const file = readSession(path);
  const line = lastLine(file);
  const replay = prepareReplay({ scenarioPath, scenarioName, sessionPath: path, session: file, mselPath: o.msel, force: o.force, line });
  const { scenario, session, trainer } = replay;
  const end = lineEnd(session, line);
  if (end?.status === 'complete') {
    io.error(
      `deconflict: ${terminalLine(path)} is a complete session; there is nothing to resume (make its report with: deconflict report ${terminalLine(scenarioName)} --session ${terminalLine(path)}; or answer a decision N again with: deconflict train ${terminalLine(scenarioName)} --session ${terminalLine(path)} --branch N)\n`,
    );
    return 2;
  }
  // Back to where the student stopped: every recorded answer given again, then the clock to the tick they quit at.
  const until = replay.stop.untilTick ?? -1;
  while (trainer.unanswered > 0 || trainer.engine.tickIndex < until) {
    if (trainer.advance().kind !== 'tick') break;
  }
  let writer: SessionWriter;
  try {
    writer = SessionWriter.resume(path, end?.line);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.error(`deconflict: cannot write the session file ${terminalLine(path)} (${err.code ?? err.message})\n`);
    return 2;
  }
  const student = session.header.student ?? studentOf(path);
  io.error(
    `Resuming ${terminalLine(student)}'s session ${terminalLine(path)}${line ? ` (branch ${line})` : ''} at ${displayTime(trainer.engine.time)} after ${trainer.decisions.length} decision${trainer.decisions.length === 1 ? '' : 's'}\n`,
  );
  const mselFile = replay.msel ? (o.msel ?? session.header.msel ?? undefined) : undefined;
  return runSession(
    {
      scenario,
      trainer,
      writer,
      speed: o.speed,
      variant: replay.msel ? (replay.msel.title ?? mselFile) : undefined,
      student,
      resumed: true,
      line,
      nextBranch: session.branches.length + 1,
    },
    path,
    scenarioName,
    mselFile,
    io,
  );
}

/**
 * `train FILE --session S --branch N`: back to decision N of the line the student was on last in
 * S (the first answers, or the last branch), answered again. The answers before N are given again
 * silently, the run replays exactly to decision N, and the student answers from there; the branch
 * is appended to S after everything in it (the first answers are never changed).
 */
async function branchCommand(scenarioPath: string, scenarioName: string, o: TrainOptions, io: TrainIo): Promise<number> {
  if (o.session !== undefined && o.resume !== undefined) {
    io.error('deconflict: --branch takes the session from --session or --resume, not both\n');
    return 2;
  }
  const path = o.session ?? o.resume;
  if (!Number.isInteger(o.branch) || o.branch! < 1) {
    io.error('deconflict: --branch must be a decision number (1, 2, …) of the session\n');
    return 2;
  }
  if (path === undefined) {
    io.error('deconflict: --branch N needs the session to go back in: --session FILE\n');
    return 2;
  }
  for (const [flag, given] of [
    ['--seed', o.seed],
    ['--student', o.student],
  ] as const) {
    if (given !== undefined) {
      io.error(`deconflict: ${flag} cannot be used with --branch (the session records it)\n`);
      return 2;
    }
  }
  const file = readSession(path);
  const parent = lastLine(file);
  const replay = prepareReplay({ scenarioPath, scenarioName, sessionPath: path, session: file, mselPath: o.msel, force: o.force, line: parent });
  const { scenario, session } = replay;
  let trainer: Trainer;
  try {
    trainer = branchTrainer(replay.trainer, o.branch!);
  } catch (e) {
    if (!(e instanceof BranchError)) throw e;
    io.error(`deconflict: --branch: ${terminalLine(path)}${parent ? ` (branch ${parent}, the line last answered)` : ''}: ${e.message}\n`);
    return 2;
  }
  let writer: SessionWriter;
  try {
    writer = SessionWriter.resume(path);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.error(`deconflict: cannot write the session file ${terminalLine(path)} (${err.code ?? err.message})\n`);
    return 2;
  }
  const k = session.branches.length + 1;
  writer.line(branchLine(trainer, k, parent, o.branch!));
  const student = session.header.student ?? studentOf(path);
  const first = replay.trainer.decisions[o.branch! - 1];
  io.error(
    `Branch ${k} of ${terminalLine(student)}'s session ${terminalLine(path)}: back to decision ${o.branch} at ${displayTime(trainer.engine.time)} (answered ${choiceLabel(first.choice)} before)\n`,
  );
  const mselFile = replay.msel ? (o.msel ?? session.header.msel ?? undefined) : undefined;
  return runSession(
    {
      scenario,
      trainer,
      writer,
      speed: o.speed,
      variant: replay.msel ? (replay.msel.title ?? mselFile) : undefined,
      student,
      resumed: true,
      line: k,
      nextBranch: k + 1,
      before: first,
    },
    path,
    scenarioName,
    mselFile,
    io,
  );
}

/** Run a session (new, resumed or a branch) in the terminal UI or the plain mode, and close its file. */
async function runSession(
  parts: Omit<TrainContext, 'record' | 'finish' | 'branch'> & { nextBranch: number },
  sessionPath: string,
  scenarioName: string,
  mselPath: string | undefined,
  io: TrainIo,
): Promise<number> {
  const { nextBranch: _next, ...rest } = parts;
  const { scenario, writer } = parts;
  let finished = false;
  let next = parts.nextBranch;
  const ctx: TrainContext = {
    ...rest,
    record: (d, situation) => writer.line(decisionLine(scenario, d, situation.what, ctx.line)),
    finish: (status) => {
      if (finished) return;
      finished = true;
      writer.line(endLine(ctx.trainer, status, ctx.line));
      writer.close();
    },
    branch: (n) => {
      // Throws BranchError (nothing written) for a decision that is not there.
      const t = branchTrainer(ctx.trainer, n);
      const left = ctx.trainer;
      writer.line(endLine(left, left.done ? 'complete' : 'quit', ctx.line));
      writer.line(branchLine(t, next, ctx.line ?? 0, n));
      ctx.before = left.decisions[n - 1];
      ctx.trainer = t;
      ctx.line = next++;
    },
  };
  try {
    if (io.tty) {
      const ui = await import('../../ui/training/app.js');
      const status = await ui.runTrainUi(ctx);
      ctx.finish(status);
    } else {
      ctx.finish(await plainMode(ctx, io));
    }
  } finally {
    ctx.finish('quit');
  }
  io.write(summaryText(ctx));
  io.write(
    `Session written to ${sessionPath}${ctx.line ? ` (branch ${ctx.line} after the first answers)` : ''}; make the report with: deconflict report ${scenarioName} --session ${sessionPath}${mselPath ? ` --msel ${mselPath}` : ''}\n`,
  );
  return 0;
}

async function plainMode(ctx: TrainContext, io: TrainIo): Promise<'complete' | 'quit'> {
  const sc = ctx.scenario;
  const lines = io.lines ?? createInterface({ input: process.stdin, terminal: false });
  const it = lines[Symbol.asyncIterator]();
  const widths = timelineWidths(sc);
  // The students' title and the briefing (the scenario's own title may tell how it ends).
  const brief = terminalText(sc.briefing ?? '')
    .split(/\n+/)
    .filter((p) => p.trim());
  io.write(
    `${terminalLine(sc.studentTitle ?? 'Training exercise')}${ctx.student ? ` — ${terminalLine(ctx.student)}` : ''}\n${brief.length ? `\nBriefing\n${brief.map((p) => `  ${p.trim()}`).join('\n')}\n` : ''}\nTraining: at each decision point answer with a number or a name (${CHOICE_KEYS}), then an optional justification${ctx.branch ? '; `b N` goes back to decision N to answer it again' : ''}.\n\n`,
  );
  // The events of a question's tick that came before the question print before it; when the tick
  // runs again with the answer they are not printed twice.
  let shown = new Map<string, number>();
  const print = (e: SimEvent) => {
    const line = formatTimelineLine(e, widths);
    const n = shown.get(line) ?? 0;
    if (n > 0) shown.set(line, n - 1);
    else io.write(`${line}\n`);
  };
  /** `b N`: back to decision N (a branch); false when there is no such decision (the reason is printed). */
  const goBack = (line: string): boolean | undefined => {
    const m = /^\s*(?:b|back)\s+(\S+)\s*$/i.exec(line);
    if (!m || !ctx.branch) return undefined;
    try {
      ctx.branch(Number(m[1]));
    } catch (e) {
      if (!(e instanceof BranchError)) throw e;
      io.write(`${e.message}\n> `);
      return false;
    }
    io.write(`\nBranch ${ctx.line}: back to decision ${m[1]}; the run is replayed to it exactly. Your first answers are kept.\n`);
    return true;
  };
  for (;;) {
    const t = ctx.trainer;
    const { events, stop } = t.run();
    for (const e of events) print(e);
    if (stop.kind === 'done') {
      if (!ctx.branch || !t.decisions.length) return 'complete';
      // The student may go back and answer a decision again before finishing.
      io.write(`\nThe run is over. \`b N\` goes back to decision N to answer it again; enter (or the end of the input) finishes.\n> `);
      for (;;) {
        const next = await it.next();
        if (next.done) return 'complete';
        const went = goBack(next.value);
        if (went === undefined) return 'complete';
        if (went) break;
      }
      continue;
    }
    if (stop.kind !== 'decision') continue;
    // (Lines carry their time, and later ticks are later: only the re-run of this tick can repeat one.)
    shown = new Map();
    for (const e of t.tickSoFar) {
      const line = formatTimelineLine(e, widths);
      io.write(`${line}\n`);
      shown.set(line, (shown.get(line) ?? 0) + 1);
    }
    const again = ctx.before?.n === t.decisions.length + 1 ? `${terminalLine(beforeText(ctx.before))}\n` : '';
    io.write(`\n${promptLines(sc, t.decisions.length + 1, stop.situation).join('\n')}\n${again}Choose: ${CHOICE_KEYS}\n> `);
    let answer: ReturnType<typeof parseAnswer>;
    while (!answer) {
      const next = await it.next();
      if (next.done) {
        io.write('\n(end of input: the session stops here)\n');
        return 'quit';
      }
      if (/^\s*(q|quit)\s*$/i.test(next.value)) return 'quit';
      const went = goBack(next.value);
      if (went) break;
      if (went === false) continue;
      answer = parseAnswer(next.value);
      if (!answer) io.write(`'${terminalLine(next.value.trim())}' is not a choice; answer ${CHOICE_KEYS}\n> `);
    }
    // Gone back: the branch's trainer stands at the decision asked again.
    if (!answer) continue;
    const d = t.answer(answer.choice, answer.justification);
    ctx.record(d, stop.situation);
    io.write(`${d.assessment.feedback.map((l, i) => (i ? `  ${l}` : l)).join('\n')}\n\n`);
  }
}
