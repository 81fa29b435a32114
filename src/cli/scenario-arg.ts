/**
 * The scenario argument of a command: a path or the name of a bundled scenario, resolved and
 * loaded here (the terminal UI and the commands receive what this resolves).
 */
import type { Scenario } from '../core/model.js';
import { terminalLine } from '../core/text/safe.js';
import { loadScenarioWithText } from '../io/node/load.js';
import { addSemanticWarnings } from '../io/warnings.js';
import { writeErr } from './output.js';
import { scenarioArg } from './scenario-name.js';

export { resolveScenario, scenarioArg, version } from './scenario-name.js';

/** A count with thousands separators (1,234), as toLocaleString('en') writes it without its cost (loading ICU's data, about 20 ms). */
export function formatCount(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** How many warnings a run, train or check shows before it sums up the rest (validate shows VALIDATE_SHOWN of each kind, or all with --all). */
export const WARNINGS_SHOWN = 20;

/**
 * The scenario an argument names, loaded, with the warnings of what cannot be meant (a side no
 * zone applies to, a [lat, lon] position...) added; nothing is printed.
 */
export function loadArg(arg: string | undefined, allowFilesOutside?: boolean): Scenario {
  const { path, name } = scenarioArg(arg);
  const { scenario: sc, text } = loadScenarioWithText(path, { displayName: name, allowFilesOutside });
  addSemanticWarnings(sc, path, name, text);
  return sc;
}

/** The same, with its warnings printed on standard error (past WARNINGS_SHOWN counted, unless allWarnings). */
export function load(arg: string | undefined, allowFilesOutside?: boolean, allWarnings = false): Scenario {
  const { name } = scenarioArg(arg);
  const sc = loadArg(arg, allowFilesOutside);
  // What the loader changed (recorded fixes sorted, gaps held) is said before anything runs. A
  // generated file of 10,000 units can have thousands: past a screenful they are counted, not
  // printed, and `validate` is named as the place that lists every one.
  const ws = sc.warnings ?? [];
  const shown = allWarnings ? ws.length : Math.min(ws.length, WARNINGS_SHOWN);
  // One write for them all (a line at a time, thousands of lines cost a write each).
  let text = '';
  for (let i = 0; i < shown; i++) text += `${terminalLine(ws[i].message)}\n`;
  if (shown < ws.length) {
    const more = ws.length - shown;
    text += `${terminalLine(name)}: ${formatCount(more)} more warning${more === 1 ? '' : 's'} not shown (${formatCount(ws.length)} in all); \`deconflict validate --all ${terminalLine(name)}\` lists them all\n`;
  }
  if (text) writeErr(text);
  return sc;
}
