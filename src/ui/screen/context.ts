/**
 * What every frame is built from: the screen source, the map scene and its renderer, per-unit
 * facts and column widths that do not change during a run, and the caches that keep a frame
 * cheap (unit rows per engine state and sort, the filtered log, the timeline's marks). The
 * panels and overlays (panels/, overlays/) read it; frame.ts puts them together.
 */
import { commandsFor } from '../commands/dispatch.js';
import type { BarItem } from '../commands/keybar.js';
import type { Command, Mode } from '../commands/types.js';
import type { Layout } from '../layout.js';
import type { BorderSet } from '../map/borders.js';
import { MapRenderer } from '../map/render.js';
import { buildScene, type MapScene } from '../map/scene.js';
import { fitView, type View } from '../map/view.js';
import { LogIndex, type LogView } from '../view-model/log.js';
import { unitRows, UnitFacts, type ClosingBasis, type SortKey, type TrackOf, type UnitRow } from '../view-model/units.js';
import type { ScreenSource } from '../playback/source.js';
import { effectiveView, type UiState } from '../state.js';
import { width } from '../text.js';
import { TimelineMarks } from './marks.js';

export class FrameContext {
  readonly scene: MapScene;
  readonly renderer: MapRenderer;
  readonly facts: UnitFacts;
  readonly marks = new TimelineMarks();
  private readonly logIndex = new LogIndex();
  private rowsCache?: { v: number; sort: SortKey; rows: UnitRow[] };
  /** Width of the unit column (ids, within limits). */
  readonly unitW: number;
  /** Widths of the side, zone and composition columns. */
  readonly colW: { sideW: number; zoneW: number; compW: number };
  /** Replay or live: which commands exist (keys, key bar and help all come from `commands`). */
  readonly mode: Mode;
  readonly commands: readonly Command[];
  /** The track drawn for a unit (the source's: a live session draws what it judged). */
  readonly trackOf: TrackOf = (u) => this.session.trackOf(u);
  /** What closing speeds are measured on (a live session: the fixes received). */
  readonly closingBasis: ClosingBasis = (u) => this.session.closingBasis(u);
  /** Whether the terminal reports the mouse (the help then says what it does). */
  mouse = false;
  /** Sections the `?` help lists before the command table's (the training screen's own keys). */
  extraHelp: readonly { title: string; lines: readonly { keys: string; help: string }[] }[] = [];
  /**
   * Keys of the screen's own that work now, for the key bar: each goes in after the entry whose key is
   * `after` (the training screen's `b`), with a shorter label for narrow bars.
   */
  extraBar?: (ui: UiState) => readonly { after: string; item: BarItem; short: BarItem }[];
  /** What an empty event log says (a class student cannot play the clock: the trainer's clock moves it). */
  emptyLog?: string;

  constructor(
    readonly session: ScreenSource,
    readonly color: boolean,
  ) {
    this.mode = session.live ? 'live' : 'replay';
    this.commands = commandsFor(this.mode);
    this.scene = buildScene(session.engine.scenario);
    this.renderer = new MapRenderer(this.scene);
    this.facts = new UnitFacts(session.engine);
    const sc = session.engine.scenario;
    const maxW = (xs: string[], lo: number, hi: number) =>
      Math.min(
        hi,
        xs.reduce((m, x) => Math.max(m, width(x)), lo),
      );
    this.unitW = maxW(
      sc.units.map((u) => u.id),
      4,
      12,
    );
    this.colW = {
      sideW: maxW(
        sc.units.map((u) => u.side),
        4,
        12,
      ),
      zoneW: maxW(
        sc.zones.map((z) => z.id),
        4,
        12,
      ),
      compW: maxW(this.facts.comp, 4, 16),
    };
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
    if (!this.rowsCache || this.rowsCache.v !== v || this.rowsCache.sort !== sort)
      this.rowsCache = { v, sort, rows: unitRows(this.engine, this.facts, sort, this.trackOf) };
    return this.rowsCache.rows;
  }

  logView(filter: string): LogView {
    return this.logIndex.view(this.session.shownEvents, filter);
  }

  /** Where a unit is now (before the first tick: its track's start); NaN when not known. */
  unitPos(u: number): [number, number] {
    const e = this.engine;
    if (e.tickIndex >= 0) return [e.positions[2 * u], e.positions[2 * u + 1]];
    const tr = this.trackOf(u);
    return tr.t.length ? [tr.lon[0], tr.lat[0]] : [NaN, NaN];
  }

  /** The view that shows the whole scene on the map panel of a layout. */
  fit(layout: Layout): View {
    return fitView(this.scene.bounds, Math.max(2, layout.map.iw * 2), Math.max(4, layout.map.ih * 4));
  }

  /** The view the map shows in a state. */
  view(ui: UiState, layout: Layout): View {
    return effectiveView(
      ui,
      () => this.fit(layout),
      (u) => this.unitPos(u),
    );
  }
}
