/** `deconflict validate`, `check` and `list`. */
import { problemsOf, ScenarioError } from '../../core/errors.js';
import { checkExpectations } from '../../core/expect.js';
import { loadScenario } from '../../io/node/load.js';
import type { Scenario, ScenarioWarning } from '../../core/model.js';
import { terminalLine } from '../../core/text/safe.js';
import { EXIT } from '../errors.js';
import { writeErr } from '../output.js';
import { bundledScenarios, DEFAULT_SCENARIO } from '../../io/bundled.js';
import { formatCount, load, loadArg, scenarioArg } from '../scenario-arg.js';

/** How many warnings of one kind validate shows before it counts the rest (`--all` shows every one). */
export const VALIDATE_SHOWN = 10;

/** What each kind of warning is about, for the line that counts those not shown. */
const KINDS: Record<string, string> = {
  'side-unused': "sides in a zone's applies_to that no unit has",
  'side-unjudged': 'units whose side no zone applies to',
  'never-near': "units that never come within a zone's approach band",
  swapped: 'positions that read the other way round lie near a zone',
  'same-name': 'units with the name of another',
  loader: 'changes made to recorded tracks (sorted, de-duplicated, gaps held)',
};

/**
 * A file's warnings as validate prints them: in file order, at most VALIDATE_SHOWN of each kind
 * (a generated file can have thousands of one kind, which would bury the one of another), then
 * a line for each kind with more, saying how many and what they are; every one with `all`.
 */
export function validateWarnings(name: string, warnings: readonly (ScenarioWarning & { kind?: string })[], all: boolean): string {
  const seen = new Map<string, number>();
  let text = '';
  for (const w of warnings) {
    const kind = w.kind ?? 'loader';
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    if (all || n <= VALIDATE_SHOWN) text += `${terminalLine(w.message)}\n`;
  }
  if (!all) {
    for (const [kind, n] of seen) {
      if (n <= VALIDATE_SHOWN) continue;
      const more = n - VALIDATE_SHOWN;
      text += `${terminalLine(name)}: ${formatCount(more)} more warning${more === 1 ? '' : 's'} of ${KINDS[kind] ?? kind} not shown (${formatCount(n)} in all); \`deconflict validate --all ${terminalLine(name)}\` lists them all\n`;
    }
  }
  return text;
}

export function cmdValidate(files: string[], write: (s: string) => void, allowOutsideFiles?: boolean, strict?: boolean, all = false): number {
  let bad = 0;
  let warned = 0;
  for (const f of files) {
    try {
      const sc = loadArg(f, allowOutsideFiles);
      const ws = sc.warnings ?? [];
      const nw = ws.length;
      warned += nw;
      // One write for them all: thousands of lines would cost a write each.
      const text = validateWarnings(scenarioArg(f).name, ws, all);
      if (text) writeErr(text);
      write(
        `ok  ${terminalLine(f)}: ${terminalLine(sc.title)} (${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'}, ${sc.units.length} unit${sc.units.length === 1 ? '' : 's'}, ${sc.expectations.length} expectation${sc.expectations.length === 1 ? '' : 's'})${nw ? `, ${nw} warning${nw === 1 ? '' : 's'}` : ''}\n`,
      );
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      bad++;
      // Every problem in the file, in file order (run and check stop at the first).
      const files = new Map<string, number>();
      for (const p of problemsOf(e)) if (!files.has(p.file)) files.set(p.file, files.size);
      const all = [...problemsOf(e)].sort((a, b) => files.get(a.file)! - files.get(b.file)! || a.line - b.line || a.column - b.column);
      writeErr(all.map((p) => `${p.message}\n`).join(''));
    }
  }
  // --strict: a warning fails the check as an unmet expectation does (exit 1); bad input still wins.
  return bad ? EXIT.BAD_INPUT : strict && warned ? EXIT.EXPECTATIONS : EXIT.OK;
}

export async function cmdCheck(files: string[], write: (s: string) => void, seed?: number, allowOutsideFiles?: boolean): Promise<number> {
  // The engine is loaded only to run: validate, which shares this file, never parses it.
  const { Engine } = await import('../../core/engine.js');
  let failed = 0;
  let badInput = 0;
  for (const f of files) {
    let sc: Scenario;
    try {
      sc = load(f, allowOutsideFiles);
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      badInput++;
      writeErr(`${e.message}\n`);
      continue;
    }
    const engine = new Engine(sc, { seed });
    engine.runToEnd();
    const results = checkExpectations(sc, engine.events);
    write(`${terminalLine(f)}: ${terminalLine(sc.title)}\n`);
    if (!results.length) write('  (no expectations)\n');
    for (const r of results) {
      write(`  ${r.passed ? 'PASS' : 'FAIL'}  ${terminalLine(r.expectation.text)}: ${terminalLine(r.detail)}\n`);
      if (!r.passed) failed++;
    }
  }
  const ran = files.length - badInput;
  const verdict = failed ? `${failed} expectation${failed === 1 ? '' : 's'} failed` : 'all expectations passed';
  write(`\n${verdict} in ${ran} scenario${ran === 1 ? '' : 's'}${badInput ? `; ${badInput} file${badInput === 1 ? '' : 's'} could not be read` : ''}\n`);
  if (badInput) return EXIT.BAD_INPUT;
  return failed ? EXIT.EXPECTATIONS : EXIT.OK;
}

export function cmdList(write: (s: string) => void): number {
  const list = bundledScenarios();
  const w = list.reduce((m, s) => Math.max(m, s.name.length), 0);
  for (const s of list) {
    let title = '';
    try {
      title = loadScenario(s.path).title;
    } catch (e) {
      title = `(invalid: ${(e as Error).message})`;
    }
    write(`${s.name.padEnd(w)}  ${terminalLine(title)}${s.name === DEFAULT_SCENARIO ? '  [default]' : ''}\n`);
  }
  return EXIT.OK;
}
