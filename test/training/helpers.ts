import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Choice, Proposal } from '../../src/core/engine.js';
import { eventToNdjson, type SimEvent } from '../../src/core/events.js';
import { loadScenario } from '../../src/io/node/load.js';
import type { Scenario } from '../../src/core/model.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { Trainer } from '../../src/training/trainer.js';

export const SCENARIO_FILES = readdirSync('scenarios')
  .filter((f) => /\.ya?ml$/.test(f))
  .sort()
  .map((f) => join('scenarios', f));

export function load(name: string): Scenario {
  return loadScenario(name.includes('/') ? name : `scenarios/${name}.yaml`);
}

/** Drive a trainer to the end, answering each decision with `policy`. */
export function drive(trainer: Trainer, policy: (p: Proposal, n: number) => { choice: Choice; why?: string }): SimEvent[] {
  let n = 0;
  for (;;) {
    const a = trainer.advance();
    if (a.kind === 'done') return trainer.engine.events;
    if (a.kind === 'decision') {
      const c = policy(a.proposal, ++n);
      trainer.answer(c.choice, c.why);
    }
  }
}

export const followDoctrine = (p: Proposal) => ({ choice: doctrineChoice(p) });

export function ndjson(events: readonly SimEvent[]): string {
  return events.map(eventToNdjson).join('');
}

/** What changed rung, when, from what to what (not who decided or why). */
export function rungTrace(events: readonly SimEvent[]): string[] {
  return events
    .filter((e) => e.type === 'escalate' || e.type === 'stand_down')
    .map((e) => `${e.t} ${e.unit} ${e.zone} ${e.type} ${e.from ?? '-'}>${e.rung ?? '-'}`);
}
