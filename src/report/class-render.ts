/** The class report in Markdown and as one self-contained HTML page (see class.ts for what it holds). */
import { RUNG_LABEL } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import { markdownCode, markdownText } from '../core/text/safe.js';
import { shareText, type ClassPoint, type ClassReportData, type ClassStudent } from './class.js';
import { CSS } from './html.js';
import { cell } from './markdown.js';
import { scoreText } from './model.js';
import { esc } from './svg.js';

const md = (s: string | number | undefined | null) => markdownText(String(s ?? ''));
const time = (iso: string) => iso.replace('T', ' ');
const rung = (r: Rung | null) => (r ? RUNG_LABEL[r] : 'none');
const clock = (iso: string) => iso.slice(11, 19);

function table(head: string[], rows: (string | number)[][]): string[] {
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)];
}

/** What the point asked, in one line: "07:30:50 — convoy at tanf-dz, monitor in force". */
function pointTitle(p: ClassPoint): string {
  return `${clock(p.t)} — ${p.unit} at ${p.zone}, ${rung(p.from)} in force`;
}

function mostCommon(p: ClassPoint): string {
  const top = p.spread[0];
  return top ? `${top.choice} (${top.count})` : 'none';
}

const studentScore = (s: ClassStudent) => scoreText(s, s.stopped);
/** A student's branches are named, not counted: the class is judged on first answers. */
const branchNote = (s: ClassStudent) => (s.branches ? ` (and ${s.branches} branch${s.branches === 1 ? '' : 'es'}, not counted: first answers only)` : '');

export function classMarkdown(r: ClassReportData): string {
  const o: string[] = [];
  o.push(`# Class report: ${md(r.title)}`, '');
  o.push(`- Scenario: ${markdownCode(r.scenario)}`);
  if (r.msel) o.push(`- MSEL: ${markdownCode(r.msel.file)}${r.msel.title ? ` — ${md(r.msel.title)}` : ''}`);
  o.push(`- Period: ${time(r.start)} to ${time(r.end)}`);
  o.push(`- Students: ${r.students.length}; decision points: ${r.points.length}`);
  o.push('', '## Students', '');
  o.push(
    ...table(
      ['Student', 'Score', 'Session'],
      r.students.map((s) => [s.student, studentScore(s), `${s.file}${branchNote(s)}`]),
    ),
  );
  o.push('', '## Discussion points', '');
  if (!r.discussion.length) o.push('The class answered every question as doctrine would.');
  for (const n of r.discussion) {
    const p = r.points[n - 1];
    o.push(
      `${n}. **${md(pointTitle(p))}**: doctrine would ${md(p.doctrine)}; ${shareText(Math.round(p.agree * p.asked), p.asked)} of those asked did; most common answer ${md(mostCommon(p))}.`,
    );
  }
  o.push('', '## Decision points', '');
  for (const p of r.points) {
    o.push(`### ${p.n}. ${md(pointTitle(p))}`, '');
    if (p.situation) o.push(md(p.situation), '');
    o.push(
      `Doctrine: **${md(p.doctrine)}**. Asked: ${p.asked} of ${r.students.length}; answered as doctrine: ${shareText(Math.round(p.agree * p.asked), p.asked)}.`,
      '',
    );
    o.push(
      ...table(
        ['Answer', 'Students', ''],
        p.spread.map((s) => [s.choice, s.count, '█'.repeat(Math.max(1, Math.round((20 * s.count) / p.asked)))]),
      ),
    );
    const said = p.answers.filter((a) => a.justification);
    if (said.length) {
      o.push('', 'Justifications:', '');
      for (const a of said) o.push(`- ${md(a.student)} (${md(a.choice)}): ${md(a.justification)}`);
    }
    o.push('');
  }
  o.push('## For the trainer', '');
  o.push("Doctrine's own run, and the scenario author's expectations judged on it (they are not the students' results).", '');
  o.push(
    ...table(
      ['Unit', 'Under doctrine', ...r.students.map((s) => s.student)],
      r.trainer.doctrineOutcomes.map((u, i) => [u.unit, u.outcome, ...r.students.map((s) => s.outcomes[i]?.outcome ?? '')]),
    ),
  );
  if (r.trainer.expectations.length) {
    o.push('', "### The scenario's expectations", '');
    for (const e of r.trainer.expectations) o.push(`- ${e.passed ? 'met' : 'not met'}: ${md(e.text)} (${md(e.detail)})`);
  }
  return `${o.join('\n')}\n`;
}

export function classHtml(r: ClassReportData): string {
  const o: string[] = [];
  const tbl = (head: string[], rows: string[][]) =>
    `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
  o.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">');
  o.push(
    `<title>${esc(`Class report: ${r.title}`)}</title>`,
    `<style>${CSS}.bar{display:inline-block;height:.9em;background:#3465a4;vertical-align:middle}.doctrine{font-weight:700}</style></head><body>`,
  );
  o.push(`<h1>Class report</h1><p><strong>${esc(r.title)}</strong></p><ul class="meta">`);
  o.push(`<li>Scenario: <code>${esc(r.scenario)}</code></li>`);
  if (r.msel) o.push(`<li>MSEL: <code>${esc(r.msel.file)}</code>${r.msel.title ? ` — ${esc(r.msel.title)}` : ''}</li>`);
  o.push(`<li>Period: ${esc(time(r.start))} to ${esc(time(r.end))}</li><li>Students: ${r.students.length}; decision points: ${r.points.length}</li></ul>`);
  o.push(
    '<h2>Students</h2>',
    tbl(
      ['Student', 'Score', 'Session'],
      r.students.map((s) => [esc(s.student), esc(studentScore(s)), `<code>${esc(s.file)}</code>${esc(branchNote(s))}`]),
    ),
  );
  o.push('<h2>Discussion points</h2>');
  if (!r.discussion.length) o.push('<p>The class answered every question as doctrine would.</p>');
  else {
    o.push('<ol>');
    for (const n of r.discussion) {
      const p = r.points[n - 1];
      o.push(
        `<li value="${n}"><strong>${esc(pointTitle(p))}</strong>: doctrine would ${esc(p.doctrine)}; ${esc(shareText(Math.round(p.agree * p.asked), p.asked))} of those asked did; most common answer ${esc(mostCommon(p))}.</li>`,
      );
    }
    o.push('</ol>');
  }
  o.push('<h2>Decision points</h2>');
  for (const p of r.points) {
    o.push(`<h3>${p.n}. ${esc(pointTitle(p))}</h3>`);
    if (p.situation) o.push(`<p>${esc(p.situation)}</p>`);
    o.push(
      `<p>Doctrine: <strong>${esc(p.doctrine)}</strong>. Asked: ${p.asked} of ${r.students.length}; answered as doctrine: ${esc(shareText(Math.round(p.agree * p.asked), p.asked))}.</p>`,
    );
    o.push(
      tbl(
        ['Answer', 'Students', ''],
        p.spread.map((s) => [
          `<span${s.choice === p.doctrine ? ' class="doctrine"' : ''}>${esc(s.choice)}</span>`,
          String(s.count),
          `<span class="bar" style="width:${Math.round((200 * s.count) / p.asked)}px"></span>`,
        ]),
      ),
    );
    const said = p.answers.filter((a) => a.justification);
    if (said.length) o.push(`<ul>${said.map((a) => `<li>${esc(a.student)} (${esc(a.choice)}): ${esc(a.justification ?? '')}</li>`).join('')}</ul>`);
  }
  o.push('<h2>For the trainer</h2>', "<p>Doctrine's own run, and the scenario author's expectations judged on it (they are not the students' results).</p>");
  o.push(
    tbl(
      ['Unit', 'Under doctrine', ...r.students.map((s) => s.student)],
      r.trainer.doctrineOutcomes.map((u, i) => [esc(u.unit), esc(u.outcome), ...r.students.map((s) => esc(s.outcomes[i]?.outcome ?? ''))]),
    ),
  );
  if (r.trainer.expectations.length) {
    o.push("<h3>The scenario's expectations</h3><ul>");
    for (const e of r.trainer.expectations)
      o.push(`<li><span class="${e.passed ? 'pass' : 'fail'}">${e.passed ? 'met' : 'not met'}</span>: ${esc(e.text)} (${esc(e.detail)})</li>`);
    o.push('</ul>');
  }
  o.push('</body></html>');
  return `${o.join('\n')}\n`;
}
