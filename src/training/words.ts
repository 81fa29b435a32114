/**
 * Words a student reads: where a unit stands against a zone and durations, the same in the
 * terminal UI, line mode, the feedback and the reports.
 */
import type { Scenario, Zone } from '../core/model.js';
import { formatDistance } from '../core/units.js';

/** A duration in text: `20 min` (the scenario file keeps its own `20m` syntax). */
export { formatSpan } from '../core/units.js';

/** Which part of a zone a signed distance to its edge is in: `in the zone`, `in the approach band` or `outside the approach band`. */
export function zonePart(zone: Zone, edge_m: number): 'zone' | 'band' | 'outside' {
  if (edge_m <= 0) return 'zone';
  return edge_m <= zone.approach ? 'band' : 'outside';
}

/** `in the approach band of At Tanf deconfliction zone`, `in At Tanf deconfliction zone`, `past the Euphrates line`. */
export function placeText(zone: Zone, edge_m: number): string {
  const part = zonePart(zone, edge_m);
  if (part === 'zone') return zone.type === 'line' ? `past ${zone.name}, on its forbidden side` : `in ${zone.name}`;
  if (part === 'band') return `in the approach band of ${zone.name}`;
  return `outside the approach band of ${zone.name}`;
}

/** The signed distance to a zone's edge in words: `13 m inside the edge`, `9.9 km outside the edge`, `120 m past the line`. */
export function edgeText(zone: Zone, edge_m: number): string {
  const d = formatDistance(Math.abs(edge_m));
  if (zone.type === 'line') return edge_m <= 0 ? `${d} past the line` : `${d} short of the line`;
  return edge_m <= 0 ? `${d} inside the edge` : `${d} outside the edge`;
}

/** Where a unit stands: the part of the zone, the distance to its edge and to the protected site. */
export function whereText(sc: Scenario, z: number, edge_m: number, site_m?: number): string {
  const zone = sc.zones[z];
  const site = site_m !== undefined && zone.protects >= 0 ? `; ${formatDistance(site_m)} from ${sc.sites[zone.protects].name}` : '';
  return `${placeText(zone, edge_m)}, ${edgeText(zone, edge_m)}${site}`;
}
