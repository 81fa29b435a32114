/**
 * Compiling a scenario that passed the schema into the model: times, ids and references,
 * positions, zone geometry, tracks (waypoints and files), the ladder, injects, doctrine and
 * expectations. Problems are collected item by item (see problems.ts); a problem with the
 * timebase or a limit stops the compile.
 */
import { formatPath } from '../errors.js';
import { CircleZone, LineZone, PolygonZone } from '../geo/zones.js';
import { DEFAULT_DOCTRINE, DEFAULT_LADDER, DEFAULT_THREAT_WEIGHTS } from '../ladder.js';
import type { Condition, Doctrine, Expectation, Inject, RungSpec, Scenario, ScenarioWarning, Site, Unit, Zone } from '../model.js';
import { parsePosition, type LonLat, type PositionContext } from '../position.js';
import { COMPOSITION_KEYS, RUNGS, type RawInject, type RawScenario } from '../schema.js';
import { parseDuration, parseSpeed, parseTime } from '../units.js';
import { shapeFromRef, type RefContext } from './refs.js';
import type { ScenarioFiles } from './files.js';
import type { GeoData } from './geodata.js';
import type { Locator, Path } from './document.js';
import type { Problems } from './problems.js';
import { checkZoneGeometry } from './geometry.js';
import { compileUnit, type UnitContext } from './compile-units.js';
import { dist, position, ref } from './values.js';

/** Most units a scenario may have. */
export const MAX_UNITS = 20_000;
/** Most track points (waypoints and recorded fixes, over all units) a scenario may have. */
export const MAX_TRACK_POINTS = 1_000_000;

const DEFAULT_TICK = 10_000;
const DEFAULT_APPROACH = 10_000;
const DEFAULT_HYSTERESIS = 250;

/** Where a scenario's track and zone files (`file:`) are looked for, and the files read so far. */
export interface CompileFiles {
  /** How referenced files are read (undefined: the scenario came as text and cannot refer to files). */
  files?: ScenarioFiles;
  baseDir?: string;
  allowFilesOutside?: boolean;
  /** Files read during this load (kept across a second, slower pass over the same text). */
  cache: Map<string, GeoData>;
  /** The scenario's folder as shown in messages. */
  displayDir: string;
}

/** A problem that stops the compile (a limit, or the timebase everything else is measured on). */
class Stop extends Error {}

/**
 * The context for a `file:` reference at `path` (./refs.ts reads the file through the files
 * port). A class, its field name and position found only when a message needs them: thousands of
 * units refer to one track file, and an object literal with getters is slow to make.
 */
class PathRefContext implements RefContext {
  readonly files: ScenarioFiles | undefined;
  readonly baseDir: string | undefined;
  readonly displayDir: string;
  readonly allowOutside: boolean | undefined;
  readonly cache: Map<string, GeoData>;
  /** A property, not a method: it is handed on to the files port on its own. */
  readonly fail: RefContext['fail'];

  constructor(
    private readonly loc: Locator,
    files: CompileFiles,
    private readonly path: Path,
  ) {
    this.files = files.files;
    this.baseDir = files.baseDir;
    this.displayDir = files.displayDir;
    this.allowOutside = files.allowFilesOutside;
    this.cache = files.cache;
    this.fail = (sub, message, hint) => loc.error([...path, ...sub], message, hint);
  }

  get field(): string {
    return formatPath(this.path);
  }

  get from(): string {
    const here = this.loc.error(this.path, '');
    return `${here.file}:${here.line}:${here.column}`;
  }
}

function refContext(loc: Locator, files: CompileFiles, path: Path): RefContext {
  return new PathRefContext(loc, files, path);
}

function uniqueIds(loc: Locator, pr: Problems, items: { id: string }[] | undefined, path: string, seen: Map<string, string>): void {
  (items ?? []).forEach((it, i) => {
    if (typeof it?.id !== 'string') return;
    const prev = seen.get(it.id);
    if (prev) pr.add(loc.error([path, i, 'id'], `duplicate id '${it.id}'`, `already used by ${prev}; ids must be unique`));
    else seen.set(it.id, `${path}[${i}]`);
  });
}

/** Index of each id (the first of a duplicate), items with a problem included. */
function idsOf(items: readonly { id: string }[] | undefined): Map<string, number> {
  const ids = new Map<string, number>();
  (items ?? []).forEach((it, i) => {
    if (typeof it?.id === 'string' && !ids.has(it.id)) ids.set(it.id, i);
  });
  return ids;
}

/** One zone: its distances, site references and shape. */
function compileZone(
  z: RawScenario['zones'][number],
  p: Path,
  loc: Locator,
  files: CompileFiles,
  siteIds: Map<string, number>,
  sitePos: (i: number) => LonLat,
  sitesById: ReadonlyMap<string, LonLat> = new Map(),
): Zone {
  const at: PositionContext = { sites: sitesById };
  // Vertices may be relative to the previous one ({bearing, distance} without from).
  const chain = (vs: unknown[], path: Path) =>
    vs.reduce<LonLat[]>((a, v, k) => (a.push(position(loc, v, [...path, k], { sites: sitesById, previous: a[k - 1] })), a), []);
  const approach = z.approach !== undefined ? dist(loc, z.approach, [...p, 'approach'], 'approach') : DEFAULT_APPROACH;
  const hysteresis = z.hysteresis !== undefined ? dist(loc, z.hysteresis, [...p, 'hysteresis'], 'hysteresis', false) : DEFAULT_HYSTERESIS;
  let protects = z.protects !== undefined ? ref(loc, siteIds, z.protects, 'site', [...p, 'protects']) : -1;
  const levels = [0, hysteresis, approach, approach + hysteresis];
  const common = { id: z.id, name: z.name, appliesTo: z.applies_to, approach, hysteresis, description: z.description };
  if (z.type === 'circle') {
    let center: LonLat;
    if (typeof z.center === 'string' && (siteIds.has(z.center) || !parsePosition(z.center).ok)) {
      const si = ref(loc, siteIds, z.center, 'site', [...p, 'center']);
      center = sitePos(si);
      if (protects < 0) protects = si;
    } else center = position(loc, z.center, [...p, 'center'], at);
    const radius = dist(loc, z.radius, [...p, 'radius'], 'radius');
    return { ...common, protects, type: 'circle', center, radius, shape: new CircleZone(center, radius, levels) };
  }
  if ((z.type === 'polygon' || z.type === 'line') && (z.file === undefined) === ((z.type === 'polygon' ? z.polygon : z.line) === undefined)) {
    throw loc.error(
      z.file === undefined ? p : [...p, 'file'],
      z.file === undefined ? `a ${z.type} zone needs '${z.type}:' (its positions) or 'file:'` : `give '${z.type}:' or 'file:', not both`,
      z.file === undefined ? `e.g. file: zones.kml with feature: NAME` : undefined,
    );
  }
  if (z.type === 'polygon' && z.file !== undefined) {
    const rings = shapeFromRef({ file: z.file, format: z.format, feature: z.feature }, 'polygon', refContext(loc, files, p));
    checkZoneGeometry('polygon', rings, (sub, message, hint) =>
      loc.error([...p, 'file'], `${message}${sub.length ? ` (in ${z.file}, ${sub.map((x) => `[${x}]`).join('')})` : ''}`, hint),
    );
    return { ...common, protects, type: 'polygon', shape: new PolygonZone(rings) };
  }
  if (z.type === 'polygon') {
    const rings = z.polygon!.map((ring, r) => {
      const pts = chain(ring, [...p, 'polygon', r]);
      if (pts.length < 4)
        throw loc.error(
          [...p, 'polygon', r],
          `a polygon ring needs at least 4 positions (it has ${pts.length})`,
          'close the ring by repeating the first position at the end',
        );
      const a = pts[0];
      const b = pts[pts.length - 1];
      if (a[0] !== b[0] || a[1] !== b[1])
        throw loc.error(
          [...p, 'polygon', r, pts.length - 1],
          'the polygon ring is not closed',
          `end the ring with its first position again: [${a[0]}, ${a[1]}]`,
        );
      return pts;
    });
    checkZoneGeometry('polygon', rings, (sub, message, hint) => loc.error([...p, 'polygon', ...sub], message, hint));
    return { ...common, protects, type: 'polygon', shape: new PolygonZone(rings) };
  }
  const pts =
    z.file !== undefined
      ? shapeFromRef({ file: z.file, format: z.format, feature: z.feature }, 'line', refContext(loc, files, p))[0]
      : chain(z.line!, [...p, 'line']);
  if (pts.length < 2) throw loc.error([...p, 'line'], `a line needs at least 2 positions (it has ${pts.length})`, 'list the points of the line in order');
  checkZoneGeometry('line', [pts], (sub, message, hint) =>
    z.file !== undefined ? loc.error([...p, 'file'], `${message} (in ${z.file})`, hint) : loc.error([...p, 'line', ...sub.slice(1)], message, hint),
  );
  let forbidden: 'left' | 'right';
  if (typeof z.forbidden === 'string') forbidden = z.forbidden;
  else {
    const q = position(loc, z.forbidden.side_of, [...p, 'forbidden', 'side_of'], at);
    const probe = new LineZone(pts, 'left');
    const s = probe.side(q[0], q[1]);
    if (s.d < 1)
      throw loc.error([...p, 'forbidden', 'side_of'], 'this point lies on the line, so it names no side', 'pick a point clearly on the forbidden side');
    forbidden = s.side === 1 ? 'left' : 'right';
  }
  return { ...common, protects, type: 'line', forbidden, shape: new LineZone(pts, forbidden) };
}

/** Items the schema already found wrong: `skip('units', 3)`. Their ids still resolve, so that references to them are not reported again. */
export type Skip = (list: string, i: number) => boolean;

/** Compile what passed the schema; problems go to `pr` (the result is only for a file without any). */
export function compile(raw: RawScenario, loc: Locator, files: CompileFiles, pr: Problems, skip: Skip = () => false): Scenario | undefined {
  try {
    return compileAll(raw, loc, files, pr, skip);
  } catch (e) {
    if (e instanceof Stop) return undefined;
    throw e;
  }
}

/** Record a problem that stops the compile. */
function stop(pr: Problems, e: ReturnType<Locator['error']>): Stop {
  pr.add(e);
  return new Stop();
}

function compileAll(raw: RawScenario, loc: Locator, files: CompileFiles, pr: Problems, skip: Skip): Scenario {
  const start = parseTime(raw.start)!;
  if (start === undefined) throw stop(pr, loc.error(['start'], `'${raw.start}' is not an ISO 8601 UTC time`, 'e.g. 2017-05-18T06:00:00Z'));
  const end = parseTime(raw.end, start);
  if (end === undefined) throw stop(pr, loc.error(['end'], `'${raw.end}' is not a valid time`, 'e.g. 2017-05-18T12:00:00Z or +6h'));
  if (end <= start) throw stop(pr, loc.error(['end'], 'the end is not after the start', `start is ${raw.start}`));
  const tick = raw.tick ? parseDuration(raw.tick)! : DEFAULT_TICK;
  if (!(tick > 0)) throw stop(pr, loc.error(['tick'], 'tick must be longer than zero', 'e.g. 10s'));
  if (tick < 1) throw stop(pr, loc.error(['tick'], `a tick of '${raw.tick}' is shorter than a millisecond`, 'the shortest tick is 1ms; e.g. 10s'));
  if ((end - start) / tick > 10_000_000)
    throw stop(pr, loc.error(['tick'], `a ${raw.tick} tick gives more than 10 million steps`, 'use a longer tick or a shorter scenario'));

  const seen = new Map<string, string>();
  uniqueIds(loc, pr, raw.sites, 'sites', seen);
  uniqueIds(loc, pr, raw.zones, 'zones', seen);
  uniqueIds(loc, pr, raw.units, 'units', seen);

  const siteIds = idsOf(raw.sites);
  // A site's position may be relative to a site above it ({from: SITE, bearing, distance}).
  const sitesById = new Map<string, LonLat>();
  const sites: Site[] = pr.each(
    raw.sites ?? [],
    (s, i) => {
      const pos = position(loc, s.pos, ['sites', i, 'pos'], { sites: sitesById });
      sitesById.set(s.id, pos);
      return { id: s.id, name: s.name, side: s.side, pos, description: s.description };
    },
    (i) => skip('sites', i),
  );
  // A site with a problem has no position: references to it are checked, its position is not used.
  const sitePos = (i: number): LonLat => sites.find((s) => s.id === raw.sites![i].id)?.pos ?? [0, 0];

  const zoneIds = idsOf(raw.zones);
  const zones: Zone[] = pr.each(
    raw.zones,
    (z, i) => compileZone(z, ['zones', i], loc, files, siteIds, sitePos, sitesById),
    (i) => skip('zones', i),
  );

  const unitIds = idsOf(raw.units);
  if (raw.units.length > MAX_UNITS)
    throw stop(pr, loc.error(['units', MAX_UNITS], `more than ${MAX_UNITS} units`, `a scenario holds at most ${MAX_UNITS} units; split it`));
  const warnings: ScenarioWarning[] = [];
  let points = 0;
  const ctx: UnitContext = {
    loc,
    start,
    end,
    warnings,
    refContext: (path) => refContext(loc, files, path),
    countPoints: (n, path) => {
      points += n;
      if (points > MAX_TRACK_POINTS)
        throw stop(
          pr,
          loc.error(
            path,
            `the tracks hold more than ${MAX_TRACK_POINTS} points in all`,
            'thin the recorded tracks (one fix every few seconds is plenty) or split the scenario',
          ),
        );
    },
    pr,
    sites: sitesById,
  };
  const units: Unit[] = pr.each(
    raw.units,
    (u, i) => compileUnit(u, ['units', i], ctx),
    (i) => skip('units', i),
  );

  const ladder = pr.try(() => compileLadder(raw, loc)) ?? compileLadder({ ...raw, ladder: 'default' }, loc);
  const injects = compileInjects(raw.injects, loc, pr, start, unitIds, siteIds, ladder, (i) => skip('injects', i), sitesById);
  const doctrine = pr.try(() => compileDoctrine(raw, loc)) ?? compileDoctrine({ ...raw, doctrine: undefined }, loc);

  const ladderRungs = new Set(ladder.map((r) => r.rung));
  const expectations: Expectation[] = pr.each(
    raw.expect ?? [],
    (e, i) => {
      const p: Path = ['expect', i];
      const t = (v: string | undefined, f: string) => {
        if (v === undefined) return undefined;
        const r = parseTime(v, start);
        if (r === undefined) throw loc.error([...p, f], `'${v}' is not a valid time`);
        return r;
      };
      const checks = ['reaches', 'never_passes', 'never_reaches', 'order', 'event', 'skips_ladder'].filter(
        (k) => (e as Record<string, unknown>)[k] !== undefined,
      );
      if (checks.length === 0)
        throw loc.error(p, 'an expectation needs something to check', 'one of reaches, never_passes, never_reaches, order, event, skips_ladder');
      if (e.unit === undefined && e.zone === undefined && e.event === undefined) throw loc.error(p, 'an expectation needs a unit or a zone', 'add unit: ID');
      for (const k of ['reaches', 'never_passes', 'never_reaches'] as const) {
        const r = e[k];
        if (r !== undefined && !ladderRungs.has(r))
          throw loc.error([...p, k], `rung '${r}' is not on this scenario's ladder`, `the ladder has ${[...ladderRungs].join(', ')}`);
      }
      return {
        index: i,
        unit: e.unit !== undefined ? ref(loc, unitIds, e.unit, 'unit', [...p, 'unit']) : undefined,
        zone: e.zone !== undefined ? ref(loc, zoneIds, e.zone, 'zone', [...p, 'zone']) : undefined,
        reaches: e.reaches,
        before: t(e.before, 'before'),
        after: t(e.after, 'after'),
        neverPasses: e.never_passes,
        neverReaches: e.never_reaches,
        order: e.order,
        event: e.event,
        count: e.count,
        skipsLadder: e.skips_ladder,
        note: e.note,
        text: describeExpectation(e),
      };
    },
    (i) => skip('expect', i),
  );

  return {
    file: loc.file,
    ...(warnings.length ? { warnings } : {}),
    title: raw.title,
    description: raw.description,
    ...(raw.student_title !== undefined ? { studentTitle: raw.student_title } : {}),
    ...(raw.briefing !== undefined ? { briefing: raw.briefing } : {}),
    sources: raw.sources ?? [],
    start,
    end,
    tick,
    seed: raw.seed ?? 1,
    sites,
    zones,
    units,
    injects,
    ladder,
    defaultLadder: raw.ladder === undefined || raw.ladder === 'default',
    doctrine,
    expectations,
  };
}

/** Compile injects (of a scenario or a MSEL), sorted by time; unit and site ids resolve against the scenario. */
export function compileInjects(
  raw: RawInject[] | undefined,
  loc: Locator,
  pr: Problems,
  start: number,
  unitIds: Map<string, number>,
  siteIds: Map<string, number>,
  ladder: RungSpec[],
  skip?: (i: number) => boolean,
  sites: ReadonlyMap<string, LonLat> = new Map(),
): Inject[] {
  const ladderRungs = ladder.map((r) => r.rung);
  const on = (v: RawInject & { on?: RungSpec['rung'] }, p: Path) => {
    if (v.on === undefined) return {};
    if (!ladderRungs.includes(v.on))
      throw loc.error([...p, 'on'], `rung '${v.on}' is not on this scenario's ladder`, `the ladder has ${ladderRungs.join(', ')}`);
    return { on: v.on };
  };
  const injects: Inject[] = pr.each(
    raw ?? [],
    (inj, i): Inject => {
      const p: Path = ['injects', i];
      const t = parseTime(inj.t, start);
      if (t === undefined) throw loc.error([...p, 't'], `'${inj.t}' is not a valid time`, 'e.g. 2017-05-18T09:00:00Z or +1h30m');
      const base = { t, text: inj.text, expected: inj.expected, notes: inj.notes, ...(inj.pause !== undefined ? { pause: inj.pause } : {}), index: i };
      switch (inj.type) {
        case 'message':
          return { ...base, type: 'message' as const };
        case 'hostile_act':
          return {
            ...base,
            type: 'hostile_act' as const,
            unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']),
            target: ref(loc, siteIds, inj.target, 'site', [...p, 'target']),
          };
        case 'halt':
          return { ...base, type: 'halt' as const, unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']), ...on(inj, p) };
        case 'withdraw': {
          const speed = inj.speed !== undefined ? parseSpeed(inj.speed) : undefined;
          return {
            ...base,
            type: 'withdraw' as const,
            unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']),
            to: inj.to !== undefined ? position(loc, inj.to, [...p, 'to'], { sites }) : undefined,
            speed,
            ...on(inj, p),
          };
        }
        case 'turn':
          return {
            ...base,
            type: 'turn' as const,
            unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']),
            to: position(loc, inj.to, [...p, 'to'], { sites }),
            speed: inj.speed !== undefined ? parseSpeed(inj.speed) : undefined,
            ...on(inj, p),
          };
      }
    },
    skip,
  );
  injects.sort((a, b) => a.t - b.t || a.index - b.index);
  return injects;
}

function describeExpectation(e: NonNullable<RawScenario['expect']>[number]): string {
  const who = [e.unit && `unit ${e.unit}`, e.zone && `zone ${e.zone}`].filter(Boolean).join(' in ') || 'the scenario';
  const parts: string[] = [];
  if (e.reaches) parts.push(`reaches ${e.reaches}${e.after ? ` after ${e.after}` : ''}${e.before ? ` before ${e.before}` : ''}`);
  if (e.never_passes) parts.push(`never passes ${e.never_passes}`);
  if (e.never_reaches) parts.push(`never reaches ${e.never_reaches}`);
  if (e.order) parts.push(`goes through ${e.order.join(' → ')} in that order`);
  if (e.event) parts.push(`has ${e.count !== undefined ? `exactly ${e.count} ` : 'a '}${e.event} event${e.count !== undefined && e.count !== 1 ? 's' : ''}`);
  if (e.skips_ladder !== undefined) parts.push(e.skips_ladder ? 'is struck with no warning rung first' : 'is warned before any strike');
  return `${who} ${parts.join(' and ')}`;
}

function compileLadder(raw: RawScenario, loc: Locator): RungSpec[] {
  if (raw.ladder === undefined || raw.ladder === 'default') return DEFAULT_LADDER.map((r) => ({ ...r, when: r.when.map((c) => ({ ...c })) }));
  let lastIdx = -1;
  return raw.ladder.map((r, i) => {
    const p: Path = ['ladder', i];
    const idx = RUNGS.indexOf(r.rung);
    if (idx <= lastIdx) throw loc.error([...p, 'rung'], `rung '${r.rung}' is out of order`, `rungs climb in this order: ${RUNGS.join(', ')}`);
    lastIdx = idx;
    const whens = Array.isArray(r.when) ? r.when : [r.when];
    const when: Condition[] = whens.map((w, k) => {
      const m = /^(\w+)(?:\s+for\s+(\S+))?$/.exec(w)!;
      const c: Condition = { name: m[1] as Condition['name'] };
      if (m[2]) {
        const d = parseDuration(m[2]);
        if (d === undefined) throw loc.error([...p, 'when', ...(Array.isArray(r.when) ? [k] : [])], `'${m[2]}' is not a duration`, 'e.g. inside for 20m');
        c.for = d;
      }
      return c;
    });
    return { rung: r.rung, action: r.action ?? DEFAULT_LADDER.find((d) => d.rung === r.rung)!.action, when, wait: r.wait ? parseDuration(r.wait)! : 0 };
  });
}

function compileDoctrine(raw: RawScenario, loc: Locator): Doctrine {
  const d = raw.doctrine ?? {};
  const out: Doctrine = { ...DEFAULT_DOCTRINE, threatWeights: { ...DEFAULT_THREAT_WEIGHTS } };
  if (d.threat_threshold !== undefined) out.threatThreshold = d.threat_threshold;
  if (d.threat_weights) for (const k of COMPOSITION_KEYS) if (d.threat_weights[k] !== undefined) out.threatWeights[k] = d.threat_weights[k]!;
  if (d.intent_distance !== undefined) out.intentDistance = dist(loc, d.intent_distance, ['doctrine', 'intent_distance'], 'intent_distance');
  if (d.withdraw_distance !== undefined) out.withdrawDistance = dist(loc, d.withdraw_distance, ['doctrine', 'withdraw_distance'], 'withdraw_distance');
  if (d.massing_units !== undefined) out.massingUnits = d.massing_units;
  if (d.massing_personnel !== undefined) out.massingPersonnel = d.massing_personnel;
  if (d.dwell_time !== undefined) out.dwellTime = parseDuration(d.dwell_time)!;
  if (d.dwell_radius !== undefined) out.dwellRadius = dist(loc, d.dwell_radius, ['doctrine', 'dwell_radius'], 'dwell_radius');
  if (d.edge_margin !== undefined) out.edgeMargin = dist(loc, d.edge_margin, ['doctrine', 'edge_margin'], 'edge_margin', false);
  if (d.halt_on_strike !== undefined) out.haltOnStrike = d.halt_on_strike;
  return out;
}
