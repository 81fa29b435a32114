/** Reading CoT events (live input over UDP, or a file of them): uid, type, callsign, time and point. */
import { parseFixTime } from './source.js';
import { children, parseXml } from './xml.js';

export interface CotFix {
  uid: string;
  type: string;
  how?: string;
  callsign?: string;
  /** The event's time, epoch ms. */
  t: number;
  lon: number;
  lat: number;
  /** The unit id a deconflict export put in its detail, if any. */
  unit?: string;
}

/** Parse one CoT <event> document. Throws a ScenarioError (naming `source`) if it is not one. */
export function parseCotEvent(xml: string, source: string): CotFix {
  const doc = parseXml(xml, source);
  const ev = doc.documentElement!;
  const bad = (msg: string): Error => new Error(`${source}: ${msg}`);
  if ((ev.localName ?? ev.nodeName) !== 'event') throw bad(`not a CoT event (root element <${ev.nodeName}>)`);
  const uid = ev.getAttribute('uid');
  if (!uid) throw bad('the event has no uid');
  const type = ev.getAttribute('type') ?? '';
  const timeAttr = ev.getAttribute('time') ?? ev.getAttribute('start');
  const t = timeAttr ? parseFixTime(timeAttr) : undefined;
  if (t === undefined) throw bad(`the event's time '${timeAttr ?? ''}' is not a time`);
  const point = children(ev, 'point')[0];
  if (!point) throw bad('the event has no <point>');
  const lat = Number(point.getAttribute('lat'));
  const lon = Number(point.getAttribute('lon'));
  if (!Number.isFinite(lat) || Math.abs(lat) > 90 || point.getAttribute('lat') === null) throw bad(`lat="${point.getAttribute('lat') ?? ''}" is not a latitude`);
  if (!Number.isFinite(lon) || Math.abs(lon) > 180 || point.getAttribute('lon') === null) throw bad(`lon="${point.getAttribute('lon') ?? ''}" is not a longitude`);
  const detail = children(ev, 'detail')[0];
  const contact = detail ? children(detail, 'contact')[0] : undefined;
  const ours = detail ? children(detail, '__deconflict')[0] : undefined;
  return {
    uid,
    type,
    how: ev.getAttribute('how') ?? undefined,
    callsign: contact?.getAttribute('callsign') ?? undefined,
    t,
    lon,
    lat,
    unit: ours?.getAttribute('unit') ?? undefined,
  };
}

/** Split a stream of CoT events (one or more <event> documents) into single documents. */
export function splitCotStream(text: string): string[] {
  return text.match(/<event[\s>][\s\S]*?<\/event>|<event[^>]*\/>/g) ?? [];
}
