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
import { metresPerDegreeInto, sphereDistanceLL } from '../geo/geodesic.js';
import { lerpLonLat, levelCrossings } from '../geo/zones.js';
import type { LonLat, Scenario, ScenarioWarning, Unit, Zone } from '../model.js';
import { parseDuration } from '../units.js';
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

const K = new Float64Array(2);

/**
 * A lower bound of `nearest`'s distance from (lon, lat) to a polygon or line: the distance to its
 * bounding boxes in the same local metric the shape measures in (an edge inside a box is never
 * nearer than the box). 0 inside a box; circles, cheap to measure exactly, get 0.
 */
function boxBound(z: Zone, boxes: readonly Box[], lon: number, lat: number): number {
  if (z.type === 'circle') return 0;
  metresPerDegreeInto(lat, K);
  let best = Infinity;
  for (let i = 0; i < boxes.length; i++) {
    const b = boxes[i];
    const dy = (lat < b[1] ? b[1] - lat : lat > b[3] ? lat - b[3] : 0) * K[1];
    for (let x = lon - 360; x <= lon + 360; x += 360) {
      const dx = (x < b[0] ? b[0] - x : x > b[2] ? x - b[2] : 0) * K[0];
      const d = Math.sqrt(dx * dx + dy * dy);
      if (d < best) best = d;
    }
  }
  return best * (1 - 1e-9);
}

/**
 * The least `nearestZone` over a track's points. Far tracks are the common case (a generated file of
 * 20,000 units has thousands): a point's distance to a polygon's boxes bounds its distance to the
 * polygon from below, so a zone is measured only where it could beat the best so far.
 */
function leastToZones(zones: readonly Zone[], boxes: readonly (readonly Box[])[], lon: ArrayLike<number>, lat: ArrayLike<number>): number {
  let least = Infinity;
  for (let k = 0; k < lon.length; k++) {
    for (let i = 0; i < zones.length; i++) {
      if (boxBound(zones[i], boxes[i], lon[k], lat[k]) >= least) continue;
      const z = zones[i];
      const sd = z.shape.signedDistance(lon[k], lat[k]);
      const d = z.type === 'line' ? Math.abs(sd) : Math.max(0, sd);
      if (d < least) least = d;
    }
  }
  return least;
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

type Box = readonly [number, number, number, number];
const WORLD: Box = [-360, -90, 360, 90];
const meets = (a: Box, b: Box) => a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
const holds = (boxes: readonly Box[], lon: number, lat: number) => boxes.some((b) => lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]);

/**
 * Whether the unit's track comes within the zone's approach band (or inside) at any point.
 * `boxes`: the zone's bounding boxes grown by at least the band: legs that miss them are skipped.
 */
function comesNear(u: Unit, z: Zone, margin: number, boxes: readonly Box[]): boolean {
  const { lon, lat } = u.track;
  const level = z.approach + margin;
  let d0 = NaN;
  for (let k = 0; k < lon.length; k++) {
    const a = k > 0 ? k - 1 : 0;
    const leg: Box = [Math.min(lon[a], lon[k]), Math.min(lat[a], lat[k]), Math.max(lon[a], lon[k]), Math.max(lat[a], lat[k])];
    // A leg across the antimeridian has a box that is no bound: it is checked in full.
    if (leg[2] - leg[0] <= 180 && !boxes.some((b) => meets(b, leg))) {
      d0 = NaN;
      continue;
    }
    if (Number.isNaN(d0)) d0 = z.shape.signedDistance(lon[a], lat[a]);
    if (d0 <= level) return true;
    const d1 = z.shape.signedDistance(lon[k], lat[k]);
    if (d1 <= level) return true;
    if (lon[k] !== lon[a] || lat[k] !== lat[a]) {
      if (levelCrossings(z.shape, lon[a], lat[a], lon[k], lat[k], level, d0, d1).length) return true;
      // A leg may dip into the band between two points outside it (past a polygon's corner):
      // sample it finer than the band is wide.
      if (z.type !== 'circle') {
        // The number of samples only needs the length roughly (within 1 %).
        const len = sphereDistanceLL(lon[a], lat[a], lon[k], lat[k]) * 1.01;
        const n = Math.min(MAX_SAMPLES, Math.ceil(len / Math.max(1, level / 2)));
        for (let i = 1; i < n; i++) {
          const p = lerpLonLat(lon[a], lat[a], lon[k], lat[k], i / n);
          if (holds(boxes, p[0], p[1]) && z.shape.signedDistance(p[0], p[1]) <= level) return true;
        }
      }
    }
    d0 = d1;
  }
  return false;
}

/** A warning found on the compiled scenario; where it is in the file (and whether it stands) is settled with the file's values. */
interface Finding {
  kind: WarningKind;
  resolve(raw: Raw): { path: FieldPath; message: string; hint?: string } | undefined;
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
  const at = (kind: WarningKind, path: FieldPath, message: string, hint?: string) => found.push({ kind, resolve: () => ({ path, message, hint }) });

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
  const maxNoise = Math.max(0, ...sc.units.map((u) => u.noise));
  // A line's forbidden side reaches beyond any box round the line: its legs are all checked.
  const nearBoxes = sc.zones.map((z) => (z.type === 'line' ? [WORLD] : (z.shape.bboxes(z.approach + 3 * maxNoise) as Box[])));
  const outerBoxes = sc.zones.map((z) => (z.type === 'circle' ? [] : (z.shape.bboxes(0) as Box[])));
  sc.units.forEach((u, i) => {
    if (!judged[i] || steered.has(i)) return;
    const zi = sc.zones.flatMap((z, k) => (z.appliesTo.includes(u.side) ? [k] : []));
    if (zi.some((k) => comesNear(u, sc.zones[k], 3 * u.noise, nearBoxes[k]))) return;
    const zones = zi.map((k) => sc.zones[k]);
    const least = leastToZones(
      zones,
      zi.map((k) => outerBoxes[k]),
      u.track.lon,
      u.track.lat,
    );
    at(
      'never-near',
      ['units', i, 'track'],
      `${u.id} never comes within the approach band of ${zones.length === 1 ? zones[0].id : `any of ${zones.map((z) => z.id).join(', ')}`}: the run has no events for it`,
      Number.isFinite(least) ? `its track comes no closer than ${(least / 1000).toFixed(1)} km to a zone's edge` : undefined,
    );
  });

  // Positions written [lat, lon]: near the zones the other way round, far away as written.
  const band = Math.max(SWAP_NEAR, ...sc.zones.map((z) => z.approach));
  const swapBoxes = sc.zones.flatMap((z) => z.shape.bboxes(band) as Box[]);
  const swapped = (p: LonLat): { message: string; hint: (f: 'list' | 'object') => string } | undefined => {
    const [lon, lat] = p;
    if (Math.abs(lon) > 90 || !holds(swapBoxes, lat, lon)) return undefined;
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
    if (r) out.push({ kind: f.kind, ...warningLine(src, r.path, r.message, r.hint) });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}
