/** `deconflict report FILE [--session S] [--msel FILE] [--format md|html|json] [-o FILE] [--force]`. */
import { loadScenario } from '../../io/node/load.js';
import { terminalLine } from '../../core/text/safe.js';
import { checkTarget, writeWhole } from '../../io/write-file.js';
import { renderReport, REPORT_FORMATS, type ReportFormat } from '../../report/index.js';
import { compareBranch } from '../../report/branch.js';
import { buildReport } from '../../report/model.js';
import { withMsel } from '../../training/msel.js';
import { prepareReplay } from '../../training/replay.js';
import type { Io } from '../errors.js';
import { classReportCommand, isFolder } from './class-report.js';

export interface ReportOptions {
  /** One session file, or several (or folders of them): a class report.*/
  session?: string | string[];
  msel?: string;
  seed?: number;
  format?: string;
  output?: string;
  force?: boolean;
}

/** Run `report`. Returns the exit code; throws ScenarioError for bad scenario, MSEL or session files (exit 2). */
export function reportCommand(scenarioPath: string, scenarioName: string, opts: ReportOptions, io: Io): number {
  const given = opts.session === undefined ? [] : ([] as string[]).concat(opts.session);
  // Several sessions, or a folder of them: one class report (src/report/class.ts).
  if (given.length > 1 || given.some(isFolder)) return classReportCommand(scenarioPath, scenarioName, { ...opts, session: given }, io);
  const o = { ...opts, session: given[0] };
  const format = (o.format ?? 'md') as ReportFormat;
  if (!REPORT_FORMATS.includes(format)) {
    io.error(`deconflict: --format: '${o.format}' is not a report format (one of ${REPORT_FORMATS.join(', ')})\n`);
    return 2;
  }
  if (o.session && o.seed !== undefined) {
    io.error('deconflict: --seed cannot be used with --session (the session records its seed)\n');
    return 2;
  }
  // A folder, or a file without --force, is refused before the run (and the file left as it was).
  const target = o.output ? checkTarget(o.output, !!o.force) : undefined;
  if (target) {
    io.error(`deconflict: ${terminalLine(target)}\n`);
    return 2;
  }
  let data;
  if (o.session) {
    const replay = prepareReplay({ scenarioPath, scenarioName, sessionPath: o.session, mselPath: o.msel, force: o.force });
    data = buildReport({ scenario: replay.scenario, msel: replay.msel, replay });
    // Each branch replayed on its own, then set beside the line it left (the report is of the first answers).
    const { branches } = replay.session;
    if (branches.length) {
      const lines = [data];
      for (const b of branches) {
        const r = prepareReplay({ scenarioPath, scenarioName, sessionPath: o.session, mselPath: o.msel, force: o.force, line: b.branch });
        lines.push(buildReport({ scenario: r.scenario, msel: r.msel, replay: r }));
      }
      data.branches = branches.map((b) => compareBranch(lines[b.parent], lines[b.branch], b));
    }
  } else {
    const { scenario, msel } = withMsel(loadScenario(scenarioPath, { displayName: scenarioName }), o.msel);
    data = buildReport({ scenario, msel, seed: o.seed });
  }
  const text = renderReport(data, format);
  if (!o.output) {
    io.write(text);
    return 0;
  }
  // Whole or not at all: a full disk leaves no partial report (src/io/write-file.ts).
  const problem = writeWhole(o.output, text, !!o.force);
  if (problem) {
    io.error(`deconflict: ${terminalLine(problem)}\n`);
    return 2;
  }
  io.write(`Report written to ${terminalLine(o.output)}\n`);
  return 0;
}
