/**
 * Branches: the student goes back to an earlier decision N and answers it differently.
 *
 * A new Trainer replays the answers before N (as a session replay does: the same scenario, seed
 * and choices give the same ticks, so every event before decision N is the one the student saw)
 * and stops at decision N, asked again; the student answers it and plays on, answering again.
 * The first answers are kept: the branch goes to the same session file, after them, as a
 * `branch` record and its own decision and end lines (session.ts).
 */
import { formatTime } from '../core/units.js';
import type { SessionBranchLine } from './session.js';
import { Trainer } from './trainer.js';

/** A decision number to go back to is out of range. */
export class BranchError extends Error {}

/**
 * A trainer on a new line of answers: `from`'s answers before decision `n` given again, the run
 * standing at decision `n` (pending). `from` is left as it was.
 */
export function branchTrainer(from: Trainer, n: number): Trainer {
  const have = from.decisions.length;
  if (!Number.isInteger(n) || n < 1 || n > have)
    throw new BranchError(
      have ? `there is no decision ${n} to go back to: choose 1 to ${have}` : `there is no decision ${n} to go back to: no decision has been taken yet`,
    );
  const replay = from.decisions
    .slice(0, n - 1)
    .map((d) => ({ proposal: d.proposal, choice: d.choice, ...(d.justification ? { justification: d.justification } : {}) }));
  const t = new Trainer(from.scenario, { seed: from.seed, replay });
  for (;;) {
    const a = t.advance();
    if (a.kind === 'decision') break;
    // The same answers on the same run ask the same questions: decision n comes back.
    if (a.kind === 'done') throw new Error(`the run did not come back to decision ${n}`);
  }
  return t;
}

/** The record that opens branch `branch`: back to decision `n` of line `parent`, where the trainer now stands. */
export function branchLine(t: Trainer, branch: number, parent: number, n: number): SessionBranchLine {
  const p = t.pending!.proposal;
  return { type: 'branch', branch, parent, at: n, t: formatTime(p.t), unit: t.scenario.units[p.unit].id, zone: t.scenario.zones[p.zone].id };
}
