/**
 * Building rows of exact width from styled segments, and word wrapping. Widths count code
 * points: every character the UI draws (ASCII, box drawing, braille, the map symbols) is one
 * cell wide.
 */
import { terminalLine } from '../core/text/safe.js';
import { SGR_RESET, sgrOpen, type Style } from './theme.js';

export type Seg = readonly [text: string, style?: Style];

export function width(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/** Cut to `w` cells, ending in '…' when cut. */
export function trunc(s: string, w: number): string {
  if (w <= 0) return '';
  const cps = [...s];
  if (cps.length <= w) return s;
  return `${cps.slice(0, Math.max(0, w - 1)).join('')}…`;
}

export function pad(s: string, w: number, right = false): string {
  const t = trunc(s, w);
  const fill = ' '.repeat(Math.max(0, w - width(t)));
  return right ? fill + t : t + fill;
}

function merge(a: Style | undefined, b: Style | undefined): Style {
  return { ...(a ?? {}), ...(b ?? {}) };
}

/**
 * One row of exactly `w` cells from segments: cut with '…' when too long, padded with spaces;
 * `row` styles (e.g. inverse for a selected line) apply to every segment and the padding.
 */
export function row(rawSegs: readonly Seg[], w: number, color: boolean, rowStyle?: Style): string {
  // Every text the UI shows passes here: a control character from outside (a unit name with ESC
  // or BEL) is shown escaped, never sent to the terminal (src/core/text/safe.ts).
  const segs = rawSegs.map(([text, style]): Seg => [terminalLine(text), style]);
  let out = '';
  let used = 0;
  const total = segs.reduce((n, s) => n + width(s[0]), 0);
  const cut = total > w;
  const room = cut ? w - 1 : w;
  for (const [text, style] of segs) {
    if (used >= room) break;
    let t = text;
    const tw = width(t);
    if (used + tw > room) t = [...t].slice(0, room - used).join('');
    used += width(t);
    const open = sgrOpen(merge(style, rowStyle), color);
    out += open ? `${open}${t}${SGR_RESET}` : t;
  }
  if (cut) {
    const open = sgrOpen(merge(segs[segs.length - 1]?.[1], rowStyle), color);
    out += open ? `${open}…${SGR_RESET}` : '…';
    used++;
  }
  if (used < w) {
    const open = sgrOpen(rowStyle ?? {}, color);
    const fill = ' '.repeat(w - used);
    out += open ? `${open}${fill}${SGR_RESET}` : fill;
  }
  return out;
}

/** Word-wrap plain text to `w` cells (long words are broken). */
export function wrap(text: string, w: number): string[] {
  if (w <= 0) return [];
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter(Boolean)) {
      let wd = word;
      while (width(wd) > w) {
        if (line) {
          out.push(line);
          line = '';
        }
        out.push([...wd].slice(0, w).join(''));
        wd = [...wd].slice(w).join('');
      }
      if (!line) line = wd;
      else if (width(line) + 1 + width(wd) <= w) line += ` ${wd}`;
      else {
        out.push(line);
        line = wd;
      }
    }
    out.push(line);
  }
  return out;
}

/** Strip SGR sequences (for tests and captures). */
export function plain(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}
