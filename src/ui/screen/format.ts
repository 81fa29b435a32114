/** Small pieces of text and style that several panels and overlays share. */
import type { SimEvent } from '../../core/events.js';
import { RUNG_LABEL, rungChange, threatScore } from '../../core/ladder.js';
import type { Rung, Scenario } from '../../core/model.js';
import { formatDistance } from '../../core/units.js';
import { RUNG_COLOR, type Style } from '../theme.js';

/** HH:MM:SS of an epoch ms, UTC. */
export function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}

/** A distance with its sign (+ outside); '-' when unknown. */
export function signedDistance(m: number | undefined): string {
  if (m === undefined || !Number.isFinite(m)) return '-';
  return m > 0 ? `+${formatDistance(m)}` : formatDistance(m);
}

/** A closing speed, km/h, + when closing; '-' when unknown. */
export function closingText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const k = Math.round(ms * 3.6);
  return k === 0 ? '0 km/h' : `${k > 0 ? '+' : ''}${k} km/h`;
}

export function speedText(s: number): string {
  return `${s}×`;
}

/** The colour of a rung (struck: the strike's, bold). */
export function rungStyle(r: Rung | null, struck = false): Style {
  const k = struck ? 'strike' : (r ?? 'none');
  return { fg: RUNG_COLOR[k], bold: k === 'strike' };
}

/** The events that change a rung: the ladder's history. */
export const LADDER_TYPES = new Set(['escalate', 'stand_down', 'hostile_act']);

/** What a ladder event did: "warn → show of force", or "hostile act". */
export function transitionLabel(e: SimEvent): string {
  return e.type === 'hostile_act' ? 'hostile act' : rungChange(e.from, e.rung);
}

/** A ladder event's reason after its rung change is shown: without the rung's name repeated ("warn → strike: strike: …"). */
export function reasonAfterChange(e: SimEvent): string {
  const to = e.type === 'escalate' && e.rung ? `${RUNG_LABEL[e.rung]}: ` : '';
  return to && e.reason.startsWith(to) ? e.reason.slice(to.length) : e.reason;
}

/** A unit's threat score on its composition, doctrine's threshold for a strike, and whether it reaches it. */
export function threatOf(sc: Scenario, u: number): { score: number; threshold: number; threat: boolean; style: Style | undefined } {
  const score = threatScore(sc.units[u].composition, sc.doctrine.threatWeights);
  const threshold = sc.doctrine.threatThreshold;
  const threat = score >= threshold;
  return { score, threshold, threat, style: threat ? { fg: 'red' } : undefined };
}
