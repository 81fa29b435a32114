/**
 * A scenario's identity for a session: what it compiles to, not its bytes.
 *
 * A trainer who fixes a typo in a description, adds a comment or reorders keys has not changed
 * the exercise, and sessions recorded before stay reportable. What decides the run — the timing
 * and seed, the sites, every zone's geometry and rules, every unit's side, composition, noise
 * and compiled track, the injects, the ladder and doctrine — is hashed part by part, so a change
 * that does matter can be named ("zone tanf-dz, unit convoy") rather than only refused.
 * Titles, names, descriptions, the briefing and the author's expectations are left out: they do
 * not move a unit or fire a rung.
 */
import type { Scenario, Unit, Zone } from '../core/model.js';
import { createHash } from 'node:crypto';

/** Most zones or units whose own hashes are kept, to name what changed (beyond this only the part is named). */
export const MAX_NAMED = 200;

export interface RunIdentity {
  sha256: string;
  /** One hash per part: timing, sites, zones, units, injects, rules. */
  parts: Record<string, string>;
  /** Short hashes per zone and unit id (up to MAX_NAMED of each). */
  zones?: Record<string, string>;
  units?: Record<string, string>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const short = (s: string) => sha256(s).slice(0, 16);
const list = (a: ArrayLike<number>) => Array.from(a);

function zoneKey(z: Zone): string {
  const { id, type, appliesTo, protects, approach, hysteresis, center, radius, forbidden } = z;
  return JSON.stringify({
    id,
    type,
    appliesTo,
    protects,
    approach,
    hysteresis,
    center,
    radius,
    forbidden,
    outline: type === 'circle' ? undefined : z.shape.outline(),
  });
}

function unitKey(u: Unit): string {
  const { id, side, composition, noise, dis } = u;
  return JSON.stringify({ id, side, composition, noise, dis, t: list(u.track.t), lon: list(u.track.lon), lat: list(u.track.lat) });
}

/** The identity of a compiled scenario (with its MSEL applied, as the run sees it). */
export function runIdentity(sc: Scenario): RunIdentity {
  const zones = sc.zones.map(zoneKey);
  const units = sc.units.map(unitKey);
  const parts: Record<string, string> = {
    timing: short(JSON.stringify([sc.start, sc.end, sc.tick, sc.seed])),
    sites: short(JSON.stringify(sc.sites.map((s) => [s.id, s.side, s.pos]))),
    zones: short(zones.join('\n')),
    units: short(units.join('\n')),
    injects: short(JSON.stringify(sc.injects.map(({ text: _t, expected: _e, notes: _n, ...rest }) => rest))),
    rules: short(JSON.stringify([sc.ladder, sc.doctrine])),
  };
  const id: RunIdentity = { sha256: sha256(JSON.stringify(parts)), parts };
  if (sc.zones.length <= MAX_NAMED) id.zones = Object.fromEntries(sc.zones.map((z, i) => [z.id, short(zones[i])]));
  if (sc.units.length <= MAX_NAMED) id.units = Object.fromEntries(sc.units.map((u, i) => [u.id, short(units[i])]));
  return id;
}

const PART_WORDS: Record<string, string> = {
  timing: 'the start, end, tick or seed',
  sites: 'the sites',
  zones: 'the zones',
  units: 'the units',
  injects: 'the injects',
  rules: 'the ladder or doctrine',
};

/** What differs between the identity a session recorded and the scenario's now, in words; [] when nothing. */
export function runChanges(was: RunIdentity, now: RunIdentity): string[] {
  if (was.sha256 === now.sha256) return [];
  const out: string[] = [];
  for (const [part, h] of Object.entries(now.parts)) {
    if (was.parts?.[part] === h) continue;
    const named = part === 'zones' || part === 'units' ? namedChanges(part, was[part], now[part]) : undefined;
    out.push(named ?? PART_WORDS[part] ?? part);
  }
  return out.length ? out : ['the scenario'];
}

function namedChanges(part: 'zones' | 'units', was: Record<string, string> | undefined, now: Record<string, string> | undefined): string | undefined {
  if (!was || !now) return undefined;
  const one = part === 'zones' ? 'zone' : 'unit';
  const changed = Object.keys(now).filter((id) => id in was && was[id] !== now[id]);
  const added = Object.keys(now).filter((id) => !(id in was));
  const gone = Object.keys(was).filter((id) => !(id in now));
  const bits = [
    ...(changed.length ? [`${one}${changed.length > 1 ? 's' : ''} ${changed.join(', ')} changed`] : []),
    ...(added.length ? [`${added.join(', ')} added`] : []),
    ...(gone.length ? [`${gone.join(', ')} removed`] : []),
  ];
  return bits.length ? bits.join('; ') : `the order of the ${part}`;
}

/** Whether a session header's `run` field has the shape of a RunIdentity (an old or damaged one is ignored: bytes decide). */
export function isRunIdentity(v: unknown): v is RunIdentity {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  const hashes = (o: unknown) => o !== null && typeof o === 'object' && !Array.isArray(o) && Object.values(o).every((h) => typeof h === 'string');
  return typeof r.sha256 === 'string' && hashes(r.parts) && (r.zones === undefined || hashes(r.zones)) && (r.units === undefined || hashes(r.units));
}
