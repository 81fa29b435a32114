/**
 * Exercise control: the trainer fires an inject of the scenario or MSEL now, not at its time.
 *
 * A fire is recorded as `{ inject, t }`: the inject's place in the compiled scenario's `injects`
 * (the scenario with its MSEL applied) and the time it is fired at. Applied to the scenario, a
 * fire puts a copy of that inject at `t` — unconditional (a reaction's `on:` is dropped: the
 * trainer fires it now, whatever the unit's rung) — and, when the inject's own time is still
 * ahead, takes it off its time (it was moved, not doubled). An inject already past is fired again.
 *
 * Why a schedule and not an engine call: the run stays a pure function of (scenario, seed,
 * choices, fires). A fire at `t` only changes the injects after the last tick that ran, so a run
 * whose injects are changed in place at its tick k (`applyFiresInPlace`, t after tick k) and a run
 * of the fired scenario from the start (`withFires`, a replay or `--resume`) give the same events.
 */
import type { Inject, Scenario } from '../core/model.js';
import { formatTime } from '../core/units.js';

export interface Fire {
  /** The inject's place in the compiled scenario's injects (before any fire). */
  inject: number;
  /** When it fires (ms since the epoch): the tick after the one the trainer fired it at. */
  t: number;
}

/** The session file's line for a fire (docs/training.md#session-files). */
export interface SessionFireLine {
  type: 'fire';
  inject: number;
  t: string;
}

export function fireLine(f: Fire): SessionFireLine {
  return { type: 'fire', inject: f.inject, t: formatTime(f.t) };
}

/** The injects of `original` with `fires` applied in order (sorted by time, ties in the order they were added). */
export function firedInjects(original: readonly Inject[], fires: readonly Fire[]): Inject[] {
  const list = original.slice();
  for (const f of fires) {
    const inj = original[f.inject];
    if (!inj) throw new RangeError(`no inject ${f.inject} (the scenario has ${original.length})`);
    const at = list.indexOf(inj);
    if (at >= 0 && inj.t > f.t) list.splice(at, 1);
    const copy = { ...inj, t: f.t } as Inject & { on?: unknown };
    delete copy.on;
    let i = list.length;
    while (i > 0 && list[i - 1].t > f.t) i--;
    list.splice(i, 0, copy as Inject);
  }
  return list;
}

/** The scenario with `fires` applied: a replay of a session or class that fired injects. */
export function withFires(sc: Scenario, fires: readonly Fire[]): Scenario {
  return fires.length ? { ...sc, injects: firedInjects(sc.injects, fires) } : sc;
}

/**
 * Change a running scenario's injects in place to `original` with `fires` applied. Safe when the
 * last fire's time is after the last tick that ran: the injects the engine has already passed
 * keep their places (the engine holds a cursor into the list).
 */
export function applyFiresInPlace(sc: Scenario, original: readonly Inject[], fires: readonly Fire[]): void {
  const next = firedInjects(original, fires);
  sc.injects.splice(0, sc.injects.length, ...next);
}

/** An inject in words, for a list to choose from: `07:00 message: bulldozer digging in`. */
export function injectLabel(sc: Scenario, inj: Inject): string {
  const hhmm = formatTime(inj.t).slice(11, 16);
  const unit = inj.type === 'message' ? '' : ` ${sc.units[inj.unit]?.name ?? ''}`;
  const kind = inj.type.replace('_', ' ');
  return `${hhmm} ${kind}${unit}${inj.text ? `: ${inj.text}` : ''}`;
}
