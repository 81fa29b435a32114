/**
 * Reading a scenario or MSEL document (YAML or JSON) into plain data, in two ways:
 *
 * - **fast**: the plain reader (./plain-yaml.ts) for the plain YAML scenario files are written
 *   in, else js-yaml with the YAML 1.2 core schema resolved exactly as the `yaml` library
 *   resolves it, and no positions. Used only for text that holds none of the YAML features a data
 *   file refuses or that the two parsers could read differently (tags, anchors, aliases,
 *   directives, complex or collection keys); anything else, and any failure, goes the slow way.
 * - **slow**: the `yaml` library, keeping every node's position, with every check that gives a
 *   precise message (nesting, aliases, tags, collection keys, directives).
 *
 * The slow way is the authority: the loader compiles the fast result, and when anything is wrong
 * it starts again from the slow one, so messages are the same whichever way the text was read.
 * A Locator finds positions by parsing the slow way only when a position is first asked for.
 * Both libraries are loaded only when used (./yaml-library.ts): the plain reader needs neither.
 */
import type { Schema, Type } from 'js-yaml';
import type { Document, LineCounter, Node as YamlNode } from 'yaml';
import { formatPath, ScenarioError } from '../errors.js';
import { readPlainYaml } from './plain-yaml.js';
import { yamlLibraries } from './yaml-library.js';

export type Path = (string | number)[];

/** Most aliases a file may use (an alias bomb is refused quickly). */
export const MAX_ALIASES = 200;
/** Deepest nesting of lists and mappings a file may have (a scenario needs about seven). */
export const MAX_DEPTH = 100;

export interface DocumentKind {
  /** 'a scenario' or 'a MSEL'. */
  what: string;
  /** 'scenario files' or 'MSEL files'. */
  files: string;
  /** Hint for an empty file. */
  emptyHint: string;
}

const fail = (file: string, message: string, hint?: string) => new ScenarioError({ file, line: 1, column: 1, field: '', message, hint });

/** Decode input bytes as UTF-8 text; refuses UTF-16, binary data, invalid UTF-8 and empty files. */
export function decodeDocument(input: string | Uint8Array, file: string, kind: DocumentKind): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) throw fail(file, 'the file is UTF-16 text', 'save it as UTF-8');
    if (input.includes(0)) throw fail(file, 'this is not a text file (it contains NUL bytes)', `${kind.what} is a YAML or JSON text file`);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw fail(file, 'the file is not valid UTF-8 text', 'save it as UTF-8');
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // Whether anything but white space is there, found without trim()'s copy of the whole text.
  if (!/\S/.test(text)) throw fail(file, 'the file is empty', kind.emptyHint);
  return text;
}

/** Line and column (from 1) of an offset, without a LineCounter. */
function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}

function errorAt(file: string, text: string, offset: number, message: string, hint?: string): ScenarioError {
  const at = lineCol(text, Math.max(0, Math.min(offset, text.length)));
  return new ScenarioError({ file, line: at.line, column: at.column, field: '', message, hint });
}

/** Checks on the text itself that come before either parser (both recurse into nesting). */
function checkText(text: string, file: string, kind: DocumentKind): void {
  const deep = deepBracket(text);
  if (deep !== undefined) throw errorAt(file, text, deep, 'the file nests lists and mappings too deeply', `${kind.files} nest a few levels at most`);
}

/** Where flow brackets first nest MAX_DEPTH deep (outside quotes and comments), so that the message does not depend on the stack size. */
function deepBracket(text: string): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const end = text.indexOf('\n', i);
      if (end < 0) return undefined;
      i = end;
    } else if (c === '[' || c === '{') {
      if (++depth >= MAX_DEPTH) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

// ------------------------------------------------------------------ the fast way

// The YAML 1.2 core schema's scalars, tested in the order and with the patterns of the `yaml`
// library (yaml/dist/schema/core), so that both ways give the same values. (js-yaml keeps one
// type per tag, so the forms of a tag are tested in one type.) Most scalars of a large file are
// numbers and names: a form is tested only when the text can start as it does, and js-yaml,
// which calls `construct` right after `resolve` with the same text, is given the form found.
const forms = (tag: string, starts: string, list: [RegExp, (s: string) => unknown][]): Type => {
  let lastText: string | undefined;
  let lastForm = -1;
  return new (yamlLibraries().jsYaml.Type)(tag, {
    kind: 'scalar',
    resolve: (s: string | null) => {
      if (s === null || (s.length > 0 && !starts.includes(s[0]))) return false;
      for (let i = 0; i < list.length; i++) {
        if (list[i][0].test(s)) {
          lastText = s;
          lastForm = i;
          return true;
        }
      }
      return false;
    },
    construct: (s: string) => list[s === lastText ? lastForm : list.findIndex(([re]) => re.test(s))][1](s),
  });
};
const DIGITS = '0123456789';
let coreSchemaMemo: Schema | undefined;
/** js-yaml's schema resolving scalars as the `yaml` library's YAML 1.2 core schema does (built on first use). */
export function coreSchema(): Schema {
  return (coreSchemaMemo ??= yamlLibraries().jsYaml.FAILSAFE_SCHEMA.extend({
    implicit: [
      forms('tag:yaml.org,2002:null', '~nN', [[/^(?:~|[Nn]ull|NULL)?$/, () => null]]),
      forms('tag:yaml.org,2002:bool', 'tTfF', [[/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (s) => s[0] === 't' || s[0] === 'T']]),
      forms('tag:yaml.org,2002:int', `${DIGITS}+-`, [
        [/^0o[0-7]+$/, (s) => parseInt(s.substring(2), 8)],
        [/^[-+]?[0-9]+$/, (s) => parseInt(s, 10)],
        [/^0x[0-9a-fA-F]+$/, (s) => parseInt(s.substring(2), 16)],
      ]),
      forms('tag:yaml.org,2002:float', `${DIGITS}+-.`, [
        [
          /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
          (s) => (s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY),
        ],
        [/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/, (s) => parseFloat(s)],
        [/^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/, (s) => parseFloat(s)],
      ]),
    ],
  }));
}

/**
 * Text the fast way may not read: a tag, anchor or alias indicator where a node can start, a
 * directive, a complex key (`? `), or a list or mapping used as a key. Deliberately wider than
 * YAML's grammar (an '&' in a sentence also matches): what matches is read the slow way.
 */
const SLOW_ONLY = /(?:^|[\s[\]{},:?\-\uFEFF])[!&*]|^\uFEFF?%|(?:^|[\s[{,])\?(?:\s|$)|[\]}]\s*:/m;

/**
 * Whether a flow collection or a quoted scalar goes on past the end of its line. The two parsers
 * differ on how such continuation lines must be indented, so such text is read the slow way.
 * Each line is scanned on its own (block scalar content too, which at worst sends a file the slow
 * way for nothing): a quote or bracket opens only where a node starts.
 */
function spansLines(text: string): boolean {
  const n = text.length;
  let i = 0;
  while (i < n) {
    let depth = 0;
    let atStart = true;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) break;
      if (c === 32 || c === 9 || c === 13) continue;
      if (c === 35 /* # */ && (i === 0 || /\s/.test(text[i - 1]))) {
        const e = text.indexOf('\n', i);
        i = e < 0 ? n : e;
        break;
      }
      if (atStart) {
        if (c === 34 /* " */) {
          let j = i + 1;
          for (; j < n && text.charCodeAt(j) !== 10; j++) {
            const d = text.charCodeAt(j);
            if (d === 92 /* \ */) j++;
            else if (d === 34) break;
          }
          if (j >= n || text.charCodeAt(j) !== 34) return true;
          i = j;
          atStart = false;
          continue;
        }
        if (c === 39 /* ' */) {
          let j = i + 1;
          for (; j < n && text.charCodeAt(j) !== 10; j++) {
            if (text.charCodeAt(j) === 39) {
              if (text.charCodeAt(j + 1) === 39) j++;
              else break;
            }
          }
          if (j >= n || text.charCodeAt(j) !== 39) return true;
          i = j;
          atStart = false;
          continue;
        }
        if (c === 91 || c === 123 /* [ { */) {
          depth++;
          continue;
        }
        if (c === 45 /* - */ && (i + 1 >= n || /\s/.test(text[i + 1]))) continue;
        atStart = false;
      }
      if (depth > 0) {
        if (c === 44 /* , */) atStart = true;
        else if (c === 93 || c === 125 /* ] } */) depth--;
        else if (c === 91 || c === 123) {
          depth++;
          atStart = true;
        } else if (c === 58 /* : */ && (i + 1 >= n || /[\s,[\]{}]/.test(text[i + 1]))) atStart = true;
      } else if (c === 58 && (i + 1 >= n || /\s/.test(text[i + 1]))) atStart = true;
    }
    if (depth > 0) return true;
    i++;
  }
  return false;
}

/** The document's data the fast way, or undefined when it must be read the slow way. */
/** Whether text may be read the fast way at all (none of the features only the slow way reads). */
export function fastReadable(text: string): boolean {
  return !(SLOW_ONLY.test(text) || spansLines(text));
}

export function readFast(text: string): Record<string, unknown> | undefined {
  if (!fastReadable(text)) return undefined;
  try {
    const v = yamlLibraries().jsYaml.load(text, { schema: coreSchema(), json: false });
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

// ------------------------------------------------------------------ the slow way

interface Parsed {
  doc: Document;
  lc: LineCounter;
}

/** Parse with positions, refusing what no input file may hold; throws ScenarioError. */
function parseSlow(text: string, file: string, kind: DocumentKind): Parsed & { raw: unknown } {
  checkText(text, file, kind);
  const { Composer, LineCounter, Parser } = yamlLibraries().yaml;
  const lc = new LineCounter();
  const at = (offset: number, message: string, hint?: string) => {
    const pos = lc.linePos(Math.max(0, Math.min(offset, text.length)));
    return new ScenarioError({ file, line: pos.line, column: pos.col, field: '', message, hint });
  };
  // The parser keeps its own stack; the composer recurses, so nesting is measured on the
  // parser's tokens first (block lists, mappings and complex keys as well as brackets).
  const tokens = Array.from(new Parser(lc.addNewLine).parse(text));
  const deep = deepToken(tokens);
  if (deep !== undefined) throw at(deep, 'the file nests lists and mappings too deeply', `${kind.files} nest a few levels at most`);
  const options = {
    uniqueKeys: true,
    prettyErrors: false,
    strict: true,
    customTags: [],
    resolveKnownTags: false,
    keepSourceTokens: false,
    version: '1.2' as const,
  };
  let doc: Document | null = null;
  for (const d of new Composer(options).compose(tokens, true, text.length)) {
    if (!doc) doc = d;
    else {
      doc.errors.push({ code: 'MULTIPLE_DOCS', pos: d.range.slice(0, 2), message: 'multiple documents' } as unknown as Document['errors'][number]);
      break;
    }
  }
  if (!doc) throw fail(file, 'the file is empty', kind.emptyHint);
  const first = doc.errors[0];
  if (first) {
    const msg = first.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    if (first.code === 'DUPLICATE_KEY') throw at(first.pos[0], 'a key appears twice in the same mapping', 'remove or rename one of them');
    if (first.code === 'MULTIPLE_DOCS')
      throw at(first.pos[0], "the file holds more than one YAML document (a second '---')", `${kind.what} is one document; remove the '---' line`);
    if (first.code === 'RESOURCE_EXHAUSTION') throw at(first.pos[0], 'the file nests lists and mappings too deeply', `${kind.files} nest a few levels at most`);
    throw at(first.pos[0], `malformed ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${msg}`);
  }
  // A %YAML 1.1 directive would turn on merge keys, !!binary and sexagesimal numbers.
  const version = (doc.directives as unknown as { yaml?: { version?: string; explicit?: boolean } } | undefined)?.yaml;
  if (version?.explicit && version.version !== '1.2') {
    const m = /^%YAML\b/m.exec(text);
    throw at(
      m?.index ?? 0,
      `the file asks for YAML ${version.version} (%YAML ${version.version})`,
      `${kind.files} are read as YAML 1.2; remove the %YAML line`,
    );
  }
  // Tags could ask a YAML library to build objects: none is resolved, and any tag refuses the file.
  const tagWarning = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' || /tag/i.test(w.message));
  if (tagWarning) {
    const tag = /^!\S*/.exec(text.slice(tagWarning.pos[0], tagWarning.pos[0] + 80))?.[0];
    throw at(tagWarning.pos[0], `custom YAML tags are not allowed${tag ? ` ('${tag.slice(0, 40)}')` : ''}`, `remove the tag; ${kind.files} hold plain data`);
  }
  if (doc.contents === null) throw at(0, 'the file is empty (it holds only comments)', kind.emptyHint);
  checkNodes(doc, at);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    // checkNodes refuses every file this could refuse; this is a backstop.
    throw at(0, 'the file expands too many YAML aliases', `at most ${MAX_ALIASES} alias uses are allowed`);
  }
  return { doc, lc, raw };
}

/** Offset of the first parser token nested MAX_DEPTH collections deep, walked with a stack of its own. */
function deepToken(tokens: unknown[]): number | undefined {
  type Tok = { type?: string; offset?: number; items?: { key?: unknown; value?: unknown; start?: unknown[] }[]; value?: unknown };
  const stack: [Tok, number][] = [];
  for (const t of tokens) stack.push([t as Tok, 0]);
  while (stack.length) {
    const [t, depth] = stack.pop()!;
    if (!t || typeof t !== 'object') continue;
    if (t.type === 'document') {
      stack.push([t.value as Tok, depth]);
      continue;
    }
    if (!Array.isArray(t.items)) continue;
    const d = depth + 1;
    if (d >= MAX_DEPTH) return t.offset ?? 0;
    for (const it of t.items) {
      if (it.key) stack.push([it.key, d]);
      if (it.value) stack.push([it.value, d]);
    }
  }
  return undefined;
}

/**
 * Refuse aliases that point nowhere or into themselves, alias bombs (every alias use counts with
 * the aliases inside what it repeats; at most MAX_ALIASES uses), and lists or mappings used as
 * keys. Runs over the document's nodes once (memoised), before anything expands them.
 */
function checkNodes(doc: Document, at: (offset: number, message: string, hint?: string) => ScenarioError): void {
  const { isAlias, isMap, isPair, isSeq } = yamlLibraries().yaml;
  const uses = new Map<unknown, number>();
  const open = new Set<unknown>();
  let total = 0;
  const count = (node: unknown, top: boolean): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const where = node.range?.[0] ?? 0;
      if (!target)
        throw at(
          where,
          `the alias '*${node.source.slice(0, 40)}' refers to no anchor before it`,
          `define &${node.source.slice(0, 40)} earlier in the file, or write the value out`,
        );
      if (open.has(target)) throw at(where, `the alias '*${node.source.slice(0, 40)}' refers to the node it is inside`, 'a value cannot contain itself');
      const n = 1 + count(target, false);
      if (top) {
        total += n;
        if (total > MAX_ALIASES)
          throw at(
            where,
            `YAML aliases here expand the file too far (${total > 1e6 ? 'over a million' : total} alias uses)`,
            `at most ${MAX_ALIASES} alias uses are allowed; write the values out`,
          );
      }
      return n;
    }
    if (!isMap(node) && !isSeq(node) && !isPair(node)) return 0;
    if (isPair(node) && (isMap(node.key) || isSeq(node.key))) {
      throw at((node.key as YamlNode).range?.[0] ?? 0, 'a list or mapping is used as a key', 'keys are plain names, such as title:');
    }
    const memo = uses.get(node);
    if (memo !== undefined && !top) return memo;
    open.add(node);
    let n = 0;
    const items: unknown[] = isPair(node) ? [node.key, node.value] : (node.items as unknown[]);
    for (const it of items) n = Math.min(1e9, n + count(it, top));
    open.delete(node);
    uses.set(node, n);
    return n;
  };
  count(doc.contents, true);
}

// ------------------------------------------------------------------ positions

/** Thrown by a fast reading's Locator: a position is needed, so the file must be read the slow way. */
export class NeedsPositions extends Error {
  constructor() {
    super('positions are needed: read the file again with them');
  }
}

/** Knows where every node of the document is (after a slow reading; a fast one throws NeedsPositions). */
export class Locator {
  private parsed?: Parsed;

  constructor(
    readonly file: string,
    source?: Parsed,
  ) {
    this.parsed = source;
  }

  private get doc(): Parsed {
    // The fast way keeps no positions: asking for one means a message is due, and the loader
    // reads the file again the slow way to give it.
    if (!this.parsed) throw new NeedsPositions();
    return this.parsed;
  }

  /** Offset of the node at `path` (or of its key when `key` is set), falling back to the deepest parent found. */
  offset(path: Path, key = false): number {
    const { isMap, isPair, isScalar, isSeq } = yamlLibraries().yaml;
    let node: unknown = this.doc.doc.contents;
    let off = (node as YamlNode | null)?.range?.[0] ?? 0;
    for (let i = 0; i < path.length; i++) {
      const p = path[i];
      if (isMap(node)) {
        const pair = node.items.find((it) => isScalar(it.key) && String(it.key.value) === String(p));
        if (!pair) return off;
        if (key && i === path.length - 1 && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
        node = pair.value;
        const r = (pair.value as YamlNode | null)?.range ?? (pair.key as YamlNode | null)?.range;
        if (r) off = r[0];
      } else if (isSeq(node) && typeof p === 'number') {
        const item = node.items[p];
        if (item === undefined) return off;
        node = isPair(item) ? item.value : item;
        const r = (node as YamlNode | null)?.range;
        if (r) off = r[0];
      } else return off;
    }
    return off;
  }

  /** An error at the node at `path`; `field` names the field when it differs (a missing field is reported at its parent). */
  error(path: Path, message: string, hint?: string, key = false, field: Path = path): ScenarioError {
    const pos = this.doc.lc.linePos(this.offset(path, key));
    return new ScenarioError({ file: this.file, line: pos.line, column: pos.col, field: formatPath(field), message, hint });
  }
}

/** A document read one way: its data, and where its nodes are. */
export interface ReadDocument {
  raw: unknown;
  loc: Locator;
  /** Whether it was read the fast way (positions found only when asked for). */
  fast: boolean;
}

/** Read the fast way when the text allows it (the plain reader first, then js-yaml); undefined otherwise. */
export function readDocumentFast(text: string, file: string): ReadDocument | undefined {
  if (deepBracket(text) !== undefined) return undefined;
  const plain = readPlainYaml(text);
  const raw = plain !== null && typeof plain === 'object' && !Array.isArray(plain) ? (plain as Record<string, unknown>) : readFast(text);
  return raw === undefined ? undefined : { raw, loc: new Locator(file), fast: true };
}

/** Read the slow way, with positions; throws ScenarioError for what no input file may hold. */
export function readDocumentSlow(text: string, file: string, kind: DocumentKind): ReadDocument {
  const { doc, lc, raw } = parseSlow(text, file, kind);
  return { raw, loc: new Locator(file, { doc, lc }), fast: false };
}

/** NaN, Infinity and numbers beyond any sane magnitude are refused wherever they appear. */
export function checkNumbers(
  loc: Locator,
  root: unknown,
  report: (e: ScenarioError) => void = (e) => {
    throw e;
  },
): void {
  const path: Path = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) report(loc.error([...path], `${v} is not a usable number`, 'write a finite number'));
      else if (Math.abs(v) > 1e12) report(loc.error([...path], `${v} is too large`, 'numbers in a scenario stay below 1e12'));
      return;
    }
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const x = v[i];
        if (x === null || (typeof x !== 'number' && typeof x !== 'object')) continue;
        path.push(i);
        walk(x);
        path.pop();
      }
    } else {
      for (const k in v as Record<string, unknown>) {
        if (!Object.prototype.hasOwnProperty.call(v, k)) continue;
        path.push(k);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(root);
}
