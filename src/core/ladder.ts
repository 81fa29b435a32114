/**
 * The default escalation ladder and doctrine, drawn from the At Tanf (2017) and Euphrates
 * (2018) reports: monitor near the edge, warn on entry (leaflets and the deconfliction channel),
 * show of force, warning shots, strike; leaving stands the unit down; a hostile act goes straight
 * to a self-defence strike. docs/ladder.md gives the basis of every default.
 */
import type { Composition, Doctrine, RungSpec } from './model.js';
import { COMPOSITION_KEYS, RUNGS, type CompositionKey, type Rung } from './vocabulary.js';

export { RUNGS };

const MIN = 60_000;

export const DEFAULT_LADDER: readonly RungSpec[] = [
  { rung: 'monitor', action: 'watch and report', when: [{ name: 'approach' }], wait: 0 },
  { rung: 'warn', action: 'leaflets and a message over the deconfliction channel', when: [{ name: 'enter' }], wait: 0 },
  { rung: 'show_of_force', action: 'show-of-force flyover', when: [{ name: 'closing' }, { name: 'inside', for: 20 * MIN }], wait: 5 * MIN },
  { rung: 'warning_shots', action: 'warning shots', when: [{ name: 'not_withdrawing' }], wait: 10 * MIN },
  { rung: 'strike', action: 'strike', when: [{ name: 'threat' }], wait: 10 * MIN },
];

export const DEFAULT_THREAT_WEIGHTS: Record<CompositionKey, number> = {
  tanks: 4,
  artillery: 3,
  air_defence: 2,
  armed_vehicles: 1,
  technicals: 1,
  engineering: 1,
  personnel: 0.02,
};

export const DEFAULT_DOCTRINE: Doctrine = {
  threatThreshold: 5,
  threatWeights: DEFAULT_THREAT_WEIGHTS,
  intentDistance: 2000,
  withdrawDistance: 500,
  massingUnits: 4,
  massingPersonnel: 150,
  dwellTime: 30 * MIN,
  dwellRadius: 500,
  edgeMargin: 100,
  haltOnStrike: true,
};

/** Position of a rung on the canonical ladder (monitor 0 … strike 4), -1 for none. */
export function rungLevel(r: Rung | null | undefined): number {
  return r ? RUNG_LEVEL[r] : -1;
}

const RUNG_LEVEL = Object.fromEntries(RUNGS.map((r, i) => [r, i])) as Record<Rung, number>;

/** Threat score of a unit from its composition under a doctrine's weights. */
export function threatScore(c: Composition, weights: Record<CompositionKey, number>): number {
  let s = 0;
  for (const k of COMPOSITION_KEYS) s += (c[k] ?? 0) * weights[k];
  return Math.round(s * 100) / 100;
}

/** A short human description of a composition: "1 tank, 1 bulldozer, 3 technicals, 30 personnel". */
export function describeComposition(c: Composition): string {
  const names: Record<CompositionKey, [string, string]> = {
    tanks: ['tank', 'tanks'],
    artillery: ['artillery piece', 'artillery pieces'],
    air_defence: ['anti-aircraft weapon', 'anti-aircraft weapons'],
    armed_vehicles: ['armed vehicle', 'armed vehicles'],
    technicals: ['technical', 'technicals'],
    engineering: ['engineering vehicle', 'engineering vehicles'],
    personnel: ['person', 'personnel'],
  };
  const parts = COMPOSITION_KEYS.filter((k) => (c[k] ?? 0) > 0).map((k) => `${c[k]} ${names[k][c[k] === 1 ? 0 : 1]}`);
  return parts.length ? parts.join(', ') : 'composition unknown';
}

/** Brief composition for tables: "1T 2A 1AD 4AV 3TC 1E 60P". */
export function briefComposition(c: Composition): string {
  const abbr: Record<CompositionKey, string> = {
    tanks: 'T',
    artillery: 'A',
    air_defence: 'AD',
    armed_vehicles: 'AV',
    technicals: 'TC',
    engineering: 'E',
    personnel: 'P',
  };
  return (
    COMPOSITION_KEYS.filter((k) => (c[k] ?? 0) > 0)
      .map((k) => `${c[k]}${abbr[k]}`)
      .join(' ') || '-'
  );
}

export const RUNG_LABEL: Record<Rung, string> = {
  monitor: 'monitor',
  warn: 'warn',
  show_of_force: 'show of force',
  warning_shots: 'warning shots',
  strike: 'strike',
};

/** The rung as a noun after "since the ...": "since the warning". */
export const RUNG_NOUN: Record<Rung, string> = {
  monitor: 'monitoring began',
  warn: 'the warning',
  show_of_force: 'the show of force',
  warning_shots: 'the warning shots',
  strike: 'the strike',
};

/** A change of rung in words: "warn → show of force" (`noneFrom`/`none` for no rung on either side). */
export function rungChange(from: Rung | null | undefined, to: Rung | null | undefined, noneFrom = 'none', none = 'none'): string {
  return `${from ? RUNG_LABEL[from] : noneFrom} → ${to ? RUNG_LABEL[to] : none}`;
}
