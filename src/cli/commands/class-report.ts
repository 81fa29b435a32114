/**
 * `deconflict report FILE --session a.ndjson --session b.ndjson` (or `--session FOLDER`): one class
 * report of every session, in md, html or json.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { terminalLine } from '../../core/text/safe.js';
import { checkTarget, writeWhole } from '../../io/write-file.js';
import { prepareReplay } from '../../training/replay.js';
import { buildClassReport } from '../../report/class.js';
import { classHtml, classMarkdown } from '../../report/class-render.js';
import { REPORT_FORMATS, type ReportFormat } from '../../report/index.js';
import { buildReport } from '../../report/model.js';
import type { Io } from '../errors.js';

/** Most sessions one class report takes (a folder of more is refused, not read for minutes). */
export const MAX_CLASS_SESSIONS = 500;

export function isFolder(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The session files a list of `--session` arguments names: files as given, folders as their `*.ndjson` files in name order. */
export function sessionFiles(given: readonly string[]): string[] {
  const out: string[] = [];
  for (const g of given) {
    if (!isFolder(g)) out.push(g);
    else
      for (const f of readdirSync(g)
        .filter((n) => n.endsWith('.ndjson'))
        .sort()) {
        const p = join(g, f);
        if (statSync(p).isFile()) out.push(p);
      }
  }
  return [...new Set(out)];
}

/** The options of `report` that a class report reads (report.ts passes its own). */
export interface ClassReportOptions {
  session: string[];
  msel?: string;
  seed?: number;
  format?: string;
  output?: string;
  force?: boolean;
}

export function classReportCommand(scenarioPath: string, scenarioName: string, opts: ClassReportOptions, io: Io): number {
  const format = (opts.format ?? 'md') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    io.error(`deconflict: --format: '${terminalLine(String(opts.format))}' is not a report format (one of ${REPORT_FORMATS.join(', ')})\n`);
    return 2;
  }
  if (opts.seed !== undefined) {
    io.error('deconflict: --seed cannot be used with --session (each session records its seed)\\n');
    return 2;
  }
  const files = sessionFiles(opts.session);
  if (!files.length) {
    io.error(`deconflict: --session: no session files (*.ndjson) in ${opts.session.map(terminalLine).join(', ')}\n`);
    return 2;
  }
  if (files.length > MAX_CLASS_SESSIONS) {
    io.error(`deconflict: --session: ${files.length} session files; a class report takes at most ${MAX_CLASS_SESSIONS}\n`);
    return 2;
  }
  const target = opts.output ? checkTarget(opts.output, !!opts.force) : undefined;
  if (target) {
    io.error(`deconflict: ${terminalLine(target)}\n`);
    return 2;
  }
  // Each session is checked against the scenario as a single report would check it (exit 2 naming the file).
  const replays = files.map((f) => prepareReplay({ scenarioPath, scenarioName, sessionPath: f, mselPath: opts.msel, force: opts.force }));
  // One exercise: every session on the same MSEL (or none) as the first.
  const first = replays[0];
  const odd = replays.find((r) => r.session.header.msel_sha256 !== first.session.header.msel_sha256);
  if (odd) {
    const said = (r: typeof first) => (r.session.header.msel ? `the MSEL ${r.session.header.msel}` : 'no MSEL');
    io.error(
      `deconflict: ${terminalLine(odd.session.file)} was recorded with ${terminalLine(said(odd))}, ${terminalLine(first.session.file)} with ${terminalLine(said(first))}: a class report is of one exercise\n`,
    );
    return 2;
  }
  const each = replays.map((replay) => buildReport({ scenario: replay.scenario, msel: replay.msel, replay }));
  // Doctrine's run, for the trainer's section: the first session's scenario, MSEL and seed.
  const data = buildClassReport(each, buildReport({ scenario: first.scenario, msel: first.msel, seed: first.session.header.seed }));
  // Each student counts once, by the first answers; branches are named beside them (class.ts).
  data.students.forEach((s, i) => {
    const n = replays[i].session.branches.length;
    if (n) s.branches = n;
  });
  const text = format === 'html' ? classHtml(data) : format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : classMarkdown(data);
  if (!opts.output) {
    io.write(text);
    return 0;
  }
  const problem = writeWhole(opts.output, text, !!opts.force);
  if (problem) {
    io.error(`deconflict: ${terminalLine(problem)}\n`);
    return 2;
  }
  io.write(`Class report written to ${terminalLine(opts.output)} (${files.length} sessions)\n`);
  return 0;
}
