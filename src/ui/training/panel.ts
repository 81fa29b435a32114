/**
 * The training screen's own panels, as rows of prebuilt strings: the decision panel (the
 * situation, the seven responses, the justification), the feedback and the end summary, each
 * fitted to the rows it has — what matters most is kept when the terminal is small: the seven
 * responses and the whole justification always, then where the unit is, what happened and the
 * unit's make-up — and a key bar that keeps the most important keys that fit.
 */
import type { SimEvent } from '../../core/events.js';
import { describeComposition, threatScore } from '../../core/ladder.js';
import type { Scenario } from '../../core/model.js';
import { fitBar, type BarItem } from '../commands/keybar.js';
import type { Layout } from '../layout.js';
import { row, trunc, width, wrap, type Seg } from '../text.js';
import { FOCUS_COLOR, type Style } from '../theme.js';
import { beforeText, displayTime, outcomeLines } from '../../training/prompts.js';
import type { Assessment } from '../../training/grade.js';
import { CHOICES, choiceLabel, GRADE_LABEL } from '../../training/grade.js';
import type { Decision, Trainer } from '../../training/trainer.js';
import { whereText } from '../../training/words.js';

/** What the decision panel is doing. */
export type Mode =
  | { kind: 'brief'; scroll: number }
  | { kind: 'watch' }
  | { kind: 'inject'; event: SimEvent; resume: boolean }
  | { kind: 'choose'; sel: number; stage: 'choice' | 'why'; text: string }
  | { kind: 'feedback'; decision: Decision & { assessment: Assessment }; scroll: number }
  | { kind: 'end'; scroll: number }
  /** Choosing an earlier decision to go back to (a branch); `back` is the mode to return to. */
  | { kind: 'branch'; sel: number; back: Mode };

/** What the panel says besides the trainer's state: the answer given before on a branch, and whether `b` goes back. */
export interface PanelExtra {
  before?: Decision;
  canBranch?: boolean;
}

/** A view opened over the decision panel (the panel stays where it was). */
export type Peek = { kind: 'details' | 'events' | 'help'; scroll: number };

export interface PanelOut {
  title: string;
  right: string;
  rows: string[];
  /** Key bar items, most important first. */
  bar: BarItem[];
  /** Lines in all (for scrolling), when more than fit. */
  total?: number;
}

/** The key bar: the items that fit, most important first, keys highlighted. */
export function barRow(items: readonly BarItem[], w: number, color: boolean): string {
  const fit = fitBar(items, w - 1);
  const segs: Seg[] = [[' ']];
  fit.forEach((it, i) => {
    if (i) segs.push(['  ']);
    segs.push([it.key, { bold: true, fg: FOCUS_COLOR }], [` ${it.label}`]);
  });
  return row(segs, w, color);
}

/** The height the decision panel takes: the same for the question and its feedback, so the map does not jump. */
export function decisionHeight(l: Layout): number {
  const body = l.map.h + l.log.h;
  return Math.max(l.log.h, Math.min(body - 8, Math.max(11, Math.round(body * 0.45))));
}

/** The layout with the event log's place grown to `want` rows (the decision panel takes it). */
export function growLog(l: Layout, want: number): Layout {
  const body = l.map.h + l.log.h;
  const logH = Math.max(l.log.h, Math.min(want, body - 8));
  const topH = body - logH;
  const box = (w: number, h: number) => ({ w, h, iw: Math.max(0, w - 2), ih: Math.max(0, h - 2) });
  return { ...l, map: box(l.map.w, topH), table: box(l.table.w, topH), log: box(l.log.w, logH) };
}

const PEEK_KEYS: BarItem[] = [
  { key: 'd', label: 'details' },
  { key: 'e', label: 'events' },
  { key: '?', label: 'help, legend' },
];

/** The seven responses, packed into rows of `iw` cells; the first row starts with the prompt. */
function choiceRows(sel: number, iw: number, color: boolean): string[] {
  const prompt = 'Your response: ';
  const indent = iw >= 60 ? width(prompt) : 0;
  const rows: Seg[][] = [[[prompt, { bold: true }]]];
  let used = width(prompt);
  CHOICES.forEach((c, i) => {
    const item = ` ${i + 1} ${choiceLabel(c)} `;
    const st: Style = i === sel ? { inverse: true, bold: true } : { fg: 'cyan' };
    const need = width(item) + 1;
    if (used + need > iw && used > indent) {
      rows.push([[' '.repeat(indent)]]);
      used = indent;
    }
    rows[rows.length - 1].push([item, st], [' ']);
    used += need;
  });
  return rows.map((segs) => row(segs, iw, color));
}

/** The justification being typed, wrapped so that all of it shows (the last rows if it is longer than `max`). */
function whyRows(text: string, iw: number, max: number, color: boolean): string[] {
  const label = 'Why (optional, one line): ';
  const lines = wrap(`${label}${text}\u2588`, iw);
  const keep = lines.slice(-Math.max(1, max));
  return keep.map((l, i) => {
    const first = i === 0 && keep.length === lines.length;
    const body = first ? l.slice(label.length) : l;
    const segs: Seg[] = first ? [[label, { bold: true }]] : [];
    // The cursor block is the last character of the last row.
    if (i === keep.length - 1 && body.endsWith('\u2588')) segs.push([body.slice(0, -1)], ['\u2588', { dim: true }]);
    else segs.push([body]);
    return row(segs, iw, color);
  });
}

/** Rows for the question: always the responses and the justification; then as much of the situation as fits. */
function chooseRows(trainer: Trainer, mode: Extract<Mode, { kind: 'choose' }>, iw: number, ih: number, color: boolean, before?: Decision): string[] {
  const sc = trainer.scenario;
  const s = trainer.pending!.situation;
  const unit = sc.units[s.unit];
  const head = row(
    [
      [`${displayTime(s.t).slice(11)}  `, { bold: true }],
      [`${unit.name} (${unit.id})`, { bold: true }],
      [`, now at ${s.rung ? choiceLabel(s.rung) : 'no rung'}`],
    ],
    iw,
    color,
  );
  const choices = choiceRows(mode.sel, iw, color);
  const why = mode.stage === 'why' ? whyRows(mode.text, iw, Math.max(1, ih - 1 - choices.length), color) : [];
  const where = wrap(`Where: ${whereText(sc, s.zone, s.edge_m, s.site_m)}`, iw).map((l) => row([[l]], iw, color));
  const what = wrap(`What happened: ${s.what}`, iw).map((l) => row([[l]], iw, color));
  const unitLine = [
    row(
      [[`Unit: ${describeComposition(unit.composition)} (threat score ${threatScore(unit.composition, sc.doctrine.threatWeights)})`, { dim: true }]],
      iw,
      color,
    ),
  ];
  let room = ih - 1 - choices.length - why.length;
  // Most important first: where the unit is, what happened, the unit's make-up; each whole, or cut to one row.
  const take = (rows: string[], oneRow: () => string): string[] => {
    if (rows.length <= room) {
      room -= rows.length;
      return rows;
    }
    if (room >= 1) {
      room -= 1;
      return [oneRow()];
    }
    return [];
  };
  const cut = (text: string) => row([[trunc(text, iw)]], iw, color);
  // On a branch, the answer given before to this very decision comes first (it is why the student came back).
  const again = before && before.n === trainer.decisions.length + 1 ? beforeText(before) : undefined;
  const w0 = again ? take([row([[trunc(again, iw), { fg: 'yellow' }]], iw, color)], () => cut(again)) : [];
  const w1 = take(where, () => cut(`Where: ${whereText(sc, s.zone, s.edge_m, s.site_m)}`));
  const w2 = take(what, () => cut(`What happened: ${s.what}`));
  const w3 = take(unitLine, () => unitLine[0]);
  return [head, ...w0, ...w1, ...w2, ...w3, ...choices, ...why];
}

function scrolled(lines: string[], scroll: number, ih: number, iw: number): { rows: string[]; right: string } {
  const max = Math.max(0, lines.length - ih);
  const top = Math.max(0, Math.min(scroll, max));
  const rows = lines.slice(top, top + ih);
  const right = lines.length > ih ? ` · lines ${top + 1}-${Math.min(lines.length, top + ih)} of ${lines.length} (↑↓)` : '';
  while (rows.length < ih) rows.push(' '.repeat(iw));
  return { rows, right };
}

/** The feedback's lines, all of them (the panel scrolls them). */
export function feedbackLines(d: Decision & { assessment: Assessment }, iw: number, color: boolean): string[] {
  const rows: string[] = [];
  const ok = d.grade === 'correct';
  d.assessment.feedback.forEach((line, i) => {
    wrap(line, iw).forEach((l, k) =>
      rows.push(row([[l, i === 0 && k === 0 ? { bold: true, fg: ok ? 'green' : 'red' } : i === 0 ? { bold: true } : undefined]], iw, color)),
    );
  });
  if (d.justification) for (const l of wrap(`Your justification: ${d.justification}`, iw)) rows.push(row([[l, { dim: true }]], iw, color));
  return rows;
}

/** The end: the score, every decision and where each unit ended. */
export function endLines(trainer: Trainer, iw: number, color: boolean, canBranch = false): string[] {
  const sc = trainer.scenario;
  const score = trainer.score;
  const rows: string[] = [];
  rows.push(
    row(
      [
        [
          score.total ? `Score: ${score.correct} of ${score.total} decisions as doctrine would (${score.percent} %)` : 'No decision points came up.',
          { bold: true },
        ],
      ],
      iw,
      color,
    ),
  );
  rows.push(' '.repeat(iw));
  for (const d of trainer.decisions) {
    const p = d.proposal;
    const segs: Seg[] = [
      [
        `${String(d.n).padStart(3)}. ${displayTime(p.t).slice(11)} ${sc.units[p.unit].id}: chose ${choiceLabel(d.choice)}, doctrine ${choiceLabel(d.doctrine)} — `,
      ],
      [GRADE_LABEL[d.grade], { bold: true, fg: d.grade === 'correct' ? 'green' : 'red' }],
    ];
    rows.push(row(segs, iw, color));
    if (d.justification) for (const l of wrap(`“${d.justification}”`, iw - 6)) rows.push(row([[`      ${l}`, { dim: true }]], iw, color));
  }
  rows.push(' '.repeat(iw));
  for (const l of outcomeLines(sc, trainer.engine, 'at the end')) rows.push(row([[l]], iw, color));
  rows.push(' '.repeat(iw));
  const back = canBranch && trainer.decisions.length ? ' `b` goes back to a decision to answer it again (your answers so far are kept).' : '';
  for (const l of wrap(`The session file has every decision; \`deconflict report\` makes the after-action report from it.${back}`, iw))
    rows.push(row([[l, { dim: true }]], iw, color));
  return rows;
}

/** Whether an event is an inject that stops the training clock until acknowledged (by default a message does). */
export function pausesAt(sc: Scenario, e: SimEvent): boolean {
  if (e.type !== 'inject' || e.inject === undefined) return false;
  const inj = sc.injects.find((i) => i.index === e.inject);
  return inj ? (inj.pause ?? inj.type === 'message') : false;
}

/** The title students see: the scenario's student title, never its own (which may tell the outcome). */
export function studentTitle(sc: { studentTitle?: string }): string {
  return sc.studentTitle ?? 'Training exercise';
}

/** The briefing's lines: each paragraph wrapped, a blank row between. */
export function briefingLines(sc: { briefing?: string; studentTitle?: string }, iw: number, color: boolean): string[] {
  const rows: string[] = [row([[studentTitle(sc), { bold: true }]], iw, color), ' '.repeat(iw)];
  const paras = (sc.briefing ?? '').split(/\n+/).filter((p) => p.trim());
  paras.forEach((p, i) => {
    if (i) rows.push(' '.repeat(iw));
    const m = /^([^:]{1,40}:)\s(.*)$/s.exec(p.trim());
    const lines = wrap(p.trim(), iw);
    lines.forEach((l, k) => {
      // A paragraph's lead ("The zone:") in bold.
      if (k === 0 && m && l.startsWith(m[1])) rows.push(row([[m[1], { bold: true, fg: FOCUS_COLOR }], [l.slice(m[1].length)]], iw, color));
      else rows.push(row([[l]], iw, color));
    });
  });
  rows.push(' '.repeat(iw));
  for (const l of wrap('The clock starts when you press enter. At each decision point it stops: choose a response (1–7) and give your reason in one line.', iw))
    rows.push(row([[l, { dim: true }]], iw, color));
  return rows;
}

/** The decision, feedback or end panel in `iw`×`ih` cells. */
export function decisionPanel(trainer: Trainer, mode: Mode, iw: number, ih: number, color: boolean, extra: PanelExtra = {}): PanelOut {
  const sc = trainer.scenario;
  const score = trainer.score;
  const right = score.total ? `score ${score.correct}/${score.total}` : 'no decisions yet';
  const back: BarItem[] = extra.canBranch && trainer.decisions.length ? [{ key: 'b', label: 'back to a decision' }] : [];
  if (mode.kind === 'branch') return branchPanel(trainer, mode, iw, ih, color);
  if (mode.kind === 'choose' && trainer.pending) {
    const s = trainer.pending.situation;
    const rows = chooseRows(trainer, mode, iw, ih, color, extra.before);
    while (rows.length < ih) rows.push(' '.repeat(iw));
    const bar: BarItem[] =
      mode.stage === 'choice'
        ? [{ key: '1-7', label: 'choose' }, { key: '↑↓ enter', label: 'pick' }, ...PEEK_KEYS, { key: 'q', label: 'quit' }, ...back]
        : [
            { key: 'enter', label: `confirm ${choiceLabel(CHOICES[mode.sel])}` },
            { key: 'type', label: 'a justification' },
            { key: 'esc', label: 'back to the choice' },
            { key: 'ctrl-c', label: 'quit' },
          ];
    return { title: `Decision ${trainer.decisions.length + 1} — ${sc.units[s.unit].id} in ${sc.zones[s.zone].id}`, right, rows: rows.slice(0, ih), bar };
  }
  if (mode.kind === 'feedback') {
    const d = mode.decision;
    const lines = feedbackLines(d, iw, color);
    const sc2 = scrolled(lines, mode.scroll, ih, iw);
    return {
      title: `Decision ${d.n}: ${GRADE_LABEL[d.grade]}`,
      right: `${right}${sc2.right}`,
      rows: sc2.rows,
      total: lines.length,
      bar: [
        { key: 'enter', label: 'go on (your choice plays out)' },
        { key: 'n', label: 'next escalation' },
        ...back,
        ...(lines.length > ih ? [{ key: '↑↓', label: 'more' }] : []),
        ...PEEK_KEYS,
        { key: 'q', label: 'quit' },
      ],
    };
  }
  if (mode.kind === 'inject') {
    const e = mode.event;
    const rows: string[] = [];
    for (const l of wrap(e.reason, iw)) rows.push(row([[l, { bold: true }]], iw, color));
    rows.push(' '.repeat(iw));
    for (const l of wrap('The clock is stopped until you acknowledge this inject.', iw)) rows.push(row([[l, { dim: true }]], iw, color));
    const sc3 = scrolled(rows, 0, ih, iw);
    return {
      title: `${e.kind === 'message' ? 'Exercise message' : 'Inject'} — ${displayTime(e.t).slice(11)}`,
      right,
      rows: sc3.rows,
      bar: [{ key: 'enter', label: 'acknowledge, go on' }, ...PEEK_KEYS, { key: 'q', label: 'quit' }],
    };
  }
  if (mode.kind === 'brief') {
    const lines = briefingLines(sc, iw, color);
    const sc3 = scrolled(lines, mode.scroll, ih, iw);
    return {
      title: 'Briefing',
      right: sc3.right.replace(/^ · /, ''),
      rows: sc3.rows,
      total: lines.length,
      bar: [{ key: 'enter', label: 'start the exercise' }, ...(lines.length > ih ? [{ key: '↑↓', label: 'more' }] : []), { key: 'q', label: 'quit' }],
    };
  }
  const lines = endLines(trainer, iw, color, extra.canBranch);
  const sc2 = scrolled(lines, mode.kind === 'end' ? mode.scroll : 0, ih, iw);
  return {
    title: 'End of the exercise',
    right: `${right}${sc2.right}`,
    rows: sc2.rows,
    total: lines.length,
    bar: [{ key: 'q', label: 'quit' }, ...back, ...(lines.length > ih ? [{ key: '↑↓', label: 'more' }] : [])],
  };
}

/** The decisions so far, one a row: "3. 07:35:50Z convoy in tanf-dz: chose strike — out of proportion". */
export function branchChoices(trainer: Trainer): string[] {
  const sc = trainer.scenario;
  return trainer.decisions.map((d) => {
    const p = d.proposal;
    return `${d.n}. ${displayTime(p.t).slice(11)} ${sc.units[p.unit].id} in ${sc.zones[p.zone].id}: chose ${choiceLabel(d.choice)} — ${GRADE_LABEL[d.grade]}`;
  });
}

/** Going back: which decision to answer again. The list scrolls to keep the selected one in view. */
function branchPanel(trainer: Trainer, mode: Extract<Mode, { kind: 'branch' }>, iw: number, ih: number, color: boolean): PanelOut {
  const intro = wrap(
    'Answer which decision again? The run is replayed exactly to it, and you answer from there; your answers so far stay in the session file.',
    iw,
  ).map((l) => row([[l, { dim: true }]], iw, color));
  const head = intro.slice(0, Math.max(0, Math.min(intro.length, ih - 2)));
  const items = branchChoices(trainer);
  const room = Math.max(1, ih - head.length);
  const top = Math.max(0, Math.min(mode.sel - room + 1, items.length - room));
  const rows = [
    ...head,
    ...items
      .slice(top, top + room)
      .map((t, i) => (top + i === mode.sel ? row([['▶ ' + t, { inverse: true, bold: true }]], iw, color) : row([['  ' + t]], iw, color))),
  ];
  while (rows.length < ih) rows.push(' '.repeat(iw));
  const n = mode.sel + 1;
  return {
    title: 'Go back to a decision',
    right: `${items.length} decision${items.length === 1 ? '' : 's'}`,
    rows: rows.slice(0, ih),
    bar: [
      { key: 'enter', label: `answer decision ${n} again` },
      { key: '↑↓', label: 'choose' },
      { key: 'esc', label: 'cancel' },
    ],
  };
}
