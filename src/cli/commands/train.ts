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
import { CHOICE_KEYS, displayTime, parseAnswer, promptLines, summaryText } from '../../training/prompts.js';
import { prepareReplay } from '../../training/replay.js';
import { decisionLine, endLine, headerFor, SessionExistsError, SessionWriter, sha256File, studentOf } from '../../training/session.js';
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
    { scenario, trainer, writer, speed: o.speed, variant: msel ? (msel.title ?? o.msel) : undefined, student },
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
  const replay = prepareReplay({ scenarioPath, scenarioName, sessionPath: path, mselPath: o.msel, force: o.force });
  const { scenario, session, trainer } = replay;
  if (session.end?.status === 'complete') {
    io.error(
      `deconflict: ${terminalLine(path)} is a complete session; there is nothing to resume (make its report with: deconflict report ${terminalLine(scenarioName)} --session ${terminalLine(path)})\n`,
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
    writer = SessionWriter.resume(path, session.end?.line);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    io.error(`deconflict: cannot write the session file ${terminalLine(path)} (${err.code ?? err.message})\n`);
    return 2;
  }
  const student = session.header.student ?? studentOf(path);
  io.error(
    `Resuming ${terminalLine(student)}'s session ${terminalLine(path)} at ${displayTime(trainer.engine.time)} after ${trainer.decisions.length} decision${trainer.decisions.length === 1 ? '' : 's'}\n`,
  );
  const mselFile = replay.msel ? (o.msel ?? session.header.msel ?? undefined) : undefined;
  return runSession(
    { scenario, trainer, writer, speed: o.speed, variant: replay.msel ? (replay.msel.title ?? mselFile) : undefined, student, resumed: true },
    path,
    scenarioName,
    mselFile,
    io,
  );
}

/** Run a session (new or resumed) in the terminal UI or the plain mode, and close its file. */
async function runSession(
  parts: Omit<TrainContext, 'record' | 'finish'>,
  sessionPath: string,
  scenarioName: string,
  mselPath: string | undefined,
  io: TrainIo,
): Promise<number> {
  const { scenario, trainer, writer } = parts;
  let finished = false;
  const ctx: TrainContext = {
    ...parts,
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
    `Session written to ${sessionPath}; make the report with: deconflict report ${scenarioName} --session ${sessionPath}${mselPath ? ` --msel ${mselPath}` : ''}\n`,
  );
  return 0;
}

async function plainMode(ctx: TrainContext, io: TrainIo): Promise<'complete' | 'quit'> {
  const sc = ctx.scenario;
  const t = ctx.trainer;
  const lines = io.lines ?? createInterface({ input: process.stdin, terminal: false });
  const it = lines[Symbol.asyncIterator]();
  const widths = timelineWidths(sc);
  // The students' title and the briefing (the scenario's own title may tell how it ends).
  const brief = terminalText(sc.briefing ?? '')
    .split(/\n+/)
    .filter((p) => p.trim());
  io.write(
    `${terminalLine(sc.studentTitle ?? 'Training exercise')}${ctx.student ? ` — ${terminalLine(ctx.student)}` : ''}\n${brief.length ? `\nBriefing\n${brief.map((p) => `  ${p.trim()}`).join('\n')}\n` : ''}\nTraining: at each decision point answer with a number or a name (${CHOICE_KEYS}), then an optional justification.\n\n`,
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
      if (!answer) io.write(`'${terminalLine(next.value.trim())}' is not a choice; answer ${CHOICE_KEYS}\n> `);
    }
    const d = t.answer(answer.choice, answer.justification);
    ctx.record(d, stop.situation);
    io.write(`${d.assessment.feedback.map((l, i) => (i ? `  ${l}` : l)).join('\n')}\n\n`);
  }
}
