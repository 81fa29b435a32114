/**
 * The class's panels as rows of prebuilt strings: the spread of answers as a bar chart, the
 * roster, and what a student sees of the open question in class pace. Names come only from the
 * roster, which admits letters, digits, -, _ and . (src/training/class/names.ts); typed
 * justifications are never shown here.
 */
import type { Choice } from '../../core/engine.js';
import { choiceLabel } from '../../training/grade.js';
import type { ClassRoom, RosterRow } from '../../training/class/room.js';
import { clock } from '../screen/format.js';
import { pad, row, trunc } from '../text.js';

/** One row a response: its label, a bar and the count. Doctrine's is marked only when `doctrine` is given (after the reveal). */
export function spreadLines(spread: readonly { choice: Choice; count: number }[], iw: number, color: boolean, doctrine?: Choice): string[] {
  const total = spread.reduce((s, x) => s + x.count, 0);
  const most = Math.max(1, ...spread.map((s) => s.count));
  const labelW = 14;
  // Room after the bar for the count, the share and the doctrine mark.
  const barW = Math.max(1, Math.min(40, iw - labelW - 22));
  return spread.map((s) => {
    const n = Math.round((s.count / most) * barW);
    const mark = doctrine === s.choice ? '◀ doctrine' : '';
    const pct = total ? `${Math.round((100 * s.count) / total)}%` : '';
    return row(
      [
        [pad(trunc(choiceLabel(s.choice), labelW), labelW), doctrine === s.choice ? { bold: true } : undefined],
        [' '],
        ['█'.repeat(n), { fg: doctrine === s.choice ? 'green' : 'cyan' }],
        [`${n ? ' ' : ''}${s.count}${pct ? ` ${pct}` : ''}`],
        [mark ? ` ${mark}` : '', { bold: true, fg: 'green' }],
      ],
      iw,
      color,
    );
  });
}

/** The roster table: name, connected, answered, score, and (class pace) answered the open question. */
export function rosterLines(rows: readonly RosterRow[], iw: number, ih: number, sel: number, color: boolean, pace: 'class' | 'self'): string[] {
  const nameW = Math.max(6, Math.min(20, ...rows.map((r) => r.name.length)));
  const head = row(
    [
      [pad('student', nameW + 2)],
      [pad('', 3)],
      [pad(pace === 'class' ? 'now' : 'state', 9)],
      [pad('answers', 8, true)],
      [pad('score', 7, true)],
      [pace === 'self' ? '  at' : ''],
    ],
    iw,
    color,
    { dim: true },
  );
  const out = [head];
  const first = Math.max(0, Math.min(sel - (ih - 2), rows.length - (ih - 1)));
  rows.slice(first, first + ih - 1).forEach((r, i) => {
    const state = r.ended
      ? 'done'
      : pace === 'class'
        ? r.current
          ? 'answered'
          : r.connected
            ? 'thinking'
            : ''
        : r.current
          ? 'deciding'
          : r.connected
            ? 'playing'
            : 'away';
    out.push(
      row(
        [
          [first + i === sel ? '▶' : ' ', { fg: 'cyan' }],
          [pad(trunc(r.name, nameW), nameW + 1)],
          [r.connected ? ' ● ' : ' ○ ', { fg: r.connected ? 'green' : undefined, dim: !r.connected }],
          [pad(state, 9), { fg: r.current && pace === 'class' ? 'green' : undefined }],
          [pad(String(r.answered), 8, true)],
          [pad(r.answered ? `${r.percent}%` : '-', 7, true)],
          [r.at !== undefined ? `  ${clock(r.at)}` : ''],
        ],
        iw,
        color,
      ),
    );
  });
  while (out.length < ih) out.push(' '.repeat(iw));
  return out.slice(0, ih);
}

/** Counts only (the projector never names anyone). */
export function countsLine(room: ClassRoom): string {
  const rows = room.roster();
  const on = rows.filter((r) => r.connected).length;
  const q = room.question;
  return `${on} connected of ${rows.length} seated${q ? ` · ${q.answers.size} answered` : ''}`;
}
