/**
 * Everything on the screen, built as rows of prebuilt strings from the session and the UI
 * state: the Ink components only lay these rows out. Keeping this pure makes it testable and
 * measurable (frame build time), and keeps per-frame work to string building, with no
 * per-cell elements.
 */
import type { SimEvent } from '../core/events.js';
import { typeLabel } from '../core/events.js';
import { geodesicDistance, sphereDistanceLL } from '../core/geo/geodesic.js';
import { describeComposition, RUNG_LABEL, rungLevel, threatScore } from '../core/ladder.js';
import type { Rung } from '../core/model.js';
import { positionAt } from '../core/track.js';
import { formatDistance, formatDuration, formatTime } from '../core/units.js';
import { barItems, chooseBar, commandsFor, GROUP_TITLE, helpSections, type Command, type Env, type Mode } from './commands.js';
import type { Layout } from './layout.js';
import { MIN_COLS, MIN_ROWS } from './layout.js';
import { type BorderSet } from './map/borders.js';
import { MapRenderer } from './map/render.js';
import { inputLines, liveBadge, liveProblemSegs, liveStatusSegs } from './live/status.js';
import { buildScene, type MapScene } from './map/scene.js';
import { fitView, type View } from './map/view.js';
import { MOUSE_HELP, type Hits } from './mouse.js';
import { LogIndex, refineRow, SORT_LABEL, unitRows, UnitFacts, type LogView, type SortKey, type TrackOf, type UnitRow, type ClosingBasis } from './model.js';
import type { Session } from './session.js';
import { FOCUS_LABEL, type UiState } from './state.js';
import { pad, plain, row, trunc, width, wrap, type Seg } from './text.js';
import { EVENT_COLOR, FOCUS_COLOR, MAP_COLOR, RUNG_COLOR, RUNG_GLYPH, RUNG_KEYS, RUNG_SHORT, SITE_GLYPH, type Style } from './theme.js';

export interface PanelFrame {
  title: string;
  /** Text at the right of the title line. */
  right: string;
  rows: string[];
  focused: boolean;
}

export interface Frame {
  /** Set when the terminal is too small: the message rows instead of the layout. */
  tooSmall?: string[];
  header: string;
  map?: PanelFrame;
  table?: PanelFrame;
  log?: PanelFrame;
  overlay?: PanelFrame;
  timeline: string[];
  bar: string;
}

/** HH:MM:SS of an epoch ms, UTC. */
export function clock(t: number): string {
  return new Date(t).toISOString().slice(11, 19);
}

function signedDistance(m: number | undefined): string {
  if (m === undefined || !Number.isFinite(m)) return '-';
  return m > 0 ? `+${formatDistance(m)}` : formatDistance(m);
}

function closingText(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '-';
  const k = Math.round(ms * 3.6);
  return k === 0 ? '0 km/h' : `${k > 0 ? '+' : ''}${k} km/h`;
}

function speedText(s: number): string {
  return `${s}×`;
}

function rungStyle(r: Rung | null, struck = false): Style {
  const k = struck ? 'strike' : (r ?? 'none');
  return { fg: RUNG_COLOR[k], bold: k === 'strike' };
}

const LADDER_TYPES = new Set(['escalate', 'stand_down', 'hostile_act']);

/** A ladder event's reason after its rung change is shown: without the rung's name repeated ("warn → strike: strike: …"). */
function reasonAfterChange(e: SimEvent): string {
  const to = e.type === 'escalate' && e.rung ? `${RUNG_LABEL[e.rung]}: ` : '';
  return to && e.reason.startsWith(to) ? e.reason.slice(to.length) : e.reason;
}

/** Marks on the timeline where rungs changed, per column; rebuilt only when the width changes. */
export class TimelineMarks {
  private w = 0;
  private scanned = 0;
  private last: SimEvent | undefined;
  /** 0: none; 1: stand-down; 2..6: monitor..strike. */
  levels = new Uint8Array(0);

  update(known: readonly SimEvent[], start: number, end: number, w: number): Uint8Array {
    // A new width, or a list that is not the one scanned grown (it went back): start again.
    if (w !== this.w || known.length < this.scanned || (this.scanned > 0 && known[this.scanned - 1] !== this.last)) {
      this.w = w;
      this.scanned = 0;
      this.levels = new Uint8Array(Math.max(0, w));
    }
    const span = Math.max(1, end - start);
    for (let i = this.scanned; i < known.length; i++) {
      const e = known[i];
      if (!LADDER_TYPES.has(e.type)) continue;
      const col = Math.max(0, Math.min(w - 1, Math.round(((e.t - start) / span) * (w - 1))));
      const lvl = e.type === 'stand_down' ? 1 : e.type === 'hostile_act' ? 6 : rungLevel(e.rung) + 2;
      if (lvl > this.levels[col]) this.levels[col] = lvl;
    }
    this.scanned = known.length;
    this.last = known[known.length - 1];
    return this.levels;
  }
}

export class FrameBuilder {
  readonly scene: MapScene;
  readonly renderer: MapRenderer;
  readonly facts: UnitFacts;
  readonly marks = new TimelineMarks();
  private readonly logIndex = new LogIndex();
  private rowsCache?: { v: number; sort: SortKey; rows: UnitRow[] };
  private readonly unitW: number;
  private readonly colW: { sideW: number; zoneW: number; compW: number };
  /** Replay or live: which commands exist (keys, key bar and help all come from `commands`). */
  readonly mode: Mode;
  readonly commands: readonly Command[];
  /** The track drawn for a unit (the session's: a live session draws what it judged). */
  readonly trackOf: TrackOf = (u) => this.session.trackOf(u);
  /** What closing speeds are measured on (a live session: the fixes received). */
  readonly closingBasis: ClosingBasis = (u) => this.session.closingBasis(u);
  /** Whether the terminal reports the mouse (the help then says what it does). */
  mouse = false;
  /** What the last frame drew where, for the mouse. */
  readonly hits: Hits = { tableUnits: [], logNewest: 0, logRows: 0, unitOnMap: (cx, cy) => this.renderer.unitNear(cx, cy) };

  constructor(
    readonly session: Session,
    readonly color: boolean,
  ) {
    this.mode = session.live ? 'live' : 'replay';
    this.commands = commandsFor(this.mode);
    this.scene = buildScene(session.engine.scenario);
    this.renderer = new MapRenderer(this.scene);
    this.facts = new UnitFacts(session.engine);
    const sc = session.engine.scenario;
    const maxW = (xs: string[], lo: number, hi: number) => Math.min(hi, xs.reduce((m, x) => Math.max(m, width(x)), lo));
    this.unitW = maxW(sc.units.map((u) => u.id), 4, 12);
    this.colW = { sideW: maxW(sc.units.map((u) => u.side), 4, 12), zoneW: maxW(sc.zones.map((z) => z.id), 4, 12), compW: maxW(this.facts.comp, 4, 16) };
  }

  setBorders(b: BorderSet | undefined): void {
    this.renderer.setBorders(b);
  }

  get engine() {
    return this.session.engine;
  }

  /** Unit rows in table order (cached per engine state and sort). */
  rows(sort: SortKey): UnitRow[] {
    const v = this.session.getVersion();
    if (!this.rowsCache || this.rowsCache.v !== v || this.rowsCache.sort !== sort) this.rowsCache = { v, sort, rows: unitRows(this.engine, this.facts, sort, this.trackOf) };
    return this.rowsCache.rows;
  }

  logView(filter: string): LogView {
    return this.logIndex.view(this.session.shownEvents, filter);
  }

  unitPos(u: number): [number, number] {
    const e = this.engine;
    if (e.tickIndex >= 0) return [e.positions[2 * u], e.positions[2 * u + 1]];
    const tr = this.trackOf(u);
    return tr.t.length ? [tr.lon[0], tr.lat[0]] : [NaN, NaN];
  }

  fit(layout: Layout): View {
    return fitView(this.scene.bounds, Math.max(2, layout.map.iw * 2), Math.max(4, layout.map.ih * 4));
  }

  view(ui: UiState, layout: Layout): View {
    const base = ui.view ?? this.fit(layout);
    if (ui.follow && ui.selected >= 0) {
      const [lon, lat] = this.unitPos(ui.selected);
      // A live unit with no position yet leaves the view where it is.
      if (Number.isFinite(lon) && Number.isFinite(lat)) return { lon, lat, mpd: base.mpd };
    }
    return base;
  }

  /** What commands read. */
  env(layout: Layout): Env {
    return {
      session: this.session,
      layout,
      order: (s) => this.rows(s.sort).map((r) => r.u),
      logCount: (s) => this.logView(s.filter).count,
      logUnit: (s) => {
        const lv = this.logView(s.filter);
        const k = lv.count - 1 - Math.min(s.logSel, Math.max(0, lv.count - 1));
        if (k < 0) return -1;
        const id = this.session.shownEvents[lv.at(k)]?.unit;
        return id === undefined ? -1 : this.engine.scenario.units.findIndex((u) => u.id === id);
      },
      fit: () => this.fit(layout),
      unitPos: (u) => this.unitPos(u),
      overlayLines: (s) => this.overlayLines(s, layout).length,
      overlayPage: () => Math.max(1, layout.overlay.ih),
    };
  }

  // ------------------------------------------------------------------ panels

  header(w: number): string {
    const sc = this.engine.scenario;
    const right = `${sc.units.length} unit${sc.units.length === 1 ? '' : 's'} · ${sc.zones.length} zone${sc.zones.length === 1 ? '' : 's'} · seed ${this.engine.seed}`;
    const left: Seg[] = [
      [' deconflict ', { inverse: true, bold: true }],
      [' '],
      ...(this.session.live ? [liveBadge(), [' '] as Seg] : []),
      [trunc(sc.title, Math.max(0, w - width(right) - 16)), { bold: true }],
    ];
    const lw = left.reduce((n, s) => n + width(s[0]), 0);
    return row([...left, [' '.repeat(Math.max(1, w - lw - width(right)))], [right, { dim: true }]], w, this.color);
  }

  mapPanel(ui: UiState, layout: Layout): PanelFrame {
    const view = this.view(ui, layout);
    const { iw, ih } = layout.map;
    const fr = this.renderer.render({ engine: this.engine, view, w: iw, h: ih, selected: ui.selected, color: this.color, trackOf: this.trackOf });
    const n = this.engine.scenario.units.length;
    const bits = [`${formatDistance(view.mpd * 2)}/cell`];
    if (ui.follow && ui.selected >= 0) bits.push(`following ${this.engine.scenario.units[ui.selected].id}`);
    if (fr.visible < n) bits.push(`${fr.visible}/${n} in view`);
    return { title: FOCUS_LABEL.map, right: bits.join(' · '), rows: fr.rows, focused: ui.focus === 'map' };
  }

  tablePanel(ui: UiState, layout: Layout): PanelFrame {
    const { iw, ih } = layout.table;
    const rows = this.rows(ui.sort);
    const { sideW, zoneW, compW } = this.colW;
    type Col = { key: string; title: string; w: number; right?: boolean; pri: number; sort?: SortKey };
    const all: Col[] = [
      { key: 'id', title: 'unit', w: this.unitW + 1, pri: 0, sort: 'id' },
      { key: 'side', title: 'side', w: sideW, pri: 6 },
      { key: 'comp', title: 'comp', w: compW, pri: 7 },
      { key: 'zone', title: 'zone', w: zoneW, pri: 5 },
      { key: 'rung', title: 'rung', w: 15, pri: 1, sort: 'rung' },
      { key: 'site', title: 'to site', w: 8, right: true, pri: 2, sort: 'site' },
      { key: 'edge', title: 'to edge', w: 8, right: true, pri: 3, sort: 'edge' },
      { key: 'closing', title: 'closing', w: 9, right: true, pri: 4 },
    ];
    // Keep columns by priority while they fit (one space between columns).
    const keep = new Set<string>();
    let used = 0;
    for (const c of [...all].sort((a, b) => a.pri - b.pri)) {
      if (used + c.w + (keep.size ? 1 : 0) > iw) continue;
      keep.add(c.key);
      used += c.w + (keep.size > 1 ? 1 : 0);
    }
    const cols = all.filter((c) => keep.has(c.key));
    const arrow = ui.sort === 'rung' ? '▼' : '▲';
    const head: Seg[] = [];
    cols.forEach((c, i) => {
      const t = c.sort === ui.sort ? `${c.title}${arrow}` : c.title;
      head.push([(i ? ' ' : '') + pad(t, c.w, c.right), { bold: true, dim: c.sort !== ui.sort }]);
    });
    const out = [row(head, iw, this.color, { underline: true })];
    const avail = Math.max(0, ih - 1);
    const sel = rows.findIndex((r) => r.u === ui.selected);
    const top = Math.max(0, Math.min(rows.length - avail, sel - Math.floor(avail / 2)));
    this.hits.tableUnits = rows.slice(top, top + avail).map((r) => r.u);
    for (let i = top; i < Math.min(rows.length, top + avail); i++) {
      const r = refineRow(this.engine, rows[i], this.trackOf, this.closingBasis);
      const isSel = r.u === ui.selected;
      const rs = rungStyle(r.rung, r.struck);
      const dim = !r.applies;
      const cell = (c: Col): Seg => {
        let text = '';
        let st: Style | undefined = dim ? { dim: true } : undefined;
        switch (c.key) {
          case 'id':
            text = `${isSel ? '▶' : ' '}${r.id}`;
            st = { ...st, bold: isSel };
            break;
          case 'side':
            text = r.side;
            break;
          case 'comp':
            text = r.comp;
            break;
          case 'zone':
            text = r.zoneId;
            break;
          case 'rung':
            text = `${RUNG_GLYPH[r.struck ? 'strike' : (r.rung ?? 'none')]} ${r.struck ? 'struck' : RUNG_SHORT[r.rung ?? 'none']}`;
            st = rs;
            // A live unit not heard from yet.
            if (r.noFix && !r.struck && !r.rung) {
              text = '  no fix yet';
              st = { dim: true };
            }
            break;
          case 'site':
            text = r.site === undefined ? '-' : formatDistance(r.site);
            break;
          case 'edge':
            text = signedDistance(r.edge);
            if (r.edge !== undefined && r.edge <= 0) st = { ...st, fg: 'yellow' };
            break;
          case 'closing':
            text = closingText(r.closing);
            if (r.closing !== undefined && r.closing * 3.6 >= 1) st = { ...st, fg: 'yellow' };
            break;
        }
        return [pad(text, c.w, c.right), st];
      };
      const segs: Seg[] = [];
      cols.forEach((c, j) => {
        if (j) segs.push([' ']);
        segs.push(cell(c));
      });
      out.push(row(segs, iw, this.color, isSel && ui.focus === 'units' ? { inverse: true } : undefined));
    }
    // Room to spare under the rows: a card on the selected unit.
    const card = this.unitCard(ui.selected, iw);
    if (card.length && ih - out.length >= card.length + 2) {
      while (out.length < ih - card.length - 1) out.push(' '.repeat(iw));
      out.push(row([['┄'.repeat(iw), { dim: true }]], iw, this.color), ...card);
    }
    while (out.length < ih) out.push(' '.repeat(iw));
    const n = rows.length;
    return { title: FOCUS_LABEL.units, right: `${n} · sorted by ${SORT_LABEL[ui.sort]}`, rows: out, focused: ui.focus === 'units' };
  }

  /** A few lines on a unit: name, composition, threat, and its last rung change with the reason. */
  unitCard(u: number, w: number): string[] {
    const e = this.engine;
    const sc = e.scenario;
    const unit = sc.units[u];
    if (!unit) return [];
    const out: string[] = [];
    const score = threatScore(unit.composition, sc.doctrine.threatWeights);
    out.push(row([[unit.id, { bold: true }], [`  ${unit.name}`], [`  (${unit.side})`, { dim: true }]], w, this.color));
    for (const l of wrap(describeComposition(unit.composition), w).slice(0, 2)) out.push(row([[l]], w, this.color));
    out.push(row([[`threat score ${score}`, score >= sc.doctrine.threatThreshold ? { fg: 'red' } : {}], [` (strike threshold ${sc.doctrine.threatThreshold})`, { dim: true }]], w, this.color));
    let last: SimEvent | undefined;
    const events = this.session.shownEvents;
    for (let i = events.length - 1; i >= 0; i--) {
      const ev = events[i];
      if (ev.unit === unit.id && LADDER_TYPES.has(ev.type)) {
        last = ev;
        break;
      }
    }
    if (last) {
      const tr = last.type === 'hostile_act' ? 'hostile act' : `${last.from ? RUNG_LABEL[last.from] : 'none'} → ${last.rung ? RUNG_LABEL[last.rung] : 'none'}`;
      const lines = wrap(`${clock(last.t)} ${tr}: ${reasonAfterChange(last)}`, w).slice(0, 4);
      lines.forEach((l, i) => out.push(row([[l, i === 0 ? rungStyle(last.rung ?? null) : {}]], w, this.color)));
    } else out.push(row([['no rung yet', { dim: true }]], w, this.color));
    out.push(row([['enter: the whole ladder history', { dim: true }]], w, this.color));
    return out;
  }

  logLine(e: SimEvent, w: number, selected: boolean): string {
    const segs: Seg[] = [[clock(e.t), { dim: true }], [' '], [pad(e.unit ?? '-', this.unitW)], [' ']];
    const tStyle: Style = e.type === 'escalate' ? rungStyle(e.rung ?? null) : { fg: EVENT_COLOR[e.type], bold: e.type === 'hostile_act' };
    segs.push([pad(typeLabel(e.type), 11), tStyle], [' ']);
    // A column for rung changes, so that reasons line up: from and to when there is room, else only where to.
    const wide = w >= 110;
    const trW = wide ? 31 : 16;
    if (e.type === 'escalate' || e.type === 'stand_down') {
      const to = e.rung ? RUNG_LABEL[e.rung] : 'none';
      const tr = wide ? `${e.from ? RUNG_LABEL[e.from] : 'none'} → ${to}` : `→ ${to}`;
      segs.push([pad(tr, trW - 1), e.type === 'escalate' ? rungStyle(e.rung ?? null) : { fg: 'green' }], [' ']);
    } else segs.push([' '.repeat(trW)]);
    segs.push([e.reason]);
    return row(segs, w, this.color, selected ? { inverse: true } : undefined);
  }

  logPanel(ui: UiState, layout: Layout): PanelFrame {
    const { iw, ih } = layout.log;
    const lv = this.logView(ui.filter);
    const ev = this.session.shownEvents;
    const sel = Math.min(ui.logSel, Math.max(0, lv.count - 1));
    // With the log focused, the selected event's whole text shows under the list.
    let strip: string[] = [];
    if (ui.focus === 'log' && !ui.editing && lv.count > 0 && ih >= 6) {
      const e = ev[lv.at(lv.count - 1 - sel)];
      const dist = e.edge_m !== undefined ? ` [edge ${formatDistance(e.edge_m)}${e.site_m !== undefined ? `, site ${formatDistance(e.site_m)}` : ''}]` : '';
      const text = `${clock(e.t)} ${typeLabel(e.type)}${e.unit ? ` ${e.unit}` : ''}${e.zone ? ` in ${e.zone}` : ''}: ${e.reason}${dist}${e.by ? ` (by ${e.by})` : ''}`;
      const n = ih >= 10 ? 3 : ih >= 8 ? 2 : 1;
      const wrapped = wrap(text, iw);
      const lines = wrapped.slice(0, n);
      if (wrapped.length > n) lines[n - 1] = trunc(`${lines[n - 1]} ${wrapped[n]}`, iw);
      strip = [...(ih >= 8 ? [row([['┄'.repeat(iw), { dim: true }]], iw, this.color)] : []), ...lines.map((l) => row([[l, { fg: FOCUS_COLOR }]], iw, this.color))];
    }
    const lines = ih - strip.length - (ui.editing ? 1 : 0);
    const bottom = lv.count - 1 - Math.max(0, sel - (lines - 1));
    const first = Math.max(0, bottom - lines + 1);
    this.hits.logNewest = lv.count - 1 - first;
    this.hits.logRows = lv.count ? bottom - first + 1 : 0;
    const out: string[] = [];
    for (let k = first; k <= bottom; k++) out.push(this.logLine(ev[lv.at(k)], iw, ui.focus === 'log' && lv.count - 1 - k === sel));
    if (!lv.count) out.push(row([[ui.filter ? `no events match “${ui.filter}”` : this.session.live ? 'no events yet: the ladder runs as positions come in (i: input)' : 'no events yet: press space to play or n for the next escalation', { dim: true }]], iw, this.color));
    while (out.length < lines) out.push(' '.repeat(iw));
    out.push(...strip);
    if (ui.editing) out.push(row([['/', { bold: true, fg: FOCUS_COLOR }], [ui.draft], ['█', { dim: true }], ['   enter apply · esc clear', { dim: true }]], iw, this.color));
    const total = ev.length;
    const right = ui.filter ? `filter “${ui.filter}”: ${lv.count} of ${total}` : `${total} event${total === 1 ? '' : 's'}`;
    return { title: FOCUS_LABEL.log, right, rows: out.slice(0, ih), focused: ui.focus === 'log' };
  }

  timeline(w: number): string[] {
    const s = this.session;
    const e = this.engine;
    const sc = e.scenario;
    const t = e.time;
    const state: Seg = s.seeking > 0 ? ['» seeking', { fg: 'yellow', bold: true }] : s.playing ? ['▶ playing', { fg: 'green', bold: true }] : ['‖ paused', { bold: true }];
    const live = s.live;
    const top: Seg[] = live
      ? [[' '], ...liveStatusSegs(live, e)]
      : [
          [' '],
          state,
          [`  ${speedText(s.speed)}`, { bold: true }],
          [`   ${formatTime(t).replace('T', ' ')}`],
          [`   +${formatDuration(t - sc.start)} of ${formatDuration(sc.end - sc.start)}`, { dim: true }],
          // Tick n is n ticks after the start (tick 0 is at the start, as before it).
          [`   tick ${Math.max(0, e.tickIndex)}/${e.tickCount - 1}`, { dim: true }],
        ];
    if (s.note) top.push([`   ${s.note}`, { fg: 'yellow' }]);
    const startL = ` ${clock(sc.start).slice(0, 5)} `;
    const endL = ` ${clock(sc.end).slice(0, 5)} `;
    // A live run's latest input problem shares this row with a shorter scrubber.
    const problem = live?.problemCount ? liveProblemSegs(live) : undefined;
    const room = problem ? Math.max(width(startL) + width(endL) + 8, Math.floor(w * 0.4)) : w;
    const bw = Math.max(4, room - width(startL) - width(endL));
    const levels = this.marks.update(s.timelineEvents, sc.start, sc.end, bw);
    const frac = e.tickIndex < 0 ? 0 : (t - sc.start) / Math.max(1, sc.end - sc.start);
    const cur = Math.max(0, Math.min(bw - 1, Math.round(frac * (bw - 1))));
    this.hits.scrubber = live ? undefined : { x0: width(startL), w: bw };
    const segs: Seg[] = [[startL, { dim: true }]];
    let run = '';
    let runStyle: Style | undefined;
    const flush = () => {
      if (run) segs.push([run, runStyle]);
      run = '';
    };
    const push = (ch: string, st: Style) => {
      if (runStyle === undefined || JSON.stringify(st) !== JSON.stringify(runStyle)) {
        flush();
        runStyle = st;
      }
      run += ch;
    };
    for (let c = 0; c < bw; c++) {
      const lvl = levels[c];
      if (c === cur) push('●', { bold: true, fg: 'whiteBright' });
      else if (lvl) {
        const fg = lvl === 1 ? 'green' : RUNG_COLOR[RUNG_KEYS[lvl - 1]];
        push('┃', { fg, bold: c < cur, dim: c > cur });
      } else if (c < cur) push('━', { fg: 'cyan' });
      else push('─', { dim: true });
    }
    flush();
    segs.push([endL, { dim: true }]);
    if (problem) segs.push(...problem);
    return [row(top, w, this.color), row(segs, w, this.color)];
  }

  bar(ui: UiState, env: Env, w: number): string {
    // Typing a time to go to: the prompt takes the bar.
    if (ui.jump !== undefined)
      return row([[' go to time: ', { bold: true, fg: FOCUS_COLOR }], [ui.jump], ['█', { dim: true }], ['   HH:MM, HH:MM:SS or +1h30m · enter go there · esc cancel', { dim: true }]], w, this.color);
    const { items, gap } = chooseBar(barItems(ui, env, this.commands), barItems(ui, env, this.commands, true), w - 1);
    const segs: Seg[] = [[' ']];
    items.forEach((it, i) => {
      if (i) segs.push([' '.repeat(gap)]);
      segs.push([it.key, { bold: true, fg: FOCUS_COLOR }], [` ${it.label}`]);
    });
    return row(segs, w, this.color);
  }

  // ------------------------------------------------------------------ overlays

  /** The help overlay: the command table by group (in two columns when wide), then the map legend. */
  helpLines(w: number): string[] {
    const sections = helpSections(this.commands);
    const keyW = Math.max(...sections.flatMap((sec) => sec.lines.map((l) => width(l.keys)))) + 2;
    // Each help line wraps under itself rather than being cut.
    const block = (sec: (typeof sections)[number], cw: number): Seg[][] => [
      [['  '], [GROUP_TITLE[sec.group], { bold: true, fg: FOCUS_COLOR }]],
      ...sec.lines.flatMap((l): Seg[][] =>
        wrap(l.help, Math.max(10, cw - 5 - keyW)).map((h, i): Seg[] => [['    '], [pad(i ? '' : l.keys, keyW), { bold: true }], [h]]),
      ),
      [],
    ];
    const glyph = (k: (typeof RUNG_KEYS)[number]): Seg => [RUNG_GLYPH[k], { fg: RUNG_COLOR[k], bold: k !== 'none' }];
    const legend: Seg[][] = [
      [['  '], ['Map and timeline', { bold: true, fg: FOCUS_COLOR }]],
      [['    '], glyph('none'), [' no rung  '], glyph('monitor'), [' monitor  '], glyph('warn'), [' warn  '], glyph('show_of_force'), [' show of force']],
      [['    '], glyph('warning_shots'), [' warning shots  '], glyph('strike'), [' strike  '], [SITE_GLYPH, { fg: MAP_COLOR.site, bold: true }], [' protected site']],
      [['    '], ['⠤⠤⠤', { fg: MAP_COLOR.zone }], [' zone edge; ticks mark the forbidden side of a line']],
      [['    '], ['⠤ ⠤', { fg: MAP_COLOR.band }], [' approach band   '], ['⠤⠤⠤', { fg: MAP_COLOR.border }], [' country borders']],
      [['    '], ['the selected unit in reverse video; faint: last 30 min', { dim: true }]],
      [['    '], ['●', { bold: true }], [' now  '], ['━', { fg: 'cyan' }], [' played  '], ['┃', { fg: 'red' }], [' a rung changed (faint: ahead)']],
      [],
    ];
    const mouseLines = this.mouse ? MOUSE_HELP.filter((m) => !m.modes || m.modes.includes(this.mode)) : [];
    const mouseW = Math.max(0, ...mouseLines.map((m) => width(m.where))) + 2;
    const mouseBlock = (cw: number): Seg[][] =>
      mouseLines.length
        ? [
            [['  '], ['Mouse', { bold: true, fg: FOCUS_COLOR }]],
            ...mouseLines.flatMap((m): Seg[][] => wrap(m.help, Math.max(10, cw - 5 - mouseW)).map((h, i): Seg[] => [['    '], [pad(i ? '' : m.where, mouseW), { bold: true }], [h]])),
            [],
          ]
        : [];
    const out: string[] = [];
    if (w >= 110) {
      // Two columns, split between sections where the taller column is shortest.
      const cw = Math.floor(w / 2);
      // The legend goes after the map keys; the mouse after the keys.
      const blocks = sections.map((sec) => block(sec, cw));
      if (mouseLines.length) blocks.push(mouseBlock(cw));
      blocks.splice(sections.findIndex((sec) => sec.group === 'Map') + 1, 0, legend);
      let best = 1;
      let bestH = Infinity;
      for (let k = 1; k < blocks.length; k++) {
        const h = Math.max(blocks.slice(0, k).flat().length, blocks.slice(k).flat().length);
        if (h < bestH) {
          bestH = h;
          best = k;
        }
      }
      const left = blocks.slice(0, best).flat();
      const right = blocks.slice(best).flat();
      for (let i = 0; i < Math.max(left.length, right.length); i++) out.push(row(left[i] ?? [], cw, this.color) + row(right[i] ?? [], w - cw, this.color));
    } else for (const segs of [...sections.flatMap((sec) => block(sec, w)), ...mouseBlock(w), ...legend]) out.push(row(segs, w, this.color));
    while (out.length && plain(out[out.length - 1]).trim() === '') out.pop();
    return out;
  }

  detailsLines(u: number, w: number): string[] {
    const e = this.engine;
    const sc = e.scenario;
    const unit = sc.units[u];
    if (!unit) return [];
    const out: string[] = [];
    const text = (segs: Seg[]) => out.push(row(segs, w, this.color));
    const LW = 12;
    const para = (label: string, body: string, st?: Style) => {
      const lines = wrap(body, Math.max(10, w - LW - 2));
      lines.forEach((l, i) => text([['  '], [pad(i ? '' : label, LW), { bold: true }], [l, st]]));
    };
    const rows = this.rows('id');
    const r0 = rows.find((r) => r.u === u);
    const r = r0 ? refineRow(e, r0, this.trackOf, this.closingBasis) : undefined;
    text([['  '], [unit.id, { bold: true }], ['  '], [unit.name], [`   side ${unit.side}${unit.sidc ? ` · SIDC ${unit.sidc}` : ''}`, { dim: true }]]);
    text([]);
    const score = threatScore(unit.composition, sc.doctrine.threatWeights);
    para('composition', `${describeComposition(unit.composition)} (${this.facts.comp[u]})`);
    para('threat', `score ${score}; doctrine's threshold for a strike is ${sc.doctrine.threatThreshold}: ${score >= sc.doctrine.threatThreshold ? 'assessed a threat' : 'below the threshold, not a threat on composition'}`, score >= sc.doctrine.threatThreshold ? { fg: 'red' } : undefined);
    if (r) {
      const zone = r.zone >= 0 ? sc.zones[r.zone] : undefined;
      const rung = e.isStruck(u) ? 'struck' : r.rung ? RUNG_LABEL[r.rung] : 'no rung';
      const where = zone
        ? `${zone.id}${r.applies ? '' : ' (does not apply to its side)'}: ${r.edge === undefined ? '' : r.edge <= 0 ? `${formatDistance(-r.edge)} ${zone.type === 'line' ? 'past the line' : 'inside the edge'}` : `${formatDistance(r.edge)} outside the ${zone.type === 'line' ? 'line' : 'edge'}`}${r.site !== undefined ? `, ${formatDistance(r.site)} from ${sc.sites[zone.protects].name}` : ''}, closing ${closingText(r.closing)}`
        : 'no zone';
      para('now', r.noFix ? 'no position received yet' : `${rung} — ${where}`, rungStyle(r.rung, e.isStruck(u)));
      if (zone) para('closest', this.closestApproach(u, r.zone));
    }
    text([]);
    const mine = this.session.shownEvents.filter((ev) => ev.unit === unit.id);
    const ladder = mine.filter((ev) => LADDER_TYPES.has(ev.type));
    text([['  '], [`Ladder history (${ladder.length})`, { bold: true, fg: FOCUS_COLOR }]]);
    if (!ladder.length) text([['    none yet', { dim: true }]]);
    const TW = 31;
    const pre = 2 + 8 + 2 + TW + 1;
    for (const ev of ladder) {
      const tr = ev.type === 'hostile_act' ? 'hostile act' : `${ev.from ? RUNG_LABEL[ev.from] : 'none'} → ${ev.rung ? RUNG_LABEL[ev.rung] : 'none'}`;
      const st: Style = ev.type === 'stand_down' ? { fg: 'green' } : rungStyle(ev.rung ?? 'strike');
      const reason = wrap(`${reasonAfterChange(ev)}${ev.by ? ` (by ${ev.by})` : ''}`, Math.max(10, w - pre));
      reason.forEach((l, i) => text(i ? [[' '.repeat(pre)], [l]] : [['  '], [clock(ev.t), { dim: true }], ['  '], [pad(tr, TW), st], [' '], [l]]));
    }
    text([]);
    const other = mine.filter((ev) => !LADDER_TYPES.has(ev.type));
    text([['  '], [`Other events (${other.length})`, { bold: true, fg: FOCUS_COLOR }]]);
    if (!other.length) text([['    none yet', { dim: true }]]);
    for (const ev of other) {
      const reason = wrap(ev.reason, Math.max(10, w - pre));
      reason.forEach((l, i) => text(i ? [[' '.repeat(pre)], [l]] : [['  '], [clock(ev.t), { dim: true }], ['  '], [pad(typeLabel(ev.type), TW), { fg: EVENT_COLOR[ev.type] }], [' '], [l]]));
    }
    return out;
  }

  /** Closest approach so far to the zone's protected site (or its edge), on the track in force, at tick resolution. */
  private closestApproach(u: number, z: number): string {
    const e = this.engine;
    const sc = e.scenario;
    if (e.tickIndex < 0) return 'not started';
    const zone = sc.zones[z];
    const tr = this.trackOf(u);
    if (!tr.t.length) return 'no position yet';
    const p = [0, 0];
    let best = Infinity;
    let bestT = sc.start;
    const site = zone.protects >= 0 ? sc.sites[zone.protects] : undefined;
    for (let k = 0, hint = -1; k <= e.tickIndex; k++) {
      const t = e.tickTime(k);
      hint = positionAt(tr, t, p, hint);
      const d = site ? sphereDistanceLL(p[0], p[1], site.pos[0], site.pos[1]) : zone.shape.signedDistance(p[0], p[1]);
      if (d < best) {
        best = d;
        bestT = t;
      }
    }
    if (site) {
      positionAt(tr, bestT, p);
      best = geodesicDistance([p[0], p[1]], site.pos);
      return `${formatDistance(best)} from ${site.name} at ${clock(bestT)} (so far, on its track)`;
    }
    return `${best <= 0 ? `${formatDistance(-best)} past` : `${formatDistance(best)} from`} the ${zone.type === 'line' ? 'line' : 'edge'} of ${zone.id} at ${clock(bestT)} (so far)`;
  }

  overlayLines(ui: UiState, layout: Layout): string[] {
    if (ui.overlay === 'help') return this.helpLines(layout.overlay.iw);
    if (ui.overlay === 'input') return this.session.live ? inputLines(this.session.live, this.engine, layout.overlay.iw, this.color) : [];
    if (ui.overlay === 'details') return this.detailsLines(ui.detailsUnit, layout.overlay.iw);
    if (ui.overlay === 'warnings') return (this.engine.scenario.warnings ?? []).flatMap((w) => wrap(w.message, layout.overlay.iw).map((l) => pad(l, layout.overlay.iw)));
    return [];
  }

  overlayPanel(ui: UiState, layout: Layout): PanelFrame {
    const lines = this.overlayLines(ui, layout);
    const { iw, ih } = layout.overlay;
    const maxScroll = Math.max(0, lines.length - ih);
    const top = Math.min(ui.overlayScroll, maxScroll);
    const rows = lines.slice(top, top + ih);
    while (rows.length < ih) rows.push(' '.repeat(iw));
    const more = lines.length > ih ? ` · lines ${top + 1}-${Math.min(lines.length, top + ih)} of ${lines.length} (↑↓)` : '';
    if (ui.overlay === 'help') return { title: 'Keys', right: `esc or ? to close${more}`, rows, focused: true };
    if (ui.overlay === 'input') return { title: 'Live input', right: `esc or i to close${more}`, rows, focused: true };
    if (ui.overlay === 'warnings') return { title: `Warnings (${this.engine.scenario.warnings?.length ?? 0})`, right: `esc to close${more}`, rows, focused: true };
    const unit = this.engine.scenario.units[ui.detailsUnit];
    return { title: `Unit ${unit?.id ?? ''}`, right: `esc to close${more}`, rows, focused: true };
  }

  tooSmall(layout: Layout): string[] {
    const msg = [
      `deconflict needs a terminal of at least ${MIN_COLS}×${MIN_ROWS}.`,
      `This one is ${layout.cols}×${layout.rows}: please enlarge it.`,
      'q quits.',
    ];
    const w = layout.cols;
    const out: string[] = [];
    const top = Math.max(0, Math.floor((layout.height - msg.length) / 2));
    for (let i = 0; i < top; i++) out.push('');
    for (const m of msg) {
      const lines = wrap(m, w);
      for (const l of lines) out.push(' '.repeat(Math.max(0, Math.floor((w - width(l)) / 2))) + l);
    }
    return out.slice(0, Math.max(1, layout.height));
  }

  build(ui: UiState, layout: Layout, env: Env): Frame {
    if (layout.tooSmall) return { tooSmall: this.tooSmall(layout), header: '', timeline: [], bar: '' };
    const f: Frame = {
      header: this.header(layout.cols),
      timeline: this.timeline(layout.cols),
      bar: this.bar(ui, env, layout.cols),
    };
    if (ui.overlay !== 'none') f.overlay = this.overlayPanel(ui, layout);
    else {
      f.map = this.mapPanel(ui, layout);
      f.table = this.tablePanel(ui, layout);
      f.log = this.logPanel(ui, layout);
    }
    return f;
  }
}

/** A panel as rows of exactly `w` cells: a titled rounded border around its content rows. */
export function panelRows(p: PanelFrame, w: number, h: number, color: boolean): string[] {
  const iw = Math.max(0, w - 2);
  const border: Style = p.focused ? { fg: FOCUS_COLOR, bold: true } : { dim: true };
  const titleStyle: Style = p.focused ? { fg: FOCUS_COLOR, bold: true, inverse: !color } : { bold: true };
  const title = ` ${trunc(p.title, Math.max(0, iw - 4))} `;
  const right = p.right ? ` ${trunc(p.right, Math.max(0, iw - width(title) - 4))} ` : '';
  const fill = Math.max(0, iw - 1 - width(title) - width(right) - (right ? 1 : 0));
  const top = row([['╭─', border], [title, titleStyle], ['─'.repeat(fill), border], [right, { dim: !p.focused }], [right ? '─' : '', border], ['╮', border]], w, color);
  const out = [top];
  const side = (s: string) => row([[s, border]], 1, color);
  const l = side('│');
  for (let i = 0; i < h - 2; i++) out.push(`${l}${p.rows[i] ?? ' '.repeat(iw)}${l}`);
  out.push(row([['╰', border], ['─'.repeat(iw), border], ['╯', border]], w, color));
  return out;
}

/** The whole screen: one string per row, `layout.height` rows. */
export function composeScreen(f: Frame, layout: Layout, color: boolean): string[] {
  if (f.tooSmall) return f.tooSmall;
  const out: string[] = [f.header];
  if (f.overlay) out.push(...panelRows(f.overlay, layout.overlay.w, layout.overlay.h, color));
  else if (f.map && f.table && f.log) {
    const m = panelRows(f.map, layout.map.w, layout.map.h, color);
    const t = panelRows(f.table, layout.table.w, layout.table.h, color);
    for (let i = 0; i < layout.map.h; i++) out.push(`${m[i]}${t[i]}`);
    out.push(...panelRows(f.log, layout.log.w, layout.log.h, color));
  }
  out.push(...f.timeline, f.bar);
  return out;
}
