/**
 * Entity State PDUs encoded for the tests byte by byte from IEEE 1278.1's table (the offsets and
 * sizes below are the standard's, not the reader's), big-endian as DIS is on the wire.
 */
export interface EspduFields {
  version?: number;
  exercise?: number;
  type?: number;
  family?: number;
  /** Seconds past the hour. */
  seconds?: number;
  absolute?: boolean;
  /** The length field (default: the real length). */
  length?: number;
  site?: number;
  application?: number;
  entity?: number;
  force?: number;
  params?: number;
  kind?: number;
  domain?: number;
  country?: number;
  /** ECEF location, m. */
  x: number;
  y: number;
  z: number;
  marking?: string | number[];
}

export function encodeEspdu(f: EspduFields): Uint8Array {
  const params = f.params ?? 0;
  const size = 144 + 16 * params;
  const b = new Uint8Array(size);
  const v = new DataView(b.buffer);
  // PDU header (12 bytes)
  v.setUint8(0, f.version ?? 6); // protocol version
  v.setUint8(1, f.exercise ?? 1); // exercise id
  v.setUint8(2, f.type ?? 1); // PDU type: 1 Entity State
  v.setUint8(3, f.family ?? 1); // protocol family: 1 entity information/interaction
  const units = Math.floor(((f.seconds ?? 0) / 3600) * 2 ** 31) % 2 ** 31;
  v.setUint32(4, (units * 2 + (f.absolute === false ? 0 : 1)) >>> 0); // timestamp: 31 bits of 3600/2^31 s, then the absolute bit
  v.setUint16(8, f.length ?? size); // PDU length
  v.setUint16(10, 0); // padding
  // Entity id (6 bytes)
  v.setUint16(12, f.site ?? 1);
  v.setUint16(14, f.application ?? 1);
  v.setUint16(16, f.entity ?? 1);
  v.setUint8(18, f.force ?? 2); // force id
  v.setUint8(19, params); // number of variable parameter records
  // Entity type (8 bytes): kind, domain, country, category, subcategory, specific, extra
  v.setUint8(20, f.kind ?? 1);
  v.setUint8(21, f.domain ?? 1);
  v.setUint16(22, f.country ?? 222);
  v.setUint8(24, 1);
  // Alternative entity type (8 bytes, 28..35) left zero
  // Linear velocity (3 × float32, 36..47)
  v.setFloat32(36, 5);
  v.setFloat32(40, -3);
  v.setFloat32(44, 0);
  // Location (3 × float64, 48..71)
  v.setFloat64(48, f.x);
  v.setFloat64(56, f.y);
  v.setFloat64(64, f.z);
  // Orientation (3 × float32, 72..83), appearance (84..87), dead reckoning (88..127) left zero but the algorithm
  v.setUint8(88, 2); // dead reckoning algorithm: DRM(F, P, W)
  // Marking: character set (1: ASCII), 11 characters (129..139)
  v.setUint8(128, 1);
  const m = typeof f.marking === 'string' ? [...f.marking].map((c) => c.charCodeAt(0)) : (f.marking ?? []);
  m.slice(0, 11).forEach((c, i) => v.setUint8(129 + i, c));
  // Capabilities (140..143) left zero; variable parameter records (144..) left zero
  return b;
}

/** Seconds past the hour of an epoch-ms time. */
export const secondsPastHour = (t: number) => (t % 3_600_000) / 1000;
