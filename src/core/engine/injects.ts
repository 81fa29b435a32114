/**
 * Injects: the exercise's scripted events. A message is reported; a halt, withdrawal or turn
 * changes the unit's track; a reaction (`on: <rung>`) waits, armed, until its unit reaches the
 * rung; a hostile act skips the ladder to a self-defence strike (a decider may choose otherwise).
 */
import { exactEdge } from '../geo/crossings.js';
import { geodesicDistance } from '../geo/geodesic.js';
import { rungLevel } from '../ladder.js';
import type { Inject, LonLat, Rung, Track } from '../model.js';
import { divertTrack, haltTrack, positionAt } from '../track.js';
import { BAND, FAR, INSIDE } from './areas.js';
import { consult, setRung } from './ladder/climb.js';
import { ensureCur } from './motion/positions.js';
import { RUNG_LABEL } from '../ladder.js';
import { reasons } from './reasons.js';
import { addPair } from './state/pairs.js';
import { KEY_INJECT } from './types.js';
import type { World } from './world.js';

/** The injects due by time t, in order. */
export function runDueInjects(w: World, t: number): void {
  const injects = w.scenario.injects;
  while (w.injCursor < injects.length && injects[w.injCursor].t <= t) {
    w.key = KEY_INJECT + w.injCursor;
    const inj = injects[w.injCursor++];
    // An inject reads its unit's position of the last tick.
    if (inj.type !== 'message') ensureCur(w, inj.unit);
    applyInject(w, inj);
  }
}

/** A unit brought to `rung` does what the reactions armed for it say. */
export function react(w: World, u: number, rung: Rung, t: number): void {
  const injects = w.scenario.injects;
  for (const i of w.armed.slice()) {
    const inj = injects[i];
    if (inj.type === 'message' || inj.type === 'hostile_act' || inj.unit !== u || !inj.on || rungLevel(rung) < rungLevel(inj.on)) continue;
    w.armed.splice(w.armed.indexOf(i), 1);
    applyInject(w, inj, t);
  }
}

/** Apply an inject at its time, or (`now`) as a reaction to a rung. */
function applyInject(w: World, inj: Inject, now?: number): void {
  const sc = w.scenario;
  if (now === undefined && inj.type !== 'message' && inj.type !== 'hostile_act' && inj.on) {
    // A reaction: armed from its time; it happens at once if the unit is already at the rung.
    const r = w.unitRung(inj.unit).rung;
    if (r !== null && rungLevel(r) >= rungLevel(inj.on) && !w.units[inj.unit].struck) now = inj.t;
    else {
      w.armed.push(sc.injects.indexOf(inj));
      return;
    }
  }
  const t = now ?? inj.t;
  const base = { t, inject: inj.index, kind: inj.type, ...(inj.text ? { text: inj.text } : {}) };
  if (inj.type === 'message') {
    w.emit({ ...base, type: 'inject', reason: reasons.message(inj.text) });
    return;
  }
  const u = inj.unit;
  const unit = sc.units[u];
  const st = w.units[u];
  const here = [0, 0];
  positionAt(st.track, t, here);
  const at: LonLat = [here[0], here[1]];
  const after = inj.type !== 'hostile_act' && inj.on ? ` after the ${RUNG_LABEL[inj.on]}` : '';
  if (inj.type === 'halt') {
    st.track = haltTrack(st.track, t);
    st.hint = 0;
    w.emit({ ...base, type: 'inject', unit: unit.id, at, reason: reasons.halts(unit.name, after, inj.text) });
    return;
  }
  if (inj.type === 'withdraw' || inj.type === 'turn') {
    const to: LonLat = inj.to ?? [unit.track.lon[0], unit.track.lat[0]];
    const speed = inj.speed ?? averageSpeed(unit.track) ?? 30 / 3.6;
    st.track = divertTrack(st.track, t, to, speed, geodesicDistance);
    st.hint = 0;
    const verb =
      inj.type === 'turn'
        ? `turns toward ${Math.abs(to[1]).toFixed(4)}° ${to[1] < 0 ? 'S' : 'N'} ${Math.abs(to[0]).toFixed(4)}° ${to[0] < 0 ? 'W' : 'E'}`
        : 'withdraws';
    w.emit({ ...base, type: 'inject', unit: unit.id, at, reason: reasons.moves(unit.name, verb, after, inj.text) });
    return;
  }
  // A hostile act skips the ladder: a self-defence strike at once.
  const site = sc.sites[inj.target];
  const siteM = geodesicDistance(at, site.pos);
  w.emit({ ...base, type: 'hostile_act', unit: unit.id, site: site.id, at, site_m: siteM, reason: reasons.hostileAct(unit.name, site.name, inj.text) });
  if (st.struck) return;
  let z = sc.zones.findIndex((zz, i) => zz.protects === inj.target && w.applies[u][i]);
  if (z < 0) z = sc.zones.findIndex((_, i) => w.applies[u][i]);
  if (z < 0) z = sc.zones.findIndex((zz) => zz.protects === inj.target);
  if (z < 0) return;
  let p = st.pairs.find((pp) => pp.zone === z);
  if (!p) {
    p = addPair(w, u, z, sc.zones[z].shape.signedDistance(at[0], at[1]));
    p.area = p.d <= 0 ? INSIDE : p.d <= sc.zones[z].approach ? BAND : FAR;
  }
  const from = p.rung;
  const facts = reasons.hostileActFacts(unit.name, site.name);
  const reason = reasons.selfDefence(facts, from);
  // The distances where the act took place, at its time.
  const evBase = { t: inj.t, unit: unit.id, zone: sc.zones[z].id, site: site.id, at, edge_m: exactEdge(sc.zones[z].shape, at[0], at[1]), site_m: siteM };
  const d = consult(w, () => ({
    t: inj.t,
    unit: u,
    zone: z,
    kind: 'self_defence',
    from,
    to: 'strike',
    reason,
    why: { facts, edge_m: evBase.edge_m, site_m: siteM },
  }));
  if (d && d.choice !== 'strike') {
    if (d.choice === 'hold' || d.choice === 'stand_down') {
      w.emit({ ...evBase, type: 'escalate', rung: from, from, reason: reasons.traineeHeldAfterAct(from, d.reason, reason), by: 'trainee' });
      return;
    }
    setRung(w, u, p, d.choice, inj.t, reasons.traineeChoseAfterAct(d.choice, d.reason, reason), 'trainee', evBase);
    return;
  }
  setRung(w, u, p, 'strike', inj.t, reason, d ? 'trainee' : 'doctrine', evBase, 'self-defence strike');
}

function averageSpeed(track: Track): number | undefined {
  const n = track.t.length;
  if (n < 2) return undefined;
  let d = 0;
  for (let i = 1; i < n; i++) d += geodesicDistance([track.lon[i - 1], track.lat[i - 1]], [track.lon[i], track.lat[i]]);
  const dt = (track.t[n - 1] - track.t[0]) / 1000;
  return d > 0 && dt > 0 ? d / dt : undefined;
}
