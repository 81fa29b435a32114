/**
 * Where each field of a scenario file is: the parsed value and a lookup from a field path to
 * its line and column. The semantic warnings need both (the compiled scenario keeps neither).
 */
import type { Node as YamlNode } from 'yaml';
import { formatPath } from '../errors.js';
import { coreSchema, fastReadable } from '../scenario/document.js';
import { yamlLibraries } from '../scenario/yaml-library.js';
import { CUT, EXPLICIT_NULL, MAPPING, PlainSpots, SCALAR, SEQUENCE } from '../scenario/plain-spots.js';
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
function jsYamlSpots(text: string, depth: number, base: number): { raw: unknown; root: Spot } | undefined {
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

/** js-yaml's tree of spots in the plain reader's form (node 0 its top node; a mapping's children: key, child, key, child...). */
function tabled(root: Spot): PlainSpots {
  const t = new PlainSpots();
  const put = (sp: Spot): number => {
    const id = t.add(sp.start);
    t.end[id] = sp.end;
    t.value[id] = sp.value;
    const kind = sp.kind === 'mapping' ? MAPPING : sp.kind === 'sequence' ? SEQUENCE : SCALAR;
    t.flags[id] = sp.cut ? kind | CUT : kind;
    if (kind !== SCALAR && !sp.cut) {
      const kids: unknown[] = [];
      sp.children.forEach((c, i) => kids.push(kind === MAPPING && i % 2 === 0 ? c.key : put(c)));
      t.kids[id] = kids;
    }
    return id;
  };
  put(root);
  return t;
}

/** Where a node is: the spots that hold it, and its number there. */
interface At {
  spots: PlainSpots;
  id: number;
}

/** The number of children a collection's value has as spots count them (a mapping's keys and values), -1 for a scalar. */
const count = (v: unknown) => (Array.isArray(v) ? v.length : v && typeof v === 'object' ? Object.keys(v).length * 2 : -1);

/** A collection's children, read again from its own text (padded to its column, so that a block collection keeps its indentation). */
function reread(text: string, node: At): At | undefined {
  const { spots, id } = node;
  const start = spots.start[id];
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const slice = ' '.repeat(start - lineStart) + text.slice(start, spots.end[id]);
  // Its column: where its first line's text starts (a value below its key starts on a later line).
  const first = /[^\s]/.exec(slice);
  const column = first ? first.index - (slice.lastIndexOf('\n', first.index - 1) + 1) : 0;
  let sub = readPlainYamlSpots(slice, Infinity, column, lineStart)?.spots;
  if (!sub) {
    const js = jsYamlSpots(slice, Infinity, lineStart)?.root;
    sub = js && tabled(js);
  }
  // The same node: its kind and its number of children (a mapping's keys and values).
  if (!sub || sub.kind(0) !== spots.kind(id) || sub.children(0).length !== count(spots.value[id])) return undefined;
  return { spots: sub, id: 0 };
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
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  // The plain reader's spots where it reads the text (which the test holds to the `yaml` library's
  // value and positions: no need to ask whether js-yaml could), else js-yaml's events.
  const plain = readPlainYamlSpots(text);
  if (!plain && !fastReadable(text)) return undefined;
  let read: { raw: unknown; spots: PlainSpots } | undefined = plain;
  if (!read) {
    const js = jsYamlSpots(text, KEPT_DEPTH, 0);
    read = js && { raw: js.raw, spots: tabled(js.root) };
  }
  if (!read) return undefined;
  const { raw } = read;
  const top: At = { spots: read.spots, id: 0 };
  if (top.spots.kind(0) !== MAPPING) return undefined;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const starts = lineStarts(text);
  const again = new Map<PlainSpots, Map<number, At | null>>();
  let failed = false;
  const locate = (path: FieldPath) => {
    let { spots, id } = top;
    for (const p of path) {
      if (spots.cut(id)) {
        let memo = again.get(spots);
        if (!memo) again.set(spots, (memo = new Map<number, At | null>()));
        let sub = memo.get(id);
        if (sub === undefined) memo.set(id, (sub = reread(text, { spots, id }) ?? null));
        if (!sub) {
          failed = true;
          break;
        }
        ({ spots, id } = sub);
      }
      let next = -1;
      const kind = spots.kind(id);
      const c = spots.children(id);
      if (kind === MAPPING) {
        // The last of equal keys wins, as in the value the loader read.
        for (let i = c.length - 2; i >= 0; i -= 2) {
          if (String(c[i]) === String(p)) {
            next = c[i + 1] as number;
            break;
          }
        }
      } else if (kind === SEQUENCE && typeof p === 'number' && p < c.length) next = c[p] as number;
      if (next < 0) break;
      id = next;
    }
    if (failed) return (slow ??= slowScenarioSource(text, file)).locate(path);
    // An empty value (`key:` and nothing) is where the reader stood, at the end of its key's line.
    const start = spots.start[id];
    const off = spots.kind(id) === SCALAR && spots.value[id] === null && !EXPLICIT_NULL.test(text.slice(start, start + 200)) ? start : skipBlank(text, start);
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
