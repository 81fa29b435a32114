/** What a training session's front end (the terminal UI or the plain line mode) is given to run it. */
import type { Scenario } from '../core/model.js';
import type { SessionWriter } from './session.js';
import type { Decision, Situation, Trainer } from './trainer.js';

/** What the UI (or the plain mode) needs to run a session. */
export interface TrainContext {
  scenario: Scenario;
  trainer: Trainer;
  writer: SessionWriter;
  /** Record a decision in the session file (called after trainer.answer). */
  record: (d: ReturnType<Trainer['answer']>, situation: Situation) => void;
  /** Write the end line and close the file. */
  finish: (status: 'complete' | 'quit') => void;
  speed?: number;
  /** The MSEL's title (or file), if one is used. */
  variant?: string;
  /** Who takes the decisions. */
  student?: string;
  /** Resumed from a quit session: the run stands where the student stopped, the earlier answers given. */
  resumed?: boolean;
  /** The line of answers being written: 0 the first answers, k branch k (branch.ts). */
  line?: number;
  /**
   * Go back to decision `n` of this line and answer it again: this line gets its end, the file a
   * branch record, and `trainer` becomes the branch's, standing at decision `n`. Throws BranchError
   * for a decision that is not there. Absent where going back is not offered (a class over SSH).
   */
  branch?: (n: number) => void;
  /** On a branch: the answer given before to the decision it went back to (shown when it is asked again). */
  before?: Decision;
}
