/**
 * Semantic warnings: what parses and compiles but cannot be meant, because the run would be
 * silently empty for it. Pure: reads the compiled scenario and the file's source (its values and
 * where they are), and returns one warning per finding, in file order, each naming
 * file:line:column and the field.
 *
 * - `side-unused`: a side in a zone's `applies_to` that no unit has;
 * - `side-unjudged`: a unit's side that no zone applies to (a friendly unit, whose side owns a
 *   site, is left alone), with the closest spelling among the zones' sides;
 * - `never-near`: a unit that never comes within any applying zone's approach band;
 * - `swapped`: a position written `[lat, lon]`: read the other way round it lies near the zones,
 *   as written it lies far away;
 * - `same-name`: two units with the same name.
 */
import { didYouMean, editDistance } from '../errors.js';
import { geodesicDistance } from '../geo/geodesic.js';
import { lerpLonLat, levelCrossings } from '../geo/zones.js';
import type { LonLat, Scenario, ScenarioWarning, Unit, Zone } from '../model.js';
import { warningLine, type FieldPath, type ScenarioSource } from './source.js';

export { scenarioSource, type ScenarioSource } from './source.js';

export type WarningKind = 'side-unused' | 'side-unjudged' | 'never-near' | 'swapped' | 'same-name';

export interface SemanticWarning extends ScenarioWarning {
  kind: WarningKind;
}

/** A swapped reading counts as near within this of a zone (or the zone's approach band, if wider), metres. */
export const SWAP_NEAR = 50_000;
/** ...while the written position lies at least this far from every zone, metres. */
export const SWAP_FAR = 300_000;
/** Most samples taken along one track leg when looking for the approach band. */
const MAX_SAMPLES = 4000;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A value from the file, safe to print: control characters (an escape sequence) are shown as \\u{..}. */
export function shown(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** The closest spelling: as `didYouMean` (case aside), ties going to the one closest with case (`reds` → `red`, not `Red`). */
function closest(word: string, candidates: readonly string[]): string | undefined {
  const best = didYouMean(word, candidates);
  if (best === undefined) return undefined;
  const d = editDistance(word.toLowerCase(), best.toLowerCase());
  const tied = candidates.filter((c) => editDistance(word.toLowerCase(), c.toLowerCase()) === d);
  return tied.reduce((a, b) => (editDistance(word, b) < editDistance(word, a) ? b : a));
}

/** Distance from a point to the nearest zone (0 inside one), metres. */
function nearestZone(zones: readonly Zone[], p: LonLat): number {
  return nearest(zones, p).d;
}

function nearest(zones: readonly Zone[], p: LonLat): { d: number; zone?: Zone } {
  let best: { d: number; zone?: Zone } = { d: Infinity };
  for (const z of zones) {
    const d = Math.max(0, z.shape.signedDistance(p[0], p[1]));
    if (d < best.d) best = { d, zone: z };
  }
  return best;
}

/** Whether the unit's track comes within the zone's approach band (or inside) at any point. */
function comesNear(u: Unit, z: Zone, margin: number): boolean {
  const { lon, lat } = u.track;
  const level = z.approach + margin;
  let d0 = z.shape.signedDistance(lon[0], lat[0]);
  if (d0 <= level) return true;
  for (let k = 1; k < lon.length; k++) {
    const d1 = z.shape.signedDistance(lon[k], lat[k]);
    if (d1 <= level) return true;
    if (lon[k] !== lon[k - 1] || lat[k] !== lat[k - 1]) {
      if (levelCrossings(z.shape, lon[k - 1], lat[k - 1], lon[k], lat[k], level, d0, d1).length) return true;
      // A leg may dip into the band between two points outside it (past a polygon's corner):
      // sample it finer than the band is wide.
      if (z.type !== 'circle') {
        const len = geodesicDistance([lon[k - 1], lat[k - 1]], [lon[k], lat[k]]);
        const n = Math.min(MAX_SAMPLES, Math.ceil(len / Math.max(1, level / 2)));
        for (let i = 1; i < n; i++) {
          const p = lerpLonLat(lon[k - 1], lat[k - 1], lon[k], lat[k], i / n);
          if (z.shape.signedDistance(p[0], p[1]) <= level) return true;
        }
      }
    }
    d0 = d1;
  }
  return false;
}

/** The position a list or {lat, lon} object was written as, and its swapped reading. */
function readings(v: unknown): { written: LonLat; swapped: LonLat } | undefined {
  let a: unknown;
  let b: unknown;
  if (Array.isArray(v)) [a, b] = v;
  else {
    const o = obj(v);
    if (!o || !('lat' in o) || !('lon' in o)) return undefined;
    [a, b] = [o.lon, o.lat];
  }
  if (typeof a !== 'number' || typeof b !== 'number' || Math.abs(a) > 90 || Math.abs(b) > 90) return undefined;
  return { written: [a, b], swapped: [b, a] };
}

/** Every semantic warning of a compiled scenario, in file order. */
export function semanticWarnings(sc: Scenario, src: Pick<ScenarioSource, 'file' | 'raw' | 'locate'>): SemanticWarning[] {
  const out: SemanticWarning[] = [];
  const warn = (kind: WarningKind, path: FieldPath, message: string, hint?: string) => out.push({ kind, ...warningLine(src, path, message, hint) });
  const raw = obj(src.raw) ?? {};
  const rawUnits = arr(raw.units);

  const unitSides = [...new Set(sc.units.map((u) => u.side))];
  const zoneSides = [...new Set(sc.zones.flatMap((z) => z.appliesTo))];
  const siteSides = new Set(sc.sites.map((s) => s.side));

  // A side in applies_to that no unit has.
  sc.zones.forEach((z, i) => {
    z.appliesTo.forEach((side, j) => {
      if (unitSides.includes(side)) return;
      const guess = closest(side, unitSides);
      warn('side-unused', ['zones', i, 'applies_to', j], `no unit has side '${shown(side)}', so the zone judges nobody of it`, guess ? `did you mean '${shown(guess)}'?` : unitSides.length ? `the units' sides are ${unitSides.map(shown).join(', ')}` : undefined);
    });
  });

  // A unit side no zone applies to (unless it owns a site: a friendly unit, never judged on purpose).
  const judged = sc.units.map((u) => zoneSides.includes(u.side));
  sc.units.forEach((u, i) => {
    if (judged[i] || siteSides.has(u.side)) return;
    const guess = closest(u.side, zoneSides);
    warn('side-unjudged', ['units', i, 'side'], `no zone applies to side '${shown(u.side)}': the run has no events for ${u.id}`, guess ? `did you mean '${shown(guess)}'?` : zoneSides.length ? `the zones apply to ${zoneSides.map(shown).join(', ')}` : undefined);
  });

  // A unit that never comes within any applying zone's approach band. Units that injects turn,
  // send back or have fire are left alone: where they go is not all in their track.
  const steered = new Set(sc.injects.flatMap((j) => (j.type === 'turn' || j.type === 'withdraw' || j.type === 'hostile_act' ? [j.unit] : [])));
  sc.units.forEach((u, i) => {
    if (!judged[i] || steered.has(i)) return;
    const zones = sc.zones.filter((z) => z.appliesTo.includes(u.side));
    if (zones.some((z) => comesNear(u, z, 3 * u.noise))) return;
    const [lon, lat] = [u.track.lon, u.track.lat];
    let closest = Infinity;
    for (let k = 0; k < lon.length; k++) closest = Math.min(closest, nearestZone(zones, [lon[k], lat[k]]));
    const isFile = !Array.isArray(obj(rawUnits[i])?.track);
    warn(
      'never-near',
      ['units', i, 'track'],
      `${u.id} never comes within the approach band of ${zones.length === 1 ? zones[0].id : `any of ${zones.map((z) => z.id).join(', ')}`}: the run has no events for it`,
      Number.isFinite(closest) ? `its track${isFile ? '' : "'s waypoints"} come${isFile ? 's' : ''} no closer than ${(closest / 1000).toFixed(1)} km to a zone's edge` : undefined,
    );
  });

  // Positions written [lat, lon]: near the zones the other way round, far away as written.
  const centred = new Set(sc.zones.flatMap((z, i) => (typeof obj(arr(raw.zones)[i])?.center === 'string' ? [obj(arr(raw.zones)[i])!.center as string] : [])));
  const swapCheck = (v: unknown, path: FieldPath) => {
    const r = readings(v);
    if (!r) return;
    const { d: near, zone } = nearest(sc.zones, r.swapped);
    const band = Math.max(SWAP_NEAR, ...sc.zones.map((z) => z.approach));
    if (near > band) return;
    const far = nearestZone(sc.zones, r.written);
    if (far < Math.max(SWAP_FAR, 5 * near)) return;
    const [lon, lat] = r.swapped;
    const there = near === 0 ? `inside ${zone!.id}` : `${(near / 1000).toFixed(1)} km from ${zone!.id}`;
    warn('swapped', path, `this position lies ${Math.round(far / 1000)} km from the nearest zone, but read as [${lon}, ${lat}] it lies ${there}`, Array.isArray(v) ? 'were latitude and longitude swapped? A list is [lon, lat], longitude first as in GeoJSON' : 'check which number is the latitude');
  };
  arr(raw.sites).forEach((s, i) => {
    const site = obj(s);
    if (site && !centred.has(String(site.id))) swapCheck(site.pos, ['sites', i, 'pos']);
  });
  rawUnits.forEach((u, i) => arr(obj(u)?.track).forEach((w, k) => swapCheck(obj(w)?.pos, ['units', i, 'track', k, 'pos'])));
  arr(raw.injects).forEach((j, i) => swapCheck(obj(j)?.to, ['injects', i, 'to']));

  // Two units with the same name.
  const named = new Map<string, number>();
  sc.units.forEach((u, i) => {
    const first = named.get(u.name);
    if (first === undefined) named.set(u.name, i);
    else warn('same-name', ['units', i, 'name'], `${sc.units[first].id} (units[${first}]) has the same name '${shown(u.name)}'`, 'give each unit its own name: reasons and reports name units by it');
  });

  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
