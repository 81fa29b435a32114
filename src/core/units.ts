/**
 * Parsing of the quantities a trainer writes by hand: distances (`55km`), durations (`10s`),
 * speeds (`40km/h`) and times (ISO 8601 UTC, or `+1h30m` after the scenario start).
 *
 * Every parser returns `undefined` on bad input so that the loader can word the error with the
 * field's location; none of them throws.
 */

const DISTANCE_UNITS: Record<string, number> = {
  m: 1,
  km: 1000,
  nm: 1852,
  mi: 1609.344,
};

/** Pattern published in the JSON Schema for distances. */
export const DISTANCE_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(m|km|nm|mi)\\s*$';

/**
 * Parse a distance such as `55km`, `250 m`, `3nm` or a bare number of metres.
 * @example parseDistance('55km') // 55000
 */
export function parseDistance(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(m|km|nm|mi)\s*$/i.exec(v);
  if (!m) return undefined;
  return Number(m[1]) * DISTANCE_UNITS[m[2].toLowerCase()];
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** Pattern published in the JSON Schema for durations. */
export const DURATION_PATTERN = '^\\s*(\\d+(\\.\\d+)?\\s*(ms|s|min|m|h|d)\\s*)+$';

/**
 * Parse a duration such as `10s`, `15m`, `1h30m` or `2d` into milliseconds.
 * @example parseDuration('1h30m') // 5400000
 */
export function parseDuration(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  if (!s) return undefined;
  const re = /(\d+(?:\.\d+)?)\s*(ms|s|min|m|h|d)\s*/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * DURATION_UNITS[m[2]];
    pos = re.lastIndex;
  }
  if (pos !== s.length) return undefined;
  return total;
}

const SPEED_UNITS: Record<string, number> = {
  'km/h': 1000 / 3600,
  kph: 1000 / 3600,
  'm/s': 1,
  kn: 1852 / 3600,
  kt: 1852 / 3600,
  mph: 1609.344 / 3600,
};

export const SPEED_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(km/h|kph|m/s|kn|kt|mph)\\s*$';

/**
 * Parse a speed such as `40km/h`, `12 m/s` or `20kn` into metres per second.
 * @example parseSpeed('36km/h') // 10
 */
export function parseSpeed(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(km\/h|kph|m\/s|kn|kt|mph)\s*$/i.exec(v);
  if (!m) return undefined;
  const speed = Number(m[1]) * SPEED_UNITS[m[2].toLowerCase()];
  return speed > 0 ? speed : undefined;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]00:?00)$/;

export const TIME_PATTERN = '^(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]00:?00)|\\+.+)$';

/**
 * Parse an ISO 8601 UTC time (`2017-05-18T09:00:00Z`) into epoch milliseconds. Times must say
 * they are UTC (`Z`) so that a scenario never depends on the machine's time zone.
 */
export function parseIsoUtc(v: unknown): number | undefined {
  if (typeof v !== 'string') return undefined;
  const m = ISO_UTC.exec(v.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m;
  const t = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0, ms ? +ms.padEnd(3, '0') : 0);
  const back = new Date(t);
  if (back.getUTCDate() !== +d || back.getUTCMonth() !== +mo - 1 || +h > 23 || +mi > 59 || (s !== undefined && +s > 59)) {
    return undefined;
  }
  return t;
}

/**
 * Parse a time that is either absolute (ISO 8601 UTC) or relative to `start` (`+2h15m`).
 */
export function parseTime(v: unknown, start?: number): number | undefined {
  if (typeof v === 'string' && v.trim().startsWith('+')) {
    if (start === undefined) return undefined;
    const d = parseDuration(v.trim().slice(1));
    return d === undefined ? undefined : start + d;
  }
  return parseIsoUtc(v);
}

/** Format epoch milliseconds as ISO 8601 UTC, without milliseconds when they are zero. */
export function formatTime(t: number): string {
  const s = new Date(t).toISOString();
  return s.endsWith('.000Z') ? `${s.slice(0, -5)}Z` : s;
}

/** A duration's sign and whole hours, minutes and seconds (rounded to the second). */
function hms(ms: number): { neg: boolean; h: number; m: number; s: number } {
  const all = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(all / 3600);
  const m = Math.floor((all - h * 3600) / 60);
  return { neg: ms < 0, h, m, s: all - h * 3600 - m * 60 };
}

/** Format a duration in milliseconds compactly: `1h05m`, `12m30s`, `45s`. */
export function formatDuration(ms: number): string {
  const { neg, h, m, s } = hms(ms);
  const out = h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${s ? `${String(s).padStart(2, '0')}s` : ''}` : `${s}s`;
  return neg ? `-${out}` : out;
}

/** A duration in prose: `20 min`, `5 min 30 s`, `1 h 30 min`, `45 s` (formatDuration gives the file syntax, `20m`). */
export function formatSpan(ms: number): string {
  const { neg, h, m, s } = hms(ms);
  const parts = h ? [`${h} h`, ...(m ? [`${m} min`] : []), ...(s ? [`${s} s`] : [])] : m ? [`${m} min`, ...(s ? [`${s} s`] : [])] : [`${s} s`];
  return `${neg ? '-' : ''}${parts.join(' ')}`;
}

/** Format metres for people: `850 m`, `12.4 km`. */
export function formatDistance(m: number): string {
  const a = Math.abs(m);
  if (a < 1000) return `${Math.round(m)} m`;
  if (a < 100_000) return `${(m / 1000).toFixed(1)} km`;
  return `${Math.round(m / 1000)} km`;
}
