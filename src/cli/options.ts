/** Option values the commands share: checked here, each with its one wording. */
import { Option } from 'commander';
import type { Scenario } from '../core/model.js';
import { parseTime } from '../core/units.js';
import { UsageError } from './errors.js';

export function seedArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n)) throw new UsageError(`--seed: '${v}' is not a whole number`);
  return n;
}

export function threadsArg(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads: '${v}' is not a whole number from 1 to 64`);
  return n;
}

/** --until as a time of the scenario (ISO 8601, or +2h after its start). */
export function parseUntil(s: string | undefined, sc: Scenario): number | undefined {
  if (s === undefined) return undefined;
  const t = parseTime(s, sc.start);
  if (t === undefined) throw new UsageError(untilProblem(s));
  return t;
}

/** What is wrong with an --until that is not a time. */
export function untilProblem(s: string): string {
  return `--until: '${s}' is not a time (e.g. 2017-05-18T09:00:00Z or +2h)`;
}

/** Whether a --speed (simulated seconds per second) can be played. */
export function isPlayableSpeed(speed: number): boolean {
  return Number.isFinite(speed) && speed > 0;
}

/** `--seed <n>`, a whole number that overrides the scenario's. */
export function seedOption(): Option {
  return new Option('--seed <n>', "random seed (overrides the scenario's)").argParser(seedArg);
}

/** `--allow-outside-files`, worded for one scenario or several. */
export function allowOutsideOption(several = false): Option {
  return new Option(
    '--allow-outside-files',
    several ? "let the scenarios' track and zone files lie outside their folders" : "let the scenario's track and zone files lie outside its folder",
  );
}

/** `--no-mouse`, with what the mouse is left to. */
export function noMouseOption(description = 'leave the mouse to the terminal (to select text) instead of clicking and scrolling in the UI'): Option {
  return new Option('--no-mouse', description);
}
