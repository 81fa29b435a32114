/** The help overlay: the command table by group (in two columns when wide), the map legend, and what the mouse does. */
import { helpSections } from '../../commands/help.js';
import { GROUP_TITLE } from '../../commands/types.js';
import { MOUSE_HELP } from '../../mouse.js';
import { pad, plain, row, width, wrap, type Seg } from '../../text.js';
import { FOCUS_COLOR, MAP_COLOR, RUNG_COLOR, RUNG_GLYPH, RUNG_KEYS, SITE_GLYPH } from '../../theme.js';
import type { FrameContext } from '../context.js';

export function helpLines(ctx: FrameContext, w: number): string[] {
  // A screen's own keys (training) first, then the command table's.
  const sections: { title: string; group?: string; lines: readonly { keys: string; help: string }[] }[] = [
    ...ctx.extraHelp,
    ...helpSections(ctx.commands).map((sec) => ({ ...sec, title: GROUP_TITLE[sec.group] })),
  ];
  const keyW = Math.max(...sections.flatMap((sec) => sec.lines.map((l) => width(l.keys)))) + 2;
  // Each help line wraps under itself rather than being cut.
  const block = (sec: (typeof sections)[number], cw: number): Seg[][] => [
    [['  '], [sec.title, { bold: true, fg: FOCUS_COLOR }]],
    ...sec.lines.flatMap((l): Seg[][] =>
      wrap(l.help, Math.max(10, cw - 5 - keyW)).map((h, i): Seg[] => [['    '], [pad(i ? '' : l.keys, keyW), { bold: true }], [h]]),
    ),
    [],
  ];
  const glyph = (k: (typeof RUNG_KEYS)[number]): Seg => [RUNG_GLYPH[k], { fg: RUNG_COLOR[k], bold: k !== 'none' }];
  const legend: Seg[][] = [
    [['  '], ['Map and timeline', { bold: true, fg: FOCUS_COLOR }]],
    [['    '], glyph('none'), [' no rung  '], glyph('monitor'), [' monitor  '], glyph('warn'), [' warn  '], glyph('show_of_force'), [' show of force']],
    [
      ['    '],
      glyph('warning_shots'),
      [' warning shots  '],
      glyph('strike'),
      [' strike  '],
      [SITE_GLYPH, { fg: MAP_COLOR.site, bold: true }],
      [' protected site'],
    ],
    [['    '], ['⠤⠤⠤', { fg: MAP_COLOR.zone }], [' zone edge; ticks mark the forbidden side of a line']],
    [['    '], ['⠤ ⠤', { fg: MAP_COLOR.band }], [' approach band   '], ['⠤⠤⠤', { fg: MAP_COLOR.border }], [' country borders']],
    [['    '], ['the selected unit in reverse video; faint: last 30 min', { dim: true }]],
    [['    '], ['●', { bold: true }], [' now  '], ['━', { fg: 'cyan' }], [' played  '], ['┃', { fg: 'red' }], [' a rung changed (faint: ahead)']],
    [],
  ];
  const mouseLines = ctx.mouse ? MOUSE_HELP.filter((m) => !m.modes || m.modes.includes(ctx.mode)) : [];
  const mouseW = Math.max(0, ...mouseLines.map((m) => width(m.where))) + 2;
  const mouseBlock = (cw: number): Seg[][] =>
    mouseLines.length
      ? [
          [['  '], ['Mouse', { bold: true, fg: FOCUS_COLOR }]],
          ...mouseLines.flatMap((m): Seg[][] =>
            wrap(m.help, Math.max(10, cw - 5 - mouseW)).map((h, i): Seg[] => [['    '], [pad(i ? '' : m.where, mouseW), { bold: true }], [h]]),
          ),
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
    for (let i = 0; i < Math.max(left.length, right.length); i++) out.push(row(left[i] ?? [], cw, ctx.color) + row(right[i] ?? [], w - cw, ctx.color));
  } else for (const segs of [...sections.flatMap((sec) => block(sec, w)), ...mouseBlock(w), ...legend]) out.push(row(segs, w, ctx.color));
  while (out.length && plain(out[out.length - 1]).trim() === '') out.pop();
  return out;
}
