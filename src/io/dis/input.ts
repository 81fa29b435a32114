/**
 * DIS input for a live run: Entity State PDUs over UDP move the scenario's units. An entity is a
 * unit when the unit's `dis: {site, application, entity}` is its entity id, else when its marking
 * is the unit's id or name (as CoT callsigns are matched), else the first free unit the scenario
 * keeps for an unknown entity of its force (`dis: {force: opposing}`: the force id gives the side).
 * Positions come in geocentric
 * coordinates and are converted to WGS84. With the feed clock the PDU's timestamp is the fix's
 * time; with the wall clock the fix counts from the next tick.
 *
 * Nothing a datagram holds stops the run: truncated and malformed datagrams, PDUs of other types
 * and entities that are no unit are counted, and each kind is reported once (unknown entities
 * one by one up to a limit). Memory stays bounded under a flood: the counters are numbers, the
 * entities remembered are capped, and a unit keeps one received fix per tick.
 */
import { createSocket, type Socket } from 'node:dgram';
import { isIPv4 } from 'node:net';
import type { LiveClock, LiveRun } from '../live.js';
import { disTime, FORCE_NAMES, readEntityState, type EntityState } from './espdu.js';
import { ecefToGeodetic } from './geocentric.js';

/** DIS PDU type names (SISO-REF-010), for messages. */
const PDU_NAMES: Record<number, string> = {
  2: 'Fire',
  3: 'Detonation',
  4: 'Collision',
  11: 'Create Entity',
  12: 'Remove Entity',
  20: 'Data',
  21: 'Comment',
  25: 'Transmitter',
  26: 'Signal',
  27: 'Receiver',
};

/** Entities remembered (matched or not); beyond this, unknown ones are counted only. */
export const MAX_ENTITIES = 4096;
/** Unknown entities reported one by one; beyond this, one note and a count. */
export const MAX_UNKNOWN_REPORTS = 20;

export interface DisStats {
  datagrams: number;
  /** Entity State PDUs read. */
  entityStates: number;
  /** Of those, fixes given to units. */
  used: number;
  truncated: number;
  malformed: number;
  /** PDUs of other types. */
  other: number;
  /** Entity State PDUs of entities that are no unit, and how many such entities. */
  unknown: number;
  unknownEntities: number;
  /** Positions that are not on the earth (below -1000 km or above 1000 km height). */
  offEarth: number;
}

export interface DisInputOptions {
  clock: LiveClock;
  warn: (message: string) => void;
  now?: () => number;
}

const key = (id: EntityState['id']) => `${id.site}:${id.application}:${id.entity}`;

export class DisInput {
  readonly stats: DisStats = { datagrams: 0, entityStates: 0, used: 0, truncated: 0, malformed: 0, other: 0, unknown: 0, unknownEntities: 0, offEarth: 0 };
  private readonly byEntityId = new Map<string, number>();
  /** Entity id → unit (or -1: no unit), as first resolved. */
  private readonly seen = new Map<string, number>();
  private readonly reported = new Set<string>();
  private lastT: number | undefined;
  /** Units kept for entities the scenario does not name (`dis: {force}`), in scenario order; taken by the first unknown entity of that force. */
  /** Units some entity already moves. */
  private readonly moved = new Set<number>();
  private readonly slots: { force: number; unit: number; by?: string }[] = [];

  constructor(
    private readonly live: LiveRun,
    private readonly o: DisInputOptions,
  ) {
    live.scenario.units.forEach((u, i) => {
      if (u.dis && 'force' in u.dis) this.slots.push({ force: u.dis.force, unit: i });
      else if (u.dis) this.byEntityId.set(key(u.dis), i);
    });
  }

  private once(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    this.o.warn(message);
  }

  /** The unit an entity stands for, or undefined. */
  private unitOf(pdu: EntityState): number | undefined {
    const k = key(pdu.id);
    const known = this.seen.get(k);
    if (known !== undefined) return known < 0 ? undefined : known;
    let u = this.byEntityId.get(k) ?? (pdu.marking ? this.live.unitIndex(pdu.marking) : undefined);
    // An entity the scenario does not name takes the first free unit kept for its force (`dis: {force}`).
    if (u === undefined) {
      const slot = this.slots.find((x) => x.force === pdu.force && x.by === undefined && !this.moved.has(x.unit));
      if (slot) {
        slot.by = k;
        u = slot.unit;
        const unit = this.live.scenario.units[u];
        this.o.warn(
          `DIS entity ${k}${pdu.marking ? ` ('${pdu.marking}')` : ''}, force ${FORCE_NAMES[pdu.force] ?? pdu.force}, is unit ${unit.id} (side ${unit.side}), the first place for an unknown entity of that force`,
        );
        this.seen.set(k, u);
        this.moved.add(u);
        return u;
      }
    }
    if (this.seen.size < MAX_ENTITIES) {
      this.seen.set(k, u ?? -1);
      if (u !== undefined) this.moved.add(u);
      if (u === undefined) this.stats.unknownEntities++;
    }
    return u;
  }

  /** One UDP datagram. Returns whether it moved a unit. */
  datagram(buf: Uint8Array, source: string): boolean {
    this.stats.datagrams++;
    const r = readEntityState(buf);
    if (!r.ok) {
      if (r.why === 'other') {
        this.stats.other++;
        this.once(
          'other',
          `${source}: a DIS ${PDU_NAMES[r.type] ? `${PDU_NAMES[r.type]} PDU` : 'PDU'} (type ${r.type}) is not an Entity State PDU; ignored (PDUs of other types are counted, not reported again)`,
        );
      } else {
        this.stats[r.why]++;
        this.once(r.why, `${source}: a ${r.why} DIS datagram (${r.detail}); skipped (further ${r.why} ones are counted, not reported again)`);
      }
      return false;
    }
    const pdu = r.pdu;
    this.stats.entityStates++;
    const u = this.unitOf(pdu);
    const who = `DIS entity ${key(pdu.id)}${pdu.marking ? ` ('${pdu.marking}')` : ''}`;
    if (u === undefined) {
      this.stats.unknown++;
      const k = key(pdu.id);
      if (!this.reported.has(k) && this.stats.unknownEntities <= MAX_UNKNOWN_REPORTS && this.reported.size < MAX_ENTITIES) {
        this.reported.add(k);
        this.o.warn(
          `${source}: ${who}, force ${FORCE_NAMES[pdu.force] ?? pdu.force}, is no unit of the scenario; its PDUs are ignored (give a unit that id or name, dis: {site: ${pdu.id.site}, application: ${pdu.id.application}, entity: ${pdu.id.entity}}, or keep one for its force: dis: {force: ${FORCE_NAMES[pdu.force] ?? pdu.force}})`,
        );
      } else if (this.stats.unknownEntities > MAX_UNKNOWN_REPORTS) {
        this.once(
          'unknown-many',
          `${source}: more than ${MAX_UNKNOWN_REPORTS} DIS entities are no unit of the scenario; further ones are counted, not reported`,
        );
      }
      return false;
    }
    const g = ecefToGeodetic(pdu.x, pdu.y, pdu.z);
    if (!(Math.abs(g.h) < 1_000_000)) {
      this.stats.offEarth++;
      this.once(
        `off:${key(pdu.id)}`,
        `${source}: ${who} is ${Math.round(g.h / 1000)} km from the earth's surface (location ${pdu.x}, ${pdu.y}, ${pdu.z}); such PDUs are skipped`,
      );
      return false;
    }
    let t: number | undefined;
    if (this.o.clock === 'feed') {
      t = disTime(pdu.secondsPastHour, this.lastT ?? (this.o.now ?? Date.now)());
      this.lastT = t;
    }
    this.stats.used++;
    this.live.external(u, g.lon, g.lat, t, `${source} ${who}`, true);
    return true;
  }

  /** The counts in words, for the summary (undefined if nothing came). */
  summary(): string | undefined {
    const s = this.stats;
    if (!s.datagrams) return undefined;
    const parts = [`${s.entityStates} Entity State PDU${s.entityStates === 1 ? '' : 's'}, ${s.used} used`];
    if (s.unknown)
      parts.push(`${s.unknown} from ${s.unknownEntities}${s.unknownEntities >= MAX_ENTITIES ? '+' : ''} unknown entit${s.unknownEntities === 1 ? 'y' : 'ies'}`);
    if (s.other) parts.push(`${s.other} of other types`);
    if (s.truncated) parts.push(`${s.truncated} truncated`);
    if (s.malformed) parts.push(`${s.malformed} malformed`);
    if (s.offEarth) parts.push(`${s.offEarth} off the earth`);
    return `DIS: ${s.datagrams} datagram${s.datagrams === 1 ? '' : 's'}: ${parts.join(', ')}`;
  }
}

/** Where DIS is taken: `PORT` (every interface: DIS is broadcast on the exercise network) or `HOST:PORT`. */
export function parseDisIn(v: string): { host: string; port: number } | undefined {
  const m = /^(?:(\d{1,3}(?:\.\d{1,3}){3}):)?(\d{1,5})$/.exec(v.trim());
  if (!m) return undefined;
  const port = Number(m[2]);
  if (port > 65535 || (m[1] !== undefined && !isIPv4(m[1]))) return undefined;
  return { host: m[1] ?? '0.0.0.0', port };
}

/** A multicast group address (224.0.0.0 to 239.255.255.255). */
export function isMulticast(addr: string): boolean {
  return isIPv4(addr) && Number(addr.split('.')[0]) >= 224 && Number(addr.split('.')[0]) <= 239;
}

/** Open the UDP socket DIS arrives on (joined to `group` for multicast). Rejects with the system's error. */
export async function openDisSocket(host: string, port: number, group: string | undefined, onMessage: (buf: Buffer, from: string) => void): Promise<Socket> {
  const sock = createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((res, rej) => {
    sock.once('error', rej);
    sock.bind(port, host, () => {
      sock.off('error', rej);
      res();
    });
  });
  // A broadcast feed needs nothing more; a multicast one needs the group joined.
  try {
    if (group) sock.addMembership(group, host === '0.0.0.0' ? undefined : host);
  } catch (e) {
    sock.close();
    throw e;
  }
  sock.on('error', () => {});
  sock.on('message', (msg, rinfo) => onMessage(msg, `udp ${rinfo.address}:${rinfo.port}`));
  return sock;
}
