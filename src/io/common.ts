/** What the exporters share: the input, rung colours, zone outlines, unit affiliation, tracks in the window. */
import type { SimEvent } from '../core/events.js';
import { rungLevel } from '../core/ladder.js';
import { PALETTE, SITE_HEX, ZONE_HEX } from '../core/palette.js';
import type { Rung, Scenario, Track, Unit, Zone } from '../core/model.js';
import type { LonLat } from '../core/position.js';
import { positionAt } from '../core/track.js';

export interface ExportInput {
  scenario: Scenario;
  /** The events of the run, in seq order. */
  events: readonly SimEvent[];
  /** Each unit's track in force (after halts, withdrawals, strikes; or received live). Default: the scenario's. */
  tracks?: readonly Track[];
}

/** Colours by rung (RGB hex), shared by every export so that a map reads the same everywhere (core/palette.ts: the UI's and the report's too). */
export const RUNG_COLOR: Record<Rung | 'none' | 'stand_down', string> = Object.fromEntries(Object.entries(PALETTE).map(([k, v]) => [k, v.hex])) as Record<
  Rung | 'none' | 'stand_down',
  string
>;

export const ZONE_COLOR = ZONE_HEX;
export const SITE_COLOR = SITE_HEX;

/** The colour for an event: its rung, green for a stand-down. */
export function eventColor(e: SimEvent): string {
  if (e.type === 'stand_down') return RUNG_COLOR.stand_down;
  return RUNG_COLOR[e.rung ?? 'none'];
}

/** CoT / MIL-STD-2525 affiliation of a unit: hostile if a zone applies to its side, friendly if its side holds a site. */
export function affiliation(sc: Scenario, unit: Unit): 'h' | 'f' | 'u' {
  if (sc.zones.some((z) => z.appliesTo.includes(unit.side))) return 'h';
  if (sc.sites.some((s) => s.side === unit.side)) return 'f';
  return 'u';
}

/** A zone's outline: polygon rings (a circle as a 72-sided geodesic polygon) or a line's points. */
export function zoneOutline(z: Zone): { kind: 'polygon'; rings: LonLat[][] } | { kind: 'line'; points: LonLat[] } {
  // A circle's outline is its 72-sided geodesic ring (CircleZone.outline).
  const o = z.shape.outline();
  if (z.type === 'line') return { kind: 'line', points: o[0] };
  return { kind: 'polygon', rings: o };
}

/** A point to hang a zone-wide event on (massing): the protected site, the centre, or the middle of the outline. */
export function zoneAnchor(sc: Scenario, z: Zone): LonLat {
  if (z.protects >= 0) return sc.sites[z.protects].pos;
  if (z.center) return z.center;
  const o = zoneOutline(z);
  const pts = o.kind === 'line' ? o.points : o.rings[0].slice(0, -1);
  if (o.kind === 'line') return pts[Math.floor(pts.length / 2)];
  const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return [lon, lat];
}

/** Where an event happened: its own position, else its zone's anchor; undefined for a message. */
export function eventPosition(sc: Scenario, e: SimEvent): LonLat | undefined {
  if (e.at) return e.at;
  if (e.zone) {
    const z = sc.zones.find((zz) => zz.id === e.zone);
    if (z) return zoneAnchor(sc, z);
  }
  return undefined;
}

/** A track's fixes inside the scenario window, with interpolated fixes at the window's edges. */
export function trackInWindow(track: Track, start: number, end: number): { t: number; pos: LonLat }[] {
  const out: { t: number; pos: LonLat }[] = [];
  const n = track.t.length;
  const p = [0, 0];
  if (n === 0) return out;
  if (track.t[0] > start || n === 1) {
    // Before its first fix the unit waits there.
  } else {
    positionAt(track, start, p);
    if (track.t[0] < start) out.push({ t: start, pos: [p[0], p[1]] });
  }
  for (let i = 0; i < n; i++) {
    const t = track.t[i];
    if (t >= start && t <= end) out.push({ t, pos: [track.lon[i], track.lat[i]] });
  }
  if (track.t[n - 1] > end && track.t[0] < end) {
    positionAt(track, end, p);
    out.push({ t: end, pos: [p[0], p[1]] });
  }
  if (!out.length) {
    // A unit that stays in one place all through the window.
    positionAt(track, start, p);
    out.push({ t: start, pos: [p[0], p[1]] });
  }
  return out;
}

/** The tracks to export: given ones, or the scenario's. */
export function tracksOf(input: ExportInput): readonly Track[] {
  return input.tracks ?? input.scenario.units.map((u) => u.track);
}

/** A unit's rung over time, from its escalate and stand-down events (the highest over all zones). */
export function rungIntervals(input: ExportInput, unitId: string): { t: number; rung: Rung | null }[] {
  const byZone = new Map<string, Rung | null>();
  const out: { t: number; rung: Rung | null }[] = [];
  for (const e of input.events) {
    if (e.unit !== unitId || (e.type !== 'escalate' && e.type !== 'stand_down') || !e.zone) continue;
    byZone.set(e.zone, e.rung ?? null);
    let top: Rung | null = null;
    for (const r of byZone.values()) if (rungLevel(r) > rungLevel(top)) top = r;
    if (!out.length || out[out.length - 1].rung !== top) {
      if (out.length && out[out.length - 1].t === e.t) out[out.length - 1].rung = top;
      else out.push({ t: e.t, rung: top });
    }
  }
  return out;
}

export function isoTime(t: number): string {
  return new Date(t).toISOString().replace('.000Z', 'Z');
}
