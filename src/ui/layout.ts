/**
 * Where everything goes for a terminal size. The root is one row shorter than the terminal:
 * Ink redraws the whole screen every frame when its output is as tall as the terminal.
 *
 *   header                                  1 row
 *   ┌ map ──────────┐┌ units ─────────────┐  top panels
 *   └───────────────┘└────────────────────┘
 *   ┌ events ─────────────────────────────┐  log panel
 *   └─────────────────────────────────────┘
 *   timeline                                 2 rows
 *   key bar                                  1 row
 */
export const MIN_COLS = 80;
export const MIN_ROWS = 24;

export interface Box {
  /** Outer size, with the border. */
  w: number;
  h: number;
  /** Content size. */
  iw: number;
  ih: number;
}

export interface Layout {
  cols: number;
  rows: number;
  /** Height of the root (rows - 1). */
  height: number;
  tooSmall: boolean;
  map: Box;
  table: Box;
  log: Box;
  /** The area the overlays (help, details) take: the panels' place. */
  overlay: Box;
}

function box(w: number, h: number): Box {
  return { w, h, iw: Math.max(0, w - 2), ih: Math.max(0, h - 2) };
}

export function computeLayout(cols: number, rows: number): Layout {
  const c = Math.max(1, Math.floor(cols) || 80);
  const r = Math.max(1, Math.floor(rows) || 24);
  const height = r - 1;
  const tooSmall = c < MIN_COLS || r < MIN_ROWS;
  const body = Math.max(0, height - 4);
  const logH = Math.max(6, Math.min(14, Math.round(body * 0.3)));
  const topH = Math.max(0, body - logH);
  const tableW = Math.max(38, Math.min(90, Math.round(c * 0.5)));
  const mapW = Math.max(0, c - tableW);
  return {
    cols: c,
    rows: r,
    height,
    tooSmall,
    map: box(mapW, topH),
    table: box(tableW, topH),
    log: box(c, logH),
    overlay: box(c, body),
  };
}
