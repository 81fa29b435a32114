/**
 * The trainer's console: the training screen's map, timeline and units of the class's run, with
 * the roster where the units table was (name, connected, answered, score) under how to join, and
 * the open question with the spread of answers as a bar chart where the event log was.
 *
 * Keys: space start / pause the clock (class pace), r reveal, g go on along doctrine's answer,
 * c go on along the class's most common answer, i the injects of the scenario and MSEL (enter fires
 * the chosen one now, t runs the clock to its time, esc closes the list), ↑↓ select a student, x remove the selected student, p the projector view (no names, and neither doctrine's
 * answer nor the spread before the reveal), e end the class.
 */
import { Box, render, Text, useApp, useInput, type Instance } from 'ink';
import { memo, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { choiceLabel } from '../../training/grade.js';
import type { ClassEvent, ClassRoom } from '../../training/class/room.js';
import { FrameContext } from '../screen/context.js';
import { commandEnv } from '../screen/env.js';
import { buildFrame, composeScreen } from '../screen/frame.js';
import type { PanelFrame } from '../screen/types.js';
import { keysOf } from '../keys.js';
import { computeLayout } from '../layout.js';
import { loadBorders, type BorderSet } from '../map/borders.js';
import { ScreenStream } from '../screen.js';
import { initialUi } from '../state.js';
import { installFaultHooks, TerminalGuard } from '../terminal.js';
import { row, wrap } from '../text.js';
import { colorWanted } from '../theme.js';
import { barRow, decisionHeight, growLog } from '../training/panel.js';
import { TrainSession } from '../training/session.js';
import { Trainer } from '../../training/trainer.js';
import { injectLabel } from '../../training/fire.js';
import { formatTime } from '../../core/units.js';
import type { ClassHub } from './hub.js';
import { countsLine, rosterLines, spreadLines } from './spread.js';

const Row = memo(function Row({ text }: { text: string }) {
  return <Text wrap="truncate">{text}</Text>;
});

export interface JoinInfo {
  /** `ssh -p 2222 NAME@ADDRESS` lines (one an address). */
  commands: string[];
  code: string;
  fingerprint: string;
}

interface ConsoleState {
  sel: number;
  projector: boolean;
  /** The list of injects (`i`): the one chosen, and what the last fire said. */
  injects: null | { sel: number; said?: string };
  confirm: null | { kind: 'end' } | { kind: 'remove'; name: string };
}

/** The last class events, in words (names only; never a student's choice before the reveal). */
export function eventWords(e: ClassEvent): string {
  switch (e.type) {
    case 'join':
      return `${e.name} ${e.back ? 'came back' : 'joined'}`;
    case 'leave':
      return `${e.name} left (the seat waits)`;
    case 'remove':
      return `${e.name} was removed`;
    case 'question':
      return `question ${e.n}: ${e.unit} at ${e.t.slice(11, 19)}`;
    case 'answer':
      return `${e.name} answered${e.t ? ` (${e.t.slice(11, 19)})` : ''}`;
    case 'reveal':
      return `question ${e.n} revealed: doctrine ${choiceLabel(e.doctrine)}`;
    case 'go_on':
      return `the run goes on with ${choiceLabel(e.choice)} (${e.along === 'class' ? "the class's answer" : 'doctrine'})`;
    case 'fire':
      return `inject fired now (${e.t.slice(11, 19)}): ${e.kind.replace('_', ' ')}${e.text ? `: ${e.text}` : ''}`;
    case 'end':
      return 'the class has ended';
  }
}

export function ClassConsole({
  hub,
  join,
  builder,
  cols,
  rows,
  borders,
  onEnd,
  builderFor,
}: {
  hub: ClassHub;
  join: JoinInfo;
  builder: FrameContext;
  /** Self pace: the map and timeline of a student's own run (the selected student's is shown). */
  builderFor?: (name: string) => FrameContext | undefined;
  cols: number;
  rows: number;
  borders?: BorderSet;
  onEnd: () => void;
}) {
  useSyncExternalStore(hub.subscribe, hub.getVersion);
  const room = hub.room;
  const { exit } = useApp();
  const ref = useRef<ConsoleState>({ sel: 0, projector: false, injects: null, confirm: null });
  const [st, setSt] = useState(ref.current);
  const set = (p: Partial<ConsoleState>) => {
    ref.current = { ...ref.current, ...p };
    setSt(ref.current);
  };
  const log = useRef<string[]>([]);
  useEffect(
    () =>
      room.subscribe((e) => {
        if (e) log.current = [...log.current.slice(-199), eventWords(e)];
      }),
    [room],
  );
  const end = () => {
    hub.session?.pause();
    room.end();
    onEnd();
    exit();
  };

  useInput((input, key) => {
    for (const k of keysOf(input, key)) {
      const s = ref.current;
      const roster = room.roster();
      if (k === 'ctrl+c') return end();
      if (s.confirm) {
        if (k === 'y' || k === 'Y') {
          if (s.confirm.kind === 'end') return end();
          room.remove(s.confirm.name);
        }
        set({ confirm: null });
        continue;
      }
      const session = hub.session;
      if (s.injects && session) {
        const list = room.injects;
        const sel = Math.min(s.injects.sel, Math.max(0, list.length - 1));
        if (k === 'escape' || k === 'i') set({ injects: null });
        else if (k === 'down' || k === 'j') set({ injects: { sel: Math.min(Math.max(0, list.length - 1), sel + 1) } });
        else if (k === 'up' || k === 'k') set({ injects: { sel: Math.max(0, sel - 1) } });
        else if (k === 'enter' && list.length) {
          const r = room.fire(sel);
          // The inject happens at the next tick: with the clock stopped, that tick runs now.
          if (r.ok && !session.playing) session.stepForward();
          set({ injects: { sel, said: r.ok ? `fired now (${formatTime(r.fire.t).slice(11, 19)}): every student's log shows it` : r.reason } });
        } else if (k === 't' && list[sel]) {
          const e = session.engine;
          const tick = e.tickAt(list[sel].t);
          if (tick > e.tickIndex && !room.question) session.seekTick(tick);
          set({
            injects: {
              sel,
              said: tick > e.tickIndex ? (room.question ? 'a question is open: go on (g or c) first' : 'the clock ran to it') : 'its time has passed',
            },
          });
        } else if (k === 'space') session.toggle();
        continue;
      }
      if (k === 'space' && session) session.toggle();
      else if (k === 'r') room.reveal();
      else if (k === 'g') hub.goOn('doctrine');
      else if (k === 'c') hub.goOn('class');
      else if (k === 'i' && session && room.pace === 'class') {
        // Open at the next inject still to come.
        const now = session.engine.time;
        const next = room.injects.findIndex((i) => i.t > now);
        set({ injects: { sel: next < 0 ? 0 : next } });
      } else if (k === 'down' || k === 'j') set({ sel: Math.min(Math.max(0, roster.length - 1), s.sel + 1) });
      else if (k === 'up' || k === 'k') set({ sel: Math.max(0, s.sel - 1) });
      else if (k === 'x' && roster[s.sel]) set({ confirm: { kind: 'remove', name: roster[s.sel].name } });
      else if (k === 'p') set({ projector: !s.projector });
      else if (k === 'e' || k === 'q') set({ confirm: { kind: 'end' } });
    }
  });

  // Self pace: the students' runs move without an event of the class, so the roster's times and the
  // selected student's map are redrawn twice a second.
  const [, setPulse] = useState(0);
  useEffect(() => {
    if (room.pace !== 'self') return;
    const t = setInterval(() => setPulse((n) => n + 1), 500);
    return () => clearInterval(t);
  }, [room]);
  const color = builder.color;
  const roster = room.roster();
  const selected = roster[Math.min(st.sel, Math.max(0, roster.length - 1))]?.name;
  // The projector names nobody: it keeps the scenario's map.
  const shown = (selected !== undefined && !st.projector ? builderFor?.(selected) : undefined) ?? builder;
  shown.setBorders(borders);
  const base = computeLayout(cols, rows);
  const layout = base.tooSmall ? base : growLog(base, decisionHeight(base));
  const f = buildFrame(shown, initialUi(room.scenario.units.length), layout, commandEnv(shown, layout));
  if (!f.tooSmall) {
    if (f.map && shown !== builder) f.map = { ...f.map, title: `${f.map.title} · ${selected}'s run` };
    const session = hub.session;
    const clockText = session ? (session.playing ? ' · ▶ clock running' : ' · ‖ clock stopped') : '';
    const right = ` ${room.pace} pace · ${countsLine(room)}${clockText} `;
    const title = st.projector ? 'projector view' : room.scenario.title;
    const roomW = Math.max(0, cols - 19 - right.length);
    f.header = row(
      [
        [' deconflict class ', { inverse: true, bold: true }],
        [' '],
        [title.length > roomW ? `${title.slice(0, Math.max(0, roomW - 1))}…` : title.padEnd(roomW), { bold: true }],
        [right, { dim: true }],
      ],
      cols,
      color,
    );

    // How to join, then the roster (the projector: how to join and counts only).
    const tw = layout.table.iw;
    const th = layout.table.ih;
    const top: string[] = [];
    // On a small terminal the code shares the join line and no row is left blank, so the roster keeps its rows.
    const tight = th < 10 + join.commands.length;
    for (const c of join.commands)
      top.push(
        row(
          [
            ['join: ', { dim: true }],
            [c, { bold: true }],
          ],
          tw,
          color,
        ),
      );
    if (tight) top.push(row([['code ', { dim: true }], [join.code, { bold: true, fg: 'yellow' }], ['  key ', { dim: true }], [join.fingerprint]], tw, color));
    else {
      top.push(
        row(
          [
            ['class code: ', { dim: true }],
            [join.code, { bold: true, fg: 'yellow' }],
          ],
          tw,
          color,
        ),
      );
      top.push(row([['host key: ', { dim: true }], [join.fingerprint]], tw, color));
    }
    if (!tight) top.push(' '.repeat(tw));
    const body = st.projector
      ? [row([[countsLine(room)]], tw, color)]
      : rosterLines(roster, tw, Math.max(1, th - top.length), Math.min(st.sel, Math.max(0, roster.length - 1)), color, room.pace);
    const tableRows = [...top, ...body];
    while (tableRows.length < th) tableRows.push(' '.repeat(tw));
    f.table = { title: st.projector ? 'Join the class' : 'Roster', right: `${roster.length} seated`, rows: tableRows.slice(0, th), focused: true };

    // The question and its spread (class pace), or the class's latest events.
    const iw = layout.log.iw;
    const ih = layout.log.ih;
    const lines: string[] = [];
    const push = (t: string, stl?: Parameters<typeof row>[0][number][1]) => {
      for (const l of wrap(t, iw)) lines.push(row([[l, stl]], iw, color));
    };
    const q = room.question;
    let panel: PanelFrame;
    if (st.injects && !st.projector) {
      const list = room.injects;
      const sel = Math.min(st.injects.sel, Math.max(0, list.length - 1));
      const now = hub.session?.engine.time ?? room.scenario.start;
      const fired = new Set(room.fires.map((f) => f.inject));
      if (!list.length) push('The scenario and its MSEL have no injects.', { dim: true });
      if (st.injects.said) push(st.injects.said, { bold: true });
      const room0 = Math.max(1, ih - lines.length);
      const first = Math.max(0, Math.min(sel - Math.floor(room0 / 2), list.length - room0));
      list.slice(first, first + room0).forEach((inj, j) => {
        const i = first + j;
        const mark = fired.has(i) ? 'fired ' : inj.t <= now ? 'past  ' : '      ';
        lines.push(
          row([[`${i === sel ? '▶ ' : '  '}${mark}${injectLabel(room.scenario, inj)}`, i === sel ? { inverse: true } : { dim: inj.t <= now }]], iw, color),
        );
      });
      panel = { title: 'Injects', right: `${list.length} in the MSEL`, rows: [], focused: true };
    } else if (q) {
      const sc = room.scenario;
      // One row each for the situation and the count, so that the seven bars fit at 80×24.
      lines.push(
        row([[`${sc.units[q.proposal.unit].name} (${sc.units[q.proposal.unit].id}) in ${sc.zones[q.proposal.zone].id}: ${q.situation.what}`]], iw, color),
      );
      const doc = room.doctrine()!;
      const count = `${q.answers.size} of ${roster.filter((r) => r.connected).length} answered${q.revealed ? ' · revealed' : ''}`;
      lines.push(
        row(
          [
            [count, { bold: true }],
            ...(st.projector
              ? []
              : ([['  ·  '], [`doctrine: ${choiceLabel(doc)}${q.revealed ? '' : ' (hidden from the class)'}`, { dim: !q.revealed }]] as const)),
          ],
          iw,
          color,
        ),
      );
      if (!st.projector || q.revealed) lines.push(...spreadLines(room.spread(), iw, color, q.revealed ? doc : undefined));
      panel = { title: `Question ${q.n}`, right: q.revealed ? 'revealed' : 'answers coming in', rows: [], focused: false };
    } else {
      const recent = st.projector ? [] : log.current.slice(-ih);
      if (!recent.length)
        push(
          room.pace === 'class'
            ? 'No question open: space starts the clock; it stops at the next decision point.'
            : 'Each student plays at their own pace; the roster shows their progress and score.',
          { dim: true },
        );
      for (const l of recent) push(l);
      panel = { title: room.pace === 'class' ? 'The class' : 'Progress', right: '', rows: [], focused: false };
    }
    while (lines.length < ih) lines.push(' '.repeat(iw));
    panel.rows = lines.slice(-ih);
    if (q || st.injects) panel.rows = lines.slice(0, ih);
    f.log = panel;
    const items =
      room.pace === 'class'
        ? [
            { key: 'space', label: session?.playing ? 'pause' : 'start the clock' },
            { key: 'r', label: 'reveal' },
            { key: 'g', label: 'go on (doctrine)' },
            { key: 'c', label: "go on (class's answer)" },
            { key: 'i', label: 'injects' },
            { key: 'p', label: 'projector' },
            { key: 'x', label: 'remove' },
            { key: 'e', label: 'end' },
          ]
        : [
            { key: '↑↓', label: 'select' },
            { key: 'x', label: 'remove' },
            { key: 'p', label: 'projector' },
            { key: 'e', label: 'end the class' },
          ];
    f.bar = barRow(
      st.injects
        ? [
            { key: '↑↓', label: 'choose' },
            { key: 'enter', label: 'fire now' },
            { key: 'esc', label: 'back' },
            { key: 't', label: 'run the clock to it' },
            { key: 'space', label: session?.playing ? 'pause' : 'start the clock' },
          ]
        : items,
      cols,
      color,
    );
    if (st.confirm) {
      const what = st.confirm.kind === 'end' ? 'End the class? (every session file gets its end line)' : `Remove ${st.confirm.name} from the class?`;
      f.bar = barRow(
        [
          { key: 'y', label: what },
          { key: 'any other key', label: 'no' },
        ],
        cols,
        color,
      );
    }
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

/** Self pace: a view of each student's own run (its map and clock), made when the trainer first selects them. */
export function seatViews(room: ClassRoom, color: boolean): (name: string) => FrameContext | undefined {
  const views = new WeakMap<Trainer, FrameContext>();
  return (name) => {
    const t = room.seats.get(name)?.trainer;
    if (!t) return undefined;
    let b = views.get(t);
    if (!b) views.set(t, (b = new FrameContext(new TrainSession(t), color)));
    return b;
  };
}

/** Run the console on the trainer's terminal until the class ends. */
export async function runConsole(hub: ClassHub, join: JoinInfo, beforeExit: () => void): Promise<void> {
  const stdout = process.stdout;
  const stdin = process.stdin;
  // Self pace has no class run: the console shows the scenario's map at its start.
  const session = hub.session ?? new TrainSession(new Trainer(hub.room.scenario, { seed: hub.room.opts.seed }));
  const builder = new FrameContext(session, colorWanted());
  const builderFor = seatViews(hub.room, builder.color);
  const guard = new TerminalGuard({ stdout, stdin });
  const screen = new ScreenStream(stdout, 30);
  let instance: Instance | undefined;
  const cleanup = () => {
    try {
      instance?.unmount();
    } catch {
      // Already unmounted.
    }
    screen.close();
    guard.restore();
  };
  const detach = installFaultHooks({ cleanup, guard, stderr: process.stderr, beforeExit });
  function Root() {
    const [size, setSize] = useState({ cols: screen.columns, rows: screen.rows });
    const [borders, setBorders] = useState<BorderSet | undefined>();
    useEffect(() => {
      const f = () => setSize({ cols: screen.columns, rows: screen.rows });
      screen.on('resize', f);
      const t = setTimeout(() => setBorders(loadBorders()), 0);
      return () => {
        screen.off('resize', f);
        clearTimeout(t);
      };
    }, []);
    return (
      <ClassConsole
        hub={hub}
        join={join}
        builder={builder}
        builderFor={hub.room.pace === 'self' ? builderFor : undefined}
        cols={size.cols}
        rows={size.rows}
        borders={borders}
        onEnd={() => {}}
      />
    );
  }
  guard.enter();
  try {
    instance = render(<Root />, {
      stdout: screen as unknown as NodeJS.WriteStream,
      stdin,
      stderr: process.stderr,
      debug: true,
      exitOnCtrlC: false,
      patchConsole: false,
    });
    await instance.waitUntilExit();
  } finally {
    cleanup();
    detach();
  }
}
