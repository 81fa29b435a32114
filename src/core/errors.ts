/**
 * The one error type the loader raises. It always names the file, line, column and field, and
 * says what would be right; the CLI prints it without a stack trace and exits 2.
 */
import { terminalLine } from './text/safe.js';

export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export class ScenarioError extends Error {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Dotted path of the field, e.g. `units[2].track[0].pos`. */
  readonly field: string;
  readonly hint?: string;
  readonly detail: string;
  /**
   * A fault in a file that holds several tracks (a CSV's rows of many units): the track it lies
   * in, when the reader knows it (the row's unit), so that of every field referring to the file
   * the one whose track it is can be named (src/core/scenario/refs.ts).
   */
  readonly track?: string;
  /** This error names the field whose track holds the fault (see `track`), not just one that refers to the same file. */
  readonly ownTrack?: boolean;

  constructor(opts: { file: string; line: number; column: number; field: string; message: string; hint?: string; track?: string; ownTrack?: boolean }) {
    const loc = `${opts.file}:${opts.line}:${opts.column}`;
    const field = opts.field ? ` ${clip(opts.field, 200)}:` : '';
    // One line, whatever the file's name or text hold: controls are shown escaped (src/core/text/safe.ts).
    super(terminalLine(`${loc}:${field} ${clip(opts.message, MAX_MESSAGE)}${opts.hint ? ` (${clip(opts.hint, MAX_MESSAGE)})` : ''}`));
    this.name = 'ScenarioError';
    this.file = opts.file;
    this.line = opts.line;
    this.column = opts.column;
    this.field = opts.field;
    this.hint = opts.hint === undefined ? undefined : clip(opts.hint, MAX_MESSAGE);
    this.detail = clip(opts.message, MAX_MESSAGE);
    if (opts.track !== undefined) this.track = opts.track;
    if (opts.ownTrack) this.ownTrack = true;
  }
}

/** Longest message or hint shown: text quoted from a file is cut well before this, and this is the backstop. */
const MAX_MESSAGE = 1000;

/** Text cut to at most `max` characters, with an ellipsis where it was cut. */
export function clip(s: string, max = 40): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/**
 * Every problem found in one file, in the order the loader found them; as a ScenarioError it is
 * the first of them (what `run` prints), and `problems` holds them all (what `validate` prints).
 */
export class ScenarioErrors extends ScenarioError {
  readonly problems: readonly ScenarioError[];

  constructor(problems: readonly ScenarioError[]) {
    const first = problems[0];
    super({ file: first.file, line: first.line, column: first.column, field: first.field, message: first.detail, hint: first.hint });
    this.name = 'ScenarioErrors';
    this.problems = problems;
  }
}

/** The problems an error stands for: all of a ScenarioErrors, else the error itself. */
export function problemsOf(e: ScenarioError): readonly ScenarioError[] {
  return e instanceof ScenarioErrors ? e.problems : [e];
}

/** Render a path like ['units', 2, 'track', 0] as `units[2].track[0]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}

/** Levenshtein distance, for "did you mean". */
export function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}

/** The closest candidate to `word`, if it is close enough to be a likely typo. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

/**
 * A usage problem (an option or an argument that cannot be meant): the CLI prints it as one line,
 * `deconflict: …`, and exits 2. It lives here, beside ScenarioError, so that any layer that takes
 * a user's options (the CLI, the editor) can raise it without importing the CLI.
 */
export class UsageError extends Error {}
