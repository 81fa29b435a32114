/**
 * Editing a scenario's YAML text in place. Every change is a splice of the text at the source
 * range the `yaml` library's Document gives for the node concerned, with the new value written
 * by the library in flow style on one line: comments, order, blank lines and the formatting of
 * everything not changed stay byte for byte (re-stringifying the whole Document would re-wrap
 * long lines and re-space flow collections). A file never changed is saved as it was read.
 */
import { isMap, isSeq, parseDocument, stringify, type Document, type Node as YamlNode } from 'yaml';

export type DocPath = readonly (string | number)[];

const FLOW = { collectionStyle: 'flow', flowCollectionPadding: false, lineWidth: 0 } as const;

/** A value on one line, as the yaml library writes it in flow style: `{pos: [38.6, 33.5], t: +1h}`. */
export function flow(v: unknown): string {
  return stringify(v, FLOW).trimEnd();
}

/** Round a coordinate to 5 decimals (about a metre), as written to the file. */
export function coord(x: number): number {
  return Math.round(x * 1e5) / 1e5;
}

function parse(text: string): Document {
  return parseDocument(text, { keepSourceTokens: false, uniqueKeys: false });
}

function nodeAt(doc: Document, path: DocPath): YamlNode | undefined {
  if (path.length === 0) return doc.contents ?? undefined;
  return doc.getIn(path as (string | number)[], true) as YamlNode | undefined;
}

/** The plain value at a path of the text, or undefined. */
export function valueAt(text: string, path: DocPath): unknown {
  const v = parse(text).getIn(path as (string | number)[], false);
  return v && typeof v === 'object' && 'toJSON' in v ? (v as { toJSON(): unknown }).toJSON() : v;
}

/** The whole file as plain data. */
export function toData(text: string): Record<string, unknown> {
  const v = parse(text).toJS() as unknown;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

function lineStart(text: string, off: number): number {
  return text.lastIndexOf('\n', off - 1) + 1;
}

/** The offset just after the line holding the end of `node` (its trailing comment included). */
function afterLine(text: string, end: number): { at: number; text: string } {
  let e = end;
  while (e > 0 && /\s/.test(text[e - 1])) e--;
  const nl = text.indexOf('\n', e);
  if (nl >= 0) return { at: nl + 1, text };
  return { at: text.length + 1, text: `${text}\n` };
}

const splice = (text: string, from: number, to: number, s: string) => text.slice(0, from) + s + text.slice(to);

/**
 * The lines of a block sequence item at `indent`: a mapping's fields one per line, each value in
 * flow style (`- id: u1` / `  track:` / `    - {pos: ...}`), anything else on one line.
 */
export function blockItem(v: unknown, indent: number): string {
  const pad = ' '.repeat(indent);
  if (!v || typeof v !== 'object' || Array.isArray(v)) return `${pad}- ${flow(v)}\n`;
  let out = '';
  let first = true;
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    const lead = first ? `${pad}- ` : `${pad}  `;
    first = false;
    if (Array.isArray(x) && x.length && x.every((e) => e && typeof e === 'object' && !Array.isArray(e))) {
      out += `${lead}${k}:\n`;
      for (const e of x) out += `${pad}    - ${flow(e)}\n`;
    } else out += `${lead}${k}: ${flow(x)}\n`;
  }
  return out;
}

/**
 * Append an item to the sequence at `path`. A top-level sequence that does not exist yet is
 * added at the end of the file; a block sequence gets a new item after its last, at the same
 * indentation; a flow sequence is rewritten on its own span.
 */
export function appendItem(text: string, path: DocPath, item: unknown): string {
  const doc = parse(text);
  const node = nodeAt(doc, path);
  if (!node || (isSeq(node) && node.items.length === 0 && node.flow)) {
    if (node?.range) {
      // An empty flow sequence (`zones: []`): a block sequence in its place.
      const keyLine = lineStart(text, node.range[0]);
      const indent = /^ */.exec(text.slice(keyLine))![0].length;
      return splice(text, node.range[0] - (text[node.range[0] - 1] === ' ' ? 1 : 0), node.range[1], `\n${blockItem(item, indent + 2).trimEnd()}`);
    }
    if (path.length !== 1) throw new Error(`no sequence at ${path.join('.')}`);
    const base = text.length === 0 || text.endsWith('\n') ? text : `${text}\n`;
    return `${base}${String(path[0])}:\n${blockItem(item, 2)}`;
  }
  if (!isSeq(node)) throw new Error(`${path.join('.')} is not a list`);
  if (node.flow || node.items.length === 0) {
    const items = [...node.toJSON(), item];
    return splice(text, node.range![0], node.range![1], flow(items));
  }
  const last = node.items[node.items.length - 1] as YamlNode;
  const ls = lineStart(text, last.range![0]);
  const indent = text.indexOf('-', ls) - ls;
  const after = afterLine(text, last.range![1]);
  // A new item is written as the one before it was: on one line after one-line items.
  const oneLine = (isMap(last) || isSeq(last)) && last.flow;
  return splice(after.text, after.at, after.at, oneLine ? `${' '.repeat(indent)}- ${flow(item)}\n` : blockItem(item, indent));
}

/** Replace the value at `path` (which must exist) by `value`, written in flow style on its span. */
export function replaceValue(text: string, path: DocPath, value: unknown): string {
  const node = nodeAt(parse(text), path);
  if (!node?.range) throw new Error(`nothing at ${path.join('.')}`);
  return splice(text, node.range[0], node.range[1], flow(value));
}

/**
 * Set `key` of the mapping at `path` to `value`: its value replaced where the key exists, else
 * the pair added (inside the braces of a flow mapping, or as a new line of a block one).
 */
export function setField(text: string, path: DocPath, key: string, value: unknown): string {
  const doc = parse(text);
  const map = nodeAt(doc, path);
  if (!isMap(map) || !map.range) throw new Error(`${path.join('.')} is not a mapping`);
  const pair = map.items.find((p) => String((p.key as { value?: unknown } | null)?.value) === key);
  if (pair && (pair.value as YamlNode | null)?.range) return replaceValue(text, [...path, key], value);
  if (map.flow) {
    const close = text.lastIndexOf('}', map.range[1]);
    const inner = text.slice(map.range[0] + 1, close).trim();
    return splice(text, close, close, `${inner ? ', ' : ''}${key}: ${flow(value)}`);
  }
  const last = map.items[map.items.length - 1];
  const k = last.key as YamlNode;
  const ls = lineStart(text, k.range![0]);
  const indent = k.range![0] - ls;
  const after = afterLine(text, (last.value as YamlNode | null)?.range?.[1] ?? k.range![1]);
  return splice(after.text, after.at, after.at, `${' '.repeat(indent)}${key}: ${flow(value)}\n`);
}

/** The number of items of the sequence at `path` (0 when there is none). */
export function countAt(text: string, path: DocPath): number {
  const node = nodeAt(parse(text), path);
  return isSeq(node) ? node.items.length : 0;
}
