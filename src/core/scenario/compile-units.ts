/**
 * Compiling a unit: waypoints (times, speeds, holds) or a track from another tool's file, with
 * recorded fixes tidied (sorted, de-duplicated, gaps held) and what that changed as warnings.
 */
import { geodesicDistance } from '../geo/geodesic.js';
import type { ScenarioWarning, Unit } from '../model.js';
import type { LonLat } from '../position.js';
import type { RawScenario } from '../schema.js';
import { makeTrack } from '../track.js';
import { formatDuration, formatTime, parseDuration, parseSpeed, parseTime } from '../units.js';
import type { RefContext } from './refs.js';
import { trackFromRef } from './refs.js';
import type { Locator, Path } from './document.js';
import type { Problems } from './problems.js';
import { DEFAULT_MAX_GAP, dist, MAX_HOLD, position, recordedColumns } from './values.js';

export interface UnitContext {
  loc: Locator;
  start: number;
  end: number;
  warnings: ScenarioWarning[];
  refContext(path: Path): RefContext;
  /** Count track points against the limit (throws when over it). */
  countPoints(n: number, path: Path): void;
  pr: Problems;
  /** Site positions by id, for relative positions ({from: SITE, bearing, distance}). */
  sites?: ReadonlyMap<string, LonLat>;
}

/** One unit: its track from waypoints or from a file, with what tidying a recording changed as warnings. */
export function compileUnit(u: RawScenario['units'][number], p: Path, ctx: UnitContext): Unit {
  const { loc, start, end, warnings, countPoints } = ctx;
  const noise = u.noise !== undefined ? dist(loc, u.noise, [...p, 'noise'], 'noise', false) : 0;
  if (!Array.isArray(u.track)) {
    // A track from another tool's file (GPX, KML, GeoJSON, CSV).
    const fromFile = trackFromRef(u.track, ctx.refContext([...p, 'track']), { start, end });
    const fileFixes = fromFile.fixes;
    countPoints(fileFixes.t.length, [...p, 'track']);
    // Times computed from a speed are not a recording: their long legs are no gaps.
    const maxGap = u.track.speed !== undefined ? Infinity : u.track.max_gap !== undefined ? parseDuration(u.track.max_gap)! : DEFAULT_MAX_GAP;
    if (!(maxGap > 0)) throw loc.error([...p, 'track', 'max_gap'], 'max_gap must be longer than zero', 'e.g. max_gap: 30m');
    const tidy = recordedColumns(fileFixes, maxGap);
    // The file's reader has already put its fixes in order: count what it tidied too.
    tidy.unordered += fromFile.tidied?.unordered ?? 0;
    tidy.duplicates += fromFile.tidied?.duplicates ?? 0;
    const warn = (message: string, hint: string) => {
      const w = loc.error([...p, 'track'], message, hint);
      warnings.push({
        file: w.file,
        line: w.line,
        column: w.column,
        field: w.field,
        message: `${w.file}:${w.line}:${w.column}: warning: ${w.field}: ${message} (${hint})`,
      });
    };
    const track = u.track;
    // The track as a warning names it (most units have nothing to warn of).
    const from = () => `${track.file}${track.name !== undefined || track.id !== undefined ? ` (${track.id ?? track.name})` : ''}`;
    if (tidy.unordered || tidy.duplicates) {
      const parts = [];
      if (tidy.unordered)
        parts.push(`${tidy.unordered} fix${tidy.unordered === 1 ? ' was' : 'es were'} out of time order and ${tidy.unordered === 1 ? 'was' : 'were'} sorted`);
      if (tidy.duplicates)
        parts.push(
          `${tidy.duplicates} fix${tidy.duplicates === 1 ? '' : 'es'} at a time already recorded ${tidy.duplicates === 1 ? 'was' : 'were'} dropped (the first fix at each time is kept)`,
        );
      warn(`in ${from()}, ${parts.join('; ')}`, 'check the recording');
    }
    if (tidy.gaps.length) {
      const longest = tidy.gaps.reduce((a, b) => (b.length > a.length ? b : a));
      warn(
        `${from()} has ${tidy.gaps.length} gap${tidy.gaps.length === 1 ? '' : 's'} longer than ${formatDuration(maxGap)} between fixes (the longest ${formatDuration(longest.length)}, after ${formatTime(longest.from)}); the unit stays at its last fix across ${tidy.gaps.length === 1 ? 'it' : 'them'}, not moved in a straight line`,
        `set max_gap: ${formatDuration(Math.ceil(longest.length / 60_000) * 60_000)} on the track to move it across`,
      );
    }
    return {
      id: u.id,
      name: u.name,
      side: u.side,
      composition: { ...(u.composition ?? {}) },
      sidc: u.sidc,
      track: tidy.track,
      noise,
      description: u.description,
      ...(u.dis ? { dis: disOf(loc, u.dis, [...p, 'dis']) } : {}),
    };
  }
  countPoints(u.track.length, [...p, 'track']);
  if (u.track.length === 0) throw loc.error([...p, 'track'], 'the track is empty', 'give at least one waypoint: - {pos: [lon, lat], t: 2017-05-18T06:00:00Z}');
  const pts: { t: number; pos: LonLat }[] = [];
  let prevT = -Infinity;
  let prevPos: LonLat | undefined;
  /** The waypoint whose hold ends at prevT, when there is one. */
  let holding: { k: number; from: number } | undefined;
  u.track.forEach((w, k) => {
    const wp: Path = [...p, 'track', k];
    // Without from, a relative position is a leg from the previous waypoint.
    const pos = position(loc, w.pos, [...wp, 'pos'], { sites: ctx.sites, previous: prevPos });
    let t: number;
    if (w.t !== undefined && w.speed !== undefined) throw loc.error([...wp, 'speed'], 'give a time or a speed for a waypoint, not both');
    if (w.t !== undefined) {
      const tt = parseTime(w.t, start);
      if (tt === undefined) throw loc.error([...wp, 't'], `'${w.t}' is not a valid time`, 'e.g. 2017-05-18T09:00:00Z or +1h30m');
      t = tt;
    } else if (w.speed !== undefined) {
      if (!prevPos) throw loc.error([...wp, 'speed'], 'the first waypoint needs a time, not a speed', 'add t: with the time the unit is here');
      const sp = parseSpeed(w.speed);
      if (sp === undefined) throw loc.error([...wp, 'speed'], `'${w.speed}' is not a speed`, 'e.g. 40km/h');
      t = prevT + Math.max(1, Math.round((geodesicDistance(prevPos, pos) / sp) * 1000));
    } else {
      throw loc.error(
        wp,
        k === 0 ? 'the first waypoint needs a time' : 'a waypoint needs a time (t) or a speed',
        k === 0 ? 'add t: 2017-05-18T06:00:00Z' : 'add t: or speed:',
      );
    }
    if (!(t > prevT) && holding && t > holding.from) {
      throw loc.error(
        [...wp, w.t !== undefined ? 't' : 'speed'],
        `this waypoint comes before the hold at the previous waypoint ends (${formatTime(prevT)})`,
        `shorten hold: at track[${holding.k}], or make this waypoint later`,
      );
    }
    if (!(t > prevT)) {
      throw loc.error(
        [...wp, w.t !== undefined ? 't' : 'speed'],
        `waypoint times must increase: this one is not after the previous waypoint`,
        'sort the waypoints by time',
      );
    }
    pts.push({ t, pos });
    prevT = t;
    prevPos = pos;
    holding = undefined;
    if (w.hold) {
      const h = parseDuration(w.hold)!;
      if (h > MAX_HOLD)
        throw loc.error([...wp, 'hold'], `a hold of '${w.hold}' is longer than ten years`, 'a hold keeps the unit here for a while, e.g. hold: 30m');
      if (h > 0) {
        holding = { k, from: t };
        prevT = t + h;
        pts.push({ t: prevT, pos });
      }
    }
  });
  return {
    id: u.id,
    name: u.name,
    side: u.side,
    composition: { ...(u.composition ?? {}) },
    sidc: u.sidc,
    track: makeTrack(pts),
    noise,
    description: u.description,
    ...(u.dis ? { dis: disOf(loc, u.dis, [...p, 'dis']) } : {}),
  };
}

const DIS_FORCES: Record<string, number> = { other: 0, friendly: 1, opposing: 2, neutral: 3 };

/** A unit's `dis:`: an entity id (all three numbers), or a force id (named forces as their numbers). */
function disOf(loc: Locator, d: { site?: number; application?: number; entity?: number; force?: number | string }, p: Path): NonNullable<Unit['dis']> {
  const ids = (['site', 'application', 'entity'] as const).filter((k) => d[k] !== undefined);
  if (d.force !== undefined) {
    if (ids.length)
      throw loc.error(
        [...p, ids[0]],
        'give the entity id (site, application, entity) or a force, not both',
        'dis: {site: 1, application: 2, entity: 3} names the entity; dis: {force: opposing} keeps the unit for an unknown entity of that force',
      );
    return { force: typeof d.force === 'number' ? d.force : DIS_FORCES[d.force] };
  }
  const missing = (['site', 'application', 'entity'] as const).find((k) => d[k] === undefined);
  if (missing) throw loc.error(p, `the DIS entity id has no ${missing}`, 'dis: {site: 1, application: 2, entity: 3}, or dis: {force: opposing}');
  return { site: d.site!, application: d.application!, entity: d.entity! };
}
