/**
 * The editor's state and what its tools do to the scenario text. Pure: every change to the file
 * is a new text (src/ui/editor/doc.ts splices it in place), kept on an undo stack; the screen,
 * the keys and the file are elsewhere.
 */
import { geodesicAzimuth, geodesicDistance, lonDelta, metresPerDegree, normalizeLon } from '../../core/geo/geodesic.js';
import type { LonLat } from '../../core/model.js';
import { clampMpd, type View } from '../map/view.js';
import { appendItem, coord, countAt, replaceValue, setField, toData } from './doc.js';

export type Tool = 'browse' | 'site' | 'circle' | 'polygon' | 'line' | 'unit' | 'move';

/** The step a tool is at: placing points, the radius of a circle, the forbidden side of a line. */
export type Stage = 'place' | 'radius' | 'side';

export interface FormField {
  key: string;
  label: string;
  value: string;
}

/** A small form: fields typed one after another (tab or enter moves on, the last enter applies it). */
export interface Form {
  kind: 'unit' | 'inject';
  title: string;
  fields: FormField[];
  at: number;
  /** The unit the form is about (unit form). */
  unit: number;
}

export interface EditorState {
  /** The scenario text as it is now. */
  text: string;
  /** Earlier texts (undo) and undone ones (redo). */
  undo: string[];
  redo: string[];
  /** The text as last read or saved: differs from `text` when there is something to save. */
  saved: string;
  cursor: LonLat;
  view: View;
  tool: Tool;
  stage: Stage;
  /** Points placed so far with the tool. */
  draft: LonLat[];
  /** Digits typed for a circle's radius (km). */
  typed: string;
  /** The selected unit (index in the file's units), -1 for none. */
  unit: number;
  /** Speed of new route legs, km/h. */
  speed: number;
  /** The waypoint picked to be moved: [unit, waypoint]. */
  picked?: [number, number];
  form?: Form;
  help: boolean;
  /** First line of the help shown. */
  helpScroll: number;
  /** One line about what just happened. */
  message: string;
  /** `q` pressed with unsaved changes: a second `q` quits. */
  quitArmed: boolean;
  quit: boolean;
}

export function initialEditor(text: string, view: View, cursor: LonLat = [view.lon, view.lat]): EditorState {
  return {
    text,
    undo: [],
    redo: [],
    saved: text,
    cursor,
    view,
    tool: 'browse',
    stage: 'place',
    draft: [],
    typed: '',
    unit: -1,
    speed: 30,
    help: false,
    helpScroll: 0,
    message: '',
    quitArmed: false,
    quit: false,
  };
}

export const dirty = (s: EditorState) => s.text !== s.saved;

/** A new text, kept on the undo stack (a no-op change keeps the stack as it is). */
export function change(s: EditorState, text: string, message: string): EditorState {
  if (text === s.text) return { ...s, message };
  return { ...s, text, undo: [...s.undo, s.text], redo: [], message, quitArmed: false };
}

export function undo(s: EditorState): EditorState {
  if (!s.undo.length) return { ...s, message: 'nothing to undo' };
  return {
    ...s,
    text: s.undo[s.undo.length - 1],
    undo: s.undo.slice(0, -1),
    redo: [...s.redo, s.text],
    message: 'undone',
    tool: 'browse',
    draft: [],
    stage: 'place',
  };
}

export function redo(s: EditorState): EditorState {
  if (!s.redo.length) return { ...s, message: 'nothing to redo' };
  return { ...s, text: s.redo[s.redo.length - 1], redo: s.redo.slice(0, -1), undo: [...s.undo, s.text], message: 'redone' };
}

/** Move the cursor by cells (a cell is 2 dots wide, 4 high); the view follows it off the edge. */
export function moveCursor(s: EditorState, dx: number, dy: number, map: { w: number; h: number }): EditorState {
  const m = metresPerDegree(s.cursor[1]);
  const lon = normalizeLon(s.cursor[0] + (dx * 2 * s.view.mpd) / m.x);
  const lat = Math.max(-85, Math.min(85, s.cursor[1] - (dy * 4 * s.view.mpd) / m.y));
  return follow({ ...s, cursor: [lon, lat] }, map);
}

/** The view moved just enough to keep the cursor on the map. */
export function follow(s: EditorState, map: { w: number; h: number }): EditorState {
  const m = metresPerDegree(s.view.lat);
  const x = (lonDelta(s.view.lon, s.cursor[0]) * m.x) / (s.view.mpd * 2) + map.w / 2;
  const y = map.h / 2 - ((s.cursor[1] - s.view.lat) * m.y) / (s.view.mpd * 4);
  if (x >= 0 && x < map.w && y >= 0 && y < map.h) return s;
  return { ...s, view: { ...s.view, lon: s.cursor[0], lat: s.cursor[1] } };
}

export function zoom(s: EditorState, factor: number): EditorState {
  return { ...s, view: { lon: s.cursor[0], lat: s.cursor[1], mpd: clampMpd(s.view.mpd / factor) } };
}

// ------------------------------------------------------------------ what the tools write

const pos = (p: LonLat): [number, number] => [coord(p[0]), coord(p[1])];

function ids(text: string): Set<string> {
  const d = toData(text);
  const out = new Set<string>();
  for (const k of ['sites', 'zones', 'units'])
    for (const it of (d[k] as { id?: unknown }[] | undefined) ?? []) if (it && typeof it.id === 'string') out.add(it.id);
  return out;
}

/** The first `prefix-N` not yet used as an id. */
export function freshId(text: string, prefix: string): string {
  const used = ids(text);
  for (let n = 1; ; n++) if (!used.has(`${prefix}-${n}`)) return `${prefix}-${n}`;
}

/** The side new zones apply to and new units take: the first unit side that owns no site, else `red`. */
export function opposingSide(text: string): string {
  const d = toData(text);
  const own = new Set(((d.sites as { side?: unknown }[] | undefined) ?? []).map((s) => s?.side));
  const unit = ((d.units as { side?: unknown }[] | undefined) ?? []).find((u) => typeof u?.side === 'string' && !own.has(u.side));
  return typeof unit?.side === 'string' ? unit.side : 'red';
}

/** The site drawn at a position, within `reach` metres. */
function siteAt(text: string, p: LonLat, reach: number): string | undefined {
  const d = toData(text);
  for (const s of (d.sites as { id?: unknown; pos?: unknown }[] | undefined) ?? []) {
    const q = s?.pos;
    if (typeof s?.id === 'string' && Array.isArray(q) && typeof q[0] === 'number' && typeof q[1] === 'number' && geodesicDistance([q[0], q[1]], p) <= reach)
      return s.id;
  }
  return undefined;
}

export function addSite(s: EditorState): EditorState {
  const id = freshId(s.text, 'site');
  return change(s, appendItem(s.text, ['sites'], { id, name: `Site ${id.slice(5)}`, side: 'coalition', pos: pos(s.cursor) }), `site ${id} placed`);
}

/** A circle's radius: the km typed, else the distance from the centre to the cursor (metres). */
export function radiusOf(s: EditorState): number {
  const typed = Number(s.typed);
  if (s.typed !== '' && Number.isFinite(typed) && typed > 0) return typed * 1000;
  return s.draft[0] ? geodesicDistance(s.draft[0], s.cursor) : 0;
}

export function addCircle(s: EditorState): EditorState {
  const r = radiusOf(s);
  if (!(r > 0)) return { ...s, message: 'type the radius in km, or move the cursor away from the centre' };
  const id = freshId(s.text, 'zone');
  const km = Math.round(r / 100) / 10;
  // A centre placed on a site is that site: the circle protects it.
  const site = siteAt(s.text, s.draft[0], s.view.mpd * 3);
  const zone = { id, name: `the ${id} zone`, type: 'circle', center: site ?? pos(s.draft[0]), radius: `${km}km`, applies_to: [opposingSide(s.text)] };
  return { ...change(s, appendItem(s.text, ['zones'], zone), `circle ${id} of ${km} km added`), tool: 'browse', stage: 'place', draft: [], typed: '' };
}

export function addPolygon(s: EditorState): EditorState {
  if (s.draft.length < 3) return { ...s, message: 'a polygon needs at least 3 vertices' };
  const id = freshId(s.text, 'zone');
  const ring = [...s.draft, s.draft[0]].map(pos);
  const zone = { id, name: `the ${id} zone`, type: 'polygon', polygon: [ring], applies_to: [opposingSide(s.text)] };
  return { ...change(s, appendItem(s.text, ['zones'], zone), `polygon ${id} of ${s.draft.length} vertices added`), tool: 'browse', stage: 'place', draft: [] };
}

/** Finish a line's vertices: then the forbidden side is chosen on the map. */
export function lineToSide(s: EditorState): EditorState {
  if (s.draft.length < 2) return { ...s, message: 'a line needs at least 2 vertices' };
  return { ...s, stage: 'side', message: 'move the cursor to the forbidden side and press enter' };
}

export function addLine(s: EditorState): EditorState {
  const id = freshId(s.text, 'line');
  const zone = { id, name: `the ${id} line`, type: 'line', line: s.draft.map(pos), forbidden: { side_of: pos(s.cursor) }, applies_to: [opposingSide(s.text)] };
  return { ...change(s, appendItem(s.text, ['zones'], zone), `line ${id} added, forbidden on the cursor's side`), tool: 'browse', stage: 'place', draft: [] };
}

/** Place a unit's next waypoint: the first one makes the unit. */
export function addWaypoint(s: EditorState): EditorState {
  if (s.unit < 0 || s.draft.length === 0) {
    const id = freshId(s.text, 'unit');
    const unit = { id, name: `Unit ${id.slice(5)}`, side: opposingSide(s.text), track: [{ pos: pos(s.cursor), t: '+0s' }] };
    const text = appendItem(s.text, ['units'], unit);
    return {
      ...change(s, text, `unit ${id} placed: enter adds waypoints, [ ] the speed, h a hold, esc ends the route`),
      unit: countAt(text, ['units']) - 1,
      draft: [s.cursor],
    };
  }
  const prev = s.draft[s.draft.length - 1];
  const leg = geodesicDistance(prev, s.cursor);
  if (leg < 1) return { ...s, message: 'move the cursor away from the last waypoint first' };
  const text = appendItem(s.text, ['units', s.unit, 'track'], { pos: pos(s.cursor), speed: `${s.speed}km/h` });
  return {
    ...change(
      s,
      text,
      `waypoint ${s.draft.length + 1}: ${(leg / 1000).toFixed(1)} km at ${s.speed} km/h, bearing ${Math.round((geodesicAzimuth(prev, s.cursor) + 360) % 360)}°`,
    ),
    draft: [...s.draft, s.cursor],
  };
}

/** Add 10 minutes to the hold at the route's last waypoint. */
export function addHold(s: EditorState): EditorState {
  if (s.unit < 0 || !s.draft.length) return { ...s, message: 'place a waypoint first' };
  const k = countAt(s.text, ['units', s.unit, 'track']) - 1;
  const wp = (toData(s.text).units as { track?: { hold?: unknown }[] }[])[s.unit]?.track?.[k];
  const m = typeof wp?.hold === 'string' ? /^(\d+)m$/.exec(wp.hold) : null;
  const minutes = (m ? Number(m[1]) : 0) + 10;
  return change(s, setField(s.text, ['units', s.unit, 'track', k], 'hold', `${minutes}m`), `hold of ${minutes} min at waypoint ${k + 1}`);
}

/** The waypoint nearest the cursor, within a few cells: [unit, waypoint]. */
export function nearestWaypoint(s: EditorState): [number, number] | undefined {
  const units = (toData(s.text).units as { track?: { pos?: unknown }[] }[] | undefined) ?? [];
  let best: [number, number] | undefined;
  let bestD = s.view.mpd * 8;
  units.forEach((u, i) =>
    (Array.isArray(u?.track) ? u.track : []).forEach((w, k) => {
      const p = w?.pos;
      if (!Array.isArray(p) || typeof p[0] !== 'number' || typeof p[1] !== 'number') return;
      const d = geodesicDistance([p[0], p[1]], s.cursor);
      if (d < bestD) {
        bestD = d;
        best = [i, k];
      }
    }),
  );
  return best;
}

export function moveWaypoint(s: EditorState): EditorState {
  if (!s.picked) {
    const w = nearestWaypoint(s);
    if (!w) return { ...s, message: 'no waypoint [lon, lat] near the cursor' };
    return { ...s, picked: w, unit: w[0], message: `waypoint ${w[1] + 1} of unit ${w[0] + 1} picked: move the cursor and press enter` };
  }
  const [u, k] = s.picked;
  return { ...change(s, replaceValue(s.text, ['units', u, 'track', k, 'pos'], pos(s.cursor)), `waypoint ${k + 1} moved`), picked: undefined, tool: 'browse' };
}

// ------------------------------------------------------------------ forms

const COMPOSITION = ['tanks', 'artillery', 'air_defence', 'armed_vehicles', 'technicals', 'engineering', 'personnel'];

export function unitForm(s: EditorState): EditorState {
  const u = (toData(s.text).units as Record<string, unknown>[] | undefined)?.[s.unit];
  if (!u) return { ...s, message: 'select a unit first (tab)' };
  const comp =
    u.composition && typeof u.composition === 'object'
      ? Object.entries(u.composition as Record<string, unknown>)
          .map(([k, v]) => `${k}=${fieldText(v)}`)
          .join(' ')
      : '';
  return {
    ...s,
    form: {
      kind: 'unit',
      title: `Unit ${String(u.id)}`,
      unit: s.unit,
      at: 0,
      fields: [
        { key: 'name', label: 'name', value: fieldText(u.name) },
        { key: 'side', label: 'side', value: fieldText(u.side) },
        { key: 'composition', label: 'composition', value: comp },
      ],
    },
  };
}

export function injectForm(s: EditorState): EditorState {
  const units = (toData(s.text).units as { id?: unknown }[] | undefined) ?? [];
  const unit = units[s.unit]?.id;
  return {
    ...s,
    form: {
      kind: 'inject',
      title: 'Inject',
      unit: s.unit,
      at: 0,
      fields: [
        { key: 't', label: 'time', value: '+1h' },
        { key: 'type', label: 'type (message, halt, withdraw)', value: 'message' },
        { key: 'unit', label: 'unit', value: typeof unit === 'string' ? unit : '' },
        { key: 'text', label: 'text', value: '' },
      ],
    },
  };
}

/** Apply a filled form to the text. */
export function applyForm(s: EditorState): EditorState {
  const f = s.form;
  if (!f) return s;
  const v = Object.fromEntries(f.fields.map((x) => [x.key, x.value.trim()]));
  if (f.kind === 'unit') {
    let text = s.text;
    if (v.name) text = setField(text, ['units', f.unit], 'name', v.name);
    if (v.side) text = setField(text, ['units', f.unit], 'side', v.side);
    const comp: Record<string, number> = {};
    for (const part of v.composition.split(/[\s,]+/).filter(Boolean)) {
      const m = /^([a-z_]+)=(\d+)$/.exec(part);
      if (!m || !COMPOSITION.includes(m[1])) return { ...s, message: `composition: '${part}' is not KIND=COUNT (${COMPOSITION.join(', ')})` };
      comp[m[1]] = Number(m[2]);
    }
    if (Object.keys(comp).length) text = setField(text, ['units', f.unit], 'composition', comp);
    return { ...change(s, text, `${f.title} updated`), form: undefined };
  }
  const inject: Record<string, unknown> = { t: v.t, type: v.type };
  if (v.type !== 'message') inject.unit = v.unit;
  if (v.text) inject.text = v.text;
  return { ...change(s, appendItem(s.text, ['injects'], inject), `inject at ${v.t} added`), form: undefined };
}

export function formType(s: EditorState, ch: string): EditorState {
  const f = s.form!;
  const fields = f.fields.map((x, i) => (i === f.at ? { ...x, value: ch === 'backspace' ? x.value.slice(0, -1) : x.value + ch } : x));
  return { ...s, form: { ...f, fields } };
}

export function formNext(s: EditorState): EditorState {
  const f = s.form!;
  if (f.at + 1 < f.fields.length) return { ...s, form: { ...f, at: f.at + 1 } };
  return applyForm(s);
}

/** A value of the file as a form field shows it: text as it is, a number as written, anything else as JSON. */
function fieldText(v: unknown): string {
  if (v === undefined || v === null) return '';
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v);
}
