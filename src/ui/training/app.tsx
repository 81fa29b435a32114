/**
 * The `train` terminal UI. It reuses the live UI's screen (map, units table, event log,
 * timeline, key bar and commands: src/ui) on the training run's engine, and adds decision
 * mode: at each decision point the clock stops and a decision panel takes the place of the
 * event log — the situation, the seven responses, an optional one-line justification — then
 * the feedback (the grade, what doctrine would have done, the rule and its basis), and at the
 * end a summary with the score.
 *
 * Keys while deciding: 1–7 (or ↑↓ and enter) choose; then type a justification, enter
 * confirms, esc goes back; after the feedback, enter (or space) goes on. q or ctrl-c quits (the
 * session file then ends with status "quit"). Every character of an input chunk is a key.
 */
import { useApp, useInput } from 'ink';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Choice } from '../../core/engine.js';
import { fullScreen } from '../app/full-screen.js';
import { useLazyBorders, useScreenSize, useSourceVersion } from '../app/hooks.js';
import { Rows } from '../app/Rows.js';
import { applyKeys } from '../commands/dispatch.js';
import { isPrintable, keysOf } from '../keys.js';
import { computeLayout, type Layout } from '../layout.js';
import type { BorderSet } from '../map/borders.js';
import type { ScreenStream } from '../screen.js';
import type { ReplaySession } from '../playback/replay.js';
import { FrameContext } from '../screen/context.js';
import { commandEnv } from '../screen/env.js';
import { buildFrame, composeScreen } from '../screen/frame.js';
import { overlayLines, overlayPanel } from '../screen/overlays/index.js';
import { logPanel } from '../screen/panels/log.js';
import type { PanelFrame } from '../screen/types.js';
import { initialUi, type UiState } from '../state.js';
import { row } from '../text.js';
import { colorWanted } from '../theme.js';
import type { TrainContext } from '../../training/context.js';
import { forgetCi } from '../terminal/ci.js';
import { CHOICES } from '../../training/grade.js';
import type { Trainer } from '../../training/trainer.js';
import type { SimEvent } from '../../core/events.js';
import { barRow, decisionHeight, decisionPanel, growLog, pausesAt, studentTitle, type Mode, type Peek } from './panel.js';
import { TrainSession } from './session.js';
import { BranchError } from '../../training/branch.js';
import { notTyping } from '../commands/guards.js';

export { growLog, type Mode } from './panel.js';

export type Status = 'complete' | 'quit';

export interface TrainAppProps {
  ctx: TrainContext;
  session: ReplaySession;
  /** What the frames are built from (on `session`). */
  frames: FrameContext;
  cols: number;
  rows: number;
  borders?: BorderSet;
  onDone: (s: Status) => void;
  /** Start playing at once (default true). */
  autoplay?: boolean;
  /** Show the briefing first, when the scenario has one (default true; not again on a branch). */
  briefing?: boolean;
  /**
   * `b` goes back to an earlier decision: after `ctx.branch(n)` the trainer is a new one, and the
   * owner of the screen mounts a new TrainApp on it (TrainScreen does). Without it `b` is not offered.
   */
  onBranch?: () => void;
}

/** Everything the keys change, kept in one place so that every character of an input chunk sees the one before. */
interface TrainUi {
  ui: UiState;
  mode: Mode;
  /** A view over the decision panel (details, events, help). */
  peek: Peek | null;
  /** Asking whether to quit. */
  confirm: boolean;
}

/** The unit a decision-time view is about: the one in question, or the one decided on. */
function unitInView(trainer: Trainer, t: TrainUi): number {
  if (t.mode.kind === 'choose' && trainer.pending) return trainer.pending.situation.unit;
  if (t.mode.kind === 'feedback') return t.mode.decision.proposal.unit;
  return Math.max(0, t.ui.selected);
}

/** The layout of a mode: the decision panel takes the event log's place, grown. */
function layoutFor(base: Layout, mode: Mode): Layout {
  return mode.kind === 'choose' || mode.kind === 'feedback' || mode.kind === 'inject' || mode.kind === 'branch' ? growLog(base, decisionHeight(base)) : base;
}

export function TrainApp({ ctx, session, frames, cols, rows, borders, onDone, autoplay = true, briefing = true, onBranch }: TrainAppProps) {
  const trainer = ctx.trainer;
  const version = useSourceVersion(session);
  // A briefing, when the scenario has one, comes before the clock starts.
  const ref = useRef<TrainUi>({
    ui: initialUi(trainer.scenario.units.length),
    mode: trainer.scenario.briefing && briefing ? { kind: 'brief', scroll: 0 } : { kind: 'watch' },
    peek: null,
    confirm: false,
  });
  const [st, setSt] = useState<TrainUi>(ref.current);
  const set = (patch: Partial<TrainUi>) => {
    ref.current = { ...ref.current, ...patch };
    setSt(ref.current);
  };
  const { exit } = useApp();
  const finish = (s: Status) => {
    session.pause();
    onDone(s);
    exit();
  };

  useEffect(() => {
    if (autoplay && ref.current.mode.kind === 'watch') session.play();
  }, [session, autoplay]);

  // Injects acknowledged (by index), and how far the shown events have been looked through.
  // What was shown before the screen opened (a resumed session stands where it was quit) was acknowledged then.
  const acked = useRef(new Set<number>(session.shownEvents.flatMap((e) => (e.type === 'inject' && e.inject !== undefined ? [e.inject] : []))));
  const scanned = useRef<{ n: number; last?: SimEvent }>({ n: 0 });
  /** The first inject shown that stops the clock and has not been acknowledged. */
  const unacked = (): SimEvent | undefined => {
    const ev = session.shownEvents;
    const s = scanned.current;
    // The list went back (a rewind): look through it again.
    if (ev.length < s.n || (s.n > 0 && ev[s.n - 1] !== s.last)) s.n = 0;
    for (let i = s.n; i < ev.length; i++) {
      const e = ev[i];
      if (pausesAt(trainer.scenario, e) && !acked.current.has(e.inject!)) {
        s.n = i;
        s.last = i > 0 ? ev[i - 1] : undefined;
        return e;
      }
    }
    s.n = ev.length;
    s.last = ev[ev.length - 1];
    return undefined;
  };

  // An inject that stops the clock, a decision point or the end stops the clock and opens the panel.
  const sync = () => {
    if (ref.current.mode.kind !== 'watch') return;
    const inj = unacked();
    if (inj) {
      const resume = session.playing;
      session.pause();
      session.note = '';
      // Stop at the inject's own tick, exactly (the clock may have run a few ticks on in the frame).
      const k = trainer.engine.tickAt(inj.t);
      if (trainer.engine.tickIndex > k) session.seekTick(k);
      set({ mode: { kind: 'inject', event: inj, resume }, ui: { ...ref.current.ui, overlay: 'none', editing: false } });
      return;
    }
    if (trainer.pending) {
      session.pause();
      session.note = '';
      set({ mode: { kind: 'choose', sel: 0, stage: 'choice', text: '' }, ui: { ...ref.current.ui, overlay: 'none', editing: false } });
    } else if (trainer.done) {
      session.pause();
      set({ mode: { kind: 'end', scroll: 0 }, ui: { ...ref.current.ui, overlay: 'none', editing: false } });
    }
  };
  useEffect(sync, [version, trainer, session]);

  const baseLayout = useMemo(() => computeLayout(cols, rows), [cols, rows]);

  /** Lines a view over the panel has, to keep its scroll in range. */
  const peekLines = (t: TrainUi, p: Peek): number => {
    const layout = layoutFor(baseLayout, t.mode);
    if (p.kind === 'events') return frames.logView('').count;
    return overlayLines(frames, { ...t.ui, overlay: p.kind, detailsUnit: unitInView(trainer, t) }, layout).length;
  };
  const peekKey: Record<string, Peek['kind']> = { d: 'details', e: 'events', '?': 'help' };
  /** Whether `b` (back to an earlier decision) is offered now. */
  const canBranch = () => !!ctx.branch && !!onBranch && trainer.decisions.length > 0;
  const openBranch = (back: Mode) => {
    session.pause();
    set({ mode: { kind: 'branch', sel: trainer.decisions.length - 1, back }, ui: { ...ref.current.ui, overlay: 'none' } });
  };

  useInput((input, key) => {
    for (const k of keysOf(input, key)) {
      sync();
      const t = ref.current;
      const m = t.mode;
      if (k === 'ctrl+c') return finish(trainer.done ? 'complete' : 'quit');
      if (t.confirm) {
        if (k === 'y' || k === 'Y') return finish(trainer.done ? 'complete' : 'quit');
        set({ confirm: false });
        continue;
      }
      if (t.peek) {
        const p = t.peek;
        const page = Math.max(1, baseLayout.overlay.ih - 1);
        const n = peekLines(t, p);
        // Events count back from the newest (up goes back in time); the others scroll down.
        const dir = p.kind === 'events' ? -1 : 1;
        const move = (d: number) => set({ peek: { ...p, scroll: Math.max(0, Math.min(Math.max(0, n - 1), p.scroll + d)) } });
        if (k === 'escape' || peekKey[k] === p.kind) set({ peek: null });
        else if (peekKey[k]) set({ peek: { kind: peekKey[k], scroll: 0 } });
        else if (k === 'down' || k === 'j') move(dir);
        else if (k === 'up' || k === 'k') move(-dir);
        else if (k === 'pagedown') move(dir * page);
        else if (k === 'pageup') move(-dir * page);
        else if (k === 'q') set({ confirm: true });
        continue;
      }
      if (m.kind === 'branch') {
        const n = trainer.decisions.length;
        if (k === 'escape' || k === 'b') set({ mode: m.back });
        else if (k === 'up' || k === 'k') set({ mode: { ...m, sel: Math.max(0, m.sel - 1) } });
        else if (k === 'down' || k === 'j') set({ mode: { ...m, sel: Math.min(n - 1, m.sel + 1) } });
        else if (k === 'home' || k === 'g') set({ mode: { ...m, sel: 0 } });
        else if (k === 'end' || k === 'G') set({ mode: { ...m, sel: n - 1 } });
        else if (/^[1-9]$/.test(k) && Number(k) <= n) set({ mode: { ...m, sel: Number(k) - 1 } });
        else if (k === 'q') set({ confirm: true });
        else if (k === 'enter') {
          try {
            ctx.branch!(m.sel + 1);
          } catch (e) {
            if (!(e instanceof BranchError)) throw e;
            session.note = e.message;
            set({ mode: m.back });
            continue;
          }
          // A new trainer stands at the decision asked again: the owner mounts a new screen on it.
          onBranch!();
          return;
        }
        continue;
      }
      if (
        k === 'b' &&
        canBranch() &&
        (m.kind === 'feedback' || m.kind === 'end' || (m.kind === 'choose' && m.stage === 'choice') || (m.kind === 'watch' && notTyping(t.ui)))
      ) {
        openBranch(m);
        continue;
      }
      if (m.kind === 'inject') {
        if (k === 'enter' || k === 'space') {
          acked.current.add(m.event.inject!);
          set({ mode: { kind: 'watch' } });
          if (m.resume) session.play();
          sync();
        } else if (peekKey[k]) set({ peek: { kind: peekKey[k], scroll: 0 } });
        else if (k === 'q') set({ confirm: true });
        continue;
      }
      if (m.kind === 'brief') {
        if (k === 'enter' || k === 'space') {
          set({ mode: { kind: 'watch' } });
          if (autoplay) session.play();
        } else if (k === 'down' || k === 'j') set({ mode: { ...m, scroll: m.scroll + 1 } });
        else if (k === 'up' || k === 'k') set({ mode: { ...m, scroll: Math.max(0, m.scroll - 1) } });
        else if (k === 'q') set({ confirm: true });
        continue;
      }
      // The run's own keys (the live UI's table); false when the key quits.
      const watchKey = (): boolean => {
        const env = commandEnv(frames, baseLayout);
        const next = applyKeys([k], ref.current.ui, env);
        if (next.quit) {
          // q asks first: a class must not lose a run to a stray key.
          set({ ui: { ...next, quit: false }, confirm: !trainer.done });
          return !trainer.done;
        }
        if (next !== ref.current.ui) set({ ui: next });
        return true;
      };
      if (m.kind === 'watch') {
        if (!watchKey()) return finish('complete');
        continue;
      }
      if (m.kind !== 'choose' || m.stage === 'choice') {
        if (peekKey[k]) {
          set({ peek: { kind: peekKey[k], scroll: 0 } });
          continue;
        }
      }
      if (m.kind === 'choose') {
        if (m.stage === 'choice') {
          if (/^[1-7]$/.test(k)) set({ mode: { ...m, sel: Number(k) - 1, stage: 'why' } });
          else if (k === 'up' || k === 'left' || k === 'shift+tab') set({ mode: { ...m, sel: (m.sel + CHOICES.length - 1) % CHOICES.length } });
          else if (k === 'down' || k === 'right' || k === 'tab') set({ mode: { ...m, sel: (m.sel + 1) % CHOICES.length } });
          else if (k === 'enter') set({ mode: { ...m, stage: 'why' } });
          else if (k === 'q') set({ confirm: true });
          continue;
        }
        if (k === 'escape') set({ mode: { ...m, stage: 'choice' } });
        else if (k === 'backspace') set({ mode: { ...m, text: [...m.text].slice(0, -1).join('') } });
        else if (k === 'enter') {
          const choice: Choice = CHOICES[m.sel];
          const situation = trainer.pending!.situation;
          const d = trainer.answer(choice, m.text);
          ctx.record(d, situation);
          // The question's tick runs at once with the answer: the feedback shows the choice in force.
          session.stepForward();
          session.note = '';
          set({ mode: { kind: 'feedback', decision: d, scroll: 0 } });
        } else if (isPrintable(k) && m.text.length < 200) set({ mode: { ...m, text: m.text + (k === 'space' ? ' ' : k) } });
        continue;
      }
      if (m.kind === 'feedback') {
        if (k === 'enter' || k === 'space') {
          set({ mode: { kind: 'watch' } });
          session.note = '';
          session.play();
        } else if (k === 'n') {
          // Straight on to the next rung change (the next decision point, as often as not).
          set({ mode: { kind: 'watch' } });
          session.note = '';
          session.nextEscalation();
        } else if (k === 'down' || k === 'j') set({ mode: { ...m, scroll: m.scroll + 1 } });
        else if (k === 'up' || k === 'k') set({ mode: { ...m, scroll: Math.max(0, m.scroll - 1) } });
        else if (k === 'q') set({ confirm: true });
        else if (k !== 'escape') {
          // Any other key of the run (`:`, `.`, `,`, `?`…): the feedback closes and the key does its work.
          set({ mode: { kind: 'watch' } });
          session.note = '';
          if (!watchKey()) return finish('complete');
        }
        continue;
      }
      if (m.kind !== 'end') continue;
      // The end: q or enter closes (esc never quits).
      if (k === 'q' || k === 'enter') return finish('complete');
      if (k === 'down' || k === 'j') set({ mode: { ...m, scroll: m.scroll + 1 } });
      else if (k === 'up' || k === 'k') set({ mode: { ...m, scroll: Math.max(0, m.scroll - 1) } });
    }
  });

  const color = frames.color;
  frames.setBorders(borders);
  const { ui, mode, peek, confirm } = st;
  const confirmBar = () =>
    row(
      [
        [' Quit the exercise? ', { bold: true, fg: 'yellow' }],
        ['y', { bold: true, fg: 'cyan' }],
        [' quit  '],
        ['any other key', { bold: true, fg: 'cyan' }],
        [' go on   (the session file keeps every decision so far)', { dim: true }],
      ],
      cols,
      color,
    );
  let lines: string[];
  if (mode.kind === 'watch' || baseLayout.tooSmall) {
    const f = buildFrame(frames, ui, baseLayout, commandEnv(frames, baseLayout));
    if (!f.tooSmall) {
      f.header = header(ctx, cols, color);
      if (confirm) f.bar = confirmBar();
    }
    lines = composeScreen(f, baseLayout, color);
  } else {
    const layout = layoutFor(baseLayout, mode);
    const f = buildFrame(frames, { ...ui, overlay: 'none' }, layout, commandEnv(frames, layout));
    const whole = mode.kind === 'end' || mode.kind === 'brief';
    const box = whole ? layout.overlay : layout.log;
    const panel = decisionPanel(trainer, mode, box.iw, box.ih, color, { before: ctx.before, canBranch: !!ctx.branch && !!onBranch });
    f.header = header(ctx, cols, color);
    const own: PanelFrame = { title: panel.title, right: panel.right, rows: panel.rows, focused: true };
    if (whole) f.overlay = own;
    else f.log = own;
    f.bar = barRow(panel.bar, cols, color);
    if (peek) {
      const back = mode.kind === 'end' ? 'back to the summary' : 'back to the decision';
      if (peek.kind === 'events') {
        const lp = logPanel(frames, { ...ui, focus: 'log', filter: '', editing: false, logSel: peek.scroll }, { ...layout, log: layout.overlay });
        f.overlay = { ...lp, right: `${lp.right} · esc ${back}` };
      } else {
        const op = overlayPanel(frames, { ...ui, overlay: peek.kind, detailsUnit: unitInView(trainer, st), overlayScroll: peek.scroll }, layout);
        f.overlay = { ...op, right: op.right.replace(/^esc( or \?)? to close/, `esc ${back}`) };
      }
      f.bar = barRow(
        [
          { key: 'esc', label: back },
          { key: '↑↓', label: 'scroll' },
          { key: 'd', label: 'details' },
          { key: 'e', label: 'events' },
          { key: '?', label: 'help, legend' },
        ],
        cols,
        color,
      );
    }
    if (confirm) f.bar = confirmBar();
    lines = composeScreen(f, layout, color);
  }
  return <Rows lines={lines} cols={cols} height={baseLayout.height} />;
}

function header(ctx: TrainContext, w: number, color: boolean): string {
  const s = ctx.trainer.score;
  const line = ctx.line ? `branch ${ctx.line} · ` : '';
  const right = s.total ? ` ${line}decisions ${s.total} · correct ${s.correct} · ${s.percent} % ` : ` ${line}no decisions yet `;
  // The students' title: the scenario's own title or a MSEL's may tell how it ends.
  // The student's name is never cut: the title gives way first (a class reads names off the screens).
  const who = ctx.student ? ` — ${ctx.student}` : '';
  const title = studentTitle(ctx.scenario);
  const room = Math.max(0, w - 22 - right.length - who.length);
  const t = `${title.length > room ? `${title.slice(0, Math.max(0, room - 1))}…` : title}${who}`.padEnd(room + who.length);
  return row([[' deconflict training ', { inverse: true, bold: true }], [' '], [t, { bold: true }], [right, { dim: true }]], w, color);
}

/** `b` in the key bar while the clock runs, after `q quit`. */
const BRANCH_BAR = [{ after: 'q', item: { key: 'b', label: 'back to a decision' }, short: { key: 'b', label: 'back' } }] as const;

/** The training screen's own lines in the `?` help (the run's keys follow them, from the command table). */
export function trainingHelp(canBranch: boolean): { title: string; lines: { keys: string; help: string }[] }[] {
  return [
    {
      title: 'Training',
      lines: [
        { keys: '1-7', help: 'at a decision point: choose the response, then type a justification; enter confirms, esc goes back to the choice' },
        { keys: 'd e ?', help: 'during a decision: the unit’s details, the event log, this help' },
        ...(canBranch
          ? [{ keys: 'b', help: 'go back to an earlier decision and answer it again (a branch; the first answers stay in the session file)' }]
          : []),
      ],
    },
  ];
}

export interface TrainScreenProps extends Omit<TrainAppProps, 'session' | 'frames' | 'onBranch' | 'briefing'> {
  color: boolean;
  speed?: number;
  /** Tell the owner of each session made (a branch makes a new one). */
  onSession?: (session: TrainSession, frames: FrameContext) => void;
  /** Hand the session's timer (tests: run deferred work at once). */
  defer?: (f: () => void) => void;
}

/**
 * The training UI over the whole life of a session: a TrainApp on `ctx.trainer`, and after each
 * branch (`b`) a new one on the branch's trainer (a new session and frames: the run the screen
 * shows is another), without the briefing again.
 */
export function TrainScreen({ ctx, color, speed, onSession, defer, ...app }: TrainScreenProps) {
  const [gen, setGen] = useState(0);
  const made = useMemo(() => {
    const session = new TrainSession(ctx.trainer, { speed, ...(defer ? { defer } : {}) });
    const frames = new FrameContext(session, color);
    frames.extraHelp = trainingHelp(!!ctx.branch);
    // While the clock runs, `b` goes back to a decision: the bar says so once there is one.
    frames.extraBar = (ui) => (ctx.branch && ctx.trainer.decisions.length && notTyping(ui) ? BRANCH_BAR : []);
    onSession?.(session, frames);
    return { session, frames };
    // A new one for each branch (gen), on the trainer ctx then holds.
  }, [gen]);
  const onBranch = () => {
    made.session.dispose();
    setGen((g) => g + 1);
  };
  return (
    <TrainApp key={gen} {...app} ctx={ctx} session={made.session} frames={made.frames} briefing={gen === 0} onBranch={ctx.branch ? onBranch : undefined} />
  );
}

/** Run the training UI on a terminal; resolves when the student quits or closes the summary. */
export async function runTrainUi(
  ctx: TrainContext,
  io: { stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream; stderr?: NodeJS.WriteStream } = {},
): Promise<Status> {
  forgetCi(process.env);
  if (ctx.speed !== undefined && !(Number.isFinite(ctx.speed) && ctx.speed > 0)) throw new Error(`--speed: '${ctx.speed}' is not a positive number`);
  let current: TrainSession | undefined;
  const color = colorWanted();
  let status: Status = 'quit';

  function Root({ screen }: { screen: ScreenStream }) {
    const size = useScreenSize(screen);
    const borders = useLazyBorders();
    return (
      <TrainScreen
        ctx={ctx}
        color={color}
        speed={ctx.speed}
        onSession={(s) => (current = s)}
        cols={size.cols}
        rows={size.rows}
        borders={borders}
        onDone={(s) => (status = s)}
      />
    );
  }

  await fullScreen(
    {
      stdout: io.stdout ?? process.stdout,
      stdin: io.stdin ?? process.stdin,
      stderr: io.stderr ?? process.stderr,
      session: { dispose: () => current?.dispose() },
      beforeExit: () => ctx.finish('quit'),
    },
    (screen) => <Root screen={screen} />,
  );
  return status;
}
