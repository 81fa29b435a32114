/**
 * An independent check of the numbers events carry: `edge_m` must be the exact signed distance
 * at the event's `at` (WGS84 geodesic from geographiclib for a circle, the reference scans of
 * polygons and lines), `site_m` the geodesic distance from `at` to the protected site, the two
 * must agree for a circle centred on its site, and the distances written in the reasons must be
 * those numbers.
 */
import { geodesic, referenceEdge } from '../../src/bench/crossref.js';
import type { SimEvent } from '../../src/core/events.js';
import type { Scenario } from '../../src/core/model.js';
import { formatDistance } from '../../src/core/units.js';

/** Problems with the numbers of the events (empty: none). Tolerances in metres. */
export function eventNumberProblems(sc: Scenario, events: readonly SimEvent[], tol = 1e-3): string[] {
  const out: string[] = [];
  const zones = new Map(sc.zones.map((z) => [z.id, z]));
  const sites = new Map(sc.sites.map((s) => [s.id, s]));
  const lastRung = new Map<string, SimEvent>();
  for (const e of events) {
    const what = `${e.type} ${e.unit ?? ''} ${e.zone ?? ''} at ${new Date(e.t).toISOString()}`;
    const zone = e.zone ? zones.get(e.zone) : undefined;
    if (e.at && zone && e.edge_m !== undefined) {
      const ref = referenceEdge(zone, e.at[0], e.at[1]);
      // Beyond a line's ends its side can change without touching it: at that very point the
      // distance is the same on both sides, and the event carries the side it reports.
      const jump = zone.type === 'line' && Math.abs(Math.abs(ref) - Math.abs(e.edge_m)) <= tol && Math.abs(ref) > 1;
      if (!(Math.abs(ref - e.edge_m) <= tol) && !jump) out.push(`${what}: edge_m ${e.edge_m} but the distance at its point is ${ref}`);
    }
    const site = e.site ? sites.get(e.site) : zone && zone.protects >= 0 ? sc.sites[zone.protects] : undefined;
    if (e.at && site && e.site_m !== undefined) {
      const ref = geodesic(site.pos, e.at);
      if (!(Math.abs(ref - e.site_m) <= tol)) out.push(`${what}: site_m ${e.site_m} but the geodesic distance is ${ref}`);
      if (zone && zone.type === 'circle' && e.edge_m !== undefined && geodesic(zone.center!, site.pos) < 1e-6) {
        if (!(Math.abs(e.site_m - zone.radius! - e.edge_m) <= tol))
          out.push(`${what}: edge_m ${e.edge_m} and site_m ${e.site_m} disagree (radius ${zone.radius})`);
      }
    }
    const r = e.reason ?? '';
    if (e.edge_m !== undefined) {
      const edge = e.edge_m;
      if (/ past the (edge|line)/.test(r) && !/from .*\)$/.test(r) && (e.type === 'escalate' || e.type === 'stand_down')) {
        const m = / ([\d.]+ k?m) past the (edge|line)/.exec(r);
        if (m && m[1] !== formatDistance(Math.max(0, -edge)) && m[1] !== formatDistance(-edge))
          out.push(`${what}: reason says ${m[1]} past the edge, edge_m is ${edge}`);
      }
      const o = /([\d.]+ k?m) outside the edge/.exec(r);
      if (o && o[1] !== formatDistance(Math.abs(edge))) out.push(`${what}: reason says ${o[1]} outside the edge, edge_m is ${edge}`);
      const s = /([\d.]+ k?m) short of /.exec(r);
      if (s && s[1] !== formatDistance(edge)) out.push(`${what}: reason says ${s[1]} short of the line, edge_m is ${edge}`);
    }
    if (site && e.site_m !== undefined) {
      const f = new RegExp(`\\(([\\d.]+ k?m) from ${site.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)`).exec(r);
      if (f && f[1] !== formatDistance(e.site_m)) out.push(`${what}: reason says ${f[1]} from the site, site_m is ${e.site_m}`);
      const key = `${e.unit}|${e.zone}`;
      const prev = lastRung.get(key);
      const c = /closed ([\d.]+ k?m) on /.exec(r);
      if (c && prev && prev.type === 'escalate' && prev.site_m !== undefined && c[1] !== formatDistance(prev.site_m - e.site_m)) {
        out.push(`${what}: reason says closed ${c[1]}, the site distances say ${prev.site_m - e.site_m}`);
      }
    }
    if (e.type === 'escalate' || e.type === 'stand_down') lastRung.set(`${e.unit}|${e.zone}`, e);
  }
  return out;
}
