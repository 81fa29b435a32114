/**
 * The engine's own records of a scenario's zones and ladder: the fields its hot paths read, each
 * in one class. A scenario's zones and conditions are plain objects whose hidden classes depend
 * on who made them and which optional fields they carry (a circle's centre, a line's side, a
 * condition's `for`), so code reading them sees several shapes, and new ones when a run first
 * reaches a rung or another scenario is loaded; V8 then throws the code compiled for the shapes
 * it knew away and compiles it again. Every record of a kind has the same shape, whatever the
 * scenario.
 */
import type { Condition, ConditionName, Rung, RungSpec, Zone } from '../model.js';
import type { ZoneShape } from '../geo/zones.js';

export class ZoneRec {
  readonly id: string;
  readonly name: string;
  readonly type: Zone['type'];
  /** Index into Scenario.sites of the protected site, or -1. */
  readonly protects: number;
  /** Width of the approach band outside the edge, metres. */
  readonly approach: number;
  /** Distance beyond the edge a unit must pass to count as out again, metres. */
  readonly hysteresis: number;
  readonly shape: ZoneShape;

  constructor(z: Zone) {
    this.id = z.id;
    this.name = z.name;
    this.type = z.type;
    this.protects = z.protects;
    this.approach = z.approach;
    this.hysteresis = z.hysteresis;
    this.shape = z.shape;
  }
}

/** A condition of a rung (`for` undefined where the condition has none). */
export class CondRec implements Condition {
  readonly name: ConditionName;
  readonly for: number | undefined;
  constructor(c: Condition) {
    this.name = c.name;
    this.for = c.for;
  }
}

/** A rung of the scenario's ladder. */
export class RungRec implements RungSpec {
  readonly rung: Rung;
  readonly action: string;
  readonly when: CondRec[];
  readonly wait: number;
  constructor(r: RungSpec) {
    this.rung = r.rung;
    this.action = r.action;
    this.when = r.when.map((c) => new CondRec(c));
    this.wait = r.wait;
  }
}
