/**
 * Expectations (`expect:` in a scenario): what the ladder must do, checked against the events
 * of a run. `deconflict check` reports each as passed or failed.
 */
import type { SimEvent } from './events.js';
import { rungLevel } from './ladder.js';
import type { Expectation, Scenario } from './model.js';
import { formatTime } from './units.js';

export interface ExpectationResult {
  expectation: Expectation;
  passed: boolean;
  /** What happened, in words. */
  detail: string;
}

export function checkExpectations(scenario: Scenario, events: readonly SimEvent[]): ExpectationResult[] {
  return scenario.expectations.map((e) => checkOne(scenario, e, events));
}

function checkOne(sc: Scenario, e: Expectation, events: readonly SimEvent[]): ExpectationResult {
  const unitId = e.unit !== undefined ? sc.units[e.unit].id : undefined;
  const zoneId = e.zone !== undefined ? sc.zones[e.zone].id : undefined;
  const mine = events.filter((ev) => (unitId === undefined || ev.unit === unitId) && (zoneId === undefined || ev.zone === zoneId));
  const rungEvents = mine.filter((ev) => ev.type === 'escalate' || ev.type === 'stand_down');
  const fails: string[] = [];
  const notes: string[] = [];

  if (e.reaches) {
    const hit = rungEvents.find((ev) => ev.type === 'escalate' && rungLevel(ev.rung) >= rungLevel(e.reaches) && (e.after === undefined || ev.t > e.after));
    if (!hit) fails.push(`never reached ${e.reaches}${e.after !== undefined ? ` after ${formatTime(e.after)}` : ''}`);
    else if (e.before !== undefined && hit.t >= e.before) fails.push(`reached ${hit.rung} at ${formatTime(hit.t)}, not before ${formatTime(e.before)}`);
    else notes.push(`reached ${hit.rung} at ${formatTime(hit.t)}`);
  }
  for (const [rung, strict] of [
    [e.neverPasses, true],
    [e.neverReaches, false],
  ] as const) {
    if (!rung) continue;
    const limit = rungLevel(rung);
    const over = rungEvents.find((ev) => ev.type === 'escalate' && (strict ? rungLevel(ev.rung) > limit : rungLevel(ev.rung) >= limit));
    if (over) fails.push(`reached ${over.rung} at ${formatTime(over.t)}`);
    else {
      const top = rungEvents.reduce((m, ev) => Math.max(m, rungLevel(ev.rung)), -1);
      notes.push(top < 0 ? 'no rung reached' : `highest rung ${rungEvents.find((ev) => rungLevel(ev.rung) === top)!.rung}`);
    }
  }
  if (e.order) {
    const seen = rungEvents.map((ev) => (ev.type === 'stand_down' ? 'stand_down' : ev.rung!));
    let i = 0;
    for (const s of seen) if (i < e.order.length && s === e.order[i]) i++;
    if (i < e.order.length)
      fails.push(`rungs came as ${seen.join(' → ') || '(none)'}; ${e.order[i]} missing after ${e.order.slice(0, i).join(' → ') || 'the start'}`);
    else notes.push(`rungs came as ${seen.join(' → ')}`);
  }
  if (e.event) {
    const n = mine.filter((ev) => ev.type === e.event).length;
    if (e.count !== undefined ? n !== e.count : n === 0)
      fails.push(`${n} ${e.event} event${n === 1 ? '' : 's'}${e.count !== undefined ? `, expected ${e.count}` : ''}`);
    else notes.push(`${n} ${e.event} event${n === 1 ? '' : 's'}`);
  }
  if (e.skipsLadder !== undefined) {
    const strike = rungEvents.find((ev) => ev.type === 'escalate' && ev.rung === 'strike');
    if (!strike) fails.push('no strike');
    else {
      const warned = rungEvents.some((ev) => ev.seq < strike.seq && ev.type === 'escalate' && rungLevel(ev.rung) >= 1 && rungLevel(ev.rung) < 4);
      if (e.skipsLadder && warned) fails.push('a warning rung came before the strike');
      else if (!e.skipsLadder && !warned) fails.push('struck with no warning rung first');
      else notes.push(e.skipsLadder ? `struck at ${formatTime(strike.t)} with no warning rung` : 'warned before the strike');
    }
  }
  return { expectation: e, passed: fails.length === 0, detail: (fails.length ? fails : notes).join('; ') };
}
