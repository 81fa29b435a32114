/**
 * Block scalars for the plain YAML reader (plain-yaml.ts): the `description: >` and `briefing: |`
 * that nearly every hand-written scenario holds, so that such a file is read in the reader's one
 * pass rather than by loading the YAML libraries (about 20–30 ms of a cold process, more than the
 * rest of reading a small scenario).
 *
 * What it reads, as YAML 1.2 says and the `yaml` library gives: `|` (literal: the lines as they
 * are) and `>` (folded: a single line break between two lines becomes a space, and each empty line
 * a line break), each with clip chomping (one line break at the end) or strip (`-`: none), a
 * comment after the indicator, empty lines anywhere. What it leaves to the libraries (undefined):
 * an indentation indicator (`|2`), keep chomping (`+`), a line more indented than the first (the
 * folding of such lines has rules of its own), white space at the end of a line, and a scalar with
 * no text.
 */

import { DASH, GT, HASH, NL, SP } from './plain-chars.js';

/**
 * The block scalar whose indicator (`|` or `>`) is at `at` in `t`, in a node whose parent sits at
 * column `col` (its text must be indented further): its value, and where the reading goes on (the
 * start of the first line after it); undefined where the reader leaves it (see the file's comment).
 * `t` holds no tabs or carriage returns (the reader leaves such texts from the start).
 *
 * @example
 * readBlockScalar('d: >\n  two\n  lines\nn: 1\n', 3, 0) // { value: 'two lines\n', next: 19 }
 */
export function readBlockScalar(t: string, at: number, col: number): { value: string; next: number } | undefined {
  const n = t.length;
  const folded = t.charCodeAt(at) === GT;
  let j = at + 1;
  const strip = t.charCodeAt(j) === DASH;
  if (strip) j++;
  // The header's rest: spaces, then the line's end or a comment after a space.
  const h = j;
  while (j < n && t.charCodeAt(j) === SP) j++;
  if (j < n && t.charCodeAt(j) !== NL) {
    if (t.charCodeAt(j) !== HASH || j === h) return undefined;
  }
  const eol = t.indexOf('\n', j);
  if (eol < 0) return undefined;
  let i = eol + 1;

  let indent = -1;
  let leading = 0;
  let empty = 0;
  let value = '';
  let lines = 0;
  while (i < n) {
    let k = i;
    while (k < n && t.charCodeAt(k) === SP) k++;
    const e = t.indexOf('\n', k);
    const end = e < 0 ? n : e;
    const spaces = k - i;
    if (k === end) {
      // An empty line (spaces only): more spaces than the text's indentation are text, left.
      if (indent < 0) leading = Math.max(leading, spaces);
      else if (spaces > indent) return undefined;
      empty++;
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (indent < 0) {
      if (spaces <= col || leading > spaces) return undefined;
      indent = spaces;
    } else if (spaces < indent) break;
    else if (spaces > indent) return undefined;
    if (t.charCodeAt(end - 1) === SP) return undefined;
    const text = t.slice(k, end);
    if (lines === 0) value = '\n'.repeat(empty) + text;
    else if (folded && empty === 0) value += ` ${text}`;
    else value += '\n'.repeat(folded ? empty : empty + 1) + text;
    lines++;
    empty = 0;
    i = e < 0 ? n : e + 1;
  }
  if (lines === 0) return undefined;
  // The text ends at a line less indented: the reader goes on from the start of that line.
  return { value: strip ? value : `${value}\n`, next: i };
}
