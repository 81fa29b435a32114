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
import { Box, render, Text, useApp, useInput, type Instance } from 'ink';
import { memo, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import type { Choice } from '../../core/engine.js';
import { describeComposition, threatScore } from '../../core/ladder.js';
import { applyKeys } from '../../ui/commands.js';
import { composeScreen, FrameBuilder, type PanelFrame } from '../../ui/frame.js';
import { isPrintable, keysOf } from '../../ui/keys.js';
import { computeLayout, type Layout } from '../../ui/layout.js';
import { loadBorders, type BorderSet } from '../../ui/map/borders.js';
import { ScreenStream } from '../../ui/screen.js';
import type { Session } from '../../ui/session.js';
import { initialUi, type UiState } from '../../ui/state.js';
import { installFaultHooks, TerminalGuard } from '../../ui/terminal.js';
import { row, wrap, type Seg } from '../../ui/text.js';
import { colorWanted, type Style } from '../../ui/theme.js';
import { displayTime, type TrainContext } from '../cli.js';
import { CHOICES, choiceLabel, GRADE_LABEL } from '../grade.js';
import type { Assessment } from '../grade.js';
import type { Decision, Trainer } from '../trainer.js';
import { TrainSession } from './session.js';

export type Status = 'complete' | 'quit';

/** What the decision panel is doing. */
export type Mode =
  | { kind: 'watch' }
  | { kind: 'choose'; sel: number; stage: 'choice' | 'why'; text: string }
  | { kind: 'feedback'; decision: Decision & { assessment: Assessment } }
  | { kind: 'end' };

const ACCENT: Style = { fg: 'cyan', bold: true };

/** The decision, feedback and summary panels as rows of `iw` cells. */
export function decisionRows(trainer: Trainer, mode: Mode, iw: number, color: boolean): { title: string; right: string; rows: string[]; bar: Seg[] } {
  const sc = trainer.scenario;
  const score = trainer.score;
  const right = `score ${score.correct}/${score.total}`;
  if (mode.kind === 'choose' && trainer.pending) {
    const { situation: s } = trainer.pending;
    const unit = sc.units[s.unit];
    const zone = sc.zones[s.zone];
    const where = [
      s.site_m !== undefined && zone.protects >= 0 ? `${fmtKm(s.site_m)} from ${sc.sites[zone.protects].name}` : '',
      `${fmtKm(Math.abs(s.edge_m))} ${s.edge_m <= 0 ? 'inside' : 'outside'} the ${zone.type === 'line' ? 'line' : 'edge'}`,
    ].filter(Boolean);
    const rows: string[] = [];
    rows.push(row([[`${displayTime(s.t)}  `, { bold: true }], [`${unit.name} (${unit.id})`, { bold: true }], [` in ${zone.name}, now at ${s.rung ? choiceLabel(s.rung) : 'no rung'}`]], iw, color));
    rows.push(row([[`Where: ${where.join(', ')}`]], iw, color));
    for (const l of wrap(`What happened: ${s.what}`, iw)) rows.push(row([[l]], iw, color));
    rows.push(row([[`Unit: ${describeComposition(unit.composition)} (threat score ${threatScore(unit.composition, sc.doctrine.threatWeights)})`, { dim: true }]], iw, color));
    const segs: Seg[] = [['Your response: ', { bold: true }]];
    CHOICES.forEach((c, i) => {
      const on = i === mode.sel;
      segs.push([` ${i + 1} ${choiceLabel(c)} `, on ? { inverse: true, bold: true } : { fg: 'cyan' }], [' ']);
    });
    rows.push(row(segs, iw, color));
    if (mode.stage === 'why') rows.push(row([[`Why (optional, one line): `, { bold: true }], [mode.text], ['█', { dim: true }]], iw, color));
    const bar: Seg[] =
      mode.stage === 'choice'
        ? [[' 1-7', ACCENT], [' choose  '], ['↑↓ enter', ACCENT], [' pick  '], ['q', ACCENT], [' quit']]
        : [[' type', ACCENT], [' a justification  '], ['enter', ACCENT], [` confirm ${choiceLabel(CHOICES[mode.sel])}  `], ['esc', ACCENT], [' back  '], ['ctrl-c', ACCENT], [' quit']];
    return { title: `Decision ${trainer.decisions.length + 1} — ${unit.id} in ${zone.id}`, right, rows, bar };
  }
  if (mode.kind === 'feedback') {
    const d = mode.decision;
    const rows: string[] = [];
    const ok = d.grade === 'correct';
    d.assessment.feedback.forEach((line, i) => {
      wrap(line, iw).forEach((l, k) => rows.push(row([[l, i === 0 && k === 0 ? { bold: true, fg: ok ? 'green' : 'red' } : i === 0 ? { bold: true } : undefined]], iw, color)));
    });
    if (d.justification) rows.push(row([[`Your justification: ${d.justification}`, { dim: true }]], iw, color));
    return {
      title: `Decision ${d.n}: ${GRADE_LABEL[d.grade]}`,
      right,
      rows,
      bar: [[' enter', ACCENT], [' go on (your choice plays out)  '], ['q', ACCENT], [' quit']],
    };
  }
  // The end: the score and every decision.
  const rows: string[] = [];
  rows.push(row([[`Score: ${score.correct} of ${score.total} decisions as doctrine would (${score.percent}%)`, { bold: true }]], iw, color));
  rows.push(' '.repeat(iw));
  for (const d of trainer.decisions) {
    const p = d.proposal;
    rows.push(
      row(
        [
          [`${String(d.n).padStart(3)}. ${displayTime(p.t).slice(11)} ${sc.units[p.unit].id}: chose ${choiceLabel(d.choice)}, doctrine ${choiceLabel(d.doctrine)} — `],
          [GRADE_LABEL[d.grade], { bold: true, fg: d.grade === 'correct' ? 'green' : 'red' }],
          [d.justification ? `  (“${d.justification}”)` : '', { dim: true }],
        ],
        iw,
        color,
      ),
    );
  }
  if (!trainer.decisions.length) rows.push(row([['No decision points came up.']], iw, color));
  rows.push(' '.repeat(iw));
  for (let u = 0; u < sc.units.length; u++) {
    const r = trainer.engine.unitRung(u).rung;
    if (trainer.engine.isStruck(u)) rows.push(row([[`  ${sc.units[u].id}: struck`]], iw, color));
    else if (r) rows.push(row([[`  ${sc.units[u].id}: at ${choiceLabel(r)} at the end`]], iw, color));
  }
  rows.push(' '.repeat(iw));
  rows.push(row([['The session file has every decision; `deconflict report` makes the after-action report from it.', { dim: true }]], iw, color));
  return { title: 'End of the exercise', right, rows, bar: [[' q', ACCENT], [' quit']] };
}

function fmtKm(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

/** The layout with the event log's place grown to `want` rows (the decision panel takes it). */
export function growLog(l: Layout, want: number): Layout {
  const body = l.map.h + l.log.h;
  const logH = Math.max(l.log.h, Math.min(want, body - 8));
  const topH = body - logH;
  const box = (w: number, h: number) => ({ w, h, iw: Math.max(0, w - 2), ih: Math.max(0, h - 2) });
  return { ...l, map: box(l.map.w, topH), table: box(l.table.w, topH), log: box(l.log.w, logH) };
}

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

export interface TrainAppProps {
  ctx: TrainContext;
  session: Session;
  builder: FrameBuilder;
  cols: number;
  rows: number;
  borders?: BorderSet;
  onDone: (s: Status) => void;
  /** Start playing at once (default true). */
  autoplay?: boolean;
}

export function TrainApp({ ctx, session, builder, cols, rows, borders, onDone, autoplay = true }: TrainAppProps) {
  const trainer = ctx.trainer;
  const version = useSyncExternalStore(session.subscribe, session.getVersion);
  const [ui, setUi] = useState<UiState>(() => initialUi(trainer.scenario.units.length));
  const uiRef = useRef(ui);
  const [mode, setModeState] = useState<Mode>({ kind: 'watch' });
  const modeRef = useRef(mode);
  const setMode = (m: Mode) => {
    modeRef.current = m;
    setModeState(m);
  };
  const { exit } = useApp();
  const finish = (s: Status) => {
    session.pause();
    onDone(s);
    exit();
  };

  useEffect(() => {
    if (autoplay) session.play();
  }, [session, autoplay]);

  // A decision point or the end stops the clock and opens the panel.
  const sync = () => {
    if (modeRef.current.kind !== 'watch') return;
    if (trainer.pending) {
      session.pause();
      session.note = '';
      setMode({ kind: 'choose', sel: 0, stage: 'choice', text: '' });
    } else if (trainer.done) {
      session.pause();
      setMode({ kind: 'end' });
    }
  };
  useEffect(sync, [version, trainer, session]);

  const baseLayout = useMemo(() => computeLayout(cols, rows), [cols, rows]);

  useInput((input, key) => {
    const keys = keysOf(input, key);
    for (const k of keys) {
      sync();
      const m = modeRef.current;
      if (k === 'ctrl+c') return finish(trainer.done ? 'complete' : 'quit');
      if (m.kind === 'watch') {
        const env = builder.env(baseLayout);
        const next = applyKeys([k], uiRef.current, env);
        if (next !== uiRef.current) {
          uiRef.current = next;
          setUi(next);
        }
        if (next.quit) return finish(trainer.done ? 'complete' : 'quit');
        continue;
      }
      if (m.kind === 'choose') {
        if (m.stage === 'choice') {
          if (/^[1-7]$/.test(k)) setMode({ ...m, sel: Number(k) - 1, stage: 'why' });
          else if (k === 'up' || k === 'left') setMode({ ...m, sel: (m.sel + CHOICES.length - 1) % CHOICES.length });
          else if (k === 'down' || k === 'right' || k === 'tab') setMode({ ...m, sel: (m.sel + 1) % CHOICES.length });
          else if (k === 'enter') setMode({ ...m, stage: 'why' });
          else if (k === 'q') return finish('quit');
          continue;
        }
        if (k === 'escape') setMode({ ...m, stage: 'choice' });
        else if (k === 'backspace') setMode({ ...m, text: [...m.text].slice(0, -1).join('') });
        else if (k === 'enter') {
          const choice: Choice = CHOICES[m.sel];
          const situation = trainer.pending!.situation;
          const d = trainer.answer(choice, m.text);
          ctx.record(d, situation);
          // The question's tick runs at once with the answer: the feedback shows the choice in force.
          session.stepForward();
          setMode({ kind: 'feedback', decision: d });
        } else if (isPrintable(k) && m.text.length < 200) setMode({ ...m, text: m.text + (k === 'space' ? ' ' : k) });
        continue;
      }
      if (m.kind === 'feedback') {
        if (k === 'enter' || k === 'space') {
          setMode({ kind: 'watch' });
          session.note = '';
          session.play();
        } else if (k === 'q') return finish('quit');
        else if (k === 'n') {
          // Straight on to the next rung change (the next decision point, as often as not).
          setMode({ kind: 'watch' });
          session.note = '';
          session.nextEscalation();
        }
        continue;
      }
      if (k === 'q' || k === 'enter' || k === 'escape') return finish('complete');
    }
  });

  const color = builder.color;
  builder.setBorders(borders);
  let lines: string[];
  if (mode.kind === 'watch' || baseLayout.tooSmall) {
    const env = builder.env(baseLayout);
    const f = builder.build(ui, baseLayout, env);
    if (!f.tooSmall) f.header = header(ctx, cols, color);
    lines = composeScreen(f, baseLayout, color);
  } else if (mode.kind === 'end') {
    const env = builder.env(baseLayout);
    const f = builder.build({ ...ui, overlay: 'none' }, baseLayout, env);
    const panel = decisionRows(trainer, mode, baseLayout.overlay.iw, color);
    f.header = header(ctx, cols, color);
    f.overlay = { title: panel.title, right: panel.right, rows: panel.rows, focused: true };
    f.bar = row(panel.bar, cols, color);
    lines = composeScreen(f, baseLayout, color);
  } else {
    const probe = decisionRows(trainer, mode, baseLayout.log.iw, color);
    const layout = growLog(baseLayout, probe.rows.length + 2);
    const panel = decisionRows(trainer, mode, layout.log.iw, color);
    const env = builder.env(layout);
    const f = builder.build({ ...ui, overlay: 'none' }, layout, env);
    f.header = header(ctx, cols, color);
    f.log = { title: panel.title, right: panel.right, rows: panel.rows, focused: true } satisfies PanelFrame;
    f.bar = row(panel.bar, cols, color);
    lines = composeScreen(f, layout, color);
  }
  return (
    <Box flexDirection="column" width={cols} height={Math.min(baseLayout.height, Math.max(1, lines.length))} overflow="hidden">
      {lines.map((l, i) => (
        <Row key={i} text={l} />
      ))}
    </Box>
  );
}

function header(ctx: TrainContext, w: number, color: boolean): string {
  const s = ctx.trainer.score;
  const right = ` decisions ${s.total} · correct ${s.correct} · ${s.percent}% `;
  const title = ctx.variant ? `${ctx.variant} (${ctx.scenario.title})` : ctx.scenario.title;
  const room = Math.max(0, w - 22 - right.length);
  const t = title.length > room ? `${title.slice(0, Math.max(0, room - 1))}…` : title.padEnd(room);
  return row([[' deconflict training ', { inverse: true, bold: true }], [' '], [t, { bold: true }], [right, { dim: true }]], w, color);
}

function forgetCi(env: NodeJS.ProcessEnv): void {
  for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
}

/** Run the training UI on a terminal; resolves when the student quits or closes the summary. */
export async function runTrainUi(ctx: TrainContext, io: { stdout?: NodeJS.WriteStream; stdin?: NodeJS.ReadStream; stderr?: NodeJS.WriteStream } = {}): Promise<Status> {
  forgetCi(process.env);
  const stdout = io.stdout ?? process.stdout;
  const stdin = io.stdin ?? process.stdin;
  const stderr = io.stderr ?? process.stderr;
  if (ctx.speed !== undefined && !(Number.isFinite(ctx.speed) && ctx.speed > 0)) throw new Error(`--speed: '${ctx.speed}' is not a positive number`);
  const session = new TrainSession(ctx.trainer, { speed: ctx.speed });
  const builder = new FrameBuilder(session, colorWanted());
  const guard = new TerminalGuard({ stdout, stdin });
  const screen = new ScreenStream(stdout, 30);
  let instance: Instance | undefined;
  let status: Status = 'quit';

  const cleanup = () => {
    session.dispose();
    try {
      instance?.unmount();
    } catch {
      // Already unmounted.
    }
    screen.close();
    guard.restore();
  };
  const detach = installFaultHooks({ cleanup, guard, stderr, beforeExit: () => ctx.finish('quit') });

  function Root() {
    const [size, setSize] = useState({ cols: screen.columns, rows: screen.rows });
    const [borders, setBorders] = useState<BorderSet | undefined>();
    useEffect(() => {
      const onResize = () => setSize({ cols: screen.columns, rows: screen.rows });
      screen.on('resize', onResize);
      return () => {
        screen.off('resize', onResize);
      };
    }, []);
    useEffect(() => {
      const t = setTimeout(() => setBorders(loadBorders()), 0);
      return () => clearTimeout(t);
    }, []);
    return <TrainApp ctx={ctx} session={session} builder={builder} cols={size.cols} rows={size.rows} borders={borders} onDone={(s) => (status = s)} />;
  }

  guard.enter();
  try {
    instance = render(<Root />, { stdout: screen as unknown as NodeJS.WriteStream, stdin, stderr, debug: true, exitOnCtrlC: false, patchConsole: false });
    await instance.waitUntilExit();
    return status;
  } finally {
    cleanup();
    detach();
  }
}
