/**
 * Where each field of a scenario file is: the parsed value and a lookup from a field path to
 * its line and column. The semantic warnings need both (the compiled scenario keeps neither).
 */
import type { Node as YamlNode } from 'yaml';
import { formatPath } from '../errors.js';
import { coreSchema, fastReadable } from '../scenario/document.js';
import { yamlLibraries } from '../scenario/yaml-library.js';
import { readPlainYamlSpots } from '../scenario/plain-yaml.js';

export type FieldPath = readonly (string | number)[];

export interface ScenarioSource {
  file: string;
  /** The file's value, as plain data. */
  raw: unknown;
  /** Line and column (1-based) of the value at `path`, or of its deepest parent that exists. */
  locate(path: FieldPath): { line: number; column: number };
}

/** A node as the fast reader saw it: where it starts, and its children in order (a mapping's alternate key, value). */
interface Spot {
  start: number;
  /** Where it ends (for a collection whose children were not kept). */
  end: number;
  kind: 'mapping' | 'sequence' | 'scalar' | null;
  key?: unknown;
  value?: unknown;
  children: Spot[];
  /** A collection whose children were not kept (deeper than the first pass keeps): read again when a path goes into it. */
  cut?: boolean;
}

/** Index of the first character at or after `i` that is not a space, a line break or a comment. */
function skipBlank(text: string, i: number): number {
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) i++;
    else if (c === 0x23) {
      const nl = text.indexOf('\n', i);
      if (nl < 0) return text.length;
      i = nl + 1;
    } else return i;
  }
}

/**
 * How deep (in js-yaml's node events) the first pass keeps nodes: the top-level lists' items (a
 * unit, a zone) and no deeper. Keeping every node costs about as much again as reading the file;
 * a path into an item reads that item's text again, when a warning is there.
 */
const KEPT_DEPTH = 4;

/**
 * The tree of node starts js-yaml's events give for `text`, nodes deeper than `depth` left out;
 * undefined when the events do not pair up (the slow way answers). `base` is added to every offset.
 */
function spots(text: string, depth: number, base: number): { raw: unknown; root: Spot } | undefined {
  const stack: Spot[] = [{ start: 0, end: 0, kind: null, children: [] }];
  let broken = false;
  let level = 0;
  const listener = (event: 'open' | 'close', state: { position: number; kind: string | null; result: unknown }) => {
    if (event === 'open') {
      if (++level <= depth) stack.push({ start: base + state.position, end: 0, kind: null, children: [] });
      return;
    }
    if (level-- > depth) return;
    let spot = stack.pop()!;
    spot.kind = state.kind === 'mapping' || state.kind === 'sequence' ? state.kind : 'scalar';
    spot.value = state.result;
    spot.end = base + state.position;
    if (level + 1 === depth && spot.kind !== 'scalar') spot.cut = true;
    // A collection read in a block context is announced twice, the outer node holding only the
    // inner one (the same value): keep the inner.
    if (spot.kind !== 'scalar' && spot.children.length === 1 && spot.children[0].value === spot.value) spot = spot.children[0];
    if (spot.kind === 'scalar') spot.key = state.result;
    if (spot.kind === 'mapping' && !spot.cut && spot.children.length % 2 !== 0) broken = true;
    stack[stack.length - 1].children.push(spot);
  };
  let raw: unknown;
  try {
    raw = yamlLibraries().jsYaml.load(text, { schema: coreSchema(), json: false, listener });
  } catch {
    return undefined;
  }
  const root = stack[0].children[0];
  if (broken || !root) return undefined;
  return { raw, root };
}

/** A collection's children, read again from its own text (padded to its column, so that a block collection keeps its indentation). */
function reread(text: string, node: Spot): Spot | undefined {
  const lineStart = text.lastIndexOf('\n', node.start - 1) + 1;
  const slice = ' '.repeat(node.start - lineStart) + text.slice(node.start, node.end);
  // Its column: where its first line's text starts (a value below its key starts on a later line).
  const first = /[^\s]/.exec(slice);
  const column = first ? first.index - (slice.lastIndexOf('\n', first.index - 1) + 1) : 0;
  const sub = (readPlainYamlSpots(slice, Infinity, column, lineStart)?.root as Spot | undefined) ?? spots(slice, Infinity, lineStart)?.root;
  // The same node: its kind and its number of children (a mapping's keys and values).
  const count = (v: unknown) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length * 2 : -1);
  if (!sub || sub.kind !== node.kind || sub.children.length !== count(node.value)) return undefined;
  return sub;
}

/**
 * The fast way to the same positions: js-yaml's node events (an "open" where each node starts, a
 * "close" with its kind and value) give a tree of starts in one pass, several times faster than
 * composing the `yaml` library's document (3.8 s of CPU for a 20,000-unit file). The tree stops at
 * the top-level lists' items; a path into an item reads the item's own text again. Used only for
 * text the loader itself reads the fast way (`readFast`: no tags, anchors, directives or keys that
 * are collections); a mapping whose events do not pair up into keys and values gives up, and the
 * slow way answers. The test holds both ways to the same line and column for every field of every
 * bundled scenario and fixture.
 */
export function fastScenarioSource(text: string, file: string): ScenarioSource | undefined {
  // js-yaml drops a byte-order mark before counting positions; the slow way counts it.
  if (text.charCodeAt(0) === 0xfeff || !fastReadable(text)) return undefined;
  // The plain reader's spots where it reads the text, else js-yaml's events.
  const read = readPlainYamlSpots(text) ?? spots(text, KEPT_DEPTH, 0);
  if (!read) return undefined;
  const { raw } = read;
  const root = read.root;
  if (root.kind !== 'mapping') return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const starts = lineStarts(text);
  const again = new Map<Spot, Spot | null>();
  let failed = false;
  const locate = (path: FieldPath) => {
    let node: Spot = root;
    for (const p of path) {
      if (node.cut) {
        let sub = again.get(node);
        if (sub === undefined) again.set(node, (sub = reread(text, node) ?? null));
        if (!sub) {
          failed = true;
          break;
        }
        node = sub;
      }
      let next: Spot | undefined;
      if (node.kind === 'mapping') {
        const c = node.children;
        // The last of equal keys wins, as in the value the loader read.
        for (let i = c.length - 2; i >= 0; i -= 2) {
          if (String(c[i].key) === String(p)) {
            next = c[i + 1];
            break;
          }
        }
      } else if (node.kind === 'sequence' && typeof p === 'number') next = node.children[p];
      if (!next) break;
      node = next;
    }
    if (failed) return (slow ??= slowScenarioSource(text, file)).locate(path);
    // An empty value (`key:` and nothing) is where the reader stood, at the end of its key's line.
    const off =
      node.kind === 'scalar' &&
      node.key === null &&
      !/^[\s]*(?:#[^\n]*\n[\s]*)*(?:~|null|Null|NULL)(?![^\s,\]}])/.test(text.slice(node.start, node.start + 200))
        ? node.start
        : skipBlank(text, node.start);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= off) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: off - starts[lo] + 1 };
  };
  let slow: ScenarioSource | undefined;
  return { file, raw, locate };
}

function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** Parse a scenario's text (YAML or JSON) keeping node positions: the fast way where it can, else the `yaml` library. */
export function scenarioSource(text: string, file: string): ScenarioSource {
  return fastScenarioSource(text, file) ?? slowScenarioSource(text, file);
}

/** Positions from the `yaml` library's document: the authority, for any text. */
export function slowScenarioSource(text: string, file: string): ScenarioSource {
  const { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } = yamlLibraries().yaml;
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: false, uniqueKeys: false });
  const raw = doc.toJS({ maxAliasCount: 200 }) as unknown;
  const locate = (path: FieldPath) => {
    let node: unknown = doc.contents;
    let off = (node as YamlNode | null)?.range?.[0] ?? 0;
    for (const p of path) {
      let next: unknown;
      if (isMap(node)) next = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p))?.value;
      else if (isSeq(node) && typeof p === 'number') {
        const item = node.items[p];
        next = isPair(item) ? item.value : item;
      }
      const r = (next as YamlNode | null | undefined)?.range;
      if (!r) break;
      off = r[0];
      node = next;
    }
    const pos = lc.linePos(off);
    return { line: pos.line, column: pos.col };
  };
  return { file, raw, locate };
}

/** The one line a warning prints: `file:line:column: warning: field: message (hint)`. */
export function warningLine(
  src: Pick<ScenarioSource, 'file' | 'locate'>,
  path: FieldPath,
  message: string,
  hint?: string,
): { file: string; line: number; column: number; field: string; message: string } {
  const { line, column } = src.locate(path);
  const field = formatPath(path);
  return { file: src.file, line, column, field, message: warningText(src.file, line, column, field, message, hint) };
}

/** The text of that line, from where the warning is. */
export function warningText(file: string, line: number, column: number, field: string, message: string, hint?: string): string {
  return `${file}:${line}:${column}: warning: ${field}: ${message}${hint ? ` (${hint})` : ''}`;
}
