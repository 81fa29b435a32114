/** What a training session's front end (the terminal UI or the plain line mode) is given to run it. */
import type { Scenario } from '../core/model.js';
import type { SessionWriter } from './session.js';
import type { Situation, Trainer } from './trainer.js';

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
}
