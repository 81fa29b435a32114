/**
 * Each unit's outcome at the end of a run (or when it stopped): its rung now, whether it was
 * struck and, when the escalations were followed, the highest rung it reached. The run summary,
 * the live summary and training's summaries all word it from this one list.
 */
import type { SimEvent } from '../events.js';
import { rungLevel } from '../ladder.js';
import type { Rung, Scenario } from '../model.js';

/** Where the rungs come from: an Engine, or the end state of a split run. */
export interface RungSource {
  unitRung(u: number): { rung: Rung | null };
  isStruck(u: number): boolean;
}

export interface UnitOutcome {
  /** The unit's index in the scenario. */
  u: number;
  id: string;
  /** Its rung now (null: none). */
  now: Rung | null;
  struck: boolean;
  /** The highest rung of its escalations (only when a HighestRungs was given; undefined: none). */
  highest?: Rung;
}

/** Every unit's outcome, in scenario order. */
export function unitOutcomes(sc: Scenario, state: RungSource, highest?: HighestRungs): UnitOutcome[] {
  return sc.units.map((unit, u) => ({ u, id: unit.id, now: state.unitRung(u).rung, struck: state.isStruck(u), highest: highest?.of(unit.id) }));
}

/** The highest rung each unit reached, noted from escalations as they go out. */
export class HighestRungs {
  private readonly top = new Map<string, Rung>();

  note(events: readonly SimEvent[]): void {
    for (const e of events) {
      if (e.type !== 'escalate' || !e.unit || !e.rung) continue;
      if (rungLevel(e.rung) > rungLevel(this.top.get(e.unit))) this.top.set(e.unit, e.rung);
    }
  }

  of(unit: string): Rung | undefined {
    return this.top.get(unit);
  }
}
