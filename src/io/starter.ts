/**
 * `deconflict import`: a starter scenario from other tools' files, for the trainer to edit.
 * Timed tracks become units (their tracks stay in the files, referred to by `file:`), polygons
 * and untimed lines become zones, untimed points sites. Whatever deconflict cannot know (sides,
 * which side a line forbids, the ladder) gets a plain default and a TODO comment, so that the
 * file runs as it is and says what to check.
 */
import { relative, sep } from 'node:path';
import type { ScenarioError } from '../core/errors.js';
import { geodesicDistance } from '../core/geo/geodesic.js';
import type { LonLat } from '../core/position.js';
import { DEFAULT_MAX_GAP } from '../core/load.js';
import { formatDuration, formatTime, parseSpeed, parseTime } from '../core/units.js';
import { slug, type GeoData, type ImportedTrack } from './geodata.js';
import { pushAll } from '../core/extent.js';
import { yamlComment, yamlQuoted } from '../core/text/safe.js';

export interface StarterInput {
  data: GeoData;
  /** The file's path as the scenario will write it (relative to the scenario's folder). */
  ref: string;
  /** CSV columns given on the command line, written into each track reference. */
  columns?: Record<string, string>;
  /** Side of this file's units (`--side SIDE=FILE`), before `StarterOptions.side`. */
  side?: string;
}

export interface StarterOptions {
  title?: string;
  /** Side of the imported units (default: a `side` property of the track, else "opposing"). */
  side?: string;
  /** Side of the imported sites (default "own"). */
  ownSide?: string;
  /** When untimed paths (routes, lines, tracks without times) set off: they become units (as written, e.g. 2017-05-18T06:00:00Z). */
  starts?: string;
  /** Their speed as written (e.g. 20km/h; default 30km/h). */
  speed?: string;
  /** A note for the user (a track left out, markers dropped). */
  note?: (message: string) => void;
}

// Plain only when YAML reads it back as the same string in block and flow context alike: starts
// with a letter (so never a number or a date), no ':', '#', ',', brackets or quotes, no surrounding
// blanks, and no word YAML 1.1 or 1.2 reads as a boolean or null.
const PLAIN = /^[A-Za-z][A-Za-z0-9 _./()+-]*$/;
const RESERVED = /^(y|n|yes|no|on|off|true|false|null|nan|inf)$/i;

/** A YAML scalar: plain when safe, else double-quoted with every control character escaped (src/core/text/safe.ts). */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && s.trim() === s && !s.includes('  ') ? s : yamlQuoted(s);
}

/** The longest time between two fixes of a track where the unit moved (a halt is no gap), ms. */
function longestGap(t: ImportedTrack): number {
  let gap = 0;
  for (let i = 1; i < t.fixes.length; i++) {
    const a = t.fixes[i - 1];
    const b = t.fixes[i];
    if (b.t - a.t > gap && geodesicDistance([a.lon, a.lat], [b.lon, b.lat]) > 100) gap = b.t - a.t;
  }
  return gap;
}

/** Text from a file (its name, a track's name) in a comment: one line, whatever it holds. */
const commentText = yamlComment;

const f7 = (x: number) => String(Math.round(x * 1e7) / 1e7);

/** The path to write for `file` in a scenario kept in `scenarioDir`, with forward slashes. */
export function refPath(file: string, scenarioDir: string): string {
  return relative(scenarioDir, file).split(sep).join('/');
}

function pathLength(coords: LonLat[]): number {
  let d = 0;
  for (let i = 1; i < coords.length; i++) d += geodesicDistance(coords[i - 1], coords[i]);
  return d;
}

function trackTimes(t: ImportedTrack, path?: { begin: number; speed: number }): { first: number; last: number } | undefined {
  if (t.problem) return undefined;
  if (t.kind === 'timed' && t.fixes.length) return { first: t.fixes[0].t, last: t.fixes[t.fixes.length - 1].t };
  // At 30 km/h, the default speed written for it.
  if (t.kind === 'timestamp' && t.begin !== undefined) return { first: t.begin, last: t.begin + Math.round((pathLength(t.coords) / (30 / 3.6)) * 1000) };
  if (t.kind === 'untimed' && path && t.coords.length >= 2)
    return { first: path.begin, last: path.begin + Math.round((pathLength(t.coords) / path.speed) * 1000) };
  return undefined;
}

/**
 * Build the starter scenario's YAML text. Throws an Error with a user-facing message if there is
 * nothing to build from (or the ScenarioError of the only track, when it has a fault).
 */
export function starterScenario(inputs: StarterInput[], opts: StarterOptions = {}): string {
  const ids = new Set<string>();
  const uniqueId = (name: string, fallback: string) => {
    const base = slug(name, fallback);
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return id;
  };
  const units: string[] = [];
  const zones: string[] = [];
  const sites: string[] = [];
  const unitSides = new Set<string>();
  let defaultSides = 0;
  let first = Infinity;
  let last = -Infinity;
  const allPts: LonLat[] = [];
  const own = opts.ownSide ?? 'own';
  const seenSites: { name: string; pos: LonLat }[] = [];
  const note = opts.note ?? (() => {});
  let firstProblem: ScenarioError | undefined;
  // Tracks with a fault: noted when other tracks make the scenario, else the first fault is the error.
  const leftOut: string[] = [];
  const speedText = opts.speed ?? '30km/h';
  const path = opts.starts !== undefined ? { begin: parseTime(opts.starts, 0), speed: parseSpeed(speedText) } : undefined;
  if (path && (path.begin === undefined || !(path.speed! > 0)))
    throw new Error(
      path.begin === undefined
        ? `--starts: '${opts.starts}' is not a time (e.g. 2017-05-18T06:00:00Z)`
        : `--speed: '${speedText}' is not a speed (e.g. 20km/h)`,
    );
  const paths = path ? { begin: path.begin!, speed: path.speed! } : undefined;

  for (const { data, ref, columns, side: fileSide } of inputs) {
    for (const m of data.notes) note(m);
    const colsText =
      columns && Object.keys(columns).length && data.format === 'csv'
        ? `, columns: {${Object.entries(columns)
            .map(([k, v]) => `${k}: ${yamlScalar(v)}`)
            .join(', ')}}`
        : '';
    // Untimed paths become units (not zones) when they are given a start.
    const pathUnits = new Set(paths ? data.tracks.filter((t) => t.kind === 'untimed' && t.coords.length >= 2 && !t.problem) : []);
    for (const t of data.tracks) {
      if (t.problem) {
        firstProblem ??= t.problem;
        const e = t.problem;
        leftOut.push(`${e.file}:${e.line}:${e.column}: ${e.detail}: the track '${t.name}' is left out`);
        continue;
      }
      const times = trackTimes(t, pathUnits.has(t) ? paths : undefined);
      if (!times) continue;
      first = Math.min(first, times.first);
      last = Math.max(last, times.last);
      for (const f of t.fixes) allPts.push([f.lon, f.lat]);
      pushAll(allPts, t.coords);
      const propSide = typeof t.props?.side === 'string' && t.props.side.trim() ? t.props.side.trim() : undefined;
      const given = fileSide ?? opts.side ?? propSide;
      const side = given ?? 'opposing';
      if (!given) defaultSides++;
      unitSides.add(side);
      const id = uniqueId(t.name, 'unit');
      const pick = data.tracks.filter((x) => x.name === t.name).length > 1 && t.id ? `, id: ${yamlScalar(t.id)}` : `, name: ${yamlScalar(t.name)}`;
      const gap = t.kind === 'timed' ? longestGap(t) : 0;
      const extra =
        t.kind === 'timestamp'
          ? ', speed: 30km/h'
          : t.kind === 'untimed'
            ? `, starts: ${yamlScalar(opts.starts!)}, speed: ${yamlScalar(speedText)}`
            : gap > DEFAULT_MAX_GAP
              ? `, max_gap: ${formatDuration(Math.ceil(gap / 60_000) * 60_000)}`
              : '';
      const n = t.fixes.length;
      const comment = [
        `${commentText(t.what)}${t.kind === 'timed' ? `, ${n} fix${n === 1 ? '' : 'es'}` : ''}, ${commentText(data.file)}:${t.at.line}`,
        ...(t.kind === 'timestamp' ? ['TODO: its speed'] : []),
        ...(t.kind === 'untimed' ? ['TODO: when it sets off and its speed'] : []),
        ...(gap > DEFAULT_MAX_GAP ? [`fixes up to ${formatDuration(gap)} apart: moved in a straight line across them`] : []),
      ].join('; ');
      units.push(
        [
          `  - id: ${yamlScalar(id)}`,
          `    name: ${yamlScalar(t.name)}`,
          `    side: ${yamlScalar(side)}${given ? '' : "   # TODO: the unit's side (zones apply to sides; your own units: own)"}`,
          `    # composition: {tanks: 0, technicals: 0, personnel: 0}   # TODO: what the unit is made of (it sets the threat)`,
          `    track: {file: ${yamlScalar(ref)}${pick}${colsText}${extra}}   # ${comment}`,
        ].join('\n'),
      );
    }
    for (const s of data.shapes) {
      if (s.timed) continue;
      if (s.kind === 'line' && [...pathUnits].some((t) => t.at.line === s.at.line && t.at.column === s.at.column && t.name === s.name)) continue;
      const id = uniqueId(s.name, 'zone');
      const feature = `\n    feature: ${yamlScalar(s.id && data.shapes.filter((x) => x.name === s.name).length > 1 ? s.id : s.name)}`;
      if (s.rings) pushAll(allPts, s.rings[0]);
      if (s.line) pushAll(allPts, s.line);
      zones.push(
        [
          `  - id: ${yamlScalar(id)}`,
          `    name: ${yamlScalar(s.name)}`,
          `    type: ${s.kind}`,
          `    file: ${yamlScalar(ref)}   # ${commentText(s.what)}, ${commentText(data.file)}:${s.at.line}${feature}`,
          ...(s.kind === 'line' ? ["    forbidden: left   # TODO: the side units must not cross to (left or right of the line's direction)"] : []),
          `    applies_to: [@@SIDES@@]   # TODO: the sides this zone is judged against`,
          `    approach: 10km`,
        ].join('\n'),
      );
    }
    for (const p of data.points) {
      // The same place named in two files (a GPX waypoint and a KML placemark) is one site.
      if (seenSites.some((q) => q.name === p.name && geodesicDistance(q.pos, p.pos) < 50)) continue;
      seenSites.push(p);
      const id = uniqueId(p.name, 'site');
      sites.push(
        `  - {id: ${yamlScalar(id)}, name: ${yamlScalar(p.name)}, side: ${yamlScalar(own)}, pos: [${f7(p.pos[0])}, ${f7(p.pos[1])}]}   # ${commentText(p.what)}, ${commentText(data.file)}:${p.at.line}`,
      );
    }
  }
  if (!units.length && firstProblem) throw firstProblem;
  for (const m of leftOut) note(m);
  if (!units.length) {
    const what = inputs.map((i) => i.data.file).join(', ');
    const untimed = inputs.some((i) => i.data.tracks.some((t) => t.kind === 'untimed'));
    throw new Error(
      `no timed tracks in ${what}: a scenario needs at least one unit (GPX tracks, KML gx:Tracks or lines with a time, GeoJSON lines with times or timed points, CSV rows)${untimed ? '; for routes and lines without times give --starts TIME (and --speed)' : ''}`,
    );
  }
  if (!zones.length) {
    // A placeholder the trainer replaces: a circle around the first site, else the middle of the tracks.
    const id = uniqueId('zone', 'zone');
    const center = sites.length
      ? sites[0].replace(/^ {2}- \{id: ([^,]+),.*$/, '$1')
      : `[${f7(allPts.reduce((s, p) => s + p[0], 0) / allPts.length)}, ${f7(allPts.reduce((s, p) => s + p[1], 0) / allPts.length)}]`;
    zones.push(
      [
        `  - id: ${id}   # TODO: the files held no zone; this 20 km circle is a placeholder`,
        `    name: Deconfliction zone`,
        `    type: circle`,
        `    center: ${center}`,
        `    radius: 20km`,
        `    applies_to: [@@SIDES@@]`,
      ].join('\n'),
    );
  }
  const start = Math.floor(first / 60_000) * 60_000;
  const end = Math.max(start + 60_000, Math.ceil(last / 60_000) * 60_000);
  // Zones apply to the units' sides, except the side that holds the sites (your own).
  const judged = [...unitSides].filter((x) => x !== own);
  const sides = (judged.length ? judged : [...unitSides]).map(yamlScalar).join(', ');
  const from = inputs.map((i) => i.ref).join(', ');
  const title = opts.title ?? `Imported from ${from}`;
  const out = [
    `# A starter scenario written by \`deconflict import\` from ${commentText(from)}.`,
    '# It runs as it is; check every TODO, then `deconflict validate` and `deconflict run` it.',
    "# Track and zone files are read from this file's folder (see docs/import-export.md).",
    ...(defaultSides
      ? [
          `# TODO sides: ${defaultSides === units.length ? 'every unit is' : `${defaultSides} unit${defaultSides === 1 ? ' is' : 's are'}`} 'opposing', and the zones apply to it: a unit of your own`,
          "# would be escalated against at its own camp. Give your own units side 'own' (or import with",
          '# --side own=FILE for a file of your own tracks).',
        ]
      : []),
    `title: ${yamlScalar(title)}`,
    `description: TODO what the exercise is about, and where the data comes from.`,
    `start: ${formatTime(start)}   # the first fix`,
    `end: ${formatTime(end)}   # the last fix`,
    'tick: 10s',
    ...(sites.length ? ['sites:', ...sites] : []),
    'zones:',
    ...zones.map((z) => z.replace('@@SIDES@@', sides)),
    'units:',
    ...units,
    'ladder: default   # TODO: or your own rungs (docs/ladder.md)',
    '',
  ];
  return out.join('\n');
}
