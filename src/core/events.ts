/**
 * The event contract (docs/events.md). Events are produced by the engine in `seq` order, with
 * non-decreasing times, and serialised with a fixed field order and fixed rounding so that the
 * same scenario and seed give the same bytes.
 */
import { rungChange } from './ladder.js';
import type { LonLat } from './position.js';
import type { Rung } from './schema.js';
import { formatDistance, formatTime } from './units.js';
import { terminalLine } from './text/safe.js';

export const EVENT_TYPES = ['approach', 'enter', 'exit', 'cross', 'dwell', 'massing', 'escalate', 'stand_down', 'hostile_act', 'inject'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface SimEvent {
  seq: number;
  /** Epoch milliseconds, UTC. */
  t: number;
  type: EventType;
  unit?: string;
  zone?: string;
  site?: string;
  /** The rung the unit is at after this event (null: none). */
  rung?: Rung | null;
  /** The rung before it. */
  from?: Rung | null;
  reason: string;
  at?: LonLat;
  /** Signed distance to the zone edge, metres: negative inside (or on a line's forbidden side). */
  edge_m?: number;
  /** Distance to the protected site, metres (WGS84 geodesic). */
  site_m?: number;
  /** For exit: whether the unit left the zone or the approach band. */
  area?: 'zone' | 'band';
  /** For cross: into or out of the forbidden side, and the side of the line's direction reached. */
  dir?: 'into' | 'out_of';
  side?: 'left' | 'right';
  /** For escalate: the action taken at the rung. */
  action?: string;
  /** For escalate: who decided (doctrine, or a trainee in training mode). */
  by?: 'doctrine' | 'trainee';
  /** For massing: units and personnel in the band. */
  count?: number;
  personnel?: number;
  units?: string[];
  /** For inject: which inject and its kind. */
  inject?: number;
  kind?: string;
  text?: string;
  /** For escalate to strike: the threat score from composition. */
  threat?: number;
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

const FIELD_ORDER: (keyof SimEvent)[] = [
  'seq',
  't',
  'type',
  'unit',
  'zone',
  'site',
  'rung',
  'from',
  'reason',
  'at',
  'edge_m',
  'site_m',
  'area',
  'dir',
  'side',
  'action',
  'by',
  'threat',
  'count',
  'personnel',
  'units',
  'inject',
  'kind',
  'text',
];

const FIELDS_BUT_SEQ = FIELD_ORDER.slice(1);

/** The plain JSON object for an event: ISO time, rounded numbers, fixed field order (`withSeq` false: all but seq, the first). */
export function eventToJson(e: SimEvent, withSeq = true): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const k of withSeq ? FIELD_ORDER : FIELDS_BUT_SEQ) {
    const v = e[k];
    if (v === undefined) continue;
    if (k === 't') o.t = formatTime(v as number);
    else if (k === 'at') o.at = [r6((v as LonLat)[0]), r6((v as LonLat)[1])];
    else if (k === 'edge_m' || k === 'site_m') o[k] = r1(v as number);
    else o[k] = v;
  }
  return o;
}

/** One NDJSON line (with its newline). */
export function eventToNdjson(e: SimEvent): string {
  return `${JSON.stringify(eventToJson(e))}\n`;
}

/**
 * An event's NDJSON line without its number: what follows `{"seq":N,` (with the newline), for a
 * thread that makes the line before the event's number is known (a split run's worker threads);
 * `ndjsonWithSeq` completes it to eventToNdjson's line, byte for byte.
 */
export function eventToNdjsonTail(e: SimEvent): string {
  return `${JSON.stringify(eventToJson(e, false)).slice(1)}\n`;
}

/** The NDJSON line of event number `seq` from its tail (eventToNdjsonTail). */
export function ndjsonWithSeq(seq: number, tail: string): string {
  return `{"seq":${seq},${tail}`;
}

const TYPE_LABEL: Record<EventType, string> = {
  approach: 'APPROACH',
  enter: 'ENTER',
  exit: 'EXIT',
  cross: 'CROSS',
  dwell: 'DWELL',
  massing: 'MASSING',
  escalate: 'ESCALATE',
  stand_down: 'STAND DOWN',
  hostile_act: 'HOSTILE ACT',
  inject: 'INJECT',
};

export function typeLabel(t: EventType): string {
  return TYPE_LABEL[t];
}

/** A timeline line: `2017-05-18 09:12:30Z  convoy  tanf-dz  ESCALATE  warn  reason`. */
export function formatTimelineLine(e: SimEvent, widths = { unit: 14, zone: 12 }): string {
  const t = formatTime(Math.floor(e.t / 1000) * 1000).replace('T', ' ');
  const rung = e.type === 'escalate' || e.type === 'stand_down' ? rungChange(e.from, e.rung) : '';
  const dist = e.edge_m !== undefined ? `  [edge ${formatDistance(e.edge_m)}${e.site_m !== undefined ? `, site ${formatDistance(e.site_m)}` : ''}]` : '';
  // One line, whatever an inject's text or a site's name holds (src/core/text/safe.ts).
  return `${t}  ${(e.unit ?? '-').padEnd(widths.unit)} ${(e.zone ?? '-').padEnd(widths.zone)} ${TYPE_LABEL[e.type].padEnd(11)} ${rung ? `${rung.padEnd(29)} ` : ''}${terminalLine(e.reason)}${dist}`;
}
