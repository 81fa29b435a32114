/**
 * Every `reason` the engine writes, as a function of the facts: one place for the wording of
 * events. (Reasons are for people; a program reads the event's fields, and a decider the
 * proposal's `why`.)
 */
import { describeComposition, RUNG_LABEL } from '../ladder.js';
import type { Composition, Rung, Zone } from '../model.js';
import { formatDistance, formatSpan } from '../units.js';

/** What the wording reads of a zone (a scenario's Zone or the engine's ZoneRec). */
type ZoneFacts = Pick<Zone, 'name' | 'type' | 'approach' | 'hysteresis'>;

const withText = (text: string | undefined): string => (text ? `: ${text}` : '');

export const reasons = {
  approach: (zone: ZoneFacts) =>
    `within the ${formatDistance(zone.approach)} approach band of ${zone.name}${zone.type === 'line' ? ' (the permitted side)' : ''}`,
  enter: (zone: ZoneFacts) => (zone.type === 'line' ? `on the forbidden side of ${zone.name}` : `entered ${zone.name}`),
  /** Out of the zone (or back on a line's permitted side), in words: the start of an exit's and a stand-down's reason. */
  left: (zone: ZoneFacts) => (zone.type === 'line' ? `back on the permitted side of ${zone.name}` : `left ${zone.name}`),
  exit: (zone: ZoneFacts) => `${reasons.left(zone)}, more than ${formatDistance(zone.hysteresis)} beyond the ${zone.type === 'line' ? 'line' : 'edge'}`,
  exitBand: (zone: ZoneFacts) => `left the approach band of ${zone.name}`,
  standDownOnExit: (zone: ZoneFacts, toMonitor: boolean) => `${reasons.left(zone)}: stand down${toMonitor ? ' to monitoring in the approach band' : ''}`,
  movedAwayFacts: (zone: ZoneFacts) => `moved away from ${zone.name}`,
  standDownOnExitBand: (zone: ZoneFacts) => `${reasons.movedAwayFacts(zone)}: monitoring ends`,
  crossed: (zone: ZoneFacts, into: boolean) => (into ? `crossed ${zone.name} to the forbidden side` : `crossed ${zone.name} back to the permitted side`),
  backDeep: (zone: ZoneFacts) => `back on the forbidden side of ${zone.name}, more than ${formatDistance(zone.hysteresis)} past the line`,

  traineeStoodDown: (why: string | undefined) => `trainee stood the unit down${withText(why)}`,
  traineeChose: (rung: Rung, why: string | undefined, doctrine: string) => `trainee chose ${RUNG_LABEL[rung]}${withText(why)} (doctrine: ${doctrine})`,
  traineeOverrodeStandDown: (reason: string, rung: Rung, why: string | undefined) => `${reason}; trainee chose ${RUNG_LABEL[rung]}${withText(why)}`,

  message: (text: string | undefined) => `exercise message${withText(text)}`,
  halts: (unit: string, after: string, text: string | undefined) => `${unit} halts${after}${withText(text)}`,
  moves: (unit: string, verb: string, after: string, text: string | undefined) => `${unit} ${verb}${after}${withText(text)}`,
  hostileAct: (unit: string, site: string, text: string | undefined) => `${unit} fired on ${site}${withText(text)}`,
  /** What a hostile act is, in words (the facts behind a self-defence strike). */
  hostileActFacts: (unit: string, site: string) => `${unit} fired on ${site} (a hostile act)`,
  selfDefence: (facts: string, from: Rung | null) => `self-defence strike: ${facts}; the ladder is skipped${from ? ` from ${RUNG_LABEL[from]}` : ''}`,
  traineeHeldAfterAct: (from: Rung | null, why: string | undefined, doctrine: string) =>
    `trainee held at ${from ? RUNG_LABEL[from] : 'no rung'} after a hostile act${withText(why)} (doctrine: ${doctrine})`,
  traineeChoseAfterAct: (rung: Rung, why: string | undefined, doctrine: string) =>
    `trainee chose ${RUNG_LABEL[rung]} after a hostile act${withText(why)} (doctrine: ${doctrine})`,

  dwell: (unit: string, composition: Composition, radius: number, span: number, edge: number, zone: ZoneFacts) =>
    `${unit} (${describeComposition(composition)}) has stayed within ${formatDistance(radius)} for ${formatSpan(span)}, ${formatDistance(Math.abs(edge))} ${edge <= 0 ? 'inside' : 'outside'} the edge of ${zone.name}: possibly building a position`,
};
