/** What the commands read of the screen at a layout (see commands/types.ts). */
import type { Env } from '../commands/types.js';
import type { Layout } from '../layout.js';
import type { FrameContext } from './context.js';
import { overlayLines } from './overlays/index.js';

export function commandEnv(ctx: FrameContext, layout: Layout): Env {
  return {
    session: ctx.session,
    layout,
    order: (s) => ctx.rows(s.sort).map((r) => r.u),
    logCount: (s) => ctx.logView(s.filter).count,
    logUnit: (s) => {
      const lv = ctx.logView(s.filter);
      const k = lv.count - 1 - Math.min(s.logSel, Math.max(0, lv.count - 1));
      if (k < 0) return -1;
      const id = ctx.session.shownEvents[lv.at(k)]?.unit;
      return id === undefined ? -1 : ctx.engine.scenario.units.findIndex((u) => u.id === id);
    },
    fit: () => ctx.fit(layout),
    unitPos: (u) => ctx.unitPos(u),
    overlayLines: (s) => overlayLines(ctx, s, layout).length,
    overlayPage: () => Math.max(1, layout.overlay.ih),
  };
}
