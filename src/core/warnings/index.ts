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
import { didYouMean, editDistance, formatPath } from '../errors.js';
import type { LonLat, Scenario, ScenarioWarning, Zone } from '../model.js';
import { parseDuration } from '../units.js';
import { NearIndex, type Box } from './near.js';
import { warningLine, warningText, type FieldPath, type ScenarioSource } from './source.js';

export { scenarioSource, type ScenarioSource } from './source.js';

export type WarningKind = 'side-unused' | 'side-unjudged' | 'never-near' | 'swapped' | 'same-name';

export interface SemanticWarning extends ScenarioWarning {
  kind: WarningKind;
}

/** A swapped reading counts as near within this of a zone (or the zone's approach band, if wider), metres. */
export const SWAP_NEAR = 50_000;
/** ...while the written position lies at least this far from every zone, metres. */
export const SWAP_FAR = 300_000;

type Raw = Record<string, unknown>;
const obj = (v: unknown): Raw | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A value from the file, safe to print: control characters (an escape sequence) are shown as \\u{..}. */
export function shown(s: string): string {
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

/** Distance from a point to the nearest zone (0 inside one; for a line, the distance to the line itself), metres. */
function nearestZone(zones: readonly Zone[], p: LonLat): number {
  return nearest(zones, p).d;
}

function nearest(zones: readonly Zone[], p: LonLat): { d: number; zone?: Zone } {
  let best: { d: number; zone?: Zone } = { d: Infinity };
  for (const z of zones) {
    const sd = z.shape.signedDistance(p[0], p[1]);
    // The forbidden side of a line is a half of the Earth: what is near a line is near the line.
    const d = z.type === 'line' ? Math.abs(sd) : Math.max(0, sd);
    if (d < best.d) best = { d, zone: z };
  }
  return best;
}

/** The box of every track point of the scenario's units, or undefined when there is none or one crosses the antimeridian. */
function trackBox(sc: Scenario): Box | undefined {
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const u of sc.units) {
    const { lon, lat } = u.track;
    for (let k = 0; k < lon.length; k++) {
      if (k > 0 && Math.abs(lon[k] - lon[k - 1]) > 180) return undefined;
      if (lon[k] < x0) x0 = lon[k];
      if (lon[k] > x1) x1 = lon[k];
      if (lat[k] < y0) y0 = lat[k];
      if (lat[k] > y1) y1 = lat[k];
    }
  }
  return x0 <= x1 ? [x0, y0, x1, y1] : undefined;
}

/** A warning found on the compiled scenario; where it is in the file (and whether it stands) is settled with the file's values. */
interface Finding {
  kind: WarningKind;
  /** A hint may be a function: worked out only when the warning's text is read (validate prints ten of a kind). */
  resolve(raw: Raw): { path: FieldPath; message: string; hint?: string | (() => string | undefined) } | undefined;
}

/** How a position was written: a list, a {lat, lon} object, or something else (MGRS, relative). */
function form(v: unknown): 'list' | 'object' | undefined {
  if (Array.isArray(v)) return 'list';
  const o = obj(v);
  return o && 'lat' in o && 'lon' in o ? 'object' : undefined;
}

/** The waypoint of a written track that compiled to track point `k` (a hold adds a second point). */
function waypointOf(track: unknown[], k: number): number | undefined {
  let at = 0;
  for (let w = 0; w < track.length; w++) {
    const hold = obj(track[w])?.hold;
    const n = typeof hold === 'string' && (parseDuration(hold) ?? 0) > 0 ? 2 : 1;
    if (k < at + n) return w;
    at += n;
  }
  return undefined;
}

/**
 * Every semantic warning of a compiled scenario, in file order. The file's source (its values and
 * where they are) is asked for only when there is something to warn of: `source` may be a
 * function, so that a file without warnings is not parsed a second time.
 */
export function semanticWarnings(sc: Scenario, source: ScenarioSource | (() => ScenarioSource)): SemanticWarning[] {
  const found: Finding[] = [];
  // As the engine does: distance queries mostly come within the band (only speed depends on it).
  for (const z of sc.zones) z.shape.prepare?.(z.approach + z.hysteresis);
  const at = (kind: WarningKind, path: FieldPath, message: string, hint?: string | (() => string | undefined)) =>
    found.push({ kind, resolve: () => ({ path, message, hint }) });

  const unitSides = [...new Set(sc.units.map((u) => u.side))];
  const zoneSides = [...new Set(sc.zones.flatMap((z) => z.appliesTo))];
  const siteSides = new Set(sc.sites.map((s) => s.side));

  // A side in applies_to that no unit has.
  sc.zones.forEach((z, i) => {
    z.appliesTo.forEach((side, j) => {
      if (unitSides.includes(side)) return;
      const guess = closest(side, unitSides);
      at(
        'side-unused',
        ['zones', i, 'applies_to', j],
        `no unit has side '${shown(side)}', so the zone judges nobody of it`,
        guess ? `did you mean '${shown(guess)}'?` : unitSides.length ? `the units' sides are ${unitSides.map(shown).join(', ')}` : undefined,
      );
    });
  });

  // A unit side no zone applies to (unless it owns a site: a friendly unit, never judged on purpose).
  const judged = sc.units.map((u) => zoneSides.includes(u.side));
  sc.units.forEach((u, i) => {
    if (judged[i] || siteSides.has(u.side)) return;
    const guess = closest(u.side, zoneSides);
    at(
      'side-unjudged',
      ['units', i, 'side'],
      `no zone applies to side '${shown(u.side)}': the run has no events for ${u.id}`,
      guess ? `did you mean '${shown(guess)}'?` : zoneSides.length ? `the zones apply to ${zoneSides.map(shown).join(', ')}` : undefined,
    );
  });

  // A unit that never comes within any applying zone's approach band. Units that injects turn,
  // send back or have fire are left alone: where they go is not all in their track.
  const steered = new Set(sc.injects.flatMap((j) => (j.type === 'turn' || j.type === 'withdraw' || j.type === 'hostile_act' ? [j.unit] : [])));
  const maxNoise = sc.units.reduce((m, u) => Math.max(m, u.noise), 0);
  const near = new NearIndex(sc.zones, 3 * maxNoise, trackBox(sc));
  // The zones that apply to each side, found once per side.
  const bySide = new Map<string, number[]>();
  /** The zones of each such list as a warning names them, made once per list. */
  const zoneNames = new Map<readonly number[], string>();
  const applying = (side: string) => {
    let zi = bySide.get(side);
    if (!zi) bySide.set(side, (zi = sc.zones.flatMap((z, k) => (z.appliesTo.includes(side) ? [k] : []))));
    return zi;
  };
  sc.units.forEach((u, i) => {
    if (!judged[i] || steered.has(i)) return;
    const zi = applying(u.side);
    if (near.comesNear(u, zi, 3 * u.noise)) return;
    let zones = zoneNames.get(zi);
    if (zones === undefined) zoneNames.set(zi, (zones = zi.length === 1 ? sc.zones[zi[0]].id : `any of ${zi.map((k) => sc.zones[k].id).join(', ')}`));
    // The exact closest distance, only for the units that warn, and only once their warning is read.
    const least = () => near.leastTo(u, zi);
    at('never-near', ['units', i, 'track'], `${u.id} never comes within the approach band of ${zones}: the run has no events for it`, () => {
      const m = least();
      return Number.isFinite(m) ? `its track comes no closer than ${(m / 1000).toFixed(1)} km to a zone's edge` : undefined;
    });
  });

  // Positions written [lat, lon]: near the zones the other way round, far away as written.
  const band = sc.zones.reduce((m, z) => Math.max(m, z.approach), SWAP_NEAR);
  const swapFlat = Float64Array.from(sc.zones.flatMap((z) => z.shape.bboxes(band) as Box[]).flat());
  // The box of those boxes: a position outside it is outside each (most are: one test, not one per box).
  let ux0 = Infinity;
  let uy0 = Infinity;
  let ux1 = -Infinity;
  let uy1 = -Infinity;
  for (let i = 0; i < swapFlat.length; i += 4) {
    ux0 = Math.min(ux0, swapFlat[i]);
    uy0 = Math.min(uy0, swapFlat[i + 1]);
    ux1 = Math.max(ux1, swapFlat[i + 2]);
    uy1 = Math.max(uy1, swapFlat[i + 3]);
  }
  /** Whether [lon, lat] read the other way round lies in a box of the zones grown by the band (most positions do not: no array for them). */
  const mayBeSwapped = (lon: number, lat: number): boolean => {
    if (Math.abs(lon) > 90) return false;
    if (!(lat >= ux0 && lat <= ux1 && lon >= uy0 && lon <= uy1)) return false;
    for (let i = 0; i < swapFlat.length; i += 4) {
      if (lat >= swapFlat[i] && lat <= swapFlat[i + 2] && lon >= swapFlat[i + 1] && lon <= swapFlat[i + 3]) return true;
    }
    return false;
  };
  const swapped = (p: LonLat): { message: string; hint: (f: 'list' | 'object') => string } | undefined => {
    const [lon, lat] = p;
    if (!mayBeSwapped(lon, lat)) return undefined;
    const { d: near, zone } = nearest(sc.zones, [lat, lon]);
    if (near > band) return undefined;
    const far = nearestZone(sc.zones, p);
    if (far < Math.max(SWAP_FAR, 5 * near)) return undefined;
    const there = near === 0 ? `inside ${zone!.id}` : `${(near / 1000).toFixed(1)} km from ${zone!.id}`;
    return {
      message: `this position lies ${Math.round(far / 1000)} km from the nearest zone, but read as [${lat}, ${lon}] it lies ${there}`,
      hint: (f) =>
        f === 'list' ? 'were latitude and longitude swapped? A list is [lon, lat], longitude first as in GeoJSON' : 'check which number is the latitude',
    };
  };
  const centres = new Set(sc.zones.flatMap((z) => (z.type === 'circle' && z.center ? [z.center] : [])));
  sc.sites.forEach((s, i) => {
    // A site that centres a circle moves the zone with it: neither lies far from the other.
    if (centres.has(s.pos)) return;
    const w = swapped(s.pos);
    if (w)
      found.push({
        kind: 'swapped',
        resolve: (raw) => {
          const f = form(obj(arr(raw.sites)[i])?.pos);
          return f ? { path: ['sites', i, 'pos'], message: w.message, hint: w.hint(f) } : undefined;
        },
      });
  });
  sc.units.forEach((u, i) => {
    const { lon, lat } = u.track;
    for (let k = 0; k < lon.length; k++) {
      if (k > 0 && lon[k] === lon[k - 1] && lat[k] === lat[k - 1]) continue;
      if (!mayBeSwapped(lon[k], lat[k])) continue;
      const w = swapped([lon[k], lat[k]]);
      if (!w) continue;
      found.push({
        kind: 'swapped',
        resolve: (raw) => {
          const track = obj(arr(raw.units)[i])?.track;
          // A track from a file: its columns may be swapped (a CSV's lat and lon).
          if (!Array.isArray(track))
            return {
              path: ['units', i, 'track'],
              message: `a fix of the track file ${w.message.replace('this position ', '')}`,
              hint: 'are the latitude and longitude columns swapped?',
            };
          const wp = waypointOf(track, k);
          const f = wp === undefined ? undefined : form(obj(track[wp])?.pos);
          return f ? { path: ['units', i, 'track', wp!, 'pos'], message: w.message, hint: w.hint(f) } : undefined;
        },
      });
      break;
    }
  });
  for (const j of sc.injects) {
    if ((j.type !== 'turn' && j.type !== 'withdraw') || !j.to) continue;
    const w = swapped(j.to);
    if (w)
      found.push({
        kind: 'swapped',
        resolve: (raw) => {
          const f = form(obj(arr(raw.injects)[j.index])?.to);
          return f ? { path: ['injects', j.index, 'to'], message: w.message, hint: w.hint(f) } : undefined;
        },
      });
  }

  // Two units with the same name.
  const named = new Map<string, number>();
  sc.units.forEach((u, i) => {
    const first = named.get(u.name);
    if (first === undefined) named.set(u.name, i);
    else
      at(
        'same-name',
        ['units', i, 'name'],
        `${sc.units[first].id} (units[${first}]) has the same name '${shown(u.name)}'`,
        'give each unit its own name: reasons and reports name units by it',
      );
  });

  if (!found.length) return [];
  const src = typeof source === 'function' ? source() : source;
  const raw = obj(src.raw) ?? {};
  const out: SemanticWarning[] = [];
  for (const f of found) {
    const r = f.resolve(raw);
    if (!r) continue;
    const hint = r.hint;
    if (typeof hint !== 'function') {
      out.push({ kind: f.kind, ...warningLine(src, r.path, r.message, hint) });
      continue;
    }
    // Where it is now; its text (with the hint worked out) when it is first read.
    const { line, column } = src.locate(r.path);
    let text: string | undefined;
    // An accessor written in the literal: the same own, enumerable property as one defined on the object after, without a map of its own for each warning.
    const w: SemanticWarning = {
      kind: f.kind,
      file: src.file,
      line,
      column,
      field: formatPath(r.path),
      get message() {
        return (text ??= warningText(w.file, w.line, w.column, w.field, r.message, hint()));
      },
    };
    out.push(w);
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
