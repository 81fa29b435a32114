/**
 * Cursor-on-Target (CoT 2.0) for ATAK, WinTAK and TAK servers: units as ground tracks (a-h-G
 * hostile, a-f-G friendly, a-u-G unknown) reported at a steady interval, and the events as alerts
 * linked to their unit: b-a-g (geofence breach) for approaches, entries, crossings, escalations,
 * hostile acts, dwell and massing; b-m-p-s-m (a spot marker) for exits, stand-downs and injects.
 * Each event is a complete XML document; a file holds one per line. Over UDP each goes in its
 * own datagram (the TAK "mesh" input, e.g. port 4242 or the SA multicast port 6969).
 */
import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import type { SimEvent } from '../core/events.js';
import { geodesicAzimuth, geodesicDistance } from '../core/geo/geodesic.js';
import { RUNG_LABEL } from '../core/ladder.js';
import type { Scenario, Track, Unit } from '../core/model.js';
import { positionAt } from '../core/track.js';
import { typeLabel } from '../core/events.js';
import type { LonLat } from '../core/position.js';
import { affiliation, eventColor, eventPosition, tracksOf, zoneAnchor, type ExportInput } from './common.js';
import { xmlText as esc } from '../core/text/safe.js';

export interface CotOptions {
  /** How long a report stays valid, ms (default 5 minutes). */
  staleMs?: number;
  /** Spacing of unit position reports, ms (default 60 s). */
  intervalMs?: number;
  /** Prefix of every uid (default "deconflict"). */
  uidPrefix?: string;
}

const UNKNOWN = '9999999.0';

export function cotTime(t: number): string {
  return new Date(t).toISOString();
}

export function unitUid(unit: Unit, prefix = 'deconflict'): string {
  return `${prefix}.unit.${unit.id}`;
}

/** CoT type of a unit: a-<affiliation>-G. */
export function unitCotType(sc: Scenario, unit: Unit): string {
  return `a-${affiliation(sc, unit)}-G`;
}

function num(x: number, d: number): string {
  return (Math.round(x * 10 ** d) / 10 ** d).toFixed(d);
}

function point(lon: number, lat: number, ce: number): string {
  return `<point lat="${num(lat, 7)}" lon="${num(lon, 7)}" hae="${UNKNOWN}" ce="${num(ce, 1)}" le="${UNKNOWN}"/>`;
}

function head(uid: string, type: string, how: string, t: number, stale: number): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><event version="2.0" uid="${esc(uid)}" type="${type}" how="${how}" time="${cotTime(t)}" start="${cotTime(t)}" stale="${cotTime(t + stale)}">`;
}

/** A unit's position report. `how` is m-g for a received (GPS) fix, h-e for a scenario's track. */
export function cotUnitReport(
  sc: Scenario,
  u: number,
  t: number,
  lon: number,
  lat: number,
  opts: CotOptions & { how?: string; course?: number; speed?: number; remarks?: string } = {},
): string {
  const unit = sc.units[u];
  const stale = opts.staleMs ?? 300_000;
  const track = opts.course !== undefined && opts.speed !== undefined ? `<track course="${num(opts.course, 1)}" speed="${num(opts.speed, 2)}"/>` : '';
  const remarks = opts.remarks ?? `${unit.name} (${unit.side})`;
  return (
    head(unitUid(unit, opts.uidPrefix), unitCotType(sc, unit), opts.how ?? 'h-e', t, stale) +
    point(lon, lat, Math.max(10, unit.noise)) +
    `<detail><contact callsign="${esc(unit.id)}"/>${track}<remarks>${esc(remarks)}</remarks><__deconflict unit="${esc(unit.id)}" side="${esc(unit.side)}"/></detail></event>`
  );
}

const ALERT_TYPES = new Set(['approach', 'enter', 'cross', 'escalate', 'hostile_act', 'dwell', 'massing']);

/** `#rrggbb` → CoT's signed ARGB integer. */
function argb(rgb: string): number {
  return 0xff000000 | parseInt(rgb.slice(1), 16) | 0;
}

/**
 * Where an event with no place of its own (an exercise message) is put: CoT needs a point, so the
 * first zone's protected site or middle (where the exercise is watched), with its accuracy unknown.
 */
function exercisePlace(sc: Scenario): LonLat | undefined {
  if (sc.zones.length) return zoneAnchor(sc, sc.zones[0]);
  return sc.sites[0]?.pos;
}

/** An event as a CoT alert (or a spot marker for exits, stand-downs and exercise messages); undefined only for a scenario with no zone and no site. */
export function cotAlert(sc: Scenario, e: SimEvent, opts: CotOptions = {}): string | undefined {
  const own = eventPosition(sc, e);
  const pos = own ?? exercisePlace(sc);
  if (!pos) return undefined;
  const prefix = opts.uidPrefix ?? 'deconflict';
  const stale = opts.staleMs ?? 300_000;
  const type = ALERT_TYPES.has(e.type) && !(e.type === 'cross' && e.dir === 'out_of') ? 'b-a-g' : 'b-m-p-s-m';
  const rung = e.type === 'escalate' || e.type === 'stand_down' ? ` ${e.rung ? RUNG_LABEL[e.rung] : 'none'}` : '';
  const callsign = `${typeLabel(e.type)}${rung}${e.unit ? ` ${e.unit}` : ''}${e.zone ? ` / ${e.zone}` : ''}`;
  const unit = e.unit ? sc.units.find((x) => x.id === e.unit) : undefined;
  const link = unit ? `<link uid="${esc(unitUid(unit, prefix))}" relation="p-p" type="${unitCotType(sc, unit)}"/>` : '';
  const attrs = Object.entries({
    seq: e.seq,
    event: e.type,
    unit: e.unit,
    zone: e.zone,
    site: e.site,
    rung: e.rung ?? undefined,
    from: e.from ?? undefined,
    by: e.by,
    edge_m: e.edge_m !== undefined ? num(e.edge_m, 1) : undefined,
  })
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
  return (
    head(`${prefix}.event.${e.seq}`, type, 'h-g-i-g-o', e.t, stale) +
    (own ? point(pos[0], pos[1], 10) : `<point lat="${num(pos[1], 7)}" lon="${num(pos[0], 7)}" hae="${UNKNOWN}" ce="${UNKNOWN}" le="${UNKNOWN}"/>`) +
    `<detail><contact callsign="${esc(callsign)}"/>${link}<color argb="${argb(eventColor(e))}"/><remarks>${esc(e.reason)}</remarks><__deconflict${attrs}/></detail></event>`
  );
}

/** Course (degrees) and speed (m/s) of a track at time t, from the positions 1 s either side. */
function motion(track: Track, t: number): { course: number; speed: number } {
  const a = [0, 0];
  const b = [0, 0];
  // Centred on t, or forward at the track's first fix and backward at its last.
  const t0 = Math.min(Math.max(t - 1000, track.t[0]), track.t[track.t.length - 1] - 2000);
  positionAt(track, t0, a);
  positionAt(track, t0 + 2000, b);
  const d = geodesicDistance([a[0], a[1]], [b[0], b[1]]);
  return { course: d > 0.01 ? (geodesicAzimuth([a[0], a[1]], [b[0], b[1]]) + 360) % 360 : 0, speed: d / 2 };
}

/** The whole run as CoT, in time order: unit reports every interval and an alert per event. */
export function toCot(input: ExportInput, opts: CotOptions = {}): string[] {
  const sc = input.scenario;
  const tracks = tracksOf(input);
  const interval = Math.max(1000, opts.intervalMs ?? 60_000);
  const out: { t: number; k: number; xml: string }[] = [];
  let k = 0;
  const p = [0, 0];
  for (let t = sc.start; ; t = Math.min(t + interval, sc.end)) {
    sc.units.forEach((_, u) => {
      positionAt(tracks[u], t, p);
      const m = motion(tracks[u], t);
      out.push({
        t,
        k: k++,
        xml: cotUnitReport(sc, u, t, p[0], p[1], { ...opts, staleMs: opts.staleMs ?? Math.max(300_000, 2 * interval), course: m.course, speed: m.speed }),
      });
    });
    if (t >= sc.end) break;
  }
  for (const e of input.events) {
    const xml = cotAlert(sc, e, opts);
    if (xml) out.push({ t: e.t, k: k++, xml });
  }
  out.sort((a, b) => a.t - b.t || a.k - b.k);
  return out.map((o) => o.xml);
}

/** One CoT event per line. */
export function toCotText(input: ExportInput, opts: CotOptions = {}): string {
  return toCot(input, opts)
    .map((x) => `${x}\n`)
    .join('');
}

/** Parse "host:port", "[v6]:port" or "port" (host defaults to 127.0.0.1). */
export function parseHostPort(s: string, defaultHost = '127.0.0.1'): { host: string; port: number } | undefined {
  let host = defaultHost;
  let port: string;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(s);
  if (v6) {
    host = v6[1];
    port = v6[2];
  } else if (/^\d+$/.test(s)) port = s;
  else {
    const i = s.lastIndexOf(':');
    if (i <= 0) return undefined;
    host = s.slice(0, i);
    port = s.slice(i + 1);
  }
  const n = Number(port);
  if (!/^\d+$/.test(port) || n < 1 || n > 65535) return undefined;
  if (!host || /\s/.test(host)) return undefined;
  return { host, port: n };
}

/** A UDP sender for CoT: one datagram per event. */
export class CotUdpSender {
  private readonly socket;
  private closed = false;
  sent = 0;
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    this.socket = createSocket(isIP(host) === 6 ? 'udp6' : 'udp4');
    this.socket.unref();
  }

  send(xml: string): Promise<void> {
    return new Promise((res, rej) => {
      this.socket.send(Buffer.from(xml, 'utf8'), this.port, this.host, (err) => {
        if (err) rej(err);
        else {
          this.sent++;
          res();
        }
      });
    });
  }

  async sendAll(xmls: readonly string[]): Promise<void> {
    for (const x of xmls) await this.send(x);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.socket.close();
  }
}
