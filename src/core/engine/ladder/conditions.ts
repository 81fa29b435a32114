/**
 * The ladder's conditions, as one table. Each condition a rung may name (`when:` in a scenario)
 * gives three things:
 *
 * - `holds`: whether it holds for a pair now (the ladder climbs when one of the rung's does);
 * - `text`: why, in words, for the escalation's reason (asked only when it holds);
 * - `earliestTick`: the first tick at which it could hold, for the planner that lets a quiet
 *   ladder sleep (quiet/plan.ts). It must never be later than the truth: the equivalence tests
 *   compare the engine that sleeps with one that climbs every ladder at every tick.
 *
 * Adding a condition is one entry here (and its name in the scenario vocabulary).
 *
 * Time alone escalates only a unit clearly inside: within `edgeMargin` of the edge, position error
 * could put it on either side, so jitter at the edge never climbs the ladder ("deep" below).
 */
import { describeComposition, RUNG_NOUN } from '../../ladder.js';
import type { MotionBound } from '../../geo/motion.js';
import type { ConditionName, Doctrine } from '../../model.js';
import type { CondRec, RungRec, ZoneRec } from '../scenario-recs.js';
import { formatDistance, formatSpan } from '../../units.js';
import { BAND, INSIDE } from '../areas.js';
import { edgeNow, refDistance } from '../measure.js';
import { deepTick, refTick } from '../quiet/reach.js';
import type { PairState } from '../state/records.js';
import type { World } from '../world.js';

/**
 * What a condition is judged on: one pair at time t. The distances are the exact ones of now, as
 * the event carries them, measured when first asked for.
 */
export class ConditionFacts {
  zone: ZoneRec;
  readonly doc: Doctrine;
  /** Time since the current rung was set (ms). */
  since: number;
  private edgeV: number | undefined;
  private refV: number | undefined;

  constructor(
    readonly w: World,
    public u: number,
    public p: PairState,
    public t: number,
  ) {
    this.zone = w.zones[p.zone];
    this.doc = w.scenario.doctrine;
    this.since = t - p.rungT;
  }

  /** The same facts object, about another pair or time (one per engine: the ladder asks often). */
  reset(u: number, p: PairState, t: number): this {
    this.u = u;
    this.p = p;
    this.t = t;
    this.zone = this.w.zones[p.zone];
    this.since = t - p.rungT;
    this.edgeV = undefined;
    this.refV = undefined;
    return this;
  }

  get hasSite(): boolean {
    return this.zone.protects >= 0;
  }
  get siteName(): string {
    return this.hasSite ? this.w.scenario.sites[this.zone.protects].name : '';
  }
  /** The rung before, as a noun ("detection" before the first). */
  get prev(): string {
    return this.p.rung ? RUNG_NOUN[this.p.rung] : 'detection';
  }
  get inside(): boolean {
    return this.p.area === INSIDE;
  }
  /** Signed distance to the edge now (m, negative inside). */
  edge(): number {
    return (this.edgeV ??= edgeNow(this.w, this.u, this.p));
  }
  /** The reference distance now: to the protected site, else the signed distance to the edge. */
  ref(): number {
    return (this.refV ??= this.hasSite ? refDistance(this.w, this.u, this.p) : this.edge());
  }
  /** Inside by more than the edge margin. */
  deep(): boolean {
    return this.inside && this.edge() <= -this.doc.edgeMargin;
  }
  /** Still short of where it stood at the last rung by the withdrawal distance. */
  notWithdrawn(): boolean {
    return this.ref() < this.p.refAtRung + this.doc.withdrawDistance;
  }
  /** Where the unit is, in words: from the protected site, else past the edge or line. */
  where(): string {
    return this.hasSite
      ? `${formatDistance(this.ref())} from ${this.siteName}`
      : `${formatDistance(-this.edge())} past the ${this.zone.type === 'line' ? 'line' : 'edge'}`;
  }
}

/** What the planner knows when it asks for a condition's earliest tick: the pair climbed at tick k (time t). */
export interface PlanFacts {
  w: World;
  u: number;
  p: PairState;
  mb: MotionBound;
  k: number;
  t: number;
  /** The first tick the rung's wait and any hold allow. */
  gate: number;
}

export interface ConditionRule {
  holds(f: ConditionFacts, c: CondRec): boolean;
  text(f: ConditionFacts, c: CondRec): string;
  earliestTick(q: PlanFacts, c: CondRec): number;
}

/** Deep inside and short of withdrawn, the earliest: the later of the two, and the gate. */
function deepAndNotWithdrawn(q: PlanFacts): number {
  const { w, p, mb, k, t } = q;
  return Math.max(q.gate, deepTick(w, p, mb, k, t), refTick(w, q.u, p, mb, k, t, p.refAtRung + w.scenario.doctrine.withdrawDistance, false));
}

export const CONDITION_RULES: Record<ConditionName, ConditionRule> = {
  approach: {
    holds: (f) => f.p.area >= BAND,
    text: (f) =>
      f.inside
        ? `inside ${f.zone.name}`
        : f.zone.type === 'line'
          ? `${formatDistance(f.edge())} short of ${f.zone.name}, in the approach band`
          : `${formatDistance(f.edge())} outside the edge of ${f.zone.name}, in the approach band`,
    earliestTick: (q) => (q.p.area >= BAND ? q.gate : Infinity),
  },
  enter: {
    holds: (f) => f.inside,
    text: (f) =>
      f.zone.type === 'line'
        ? `on the forbidden side of ${f.zone.name}, ${formatDistance(Math.max(0, -f.edge()))} past the line`
        : `inside ${f.zone.name}, ${formatDistance(Math.max(0, -f.edge()))} past the edge`,
    earliestTick: (q) => (q.p.area === INSIDE ? q.gate : Infinity),
  },
  inside: {
    holds: (f, c) => f.deep() && (c.for === undefined || f.since >= c.for),
    text: (f) => `still inside ${formatSpan(f.since)} after ${f.prev} (${f.where()})`,
    earliestTick: ({ w, p, mb, k, t, gate }, c) =>
      p.area === INSIDE ? Math.max(gate, w.firstTickAt(p.rungT + (c.for ?? 0), k + 1), deepTick(w, p, mb, k, t)) : Infinity,
  },
  closing: {
    holds: (f) => f.inside && f.ref() <= f.p.refAtRung - f.doc.intentDistance,
    text: (f) =>
      f.hasSite
        ? `closed ${formatDistance(f.p.refAtRung - f.ref())} on ${f.siteName} since ${f.prev} (movement toward it is hostile intent)`
        : `moved ${formatDistance(f.p.refAtRung - f.ref())} further past ${f.zone.name} since ${f.prev} (hostile intent)`,
    earliestTick: ({ w, u, p, mb, k, t, gate }) =>
      p.area === INSIDE ? Math.max(gate, refTick(w, u, p, mb, k, t, p.refAtRung - w.scenario.doctrine.intentDistance, true)) : Infinity,
  },
  not_withdrawing: {
    holds: (f) => f.deep() && f.notWithdrawn(),
    text: (f) => `still inside ${formatSpan(f.since)} after ${f.prev} and not turning away (${f.where()})`,
    earliestTick: (q) => (q.p.area === INSIDE ? deepAndNotWithdrawn(q) : Infinity),
  },
  threat: {
    holds: (f) => f.w.threat[f.u] >= f.doc.threatThreshold && f.deep() && f.notWithdrawn(),
    text: (f) =>
      `still inside ${formatSpan(f.since)} after ${f.prev}, not withdrawing, and assessed a threat: ${describeComposition(f.w.scenario.units[f.u].composition)} (threat score ${f.w.threat[f.u]} ≥ ${f.doc.threatThreshold})`,
    earliestTick: (q) => (q.p.area === INSIDE && q.w.threat[q.u] >= q.w.scenario.doctrine.threatThreshold ? deepAndNotWithdrawn(q) : Infinity),
  },
};

/** A condition that holds: which, why in words, and the facts it was judged on. */
export interface Held {
  name: ConditionName;
  text: string;
  facts: ConditionFacts;
}

/**
 * The first of the rung's conditions that holds for the pair now, with its text; undefined if none
 * does. The facts are the engine's one facts object (World.conditionFacts): good until the next call.
 */
export function conditionHolding(w: World, u: number, p: PairState, spec: RungRec, t: number): Held | undefined {
  const kept = w.conditionFacts as ConditionFacts | undefined;
  const f = kept ? kept.reset(u, p, t) : (w.conditionFacts = new ConditionFacts(w, u, p, t));
  for (const c of spec.when) {
    const rule = CONDITION_RULES[c.name];
    if (rule.holds(f, c)) return { name: c.name, text: rule.text(f, c), facts: f };
  }
  return undefined;
}

/** The first tick at which one of the rung's conditions could hold (see PlanFacts). */
export function earliestTick(spec: RungRec, q: PlanFacts): number {
  let best = Infinity;
  for (const c of spec.when) {
    const j = CONDITION_RULES[c.name].earliestTick(q, c);
    if (j < best) best = j;
    if (best <= q.k + 1) break;
  }
  return best;
}
