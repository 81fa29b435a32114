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
  if (!Number.isFinite(lat) || Math.abs(lat) > 90 || point.getAttribute('lat') === null)
    throw bad(`lat="${point.getAttribute('lat') ?? ''}" is not a latitude`);
  if (!Number.isFinite(lon) || Math.abs(lon) > 180 || point.getAttribute('lon') === null)
    throw bad(`lon="${point.getAttribute('lon') ?? ''}" is not a longitude`);
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

/**
 * Split a stream of CoT events (one or more <event> documents) into single documents: each
 * `<event …>` up to the first `</event>` after it, or a self-closing `<event …/>`. Linear in the
 * text: a search that found no `</event>` (or no `>`) is not repeated from a later start, so a
 * datagram of 64 KB of `<event <event …` costs one pass, not one pass per `<event`.
 */
export function splitCotStream(text: string): string[] {
  const out: string[] = [];
  let noClose = false;
  let i = text.indexOf('<event');
  while (i >= 0) {
    const after = text.charAt(i + 6);
    let next = -1;
    if (!noClose && (after === '>' || /\s/.test(after))) {
      const close = text.indexOf('</event>', i + 7);
      if (close >= 0) {
        out.push(text.slice(i, close + 8));
        next = close + 8;
      } else noClose = true;
    }
    if (next < 0) {
      const gt = text.indexOf('>', i + 6);
      // No '>' after here: no later event can end either.
      if (gt < 0) break;
      if (text.charAt(gt - 1) === '/' && gt - 1 >= i + 6) {
        out.push(text.slice(i, gt + 1));
        next = gt + 1;
      } else next = i + 1;
    }
    i = text.indexOf('<event', next);
  }
  return out;
}
