/**
 * A student's screen, in their own terminal over SSH.
 *
 * - Self pace: the training screen of `deconflict train` (TrainApp) on the student's own run, with
 *   their name in the header; their answers go to their session file as they are given.
 * - Class pace: the class's run, moved by the trainer's clock, drawn like the training screen. At
 *   a decision point the student answers once (1–7, a justification, enter); the panel then says
 *   the answer is in, and after the trainer's reveal it shows doctrine's answer, the student's own
 *   grade and the class's spread. No key of the student moves the clock.
 */
import { Box, render, Text, useApp, useInput, type Instance } from 'ink';
import { memo, useEffect, useRef, useState, useSyncExternalStore } from 'react';

import { assess, CHOICES, choiceLabel, GRADE_LABEL } from '../../training/grade.js';
import type { TrainContext } from '../../training/context.js';
import type { ClassRoom, Seat } from '../../training/class/room.js';
import type { StudentTty } from '../../io/class/tty.js';
import { FrameContext } from '../screen/context.js';
import { commandEnv } from '../screen/env.js';
import { buildFrame, composeScreen } from '../screen/frame.js';
import type { PanelFrame } from '../screen/types.js';
import { isPrintable, keysOf } from '../keys.js';
import { computeLayout } from '../layout.js';
import { ScreenStream } from '../screen.js';
import { initialUi } from '../state.js';
import { ENTER_ALT, LEAVE_ALT } from '../terminal.js';
import { row, wrap } from '../text.js';
import { TrainApp } from '../training/app.js';
import { barRow, decisionHeight, decisionPanel, growLog, studentTitle } from '../training/panel.js';
import { TrainSession } from '../training/session.js';
import type { ClassHub } from './hub.js';
import { spreadLines } from './spread.js';

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

type Size = { cols: number; rows: number };

/** Render a screen on a student's terminal until it exits or the connection goes; resolves then. */
function mount(tty: StudentTty, screen: ScreenStream, app: (size: Size, done: () => void) => React.ReactElement): { stop: () => void; done: Promise<void> } {
  let instance: Instance | undefined;
  let finished = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const stop = () => {
    if (finished) return;
    finished = true;
    try {
      instance?.unmount();
    } catch {
      // Already unmounted.
    }
    screen.close();
    tty.stdout.write(LEAVE_ALT);
    resolveDone();
  };
  function Root() {
    const [size, setSize] = useState<Size>({ cols: screen.columns, rows: screen.rows });
    useEffect(() => {
      const f = () => setSize({ cols: screen.columns, rows: screen.rows });
      screen.on('resize', f);
      return () => {
        screen.off('resize', f);
      };
    }, []);
    return app(size, () => {
      stop();
      tty.close();
    });
  }
  tty.stdout.write(ENTER_ALT);
  const sink = { write: () => true } as unknown as NodeJS.WriteStream;
  instance = render(<Root />, {
    stdout: screen as unknown as NodeJS.WriteStream,
    stdin: tty.stdin as unknown as NodeJS.ReadStream,
    stderr: sink,
    debug: true,
    exitOnCtrlC: false,
    patchConsole: false,
  });
  tty.onClose(stop);
  return { stop, done };
}

/** Self pace: TrainApp on the seat's own run. */
export function runSelfPaced(tty: StudentTty, room: ClassRoom, seat: Seat, speed?: number): { stop: () => void; done: Promise<void> } {
  const trainer = seat.trainer!;
  const ctx: TrainContext = {
    scenario: room.scenario,
    trainer,
    // The class writes the session file itself (room.recordOwn), so no SessionWriter here.
    writer: undefined as unknown as TrainContext['writer'],
    record: (d, situation) => room.recordOwn(seat.name, d, situation),
    finish: (status) => {
      if (status === 'complete') room.finishOwn(seat.name);
    },
    speed,
    student: seat.name,
  };
  const session = new TrainSession(trainer, { speed });
  const frames = new FrameContext(session, tty.color);
  const screen = new ScreenStream(tty.stdout as unknown as NodeJS.WriteStream, 30);
  const m = mount(tty, screen, (size, done) => (
    <TrainApp
      ctx={ctx}
      session={session}
      frames={frames}
      cols={size.cols}
      rows={size.rows}
      onDone={(s) => {
        ctx.finish(s);
        done();
      }}
    />
  ));
  void m.done.then(() => session.dispose());
  return m;
}

/** Class pace: the class's run, answered once a question, revealed by the trainer. */
export function runClassPaced(tty: StudentTty, hub: ClassHub, seat: Seat): { stop: () => void; done: Promise<void> } {
  const run = hub.room.run!;
  // A view of the class's run: never played from here (the console's session moves the clock).
  const view = new TrainSession(run, { speed: hub.session?.speed });
  const builder = new FrameContext(view, tty.color);
  builder.emptyLog = "no events yet: the trainer's clock moves the run";
  const screen = new ScreenStream(tty.stdout as unknown as NodeJS.WriteStream, 30);
  return mount(tty, screen, (size, done) => <ClassStudent hub={hub} seat={seat} builder={builder} cols={size.cols} rows={size.rows} onQuit={done} />);
}

interface Draft {
  n: number;
  sel: number;
  stage: 'choice' | 'why';
  text: string;
}

export function ClassStudent({
  hub,
  seat,
  builder,
  cols,
  rows,
  onQuit,
}: {
  hub: ClassHub;
  seat: Seat;
  builder: FrameContext;
  cols: number;
  rows: number;
  onQuit: () => void;
}) {
  const room = hub.room;
  // Redraw when the clock moves, a question opens or is revealed, or this student answers — not
  // for every other student's join or answer (with 40 seats that was 1,600 frames for one question).
  useSyncExternalStore(hub.subscribe, () => {
    const q = room.question;
    return `${hub.clockVersion}:${q ? `${q.n}:${q.revealed}:${q.answers.has(seat.name)}` : '-'}:${room.ended}`;
  });
  const run = room.run!;
  const { exit } = useApp();
  const draft = useRef<Draft | null>(null);
  const [, setTick] = useState(0);
  const redraw = () => setTick((n) => n + 1);
  const [confirm, setConfirm] = useState(false);
  const q = room.question;
  const mine = q ? q.answers.get(seat.name) : undefined;
  if (q && (!draft.current || draft.current.n !== q.n)) draft.current = { n: q.n, sel: 0, stage: 'choice', text: '' };

  useInput((input, key) => {
    for (const k of keysOf(input, key)) {
      if (k === 'ctrl+c') {
        exit();
        return onQuit();
      }
      if (confirm) {
        if (k === 'y' || k === 'Y') {
          exit();
          return onQuit();
        }
        setConfirm(false);
        continue;
      }
      const cq = room.question;
      // A key can come before the screen has drawn a new question: it answers that question.
      if (cq && (!draft.current || draft.current.n !== cq.n)) draft.current = { n: cq.n, sel: 0, stage: 'choice', text: '' };
      const d = draft.current;
      if (!cq || !d || cq.answers.has(seat.name) || cq.revealed) {
        if (k === 'q') setConfirm(true);
        continue;
      }
      if (d.stage === 'choice') {
        if (/^[1-7]$/.test(k)) Object.assign(d, { sel: Number(k) - 1, stage: 'why' });
        else if (k === 'up' || k === 'left' || k === 'shift+tab') d.sel = (d.sel + CHOICES.length - 1) % CHOICES.length;
        else if (k === 'down' || k === 'right' || k === 'tab') d.sel = (d.sel + 1) % CHOICES.length;
        else if (k === 'enter') d.stage = 'why';
        else if (k === 'q') setConfirm(true);
      } else if (k === 'escape') d.stage = 'choice';
      else if (k === 'backspace') d.text = [...d.text].slice(0, -1).join('');
      else if (k === 'enter') room.answer(seat.name, { choice: CHOICES[d.sel], ...(d.text.trim() ? { justification: d.text } : {}) });
      else if (isPrintable(k) && d.text.length < 200) d.text += k === 'space' ? ' ' : k;
      redraw();
    }
  });

  const color = builder.color;
  const base = computeLayout(cols, rows);
  const layout = q && !base.tooSmall ? growLog(base, decisionHeight(base)) : base;
  const ui = initialUi(room.scenario.units.length);
  const f = buildFrame(builder, ui, layout, commandEnv(builder, layout));
  if (!f.tooSmall) {
    const score = room.roster().find((r) => r.name === seat.name);
    const right = score && score.answered ? ` answers ${score.answered} · as doctrine ${score.correct} · ${score.percent} % ` : ' no answers yet ';
    const title = `${studentTitle(room.scenario)} — ${seat.name}`;
    const room_ = Math.max(0, cols - 19 - right.length);
    f.header = row(
      [
        [' deconflict class ', { inverse: true, bold: true }],
        [' '],
        [title.length > room_ ? `${title.slice(0, Math.max(0, room_ - 1))}…` : title.padEnd(room_), { bold: true }],
        [right, { dim: true }],
      ],
      cols,
      color,
    );
    const iw = layout.log.iw;
    const ih = layout.log.ih;
    if (q && run.pending) {
      let panel: PanelFrame;
      let bar;
      if (!mine && !q.revealed) {
        const d = draft.current!;
        const p = decisionPanel(run, { kind: 'choose', sel: d.sel, stage: d.stage, text: d.text }, iw, ih, color);
        panel = { title: `Question ${q.n} — ${p.title.replace(/^Decision \d+ — /, '')}`, right: 'answer on your own', rows: p.rows, focused: true };
        bar = p.bar.map((b) => (b.label === 'quit' ? { ...b, label: 'leave' } : b)).filter((b) => !['d', 'e', '?'].includes(b.key));
      } else {
        const lines: string[] = [];
        const push = (t: string, st?: Parameters<typeof row>[0][number][1]) => {
          for (const l of wrap(t, iw)) lines.push(row([[l, st]], iw, color));
        };
        if (!q.revealed) {
          if (mine) push(`Your answer: ${choiceLabel(mine.choice)}${mine.justification ? ` — ${mine.justification}` : ''}`, { bold: true });
          else push('You did not answer this question.', { dim: true });
          push("Sent. The trainer reveals doctrine's answer and the class's spread when the class has answered.", { dim: true });
        } else {
          // The verdict and the spread first (they fit at 80×24), doctrine's reason after.
          const doc = room.doctrine()!;
          if (mine) {
            const a = assess(room.scenario, q.proposal, mine.choice);
            push(`Your answer: ${choiceLabel(mine.choice)} — ${GRADE_LABEL[a.grade]}; doctrine: ${choiceLabel(doc)}`, {
              bold: true,
              fg: a.grade === 'correct' ? 'green' : 'yellow',
            });
          } else push(`You did not answer; doctrine: ${choiceLabel(doc)}`, { bold: true });
          lines.push(...spreadLines(room.spread(), iw, color, doc));
          push(`Doctrine: ${q.proposal.reason}`, { dim: true });
        }
        while (lines.length < ih) lines.push(' '.repeat(iw));
        panel = { title: `Question ${q.n}${q.revealed ? ': revealed' : ': answer sent'}`, right: '', rows: lines.slice(0, ih), focused: true };
        bar = [{ key: 'q', label: 'leave (your seat waits)' }];
      }
      f.log = panel;
      f.bar = barRow(bar, cols, color);
    } else {
      f.bar = barRow(
        [
          { key: '', label: hub.session?.playing ? "the trainer's clock is running" : "waiting for the trainer's clock" },
          { key: 'q', label: 'leave (your seat waits)' },
        ],
        cols,
        color,
      );
    }
    if (confirm)
      f.bar = barRow(
        [
          { key: 'y', label: 'leave the class (your answers are kept; ssh again to come back)' },
          { key: 'any other key', label: 'stay' },
        ],
        cols,
        color,
      );
  }
  const lines = composeScreen(f, layout, color);
  return (
    <Box flexDirection="column" width={cols} height={Math.min(base.height, Math.max(1, lines.length))} overflow="hidden">
      {lines.map((l, i) => (
        <Row key={i} text={l} />
      ))}
    </Box>
  );
}
