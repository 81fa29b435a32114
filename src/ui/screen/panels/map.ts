/** The map panel: the renderer's rows for the view in force, with the scale and what is in view in its title. */
import { formatDistance } from '../../../core/units.js';
import type { Layout } from '../../layout.js';
import { FOCUS_LABEL, type UiState } from '../../state.js';
import type { FrameContext } from '../context.js';
import type { PanelFrame } from '../types.js';

export interface MapPanel extends PanelFrame {
  /** The unit drawn nearest a cell of this map (within a cell or two), or -1. */
  unitAt(cx: number, cy: number): number;
}

export function mapPanel(ctx: FrameContext, ui: UiState, layout: Layout): MapPanel {
  const view = ctx.view(ui, layout);
  const { iw, ih } = layout.map;
  const e = ctx.engine;
  const fr = ctx.renderer.render({ engine: e, view, w: iw, h: ih, selected: ui.selected, color: ctx.color, trackOf: ctx.trackOf });
  const n = e.scenario.units.length;
  const bits = [`${formatDistance(view.mpd * 2)}/cell`];
  if (ui.follow && ui.selected >= 0) bits.push(`following ${e.scenario.units[ui.selected].id}`);
  if (fr.visible < n) bits.push(`${fr.visible}/${n} in view`);
  // The renderer keeps where it drew each unit until it draws the next map.
  const renderer = ctx.renderer;
  return { title: FOCUS_LABEL.map, right: bits.join(' · '), rows: fr.rows, focused: ui.focus === 'map', unitAt: (cx, cy) => renderer.unitNear(cx, cy) };
}
