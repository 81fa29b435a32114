/**
 * The report's map picture, drawn by deconflict itself as inline SVG: zones (and approach
 * bands), protected sites, each unit's track coloured by the rung in force, and a numbered mark
 * where each rung fired (numbers as in the timeline). Equirectangular around the middle
 * latitude, which is faithful at the scale of a deconfliction zone.
 */
import { RUNG_LABEL, RUNGS } from '../core/ladder.js';
import type { LonLat } from '../core/model.js';
import type { MapData } from './model.js';
import { maxOf, minOf, pushAll } from '../core/extent.js';
import { htmlText } from '../core/text/safe.js';
import { PALETTE } from '../core/palette.js';
import { chunksIn, type BorderSet } from '../io/borders.js';

/** Colour for a rung level: -1 none, 0 monitor … 4 strike. */
export const RUNG_COLOUR = RUNGS.map((r) => PALETTE[r].hex);
export const NO_RUNG_COLOUR = PALETTE.none.hex;

export function rungColour(level: number): string {
  return level < 0 ? NO_RUNG_COLOUR : RUNG_COLOUR[Math.min(level, 4)];
}

/** Text from outside in HTML and SVG: the one HTML escape (src/core/text/safe.ts). */
export const esc = htmlText;

const f1 = (x: number) => (Math.round(x * 10) / 10).toString();

export function mapSvg(m: MapData, opts: { width?: number; title?: string; borders?: BorderSet } = {}): string {
  const W = opts.width ?? 900;
  const all: LonLat[] = [];
  for (const z of m.zones) {
    for (const r of z.rings) pushAll(all, r);
    if (z.band) pushAll(all, z.band);
  }
  for (const s of m.sites) all.push(s.pos);
  for (const t of m.tracks) for (const p of t.points) all.push([p[0], p[1]]);
  if (!all.length) all.push([0, 0]);
  const wrap = maxOf(all, (p) => p[0]) - minOf(all, (p) => p[0]) > 180;
  const L = (lon: number) => (wrap && lon < 0 ? lon + 360 : lon);
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [lon, lat] of all) {
    minX = Math.min(minX, L(lon));
    maxX = Math.max(maxX, L(lon));
    minY = Math.min(minY, lat);
    maxY = Math.max(maxY, lat);
  }
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  let spanX = (maxX - minX) * k;
  let spanY = maxY - minY;
  if (spanX < 1e-6 && spanY < 1e-6) {
    spanX = spanY = 0.1;
    minX -= 0.05 / k;
    minY -= 0.05;
  }
  const pad = 40;
  const legendH = 70;
  const inner = W - 2 * pad;
  const scale = inner / Math.max(spanX, spanY * 0.6, 1e-9);
  const H = Math.round(Math.max(spanY * scale, 200) + 2 * pad + legendH);
  const mapH = H - legendH;
  const offX = pad + (inner - spanX * scale) / 2;
  const offY = pad + (mapH - 2 * pad - spanY * scale) / 2;
  const X = (lon: number) => offX + (L(lon) - minX) * k * scale;
  const Y = (lat: number) => offY + (maxY - lat) * scale;
  const pt = (p: LonLat) => `${f1(X(p[0]))},${f1(Y(p[1]))}`;
  const path = (ring: LonLat[], close: boolean) => `M${ring.map(pt).join('L')}${close ? 'Z' : ''}`;

  const out: string[] = [];
  // Labels are placed last, each where it overlaps no label placed before it.
  const labels: Label[] = [];
  const zoneLabels: Label[] = [];
  // Sites' labels go before the units' (placed first, they win a contested place).
  const siteLabels: Label[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${esc(opts.title ?? 'Map of the run')}" font-family="system-ui, sans-serif" font-size="12">`,
  );
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#f7f5ef"/>`);
  // Country borders for context: grey and dotted, unlike a zone's red edge; kept to the map's area.
  if (opts.borders && !wrap) {
    const lonAt = (x: number) => minX + (x - offX) / (k * scale);
    const latAt = (y: number) => maxY - (y - offY) / scale;
    const shown = chunksIn(opts.borders, [lonAt(0), latAt(mapH), lonAt(W), latAt(0)]);
    if (shown.length) {
      const d = shown
        .map((i) => {
          const c = opts.borders!.chunks[i];
          const pts: string[] = [];
          for (let j = 0; j < c.length; j += 2) pts.push(`${f1(X(c[j]))},${f1(Y(c[j + 1]))}`);
          return `M${pts.join('L')}`;
        })
        .join('');
      // A nested viewport clips to the map's area (no url() reference: the page fetches and refers to nothing).
      out.push(
        `<svg x="0" y="0" width="${W}" height="${mapH}" viewBox="0 0 ${W} ${mapH}" overflow="hidden"><path d="${d}" fill="none" stroke="#7d8590" stroke-width="1" stroke-dasharray="1 3" stroke-linecap="round"><title>country borders</title></path></svg>`,
      );
    }
  }
  // Zones.
  for (const z of m.zones) {
    if (z.band) out.push(`<path d="${path(z.band, true)}" fill="none" stroke="#b3261e" stroke-opacity="0.45" stroke-dasharray="6 5"/>`);
    if (z.type === 'line') {
      for (const r of z.rings) out.push(`<path d="${path(r, false)}" fill="none" stroke="#b3261e" stroke-width="3"/>`);
      for (const t of z.forbidden ?? []) out.push(`<path d="${path(t, false)}" stroke="#b3261e" stroke-width="1.5"/>`);
    } else {
      out.push(
        `<path d="${z.rings.map((r) => path(r, true)).join('')}" fill="#b3261e" fill-opacity="0.07" fill-rule="evenodd" stroke="#b3261e" stroke-width="1.5"/>`,
      );
    }
    const top = z.rings.flat().reduce((a, b) => (b[1] > a[1] ? b : a), z.rings[0]?.[0] ?? [0, 0]);
    zoneLabels.push({ x: X(top[0]), y: Y(top[1]), text: z.name, fill: '#8c1d18', above: true });
  }
  // Doctrine's track where the student's run went otherwise: thin, dashed, under the student's.
  for (const t of m.doctrine ?? []) {
    if (t.points.length < 2) continue;
    out.push(
      `<path d="${path(
        t.points.map((p) => [p[0], p[1]] as LonLat),
        false,
      )}" fill="none" stroke="#555" stroke-opacity="0.7" stroke-width="1.5" stroke-dasharray="4 3"><title>${esc(`${t.unit} under doctrine`)}</title></path>`,
    );
  }
  // Tracks, one polyline per run of the same rung.
  for (const t of m.tracks) {
    const pts = t.points;
    let i = 0;
    while (i < pts.length - 1) {
      const level = pts[i + 1][2];
      const run: LonLat[] = [[pts[i][0], pts[i][1]]];
      let j = i + 1;
      while (j < pts.length && pts[j][2] === level) {
        run.push([pts[j][0], pts[j][1]]);
        j++;
      }
      out.push(
        `<path d="${path(run, false)}" fill="none" stroke="${rungColour(level)}" stroke-width="${level >= 0 ? 3 : 2}" stroke-linecap="round" stroke-linejoin="round"/>`,
      );
      i = j - 1;
    }
    if (pts.length) {
      const a = pts[0];
      const b = pts[pts.length - 1];
      out.push(`<circle cx="${f1(X(a[0]))}" cy="${f1(Y(a[1]))}" r="3" fill="${NO_RUNG_COLOUR}"/>`);
      labels.push({ x: X(b[0]), y: Y(b[1]), text: t.unit, fill: '#222' });
    }
  }
  // Sites.
  for (const s of m.sites) {
    const x = X(s.pos[0]);
    const y = Y(s.pos[1]);
    out.push(`<rect x="${f1(x - 5)}" y="${f1(y - 5)}" width="10" height="10" fill="#1d3557" stroke="#fff"/>`);
    siteLabels.push({ x, y, text: s.name, fill: '#1d3557' });
  }
  // Where each rung fired.
  for (const mk of m.marks) {
    const x = X(mk.at[0]);
    const y = Y(mk.at[1]);
    const label = `${mk.n}. ${mk.t} ${mk.unit}: ${mk.type === 'hostile_act' ? 'hostile act' : mk.type === 'stand_down' ? `stand down to ${mk.rung ? RUNG_LABEL[mk.rung] : 'none'}` : mk.type === 'hold' ? `held at ${mk.rung ? RUNG_LABEL[mk.rung] : 'none'}` : mk.rung ? RUNG_LABEL[mk.rung] : 'none'}`;
    if (mk.type === 'hostile_act') {
      out.push(
        `<g><title>${esc(label)}</title><path d="M${f1(x)},${f1(y - 9)}L${f1(x + 9)},${f1(y)}L${f1(x)},${f1(y + 9)}L${f1(x - 9)},${f1(y)}Z" fill="#111"/><text x="${f1(x)}" y="${f1(y + 4)}" text-anchor="middle" fill="#fff" font-size="10">!</text></g>`,
      );
    } else {
      const level = mk.rung ? RUNGS.indexOf(mk.rung) : -1;
      out.push(
        `<g><title>${esc(label)}</title><circle cx="${f1(x)}" cy="${f1(y)}" r="8" fill="${rungColour(level)}" stroke="#fff" stroke-width="1.5"${mk.type === 'stand_down' ? ' stroke-dasharray="2 2"' : ''}${mk.type === 'hold' ? ' fill-opacity="0.45" stroke-dasharray="1 2"' : ''}/><text x="${f1(x)}" y="${f1(y + 3.5)}" text-anchor="middle" fill="#fff" font-size="9" font-weight="700">${mk.n}</text></g>`,
      );
    }
  }
  pushAll(out, placeLabels(zoneLabels.concat(siteLabels.reverse(), labels), W));
  // Scale bar.
  const kmPerPx = 111.32 / scale;
  const nice = [1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000].find((n) => n / kmPerPx >= W / 8) ?? 1000;
  const barPx = nice / kmPerPx;
  out.push(
    `<g transform="translate(${W - pad - barPx},${mapH - 14})"><rect width="${f1(barPx)}" height="4" fill="#222"/><text x="${f1(barPx / 2)}" y="-4" text-anchor="middle">${nice} km</text></g>`,
  );
  // Legend.
  const ly = mapH + 14;
  const items: [string, string][] = [['no rung', NO_RUNG_COLOUR], ...RUNGS.map((r, i) => [RUNG_LABEL[r], RUNG_COLOUR[i]] as [string, string])];
  let lx = pad;
  out.push(`<text x="${pad}" y="${ly}" fill="#444">Track colour: the rung in force. Numbered marks: where each rung fired (see the timeline).</text>`);
  for (const [name, colour] of items) {
    out.push(`<rect x="${lx}" y="${ly + 12}" width="22" height="5" fill="${colour}"/><text x="${lx + 28}" y="${ly + 18}">${esc(name)}</text>`);
    lx += 40 + name.length * 7;
  }
  out.push(`<rect x="${lx}" y="${ly + 9}" width="10" height="10" fill="#1d3557"/><text x="${lx + 16}" y="${ly + 18}">protected site</text>`);
  lx += 120;
  out.push(`<path d="M${lx},${ly + 14}h22" stroke="#b3261e" stroke-dasharray="6 5"/><text x="${lx + 28}" y="${ly + 18}">approach band</text>`);
  if (opts.borders)
    out.push(
      `<path d="M${lx + (m.doctrine?.length ? 270 : 130)},${ly + 14}h22" stroke="#7d8590" stroke-dasharray="1 3" stroke-linecap="round"/><text x="${lx + (m.doctrine?.length ? 298 : 158)}" y="${ly + 18}">country border</text>`,
    );
  if (m.doctrine?.length)
    out.push(`<path d="M${lx + 130},${ly + 14}h22" stroke="#555" stroke-dasharray="4 3"/><text x="${lx + 158}" y="${ly + 18}">under doctrine</text>`);
  out.push('</svg>');
  return out.join('\n');
}

/** Place point labels (7 px a character, 14 px high) beside their points without overlapping each other. */
interface Label {
  x: number;
  y: number;
  text: string;
  fill: string;
  /** Centred above the point (zone names) rather than beside it. */
  above?: boolean;
}

/** Grid cell size for finding the boxes a new box may overlap (px). */
const CELL = 64;

function placeLabels(labels: Label[], width: number): string[] {
  // Boxes placed so far, by the grid cells they touch: a label is checked against its
  // neighbours only, so placing is linear in labels (thousands of units).
  const grid = new Map<number, [number, number, number, number][]>();
  const cells = (b: readonly number[], f: (key: number) => boolean | void): boolean => {
    for (let cy = Math.floor(b[1] / CELL); cy <= Math.floor(b[3] / CELL); cy++) {
      // Columns beyond the picture are one column each side (a very long label stays cheap).
      const x0 = Math.max(-1, Math.floor(b[0] / CELL));
      const x1 = Math.min(Math.ceil(width / CELL), Math.floor(b[2] / CELL));
      for (let cx = x0; cx <= x1; cx++) if (f(cy * 1_000_003 + cx)) return true;
    }
    return false;
  };
  const overlaps = (box: [number, number, number, number]) =>
    cells(box, (k) => grid.get(k)?.some((b) => b[0] < box[2] && box[0] < b[2] && b[1] < box[3] && box[1] < b[3]));
  const out: string[] = [];
  const offsets: [number, number][] = [
    [9, 4],
    [9, 19],
    [9, -11],
    [9, 34],
    [9, -26],
  ];
  for (const l of labels) {
    const w = l.text.length * 7;
    let chosen: [number, number, number, number] | undefined;
    for (const [dx, dy] of l.above
      ? ([
          [-w / 2, -6],
          [-w / 2, 12],
        ] as [number, number][])
      : offsets) {
      let left = l.above ? l.x + dx : l.x + dx + w > width ? l.x - dx - w : l.x + dx;
      left = Math.max(4, Math.min(width - 4 - w, left));
      const box: [number, number, number, number] = [left, l.y + dy - 11, left + w, l.y + dy + 3];
      if (!overlaps(box)) {
        chosen = box;
        break;
      }
    }
    chosen ??= [l.x + 9, l.y - 7, l.x + 9 + w, l.y + 7];
    const placed = chosen;
    cells(placed, (k) => {
      const list = grid.get(k);
      if (list) list.push(placed);
      else grid.set(k, [placed]);
    });
    out.push(`<text x="${f1(chosen[0])}" y="${f1(chosen[3] - 3)}" fill="${l.fill}"${l.above ? '' : ' font-weight="600"'}>${esc(l.text)}</text>`);
  }
  return out;
}
