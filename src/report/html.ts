/** The after-action report as one self-contained HTML file (inline CSS and an inline SVG map; nothing fetched). */
import { RUNG_LABEL, RUNGS } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import { formatDistance, formatDuration } from '../core/units.js';
import { lineName } from './branch.js';
import { branchRows, eventLabel } from './markdown.js';
import { scoreText, type ReportData } from './model.js';
import { loadBorders } from '../io/borders.js';
import { esc, mapSvg, rungColour } from './svg.js';

const rung = (r: Rung | null | undefined) => (r ? RUNG_LABEL[r] : 'none');
const time = (iso: string) => esc(iso.replace('T', ' '));

function table(head: string[], rows: string[][], cls = ''): string {
  return `<table${cls ? ` class="${cls}"` : ''}><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function chip(r: Rung | null | undefined): string {
  const level = r ? RUNGS.indexOf(r) : -1;
  return `<span class="chip" style="background:${rungColour(level)}">${esc(rung(r))}</span>`;
}

export const CSS = `
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;color:#1b1b1b;max-width:1100px;margin:2em auto;padding:0 1em;background:#fff}
h1{font-size:1.6em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:2px solid #ddd;padding-bottom:.2em}h3{margin-bottom:.3em}
table{border-collapse:collapse;width:100%;margin:.6em 0;font-size:.92em}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}tr:nth-child(even) td{background:#fafafa}
.chip{display:inline-block;color:#fff;border-radius:3px;padding:0 .4em;font-size:.85em;white-space:nowrap}
.grade-correct{color:#1b7a2e;font-weight:600}.grade-wrong{color:#b3261e;font-weight:600}
.score{font-size:1.3em;font-weight:700}.meta{color:#555}.map svg{max-width:100%;height:auto;border:1px solid #ddd}
.pass{color:#1b7a2e;font-weight:600}.fail{color:#b3261e;font-weight:600}
`;

export function toHtml(r: ReportData): string {
  const o: string[] = [];
  o.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', `<meta name="viewport" content="width=device-width, initial-scale=1">`);
  o.push(`<title>${esc(`After-action report: ${r.title}`)}</title>`, `<style>${CSS}</style></head><body>`);
  o.push(`<h1>After-action report</h1><p><strong>${esc(r.title)}</strong></p>`);
  o.push('<ul class="meta">');
  o.push(`<li>Scenario: <code>${esc(r.scenario)}</code> (seed ${r.seed})</li>`);
  if (r.msel) o.push(`<li>MSEL: <code>${esc(r.msel.file)}</code>${r.msel.title ? ` — ${esc(r.msel.title)}` : ''}</li>`);
  o.push(`<li>Period: ${time(r.start)} to ${time(r.end)}${r.stopped !== r.end ? `; the run stopped at ${time(r.stopped)}` : ''}</li>`);
  o.push(
    r.mode === 'session'
      ? `<li>Run: training session <code>${esc(r.session!.file)}</code> (${esc(r.session!.status)}); the trainee's decisions drove it</li>`
      : '<li>Run: doctrine alone (no training session)</li>',
  );
  if (r.session) o.push(`<li>Student: ${esc(r.session.student)}</li>`);
  o.push('</ul>');
  if (r.description) o.push(`<p>${esc(r.description)}</p>`);

  o.push('<h2>Summary</h2>');
  if (r.session) {
    o.push(`<p class="score">Score: ${esc(scoreText(r.session, r.stopped))}</p>`);
  }
  // One lookup per unit, not a scan of every unit's outcome (a 20,000-unit report was quadratic).
  const doctrineOf = new Map(r.session?.doctrineOutcomes.map((d) => [d.unit, d.outcome]));
  o.push(
    table(
      r.session ? ['Unit', 'Composition', 'Highest rung', 'Outcome', 'Under doctrine alone'] : ['Unit', 'Composition', 'Highest rung', 'Outcome'],
      r.units.map((u) => {
        const row = [`<strong>${esc(u.id)}</strong> ${esc(u.name)}`, esc(u.brief), chip(u.highestRung), esc(u.outcome)];
        if (r.session) row.push(esc(doctrineOf.get(u.id) ?? ''));
        return row;
      }),
    ),
  );

  o.push('<h2>Map</h2>', `<div class="map">${mapSvg(r.map, { title: `Map: ${r.title}`, borders: loadBorders() })}</div>`);

  o.push('<h2>Timeline of escalation</h2>');
  o.push(
    r.timeline.length
      ? table(
          ['#', 'Time (UTC)', 'Unit', 'Zone', 'Event', 'By', 'Reason'],
          r.timeline.map((e) => [
            String(e.n),
            time(e.t),
            esc(e.unit ?? ''),
            esc(e.zone ?? ''),
            e.type === 'escalate' || e.type === 'stand_down' || e.type === 'hold' ? `${chip(e.rung)} ${esc(eventLabel(e))}` : esc(eventLabel(e)),
            esc(e.by ?? ''),
            esc(e.reason),
          ]),
        )
      : '<p>No rung fired and no inject came.</p>',
  );

  o.push('<h2>Units</h2>');
  for (const u of r.units) {
    o.push(`<h3>${esc(u.id)} — ${esc(u.name)}</h3><ul>`);
    o.push(`<li>Side: ${esc(u.side)}; composition: ${esc(u.composition)} (threat score ${u.threat})</li>`);
    o.push(
      `<li>First detection: ${u.firstDetection ? `${time(u.firstDetection.t)} (${esc(u.firstDetection.zone)}: ${esc(u.firstDetection.reason)})` : 'never'}</li>`,
    );
    o.push(`<li>Zone entry: ${u.entries.length ? u.entries.map((e) => `${time(e.t)} (${esc(e.zone)})`).join(', ') : 'never'}</li>`);
    for (const c of u.closest) o.push(`<li>Closest approach to ${esc(c.siteName)}: ${esc(formatDistance(c.m))} at ${time(c.t)}</li>`);
    o.push(`<li>Time inside: ${u.inside.length ? u.inside.map((i) => `${esc(formatDuration(i.ms))} in ${esc(i.zone)}`).join(', ') : 'none'}</li>`);
    o.push(`<li>Outcome: <strong>${esc(u.outcome)}</strong></li></ul>`);
    if (u.rungs.length)
      o.push(
        table(
          ['Time (UTC)', 'Zone', 'Rung', 'By', 'Reason'],
          u.rungs.map((x) => [time(x.t), esc(x.zone), `${chip(x.rung)} ${esc(eventLabel(x))}`, esc(x.by ?? ''), esc(x.reason)]),
        ),
      );
  }

  o.push('<h2>Injects</h2>');
  if (!r.injects.length) o.push('<p>No injects.</p>');
  for (const i of r.injects) {
    o.push(
      `<h3>Inject ${i.index + 1}: ${esc(i.type.replace(/_/g, ' '))} ${i.on ? `on ${esc(rung(i.on))} from` : 'at'} ${time(i.t)}${i.unit ? ` (${esc(i.unit)})` : ''}</h3><ul>`,
    );
    if (i.text) o.push(`<li>Inject: ${esc(i.text)}</li>`);
    o.push(`<li>Expected response: ${esc(i.expected ?? '(not stated)')}</li>`);
    o.push(`<li>What happened: ${i.happened.map(esc).join('; ')}</li>`);
    if (i.notes) o.push(`<li>Trainer's notes: ${esc(i.notes)}</li>`);
    o.push('</ul>');
  }

  if (r.session) {
    o.push('<h2>Decisions against doctrine</h2>');
    o.push(
      r.session.decisions.length
        ? table(
            ['#', 'Time (UTC)', 'Unit', 'Zone', 'Situation', 'At', 'Choice', 'Doctrine', 'Grade', 'Justification'],
            r.session.decisions.map((d) => [
              String(d.n),
              time(d.t),
              esc(d.unit),
              esc(d.zone),
              esc(d.situation),
              chip(d.from),
              esc(d.choice),
              esc(d.doctrine),
              `<span class="${d.grade === 'correct' ? 'grade-correct' : 'grade-wrong'}">${esc(d.gradeLabel)}</span>`,
              esc(d.justification ?? ''),
            ]),
          )
        : '<p>No decisions were made.</p>',
    );
    o.push(`<p class="score">Score: ${esc(scoreText(r.session, r.stopped))}</p>`);
  }
  if (r.branches?.length) {
    o.push(
      '<h2>Branches: decisions answered again</h2><p>The student went back to these decisions and answered them again; the run was replayed exactly to each. The report above is of the first answers; each branch is set beside the line it left.</p>',
    );
    for (const b of r.branches) {
      o.push(`<h3>${esc(lineName(b.branch))}: decision ${b.at} again (${time(b.t)}, ${esc(b.unit)} in ${esc(b.zone)})</h3>`);
      o.push(`<p>Situation: ${esc(b.situation)}. Doctrine: <strong>${esc(b.doctrine)}</strong>.</p>`);
      const { head, rows } = branchRows(b);
      o.push(
        table(
          head,
          rows.map(([what, first, again]) => [`<strong>${esc(what)}</strong>`, esc(first), esc(again)]),
          'branch',
        ),
      );
      if (b.unitsMore) o.push(`<p>And ${b.unitsMore} more units whose outcome differs.</p>`);
    }
  }

  if (r.expectations.length && r.session) {
    o.push(
      "<h2>For the trainer: the scenario's expectations</h2><p>The scenario author's <code>expect:</code> checks, judged on this run: a check of the scenario, not the student's result.</p><ul>",
    );
    for (const e of r.expectations)
      o.push(`<li><span class="${e.passed ? 'pass' : 'fail'}">${e.passed ? 'met' : 'not met'}</span>: ${esc(e.text)} (${esc(e.detail)})</li>`);
    o.push('</ul>');
  } else if (r.expectations.length) {
    o.push('<h2>Expectations</h2><ul>');
    for (const e of r.expectations)
      o.push(`<li><span class="${e.passed ? 'pass' : 'fail'}">${e.passed ? 'PASS' : 'FAIL'}</span> ${esc(e.text)}: ${esc(e.detail)}</li>`);
    o.push('</ul>');
  }
  o.push('<p class="meta">Made by deconflict. The map is drawn from the scenario and the run; no outside data.</p>');
  o.push('</body></html>');
  return `${o.join('\n')}\n`;
}
