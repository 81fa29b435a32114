/**
 * What the units table (and the details) show, read from the engine (never computed in its
 * place): per-unit rows and closing speeds. Sorting a thousand units uses cheap distances; the
 * rows on screen get the engine's exact ones.
 */
import type { Engine } from '../../core/engine.js';
import { sphereDistanceLL } from '../../core/geo/geodesic.js';
import { briefComposition, rungLevel } from '../../core/ladder.js';
import type { Rung, Track } from '../../core/model.js';
import { positionAt } from '../../core/track.js';

export type SortKey = 'rung' | 'site' | 'edge' | 'id';
export const SORT_KEYS: readonly SortKey[] = ['rung', 'site', 'edge', 'id'];
export const SORT_LABEL: Record<SortKey, string> = { rung: 'rung', site: 'distance to site', edge: 'distance to edge', id: 'id' };

export interface UnitRow {
  u: number;
  id: string;
  side: string;
  comp: string;
  /** Zone the row speaks of (the unit's rung zone, else the nearest zone that applies, else the nearest), -1 if none. */
  zone: number;
  zoneId: string;
  /** Whether the zone applies to the unit's side. */
  applies: boolean;
  rung: Rung | null;
  struck: boolean;
  /** Signed distance to the zone edge, m (negative inside). */
  edge?: number;
  /** Distance to the zone's protected site, m. */
  site?: number;
  /** Closing speed on the site (or the edge), m/s; positive closing. */
  closing?: number;
  /** No position known yet (a live unit before its first fix): no distances. */
  noFix?: boolean;
}

/** The track the screen draws for a unit (the engine's track in force, or what a live run judged). */
export type TrackOf = (u: number) => Track;

/**
 * What a unit's closing speed is measured on: a track and the moment the measurement ends (a
 * replay: the track in force, now; a live run: the fixes received, up to the newest), or
 * undefined when there is nothing to measure yet.
 */
export type ClosingBasis = (u: number) => { track: Track; end: number } | undefined;

/** Per-unit facts that don't change during a run. */
export class UnitFacts {
  readonly comp: string[];
  /** Zones that apply to each unit. */
  readonly applies: number[][];
  readonly allZones: number[];

  constructor(readonly engine: Engine) {
    const sc = engine.scenario;
    this.allZones = sc.zones.map((_, z) => z);
    this.comp = sc.units.map((u) => briefComposition(u.composition));
    this.applies = sc.units.map((_, u) => sc.zones.map((__, z) => z).filter((z) => engine.appliesTo(u, z)));
  }
}

/**
 * Where a unit is now (before the first tick: its track's start); NaN when not known. `positions`
 * is the engine's, read once by the caller: each read of `engine.positions` brings every unit up to
 * date, so reading it per unit would cost the square of the units.
 */
function posOf(engine: Engine, positions: Float64Array, u: number, out: number[], trackOf: TrackOf): void {
  if (engine.tickIndex >= 0) {
    out[0] = positions[2 * u];
    out[1] = positions[2 * u + 1];
  } else {
    const tr = trackOf(u);
    out[0] = tr.t.length ? tr.lon[0] : NaN;
    out[1] = tr.t.length ? tr.lat[0] : NaN;
  }
}

/** Rows for every unit, sorted. Cheap distances only (what the sort needs); `refineRow` adds the exact ones for rows on screen. */
export function unitRows(engine: Engine, facts: UnitFacts, sort: SortKey, trackOf: TrackOf = (u) => engine.trackOf(u)): UnitRow[] {
  const sc = engine.scenario;
  const zones = sc.zones;
  const out: UnitRow[] = new Array(sc.units.length);
  const p = [0, 0];
  const positions = engine.positions;
  for (let u = 0; u < sc.units.length; u++) {
    const unit = sc.units[u];
    posOf(engine, positions, u, p, trackOf);
    const placed = Number.isFinite(p[0]) && Number.isFinite(p[1]);
    const ur = engine.unitRung(u);
    let zone = ur.zone;
    let edge: number | undefined;
    if (zone < 0) {
      // The nearest zone that applies (else the nearest): distances only when there is a choice.
      const cands = facts.applies[u].length ? facts.applies[u] : facts.allZones;
      if (cands.length === 1 || !placed) zone = cands.length ? cands[0] : -1;
      else {
        let bd = Infinity;
        for (const z of cands) {
          const d = zones[z].shape.signedDistance(p[0], p[1]);
          if (d < bd) {
            bd = d;
            zone = z;
          }
        }
        if (zone >= 0) edge = bd;
      }
    }
    const z = zone >= 0 ? zones[zone] : undefined;
    const siteIdx = z ? z.protects : -1;
    const site = placed && siteIdx >= 0 ? sphereDistanceLL(p[0], p[1], sc.sites[siteIdx].pos[0], sc.sites[siteIdx].pos[1]) : undefined;
    if (placed && z && edge === undefined && (sort === 'edge' || (sort !== 'id' && site === undefined))) edge = z.shape.signedDistance(p[0], p[1]);
    out[u] = {
      u,
      id: unit.id,
      side: unit.side,
      comp: facts.comp[u],
      zone,
      zoneId: z?.id ?? '-',
      applies: zone >= 0 && engine.appliesTo(u, zone),
      rung: ur.rung,
      struck: engine.isStruck(u),
      edge,
      site,
      noFix: !placed,
    };
  }
  const lvl = (r: UnitRow) => (r.struck ? 5 : rungLevel(r.rung) + 1);
  const dist = (v: number | undefined) => (v === undefined ? Infinity : v);
  const cmp: Record<SortKey, (a: UnitRow, b: UnitRow) => number> = {
    rung: (a, b) => lvl(b) - lvl(a) || dist(a.site ?? a.edge) - dist(b.site ?? b.edge) || a.u - b.u,
    site: (a, b) => dist(a.site) - dist(b.site) || a.u - b.u,
    edge: (a, b) => dist(a.edge) - dist(b.edge) || a.u - b.u,
    id: (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.u - b.u),
  };
  return out.sort(cmp[sort]);
}

/** Fill in the engine's exact distances and the closing speed for rows about to be shown. */
export function refineRow(engine: Engine, row: UnitRow, trackOf: TrackOf = (u) => engine.trackOf(u), basis?: ClosingBasis): UnitRow {
  if (row.zone < 0 || row.noFix) return row;
  const r: UnitRow = { ...row };
  if (engine.tickIndex >= 0) {
    const d = engine.distances(row.u, row.zone);
    r.edge = d.edge;
    r.site = d.site;
  } else {
    const p = [0, 0];
    posOf(engine, engine.positions, row.u, p, trackOf);
    r.edge = engine.scenario.zones[row.zone].shape.signedDistance(p[0], p[1]);
  }
  r.closing = closingSpeed(engine, row.u, row.zone, 60_000, basis ?? ((u) => ({ track: trackOf(u), end: engine.time })));
  return r;
}

/**
 * Closing speed on the zone's protected site (or its edge), m/s, over the last minute of the
 * basis (by default the track in force, ending now): positive when the distance shrinks.
 * Undefined before the run starts, or with no span to measure over.
 */
export function closingSpeed(
  engine: Engine,
  u: number,
  z: number,
  windowMs = 60_000,
  basis: ClosingBasis = (v) => ({ track: engine.trackOf(v), end: engine.time }),
): number | undefined {
  if (engine.tickIndex < 0 || engine.isStruck(u)) return engine.isStruck(u) ? 0 : undefined;
  const sc = engine.scenario;
  const zone = sc.zones[z];
  const b = basis(u);
  if (!b || !b.track.t.length) return undefined;
  const tr = b.track;
  const t1 = b.end;
  const t0 = Math.max(sc.start, tr.t[0], t1 - windowMs);
  if (t1 <= t0) return undefined;
  const a = [0, 0];
  const c = [0, 0];
  positionAt(tr, t0, a);
  positionAt(tr, t1, c);
  let d0: number;
  let d1: number;
  if (zone.protects >= 0) {
    const s = sc.sites[zone.protects].pos;
    d0 = sphereDistanceLL(a[0], a[1], s[0], s[1]);
    d1 = sphereDistanceLL(c[0], c[1], s[0], s[1]);
  } else {
    d0 = zone.shape.signedDistance(a[0], a[1]);
    d1 = zone.shape.signedDistance(c[0], c[1]);
  }
  return ((d0 - d1) * 1000) / (t1 - t0);
}
