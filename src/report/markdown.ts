/** The after-action report in Markdown (the default format). */
import { RUNG_LABEL } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import { formatDistance, formatDuration } from '../core/units.js';
import { markdownCode, markdownParagraphs, markdownText } from '../core/text/safe.js';
import { lineName } from './branch.js';
import { scoreText, type BranchComparison, type BranchSide, type ReportData, type TimelineEntry } from './model.js';

/** Text from outside, as Markdown shows it and does nothing with (src/core/text/safe.ts). */
const md = (s: string | number | undefined | null) => markdownText(String(s ?? ''));

/** A table cell: no pipes or line breaks, nothing Markdown or HTML acts on. */
export function cell(s: string | number | undefined | null): string {
  return md(s);
}

const rung = (r: Rung | null | undefined) => (r ? RUNG_LABEL[r] : 'none');
const time = (iso: string) => iso.replace('T', ' ');

export function eventLabel(e: Pick<TimelineEntry, 'type' | 'from' | 'rung'>): string {
  if (e.type === 'escalate') return e.from === e.rung ? `held at ${rung(e.rung)}` : `${rung(e.from)} → ${rung(e.rung)}`;
  if (e.type === 'stand_down') return `stand down: ${rung(e.from)} → ${rung(e.rung)}`;
  if (e.type === 'hostile_act') return 'hostile act';
  if (e.type === 'hold') return `held at ${rung(e.rung)}`;
  return 'inject';
}

function table(head: string[], rows: (string | number | undefined)[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

export function toMarkdown(r: ReportData): string {
  const out: string[] = [];
  out.push(`# After-action report: ${md(r.title)}`, '');
  out.push(`- Scenario: ${markdownCode(r.scenario)} (seed ${r.seed})`);
  if (r.msel) out.push(`- MSEL: ${markdownCode(r.msel.file)}${r.msel.title ? ` — ${md(r.msel.title)}` : ''}`);
  out.push(`- Period: ${time(r.start)} to ${time(r.end)}${r.stopped !== r.end ? `; the run stopped at ${time(r.stopped)}` : ''}`);
  out.push(
    r.mode === 'session'
      ? `- Run: training session ${markdownCode(r.session!.file)} (${r.session!.status}); the trainee's decisions drove it`
      : '- Run: doctrine alone (no training session)',
  );
  if (r.session) out.push(`- Student: ${markdownText(r.session.student)}`);
  if (r.description) out.push('', markdownParagraphs(r.description));

  out.push('', '## Summary', '');
  if (r.session) {
    out.push(`Score: **${scoreText(r.session, r.stopped)}**`, '');
    const counts = Object.entries(r.session.byGrade)
      .filter(([, n]) => n > 0)
      .map(([g, n]) => `${n} ${g.replace(/_/g, ' ')}`);
    if (counts.length) out.push(`Decisions: ${counts.join(', ')}.`, '');
  }
  // One lookup per unit, not a scan of every unit's outcome (a 20,000-unit report was quadratic).
  const doctrineOf = new Map(r.session?.doctrineOutcomes.map((d) => [d.unit, d.outcome]));
  out.push(
    ...table(
      r.session ? ['Unit', 'Composition', 'Highest rung', 'Outcome', 'Under doctrine alone'] : ['Unit', 'Composition', 'Highest rung', 'Outcome'],
      r.units.map((u) => {
        const row: (string | number)[] = [`${u.id} (${u.name})`, u.brief, rung(u.highestRung), u.outcome];
        if (r.session) row.push(doctrineOf.get(u.id) ?? '');
        return row;
      }),
    ),
  );

  out.push('', '## Timeline of escalation', '');
  if (!r.timeline.length) out.push('No rung fired and no inject came.');
  else
    out.push(
      ...table(
        ['#', 'Time (UTC)', 'Unit', 'Zone', 'Event', 'By', 'Reason'],
        r.timeline.map((e) => [e.n, time(e.t), e.unit ?? '', e.zone ?? '', eventLabel(e), e.by ?? '', e.reason]),
      ),
    );

  out.push('', '## Units');
  for (const u of r.units) {
    out.push('', `### ${md(u.id)} — ${md(u.name)}`, '');
    out.push(`- Side: ${md(u.side)}; composition: ${md(u.composition)} (threat score ${u.threat})`);
    out.push(`- First detection: ${u.firstDetection ? `${time(u.firstDetection.t)} (${md(u.firstDetection.zone)}: ${md(u.firstDetection.reason)})` : 'never'}`);
    out.push(`- Zone entry: ${u.entries.length ? u.entries.map((e) => `${time(e.t)} (${md(e.zone)})`).join(', ') : 'never'}`);
    for (const c of u.closest) out.push(`- Closest approach to ${md(c.siteName)}: ${formatDistance(c.m)} at ${time(c.t)}`);
    out.push(`- Time inside: ${u.inside.length ? u.inside.map((i) => `${formatDuration(i.ms)} in ${md(i.zone)}`).join(', ') : 'none'}`);
    out.push(`- Outcome: ${md(u.outcome)}`);
    if (u.rungs.length) {
      out.push(
        '',
        ...table(
          ['Time (UTC)', 'Zone', 'Rung', 'By', 'Reason'],
          u.rungs.map((x) => [time(x.t), x.zone, eventLabel(x), x.by ?? '', x.reason]),
        ),
      );
    }
  }

  out.push('', '## Injects', '');
  if (!r.injects.length) out.push('No injects.');
  for (const i of r.injects) {
    out.push(
      `### Inject ${i.index + 1}: ${i.type.replace(/_/g, ' ')} ${i.on ? `on ${rung(i.on)} from` : 'at'} ${time(i.t)}${i.unit ? ` (${md(i.unit)})` : ''}`,
      '',
    );
    if (i.text) out.push(`- Inject: ${md(i.text)}`);
    out.push(`- Expected response: ${i.expected ? md(i.expected) : '(not stated)'}`);
    out.push(`- What happened: ${i.happened.map(md).join('; ')}`);
    if (i.notes) out.push(`- Trainer's notes: ${md(i.notes)}`);
    out.push('');
  }

  if (r.session) {
    out.push('## Decisions against doctrine', '');
    if (!r.session.decisions.length) out.push('No decisions were made.');
    else {
      out.push(
        ...table(
          ['#', 'Time (UTC)', 'Unit', 'Zone', 'Situation', 'At', 'Choice', 'Doctrine', 'Grade', 'Justification'],
          r.session.decisions.map((d) => [
            d.n,
            time(d.t),
            d.unit,
            d.zone,
            d.situation,
            rung(d.from),
            d.choice,
            d.doctrine,
            d.gradeLabel,
            d.justification ?? '',
          ]),
        ),
      );
    }
    out.push('', `Score: ${scoreText(r.session, r.stopped)}`, '');
  }
  if (r.branches?.length) out.push(...branchesMarkdown(r.branches));

  if (r.expectations.length && r.session) {
    // The author's checks of the scenario are the trainer's, not a grade of the student.
    out.push(
      "## For the trainer: the scenario's expectations",
      '',
      "The scenario author's `expect:` checks, judged on this run: a check of the scenario, not the student's result.",
      '',
    );
    for (const e of r.expectations) out.push(`- ${e.passed ? 'met' : 'not met'}: ${md(e.text)} (${md(e.detail)})`);
    out.push('');
  } else if (r.expectations.length) {
    out.push('## Expectations', '');
    for (const e of r.expectations) out.push(`- ${e.passed ? 'PASS' : 'FAIL'} ${md(e.text)}: ${md(e.detail)}`);
    out.push('');
  }
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}

/** One entry of what came after a decision: "07:45:50 convoy show of force → warning shots (trainee)". */
export function afterText(e: TimelineEntry): string {
  return `${e.t.slice(11, 19)} ${e.unit ?? ''} ${eventLabel(e)}${e.by === 'trainee' ? ' (trainee)' : ''}`.replace(/\s+/g, ' ');
}

/** What came after the decision on one side, in one cell. */
export function afterCell(s: BranchSide): string {
  if (s.choice === null) return '';
  if (!s.after.length) return 'no rung changed';
  return `${s.after.map(afterText).join('; ')}${s.afterMore ? `; and ${s.afterMore} more` : ''}`;
}

/** The rows of a branch's comparison: what it is called, then the line it left and the branch. */
export function branchRows(b: BranchComparison): { head: string[]; rows: [string, string, string][] } {
  const f = b.first;
  const a = b.again;
  const rows: [string, string, string][] = [
    [`Choice at decision ${b.at}`, f.choice ?? 'not answered', a.choice ?? 'not answered (the student stopped before answering)'],
    ['Grade', f.gradeLabel, a.gradeLabel],
    ['Justification', f.justification ?? '', a.justification ?? ''],
    ...f.outcomes.map((o, i): [string, string, string] => [`Outcome: ${o.unit}`, o.outcome, a.outcomes[i]?.outcome ?? '']),
    [`After decision ${b.at}`, afterCell(f), afterCell(a)],
    ['Score', scoreText(f, f.stopped), scoreText(a, a.stopped)],
  ];
  return { head: ['', lineName(b.parent), lineName(b.branch)], rows };
}

/** The branches section: each branch beside the line it left. */
function branchesMarkdown(branches: readonly BranchComparison[]): string[] {
  const out = [
    '## Branches: decisions answered again',
    '',
    'The student went back to these decisions and answered them again; the run was replayed exactly to each. The report above is of the first answers; each branch is set beside the line it left.',
  ];
  for (const b of branches) {
    out.push('', `### ${lineName(b.branch)}: decision ${b.at} again (${time(b.t)}, ${md(b.unit)} in ${md(b.zone)})`, '');
    out.push(`Situation: ${md(b.situation)}. Doctrine: ${md(b.doctrine)}.`, '');
    const { head, rows } = branchRows(b);
    out.push(`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`));
    if (b.unitsMore) out.push('', `And ${b.unitsMore} more units whose outcome differs.`);
  }
  out.push('');
  return out;
}
