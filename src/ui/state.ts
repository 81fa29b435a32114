/**
 * The UI's own state (what is focused, selected, filtered, where the map looks), changed only
 * by commands. Pure data: the engine's state lives in the Session.
 */
import { metresPerDegree, normalizeLon } from '../core/geo/geodesic.js';
import type { SortKey } from './view-model/units.js';
import { clampMpd, type View } from './map/view.js';

export type Focus = 'units' | 'map' | 'log';
export const FOCUS_ORDER: readonly Focus[] = ['units', 'map', 'log'];
export const FOCUS_LABEL: Record<Focus, string> = { units: 'Units', map: 'Map', log: 'Events' };

/** `input`: a live run's inputs and their problems (live mode only); `warnings`: the scenario's warnings, open at the start when there are any. */
export type Overlay = 'none' | 'help' | 'details' | 'input' | 'warnings';

export interface UiState {
  focus: Focus;
  /** Selected unit (index into scenario.units), -1 for none. */
  selected: number;
  sort: SortKey;
  /** The filter applied to the event log. */
  filter: string;
  /** Typing a filter. */
  editing: boolean;
  /** Typing a time to go to (after `:`); undefined when not. */
  jump?: string;
  draft: string;
  /** Selected log line, counted back from the newest match (0 = newest, following new events). */
  logSel: number;
  overlay: Overlay;
  /** Unit whose details are open. */
  detailsUnit: number;
  /** Scroll of the open overlay, lines. */
  overlayScroll: number;
  /** Map view; null = fit everything. */
  view: View | null;
  /** Keep the selected unit in the middle of the map. */
  follow: boolean;
  quit: boolean;
}

export function initialUi(units: number): UiState {
  return {
    focus: 'units',
    selected: units > 0 ? 0 : -1,
    sort: 'rung',
    filter: '',
    editing: false,
    draft: '',
    logSel: 0,
    overlay: 'none',
    detailsUnit: -1,
    overlayScroll: 0,
    view: null,
    follow: false,
    quit: false,
  };
}

/**
 * The view the map shows: the one set (or, when none is, the one that fits everything), centred
 * on the selected unit while following it. A live unit with no position yet leaves the view
 * where it is.
 */
export function effectiveView(s: UiState, fit: () => View, unitPos: (u: number) => [number, number]): View {
  const base = s.view ?? fit();
  if (s.follow && s.selected >= 0) {
    const [lon, lat] = unitPos(s.selected);
    if (Number.isFinite(lon) && Number.isFinite(lat)) return { lon, lat, mpd: base.mpd };
  }
  return base;
}

/** Move a view by a fraction of its size (dx right, dy up), given the map size in dots. */
export function panView(v: View, dxDots: number, dyDots: number): View {
  const m = metresPerDegree(v.lat);
  const lat = Math.max(-85, Math.min(85, v.lat + (dyDots * v.mpd) / m.y));
  return { lon: normalizeLon(v.lon + (dxDots * v.mpd) / m.x), lat, mpd: v.mpd };
}

export function zoomView(v: View, factor: number): View {
  return { ...v, mpd: clampMpd(v.mpd / factor) };
}
