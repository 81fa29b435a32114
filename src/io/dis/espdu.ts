/**
 * DIS (IEEE 1278.1) Entity State PDUs: what a constructive or virtual simulation (VBS, OneSAF,
 * JCATS, MASA SWORD...) sends for each entity it moves, over UDP.
 *
 * Written here against the standard's layout rather than taken from the `open-dis` package
 * (1.3.6): that package assigns a global `dis` object, ships no TypeScript types, comes as separate
 * minified builds per protocol version (232 KB and 263 KB, 133 PDU classes), and depends at run
 * time on `uglifyjs` 2.4 (a deprecated package its own page says to replace); deconflict needs
 * one fixed-layout record of 144 bytes, read below field by field with a DataView, with every
 * length checked before it is read (a truncated datagram is reported, never read past its end).
 *
 * Layout (IEEE 1278.1-2012 §7.2.2 and table 133; the same in versions 5, 6 and 7), big-endian:
 *
 * | offset | size | field |
 * | --- | --- | --- |
 * | 0 | 1 | protocol version (5: 1278.1-1995, 6: 1278.1a-1998, 7: 1278.1-2012) |
 * | 1 | 1 | exercise id |
 * | 2 | 1 | PDU type (1: Entity State) |
 * | 3 | 1 | protocol family (1: entity information/interaction) |
 * | 4 | 4 | timestamp (bit 0: 1 absolute, 0 relative; bits 1..31: units of 3600 s / 2^31 past the hour) |
 * | 8 | 2 | PDU length in bytes |
 * | 10 | 2 | padding (version 7: PDU status and padding) |
 * | 12 | 6 | entity id: site, application, entity (3 × uint16) |
 * | 18 | 1 | force id (0 other, 1 friendly, 2 opposing, 3 neutral, ...) |
 * | 19 | 1 | number of variable parameter (articulation) records |
 * | 20 | 8 | entity type: kind, domain, country (uint16), category, subcategory, specific, extra |
 * | 28 | 8 | alternative entity type |
 * | 36 | 12 | linear velocity (3 × float32, m/s, ECEF) |
 * | 48 | 24 | location (3 × float64, m, ECEF) |
 * | 72 | 12 | orientation psi, theta, phi (3 × float32, rad) |
 * | 84 | 4 | appearance |
 * | 88 | 40 | dead reckoning parameters |
 * | 128 | 1 | marking character set (1: ASCII) |
 * | 129 | 11 | marking characters |
 * | 140 | 4 | capabilities |
 * | 144 | 16 × n | variable parameter records |
 */

/** The DIS PDU type of an Entity State PDU. */
export const ENTITY_STATE = 1;
/** Size of an Entity State PDU without variable parameter records. */
export const ENTITY_STATE_SIZE = 144;
/** Size of a PDU header. */
export const HEADER_SIZE = 12;

export interface EntityId {
  site: number;
  application: number;
  entity: number;
}

export interface EntityState {
  version: number;
  exercise: number;
  /** Timestamp in seconds past the hour (0 ≤ s < 3600). */
  secondsPastHour: number;
  absolute: boolean;
  id: EntityId;
  force: number;
  /** The marking as sent (up to 11 characters, up to the first NUL), control characters and non-ASCII shown as \xNN. */
  marking: string;
  /** ECEF location, m. */
  x: number;
  y: number;
  z: number;
  /** Entity kind and domain (1, 1: a land platform). */
  kind: number;
  domain: number;
}

export type DisRead =
  | { ok: true; pdu: EntityState }
  /** Not an Entity State PDU (another type, or another protocol family): `type` is its PDU type. */
  | { ok: false; why: 'other'; type: number }
  | { ok: false; why: 'truncated' | 'malformed'; detail: string };

/** The DIS force ids (SISO-REF-010 "Force ID"). */
export const FORCE_NAMES: Record<number, string> = { 0: 'other', 1: 'friendly', 2: 'opposing', 3: 'neutral' };

/** A marking's bytes as text: up to the first NUL, trailing blanks dropped, anything but printable ASCII as \xNN (it reaches terminals). */
function markingText(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c === 0) break;
    s += c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  }
  return s.trimEnd();
}

/** Read one datagram. Never throws; says why a datagram is not a usable Entity State PDU. */
export function readEntityState(buf: Uint8Array): DisRead {
  if (buf.length < HEADER_SIZE) return { ok: false, why: 'truncated', detail: `${buf.length} bytes, shorter than a PDU header (12)` };
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const version = v.getUint8(0);
  const type = v.getUint8(2);
  const family = v.getUint8(3);
  const length = v.getUint16(8);
  if (version < 1 || version > 7) return { ok: false, why: 'malformed', detail: `protocol version ${version} is not a DIS version (1..7)` };
  if (type !== ENTITY_STATE) return { ok: false, why: 'other', type };
  if (family !== 1) return { ok: false, why: 'malformed', detail: `an Entity State PDU in protocol family ${family} (expected 1)` };
  if (length < ENTITY_STATE_SIZE) return { ok: false, why: 'malformed', detail: `its length field says ${length} bytes, less than an Entity State PDU (144)` };
  if (buf.length < length) return { ok: false, why: 'truncated', detail: `${buf.length} of the ${length} bytes its length field says` };
  const params = v.getUint8(19);
  if (ENTITY_STATE_SIZE + 16 * params > length)
    return { ok: false, why: 'malformed', detail: `${params} variable parameter records do not fit in ${length} bytes` };
  const x = v.getFloat64(48);
  const y = v.getFloat64(56);
  const z = v.getFloat64(64);
  if (![x, y, z].every(Number.isFinite)) return { ok: false, why: 'malformed', detail: 'its location is not a number' };
  const ts = v.getUint32(4);
  return {
    ok: true,
    pdu: {
      version,
      exercise: v.getUint8(1),
      secondsPastHour: ((ts >>> 1) * 3600) / 2 ** 31,
      absolute: (ts & 1) === 1,
      id: { site: v.getUint16(12), application: v.getUint16(14), entity: v.getUint16(16) },
      force: v.getUint8(18),
      marking: markingText(buf.subarray(129, 140)),
      x,
      y,
      z,
      kind: v.getUint8(20),
      domain: v.getUint8(21),
    },
  };
}

/**
 * The time a DIS timestamp stands for: the moment `secondsPastHour` into the hour that brings it
 * nearest to `ref` (the previous PDU's time, or the wall clock for the first), so that a feed
 * running over the top of the hour goes on into the next.
 */
export function disTime(secondsPastHour: number, ref: number): number {
  const hour = 3_600_000;
  const base = Math.floor(ref / hour) * hour;
  const candidates = [base - hour, base, base + hour].map((b) => b + Math.round(secondsPastHour * 1000));
  return candidates.reduce((best, t) => (Math.abs(t - ref) < Math.abs(best - ref) ? t : best));
}
