/**
 * The standard benchmark workload, generated from a fixed seed: units with waypoint tracks
 * moving around At Tanf, the 55 km circle, a deconfliction line and polygons of 16 to 1,000
 * vertices. The same workload is produced as a scenario model (for the benchmark) and as a
 * scenario file (for `deconflict run`), and both give the same scenario.
 */
import { metresPerDegree } from '../core/geo/geodesic.js';
import { CircleZone, LineZone, PolygonZone } from '../core/geo/zones.js';
import { DEFAULT_DOCTRINE, DEFAULT_LADDER, DEFAULT_THREAT_WEIGHTS } from '../core/ladder.js';
import type { Composition, Inject, LonLat, Scenario, Site, Unit, Zone } from '../core/model.js';
import { makeTrack } from '../core/track.js';
import { parseTime } from '../core/units.js';

export const TANF: LonLat = [38.61778, 33.50583];
export const START_ISO = '2017-05-18T06:00:00Z';

export interface WorkloadOptions {
  /** Number of units (standard: 10,000). */
  units: number;
  /** Number of zones, at least 1 (standard: 20): the circle, then the line, then polygons. */
  zones: number;
  /** Seed of the generator (standard: 2017). */
  seed: number;
  /** Length of the run in seconds (standard: 3,600). */
  duration: number;
  /** Tick in seconds (standard: 1). */
  tick: number;
  /** Waypoints per track (standard: 20). */
  waypoints: number;
  /** Radius of the theatre around At Tanf in metres (standard: 300 km). */
  radius: number;
}

export const STANDARD: WorkloadOptions = { units: 10_000, zones: 20, seed: 2017, duration: 3600, tick: 1, waypoints: 20, radius: 300_000 };

/** Sides in the theatre, with their share of the units. */
const SIDES: [string, number][] = [
  ['pro-regime', 0.6],
  ['militia', 0.15],
  ['sdf', 0.15],
  ['coalition', 0.1],
];

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Round to 1e-6 degree (about 0.1 m), as written in the scenario file. */
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** The point `dist` metres from (lon, lat) on `bearing` degrees, in the local plane (fine for generating). */
function offset(p: LonLat, bearing: number, dist: number): LonLat {
  const k = metresPerDegree(p[1]);
  const b = (bearing * Math.PI) / 180;
  return [p[0] + (Math.sin(b) * dist) / k.x, p[1] + (Math.cos(b) * dist) / k.y];
}

/** Local plane distance and bearing from a to b (metres, degrees). */
function polar(a: LonLat, b: LonLat): { dist: number; bearing: number } {
  const k = metresPerDegree((a[1] + b[1]) / 2);
  const x = (b[0] - a[0]) * k.x;
  const y = (b[1] - a[1]) * k.y;
  return { dist: Math.hypot(x, y), bearing: (Math.atan2(x, y) * 180) / Math.PI };
}

/** A zone as written in the file. */
export type RawZone =
  | { id: string; name: string; type: 'circle'; center: string; radius: string; protects: string; applies_to: string[]; approach: string; hysteresis: string }
  | { id: string; name: string; type: 'line'; line: LonLat[]; forbidden: 'left' | 'right'; applies_to: string[]; approach: string; hysteresis: string }
  | { id: string; name: string; type: 'polygon'; polygon: LonLat[][]; applies_to: string[]; protects?: string; approach: string; hysteresis: string };

export interface RawUnit {
  id: string;
  name: string;
  side: string;
  composition: Composition;
  /** Waypoints: position and seconds after the start. */
  track: { pos: LonLat; s: number }[];
}

export type RawInject =
  | { s: number; type: 'message'; text: string }
  | { s: number; type: 'halt'; unit: string; text: string }
  | { s: number; type: 'withdraw'; unit: string; text: string }
  | { s: number; type: 'hostile_act'; unit: string; target: string; text: string };

/** The workload as plain data, the same as the scenario file holds. */
export interface Workload {
  options: WorkloadOptions;
  title: string;
  sites: { id: string; name: string; side: string; pos: LonLat }[];
  zones: RawZone[];
  units: RawUnit[];
  injects: RawInject[];
}

const APPROACH = 10_000;
const HYSTERESIS = 250;

/**
 * Generate the workload. The same options always give the same workload. With `onUnit`, each
 * unit is handed over as it is made and kept without its track (100,000 raw tracks take 260 MB).
 */
export function generateWorkload(opts: WorkloadOptions = STANDARD, onUnit?: (u: RawUnit) => void): Workload {
  if (opts.zones < 1) throw new Error('the workload needs at least one zone');
  if (opts.waypoints < 2) throw new Error('tracks need at least two waypoints');
  const rand = rng(opts.seed);
  const between = (a: number, b: number) => a + (b - a) * rand();
  const R = opts.radius;

  const sites: Workload['sites'] = [{ id: 'tanf', name: 'At Tanf garrison', side: 'coalition', pos: TANF }];
  const zones: RawZone[] = [];
  const common = { approach: `${APPROACH / 1000}km`, hysteresis: `${HYSTERESIS}m` };
  zones.push({
    id: 'tanf-dz',
    name: 'the At Tanf deconfliction zone',
    type: 'circle',
    center: 'tanf',
    radius: '55km',
    protects: 'tanf',
    applies_to: ['pro-regime', 'militia'],
    ...common,
  });

  // Areas the polygons (and their approach bands) keep clear of: the circle, then each polygon.
  const taken: { c: LonLat; r: number }[] = [{ c: TANF, r: 55_000 }];
  if (opts.zones >= 2) {
    // A meandering north-south deconfliction line east of the garrison, longer than the theatre,
    // with 200 vertices; the east side is forbidden to pro-regime forces.
    const n = 200;
    const top = offset(offset(TANF, 90, 90_000), 10, R + 40_000);
    const bottom = offset(offset(TANF, 90, 90_000), 190, R + 40_000);
    const phase = between(0, Math.PI * 2);
    const pts: LonLat[] = [];
    for (let i = 0; i < n; i++) {
      const s = i / (n - 1);
      const base: LonLat = [bottom[0] + (top[0] - bottom[0]) * s, bottom[1] + (top[1] - bottom[1]) * s];
      const wiggle = 12_000 * Math.sin(phase + s * 9) + 4_000 * Math.sin(phase * 3 + s * 37) + between(-600, 600);
      const p = offset(base, 100, wiggle);
      pts.push([r6(p[0]), r6(p[1])]);
    }
    // Drawn south to north, so east is the right-hand side.
    zones.push({ id: 'line', name: 'the deconfliction line', type: 'line', line: pts, forbidden: 'right', applies_to: ['pro-regime'], ...common });
  }

  // Polygons: vertex counts spread from 16 to 1,000; sizes such that the zones cover about the same
  // area whatever their number (200 zones are smaller than 20).
  const np = Math.max(0, opts.zones - 2);
  const scale = np > 0 ? Math.sqrt(18 / Math.max(np, 1)) : 1;
  for (let i = 0; i < np; i++) {
    const verts = np === 1 ? 16 : Math.round(16 * Math.pow(1000 / 16, i / (np - 1)));
    const size = between(12_000, 32_000) * Math.min(1, scale);
    let c: LonLat = TANF;
    for (let attempt = 0; attempt < 400; attempt++) {
      c = offset(TANF, between(0, 360), Math.sqrt(rand()) * (R - size));
      const clear = taken.every((o) => polar(o.c, c).dist > o.r + size + (attempt < 200 ? 4_000 * Math.min(1, scale) : 0));
      if (clear) break;
    }
    taken.push({ c, r: size * 1.35 });
    // Star-shaped ring: a smooth radius with a few harmonics and fine roughness.
    const harm = [0, 1, 2, 3].map(() => ({ a: between(0, 0.1), p: between(0, Math.PI * 2), k: Math.floor(between(2, 7)) }));
    const ring: LonLat[] = [];
    for (let j = 0; j < verts; j++) {
      const th = ((j + between(-0.3, 0.3)) / verts) * 360;
      let rr = 1;
      for (const h of harm) rr += h.a * Math.sin(h.p + (h.k * th * Math.PI) / 180);
      rr += between(-0.02, 0.02);
      const p = offset(c, th, size * rr);
      ring.push([r6(p[0]), r6(p[1])]);
    }
    ring.push(ring[0]);
    const applies = SIDES.map((s) => s[0]).filter((_, k) => k === i % 2 || rand() < 0.35);
    const protects = i % 6 === 0 ? `post-${i}` : undefined;
    if (protects) sites.push({ id: protects, name: `Outpost ${i}`, side: 'coalition', pos: [r6(c[0]), r6(c[1])] });
    zones.push({
      id: `area-${String(i + 1).padStart(3, '0')}`,
      name: `restricted area ${i + 1}`,
      type: 'polygon',
      polygon: [ring],
      applies_to: applies,
      ...(protects ? { protects } : {}),
      ...common,
    });
  }

  // Units: most head for a zone (so that they approach, enter, cross and leave), the rest wander.
  const units: RawUnit[] = [];
  const w = opts.waypoints;
  const width = String(opts.units).length;
  for (let u = 0; u < opts.units; u++) {
    let x = rand();
    let side = SIDES[SIDES.length - 1][0];
    for (const [s, share] of SIDES) {
      if (x < share) {
        side = s;
        break;
      }
      x -= share;
    }
    const comp: Composition = { technicals: 1 + Math.floor(rand() * 3), personnel: 8 + Math.floor(rand() * 30) };
    if (rand() < 0.1) comp.tanks = 1;
    if (rand() < 0.05) comp.engineering = 1;
    if (rand() < 0.05) comp.artillery = 1 + Math.floor(rand() * 2);

    const speed = between(15, 70) / 3.6;
    let pos: LonLat;
    let heading: number;
    if (rand() < 0.65) {
      // Toward a zone from outside its approach band.
      const target = taken[Math.floor(rand() * taken.length)];
      const bearing = between(0, 360);
      pos = offset(target.c, bearing, target.r + between(2_000, 25_000));
      heading = bearing + 180 + between(-35, 35);
    } else {
      pos = offset(TANF, between(0, 360), Math.sqrt(rand()) * R);
      heading = between(0, 360);
    }
    const track: RawUnit['track'] = [{ pos: [r6(pos[0]), r6(pos[1])], s: 0 }];
    let s = 0;
    for (let k = 1; k < w; k++) {
      const left = opts.duration - s;
      const legs = w - k;
      const dt = k === w - 1 ? left : Math.max(1, Math.round((left / legs) * between(0.6, 1.4)));
      s += dt;
      // Some legs are holds; otherwise drift the heading, and turn back toward the theatre at its edge.
      if (rand() > 0.06) {
        const fromTanf = polar(TANF, pos);
        if (fromTanf.dist > R * 0.95) heading = fromTanf.bearing + 180 + between(-40, 40);
        else heading += between(-30, 30);
        pos = offset(pos, heading, speed * between(0.7, 1.3) * dt);
      }
      track.push({ pos: [r6(pos[0]), r6(pos[1])], s });
    }
    const raw: RawUnit = { id: `u${String(u + 1).padStart(width, '0')}`, name: `${side} unit ${u + 1}`, side, composition: comp, track };
    onUnit?.(raw);
    units.push(onUnit ? { ...raw, track: [] } : raw);
  }

  // A few injects of every kind.
  const injects: RawInject[] = [];
  if (units.length >= 4) {
    const pick = () => units[Math.floor(rand() * units.length)].id;
    injects.push({ s: Math.round(opts.duration * 0.1), type: 'message', text: 'Surveillance reports increased movement around the garrison.' });
    for (let i = 0; i < 3; i++) injects.push({ s: Math.round(opts.duration * between(0.2, 0.9)), type: 'halt', unit: pick(), text: 'the unit halts' });
    for (let i = 0; i < 3; i++) injects.push({ s: Math.round(opts.duration * between(0.2, 0.9)), type: 'withdraw', unit: pick(), text: 'the unit withdraws' });
    for (let i = 0; i < 3; i++)
      injects.push({
        s: Math.round(opts.duration * between(0.2, 0.9)) + 0.5,
        type: 'hostile_act',
        unit: pick(),
        target: 'tanf',
        text: 'rockets fired at the garrison',
      });
    injects.sort((a, b) => a.s - b.s);
  }

  return {
    options: opts,
    title: `Benchmark workload: ${opts.units} units, ${opts.zones} zones, ${opts.duration} s at ${opts.tick} s (seed ${opts.seed})`,
    sites,
    zones,
    units,
    injects,
  };
}

/** The units' tracks as CSV (unit, time, lat, lon), for workloadToYaml's `tracksFile`. */
export function workloadToCsv(wl: Workload): string {
  const start = parseTime(START_ISO)!;
  const out: string[] = ['unit,time,lat,lon'];
  for (const u of wl.units) {
    for (const wp of u.track) out.push(`${u.id},${new Date(start + wp.s * 1000).toISOString().replace('.000Z', 'Z')},${wp.pos[1]},${wp.pos[0]}`);
  }
  return `${out.join('\n')}\n`;
}

const dur = (s: number) => (Number.isInteger(s) ? `+${s}s` : `+${Math.round(s * 1000)}ms`);

/**
 * The workload as a scenario file: YAML in flow style, one unit per line. With `tracksFile`, the
 * units' tracks are not written inline but read from that CSV file (see workloadToCsv), which
 * keeps the scenario file of 10,000 units well under the loader's limit for scenario files.
 */
export function workloadToYaml(wl: Workload, tracksFile?: string): string {
  const o = wl.options;
  const pos = (p: LonLat) => `[${p[0]}, ${p[1]}]`;
  const list = (xs: string[]) => `[${xs.join(', ')}]`;
  const out: string[] = [];
  out.push(`# Generated by \`npm run bench -- --write-scenario\` (seed ${o.seed}); do not edit by hand.`);
  out.push(`title: ${JSON.stringify(wl.title)}`);
  out.push(`description: Synthetic benchmark workload around the At Tanf garrison; positions and times are random.`);
  out.push(`start: ${START_ISO}`);
  out.push(`end: "+${o.duration}s"`);
  out.push(`tick: ${o.tick}s`);
  out.push(`seed: ${o.seed}`);
  out.push('sites:');
  for (const s of wl.sites) out.push(`  - {id: ${s.id}, name: ${JSON.stringify(s.name)}, side: ${s.side}, pos: ${pos(s.pos)}}`);
  out.push('zones:');
  for (const z of wl.zones) {
    const head = `id: ${z.id}, name: ${JSON.stringify(z.name)}, type: ${z.type}, applies_to: ${list(z.applies_to)}, approach: ${z.approach}, hysteresis: ${z.hysteresis}`;
    if (z.type === 'circle') out.push(`  - {${head}, center: ${z.center}, radius: ${z.radius}, protects: ${z.protects}}`);
    else if (z.type === 'line') out.push(`  - {${head}, forbidden: ${z.forbidden}, line: ${list(z.line.map(pos))}}`);
    else out.push(`  - {${head}${z.protects ? `, protects: ${z.protects}` : ''}, polygon: ${list(z.polygon.map((r) => list(r.map(pos))))}}`);
  }
  out.push('units:');
  for (const u of wl.units) {
    const comp = Object.entries(u.composition)
      .map(([k, v]) => `${k}: ${v}`)
      .join(', ');
    const track = tracksFile
      ? `{file: ${JSON.stringify(tracksFile)}, id: ${u.id}}`
      : `[${u.track.map((wp) => `{pos: ${pos(wp.pos)}, t: "${dur(wp.s)}"}`).join(', ')}]`;
    out.push(`  - {id: ${u.id}, name: ${JSON.stringify(u.name)}, side: ${u.side}, composition: {${comp}}, track: ${track}}`);
  }
  if (wl.injects.length) {
    out.push('injects:');
    for (const i of wl.injects) {
      const extra = i.type === 'halt' || i.type === 'withdraw' ? `, unit: ${i.unit}` : i.type === 'hostile_act' ? `, unit: ${i.unit}, target: ${i.target}` : '';
      out.push(`  - {t: "${dur(i.s)}", type: ${i.type}${extra}, text: ${JSON.stringify(i.text)}}`);
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * The workload compiled directly into the scenario model, as the loader would compile its file
 * (the loader is not used: parsing 10 MB of YAML is not what the benchmark measures).
 */
export function workloadToScenario(wl: Workload, compiled?: Unit[]): Scenario {
  const o = wl.options;
  const start = parseTime(START_ISO)!;
  const sites: Site[] = wl.sites.map((s) => ({ id: s.id, name: s.name, side: s.side, pos: [s.pos[0], s.pos[1]] }));
  const siteIndex = new Map(sites.map((s, i) => [s.id, i]));
  const levels = [0, HYSTERESIS, APPROACH, APPROACH + HYSTERESIS];
  const zones: Zone[] = wl.zones.map((z) => {
    const common = { id: z.id, name: z.name, appliesTo: z.applies_to, approach: APPROACH, hysteresis: HYSTERESIS, description: undefined };
    if (z.type === 'circle') {
      const si = siteIndex.get(z.center)!;
      const center = sites[si].pos;
      const radius = parseFloat(z.radius) * 1000;
      return { ...common, protects: si, type: 'circle', center, radius, shape: new CircleZone(center, radius, levels) };
    }
    if (z.type === 'line') return { ...common, protects: -1, type: 'line', forbidden: z.forbidden, shape: new LineZone(z.line, z.forbidden) };
    return { ...common, protects: z.protects ? siteIndex.get(z.protects)! : -1, type: 'polygon', shape: new PolygonZone(z.polygon) };
  });
  const unitIndex = new Map(wl.units.map((u, i) => [u.id, i]));
  const units: Unit[] = compiled ?? wl.units.map(compileUnit);
  const injects: Inject[] = wl.injects.map((i, index) => {
    const t = start + Math.round(i.s * 1000);
    const base = { t, text: i.text, expected: undefined, notes: undefined, index };
    if (i.type === 'message') return { ...base, type: 'message' };
    if (i.type === 'hostile_act') return { ...base, type: 'hostile_act', unit: unitIndex.get(i.unit)!, target: siteIndex.get(i.target)! };
    if (i.type === 'halt') return { ...base, type: 'halt', unit: unitIndex.get(i.unit)! };
    return { ...base, type: 'withdraw', unit: unitIndex.get(i.unit)!, to: undefined, speed: undefined };
  });
  injects.sort((a, b) => a.t - b.t || a.index - b.index);
  return {
    file: '<benchmark>',
    title: wl.title,
    description: undefined,
    sources: [],
    start,
    end: start + o.duration * 1000,
    tick: o.tick * 1000,
    seed: o.seed,
    sites,
    zones,
    units,
    injects,
    ladder: DEFAULT_LADDER.map((r) => ({ ...r, when: r.when.map((c) => ({ ...c })) })),
    defaultLadder: true,
    doctrine: { ...DEFAULT_DOCTRINE, threatWeights: { ...DEFAULT_THREAT_WEIGHTS } },
    expectations: [],
  };
}

/** A unit compiled as the loader would. */
function compileUnit(u: RawUnit): Unit {
  const start = parseTime(START_ISO)!;
  return {
    id: u.id,
    name: u.name,
    side: u.side,
    composition: { ...u.composition },
    sidc: undefined,
    track: makeTrack(u.track.map((wp) => ({ t: start + Math.round(wp.s * 1000), pos: wp.pos }))),
    noise: 0,
    description: undefined,
  };
}

/**
 * The workload of `opts` as a scenario, the same as workloadToScenario(generateWorkload(opts)),
 * made unit by unit without keeping the raw tracks (what the benchmark's runs use).
 */
export function workloadScenario(opts: WorkloadOptions): Scenario {
  const units: Unit[] = [];
  return workloadToScenario(
    generateWorkload(opts, (u) => units.push(compileUnit(u))),
    units,
  );
}
