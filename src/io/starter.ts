/**
 * `deconflict import`: a starter scenario from other tools' files, for the trainer to edit.
 * Timed tracks become units (their tracks stay in the files, referred to by `file:`), polygons
 * and untimed lines become zones, untimed points sites. Whatever deconflict cannot know (sides,
 * which side a line forbids, the ladder) gets a plain default and a TODO comment, so that the
 * file runs as it is and says what to check.
 */
import { relative, sep } from 'node:path';
import { geodesicDistance } from '../core/geo/geodesic.js';
import type { LonLat } from '../core/position.js';
import { formatTime } from '../core/units.js';
import { slug, type GeoData, type ImportedTrack } from './geodata.js';
import { pushAll } from '../core/extent.js';
import { yamlComment, yamlQuoted } from '../core/text/safe.js';

export interface StarterInput {
  data: GeoData;
  /** The file's path as the scenario will write it (relative to the scenario's folder). */
  ref: string;
  /** CSV columns given on the command line, written into each track reference. */
  columns?: Record<string, string>;
}

export interface StarterOptions {
  title?: string;
  /** Side of the imported units (default: a `side` property of the track, else "opposing"). */
  side?: string;
  /** Side of the imported sites (default "own"). */
  ownSide?: string;
}

const PLAIN = /^[A-Za-z0-9][A-Za-z0-9 _.,()/+-]*$/;
const RESERVED = /^(y|n|yes|no|on|off|true|false|null|~)$/i;

/** A YAML scalar: plain when safe, else double-quoted with every control character escaped (src/core/text/safe.ts). */
export function yamlScalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && !/[:#]/.test(s) && !/^\d/.test(s) && s.trim() === s ? s : yamlQuoted(s);
}

/** Text from a file (its name, a track's name) in a comment: one line, whatever it holds. */
const note = yamlComment;

const f7 = (x: number) => String(Math.round(x * 1e7) / 1e7);

/** The path to write for `file` in a scenario kept in `scenarioDir`, with forward slashes. */
export function refPath(file: string, scenarioDir: string): string {
  return relative(scenarioDir, file).split(sep).join('/');
}

function trackTimes(t: ImportedTrack): { first: number; last: number } | undefined {
  if (t.kind === 'timed' && t.fixes.length) return { first: t.fixes[0].t, last: t.fixes[t.fixes.length - 1].t };
  if (t.kind === 'timestamp' && t.begin !== undefined) {
    // At 30 km/h, the default speed written for it.
    let d = 0;
    for (let i = 1; i < t.coords.length; i++) d += geodesicDistance(t.coords[i - 1], t.coords[i]);
    return { first: t.begin, last: t.begin + Math.round((d / (30 / 3.6)) * 1000) };
  }
  return undefined;
}

/** Build the starter scenario's YAML text. Throws an Error with a user-facing message if there is nothing to build from. */
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
  let first = Infinity;
  let last = -Infinity;
  const allPts: LonLat[] = [];
  const own = opts.ownSide ?? 'own';
  const seenSites: { name: string; pos: LonLat }[] = [];

  for (const { data, ref, columns } of inputs) {
    const colsText = columns && Object.keys(columns).length && data.format === 'csv' ? `, columns: {${Object.entries(columns).map(([k, v]) => `${k}: ${yamlScalar(v)}`).join(', ')}}` : '';
    for (const t of data.tracks) {
      const times = trackTimes(t);
      if (!times) continue;
      first = Math.min(first, times.first);
      last = Math.max(last, times.last);
      for (const f of t.fixes) allPts.push([f.lon, f.lat]);
      pushAll(allPts, t.coords);
      const propSide = typeof t.props?.side === 'string' && t.props.side.trim() ? t.props.side.trim() : undefined;
      const side = opts.side ?? propSide ?? 'opposing';
      unitSides.add(side);
      const id = uniqueId(t.name, 'unit');
      const pick = data.tracks.filter((x) => x.name === t.name).length > 1 && t.id ? `, id: ${yamlScalar(t.id)}` : `, name: ${yamlScalar(t.name)}`;
      const speed = t.kind === 'timestamp' ? ', speed: 30km/h' : '';
      units.push(
        [
          `  - id: ${id}`,
          `    name: ${yamlScalar(t.name)}`,
          `    side: ${yamlScalar(side)}${opts.side || propSide ? '' : '   # TODO: the unit\'s side (zones apply to sides)'}`,
          `    # composition: {tanks: 0, technicals: 0, personnel: 0}   # TODO: what the unit is made of (it sets the threat)`,
          `    track: {file: ${yamlScalar(ref)}${pick}${colsText}${speed}}   # ${note(t.what)}${t.kind === 'timed' ? `, ${t.fixes.length} fixes` : ''}, ${note(data.file)}:${t.at.line}${speed ? '; TODO: its speed' : ''}`,
        ].join('\n'),
      );
    }
    for (const s of data.shapes) {
      if (s.timed) continue;
      const id = uniqueId(s.name, 'zone');
      const feature = `\n    feature: ${yamlScalar(s.id && data.shapes.filter((x) => x.name === s.name).length > 1 ? s.id : s.name)}`;
      if (s.rings) pushAll(allPts, s.rings[0]);
      if (s.line) pushAll(allPts, s.line);
      zones.push(
        [
          `  - id: ${id}`,
          `    name: ${yamlScalar(s.name)}`,
          `    type: ${s.kind}`,
          `    file: ${yamlScalar(ref)}   # ${note(s.what)}, ${note(data.file)}:${s.at.line}${feature}`,
          ...(s.kind === 'line' ? ['    forbidden: left   # TODO: the side units must not cross to (left or right of the line\'s direction)'] : []),
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
      sites.push(`  - {id: ${id}, name: ${yamlScalar(p.name)}, side: ${yamlScalar(own)}, pos: [${f7(p.pos[0])}, ${f7(p.pos[1])}]}   # ${note(p.what)}, ${note(data.file)}:${p.at.line}`);
    }
  }
  if (!units.length) {
    const what = inputs.map((i) => i.data.file).join(', ');
    throw new Error(`no timed tracks in ${what}: a scenario needs at least one unit (GPX tracks, KML gx:Tracks or lines with a time, GeoJSON lines with times or timed points, CSV rows)`);
  }
  if (!zones.length) {
    // A placeholder the trainer replaces: a circle around the first site, else the middle of the tracks.
    const id = uniqueId('zone', 'zone');
    const center = sites.length ? sites[0].replace(/^ {2}- \{id: ([^,]+),.*$/, '$1') : `[${f7(allPts.reduce((s, p) => s + p[0], 0) / allPts.length)}, ${f7(allPts.reduce((s, p) => s + p[1], 0) / allPts.length)}]`;
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
  const sides = [...unitSides].map(yamlScalar).join(', ');
  const from = inputs.map((i) => i.ref).join(', ');
  const title = opts.title ?? `Imported from ${from}`;
  const out = [
    `# A starter scenario written by \`deconflict import\` from ${note(from)}.`,
    '# It runs as it is; check every TODO, then `deconflict validate` and `deconflict run` it.',
    '# Track and zone files are read from this file\'s folder (see docs/import-export.md).',
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
