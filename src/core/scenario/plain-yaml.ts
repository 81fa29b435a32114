/**
 * The plain YAML that scenario files are written in, read in one pass over the characters: block
 * mappings and lists by indentation, lists and mappings in brackets on one line, plain, single-
 * and double-quoted scalars on one line, block scalars (`|` and `>`, plain-block-scalar.ts),
 * comments; the core schema's scalars resolved as the `yaml` library resolves them. Anything else
 * gives up (undefined), and js-yaml reads the file (document.ts: the fast way), else the `yaml`
 * library (the slow way, the authority).
 *
 * Written here rather than taken from a library: js-yaml, the fastest YAML library for Node, takes
 * 60–150 ms of a cold process for a 270 kB file (1,000 units), most of the time `validate` has; this
 * reader, which knows only what a scenario file holds, takes a fraction of that. The test holds it
 * to the `yaml` library's value on every bundled scenario and fixture and on generated documents
 * (test/core/plain-yaml.test.ts).
 */

import { readBlockScalar } from './plain-block-scalar.js';
import { BS, COLON, COMMA, DASH, DQ, GT, HASH, LB, LC, NL, PIPE, RB, RC, SP, SQ } from './plain-chars.js';
import { CUT, EXPLICIT_NULL, MAPPING, PlainSpots, SCALAR, SEQUENCE } from './plain-spots.js';

/** Gives up: the text holds something this reader does not read. */
class Unsupported extends Error {}
const GIVE_UP = new Unsupported();

const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const SPECIAL_FLOAT_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

/** A plain scalar's value under the YAML 1.2 core schema, in the `yaml` library's order of tests (see document.ts CORE_SCHEMA). */
export function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars are names: only a text that can start a number, null or a boolean is tested.
  if ((c >= 48 && c <= 57) || c === DASH || c === 43 || c === 46) {
    if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
    if (INT_RE.test(s)) return parseInt(s, 10);
    if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
    if (SPECIAL_FLOAT_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
    return s;
  }
  if (c === 126 || c === 110 || c === 78) return NULL_RE.test(s) ? null : s;
  if (c === 116 || c === 84 || c === 102 || c === 70) return BOOL_RE.test(s) ? s[0] === 't' || s[0] === 'T' : s;
  return s;
}

/** A character that may not start a plain scalar here (an indicator), but '-' followed by a non-space may. */
function badStart(c: number, next: number): boolean {
  switch (c) {
    case DASH:
      return next === SP || next === NL || next === COMMA || next === LB || next === RB || next === LC || next === RC || Number.isNaN(next);
    case 63: // ?
    case COLON:
    case COMMA:
    case LB:
    case RB:
    case LC:
    case RC:
    case HASH:
    case 38: // &
    case 42: // *
    case 33: // !
    case PIPE:
    case GT:
    case DQ:
    case SQ:
    case 37: // %
    case 64: // @
    case 96: // `
      return true;
    default:
      return false;
  }
}

/** Keys the reader leaves to the libraries: those that do not read as a plain name (a number, null, a boolean) and `__proto__`, `<<`. */
function plainKey(s: string): boolean {
  return typeof resolvePlain(s) === 'string' && s !== '__proto__' && s !== '<<';
}

/** Deepest nesting of block lists and mappings read (a scenario needs about seven; the libraries refuse a file nested too deeply, with a message). */
const MAX_BLOCK_DEPTH = 32;

const kindOf = (v: unknown): number => (Array.isArray(v) ? SEQUENCE : v !== null && typeof v === 'object' ? MAPPING : SCALAR);

class Reader {
  private i = 0;
  private depth = 0;
  /** The spots kept, if any (see PlainSpots). */
  spots?: PlainSpots;
  /** The collection whose children's spots are being kept (-1: none), and its level (the top-level mapping's is 0). */
  cur = -1;
  curLevel = 0;
  /** Collections at levels below this keep their children's spots. */
  keep = 0;
  /** An empty value was found where spots are kept: its position is the libraries' to say. */
  spotless = false;
  private readonly n: number;

  constructor(
    private readonly t: string,
    /** The column the document's top node may start at (a list item's text read again keeps its column). */
    private readonly column = 0,
  ) {
    this.n = t.length;
  }

  /** A child's spot, starting here, as the child of the collection being kept; the child's own children are kept below `keep`. */
  private open(): number {
    const id = this.spots!.add(this.i);
    this.curLevel++;
    this.cur = this.curLevel < this.keep ? id : -1;
    return id;
  }

  /** The child read: its spot completed, ending here, and the parent's collection kept again. */
  private close(parent: number, id: number, v: unknown): void {
    const sp = this.spots!;
    this.cur = parent;
    sp.end[id] = this.i;
    sp.value[id] = v;
    const kind = kindOf(v);
    sp.flags[id] = kind !== SCALAR && this.curLevel >= this.keep ? kind | CUT : kind;
    this.curLevel--;
    if (v === null && !EXPLICIT_NULL.test(this.t.slice(sp.start[id], sp.start[id] + 200))) this.spotless = true;
    (sp.kids[parent] ??= []).push(id);
  }

  /** A key in the collection being kept. */
  private keySpot(parent: number, text: string): void {
    (this.spots!.kids[parent] ??= []).push(text);
  }

  /** The document's value. */
  read(): unknown {
    const col = this.nextLine();
    if (col < 0) throw GIVE_UP;
    if (col !== this.column) throw GIVE_UP;
    const c = this.t.charCodeAt(this.i);
    // Directives and document markers are left to the libraries.
    if (c === 37 || this.t.startsWith('---', this.i) || this.t.startsWith('...', this.i)) throw GIVE_UP;
    if (this.cur >= 0) this.spots!.start[this.cur] = this.i;
    let v: unknown;
    if (c === LB || c === LC) {
      v = this.flow(0);
      this.endLine();
    } else v = this.block(0);
    if (this.nextLine() >= 0) throw GIVE_UP;
    return v;
  }

  /**
   * Moves to the first character of the next line that holds anything but spaces and a comment,
   * from the start of a line (or the end of the text); its column, or -1 at the end of the text.
   */
  private nextLine(): number {
    const t = this.t;
    for (;;) {
      let j = this.i;
      while (j < this.n && t.charCodeAt(j) === SP) j++;
      if (j >= this.n) {
        this.i = this.n;
        return -1;
      }
      const c = t.charCodeAt(j);
      if (c === NL || c === HASH) {
        const e = t.indexOf('\n', j);
        this.i = e < 0 ? this.n : e + 1;
        continue;
      }
      const lineStart = t.lastIndexOf('\n', j - 1) + 1;
      this.i = j;
      return j - lineStart;
    }
  }

  /** The rest of the line holds nothing but spaces and a comment; moves to the next line. */
  private endLine(): void {
    const t = this.t;
    let j = this.i;
    while (j < this.n && t.charCodeAt(j) === SP) j++;
    if (j < this.n) {
      const c = t.charCodeAt(j);
      if (c === HASH) {
        // A comment needs a space before it.
        if (j === this.i && t.charCodeAt(j - 1) !== SP) throw GIVE_UP;
      } else if (c !== NL) throw GIVE_UP;
      const e = t.indexOf('\n', j);
      j = e < 0 ? this.n : e + 1;
    }
    this.i = j;
  }

  /** A block node whose first line starts here, at column `col`. */
  private block(col: number): unknown {
    const t = this.t;
    const c = t.charCodeAt(this.i);
    if (c === DASH) {
      const d = t.charCodeAt(this.i + 1);
      if (d === SP || d === NL || this.i + 1 >= this.n) return this.sequence(col);
    }
    return this.mapping(col);
  }

  /** Whether a block list item starts here ('-' then a space or the line's end). */
  private atItem(): boolean {
    const t = this.t;
    if (t.charCodeAt(this.i) !== DASH) return false;
    const d = t.charCodeAt(this.i + 1);
    return d === SP || d === NL || this.i + 1 >= this.n;
  }

  /** A block list at column `col`, its first '-' here. */
  private sequence(col: number): unknown[] {
    if (++this.depth > MAX_BLOCK_DEPTH) throw GIVE_UP;
    const out: unknown[] = [];
    for (;;) {
      // At a '-' of this list.
      this.i++;
      const parent = this.cur;
      if (parent >= 0) {
        const spot = this.open();
        const v = this.afterIndicator(col, false);
        this.close(parent, spot, v);
        out.push(v);
      } else out.push(this.afterIndicator(col, false));
      const next = this.nextLine();
      // A list may end at its own column, where the mapping holding it goes on.
      if (next < col || (next === col && !this.atItem())) break;
      if (next > col) throw GIVE_UP;
    }
    this.depth--;
    return out;
  }

  /**
   * The value after a list item's '-' or a mapping key's ':' (`fromKey`; at this.i, the indicator
   * just passed), whose node sits at column `col`: on the same line, or a block below it.
   */
  private afterIndicator(col: number, fromKey: boolean): unknown {
    const t = this.t;
    let j = this.i;
    while (j < this.n && t.charCodeAt(j) === SP) j++;
    const c = j < this.n ? t.charCodeAt(j) : NL;
    if (c === NL || c === HASH) {
      if (c === HASH && j === this.i) throw GIVE_UP;
      // The value is on the lines below, indented further (a list may sit at the key's column).
      this.i = j;
      this.endLine();
      const save = this.i;
      const next = this.nextLine();
      if (next > col) return this.block(next);
      // A key's list may sit at the key's own column.
      if (fromKey && next === col && this.atItem()) return this.sequence(col);
      this.i = save;
      return null;
    }
    this.i = j;
    const lineStart = t.lastIndexOf('\n', j - 1) + 1;
    const here = j - lineStart;
    if (c === LB || c === LC) {
      const v = this.flow(0);
      this.endLine();
      return v;
    }
    if (c === PIPE || c === GT) {
      // `|` or `>`: a block scalar, its text on the lines below.
      const b = readBlockScalar(t, j, col);
      if (!b) throw GIVE_UP;
      this.i = b.next;
      return b.value;
    }
    if (c === DQ || c === SQ) {
      const s = this.quoted();
      // A quoted key (`"a": 1`) is left to the libraries.
      this.noKeyAfter();
      this.endLine();
      return s;
    }
    if (c === DASH && (t.charCodeAt(j + 1) === SP || t.charCodeAt(j + 1) === NL)) {
      // `key: - a` is no YAML; `- - a` is a list in a list.
      if (fromKey) throw GIVE_UP;
      return this.sequence(here);
    }
    // A plain scalar, or the first key of a mapping on the item's line (`key: a: b` is no YAML).
    const { text, key } = this.plainInBlock();
    if (key) {
      if (fromKey) throw GIVE_UP;
      this.i = j;
      return this.mapping(here);
    }
    this.endLine();
    return resolvePlain(text);
  }

  /** After a quoted scalar: no ':' that would make it a key. */
  private noKeyAfter(): void {
    let j = this.i;
    while (j < this.n && this.t.charCodeAt(j) === SP) j++;
    if (this.t.charCodeAt(j) === COLON) throw GIVE_UP;
  }

  /**
   * A plain scalar in a block, up to the line's end or a comment; `key` when it is followed by
   * ': ' (or ':' at the line's end), the text then being the key.
   */
  private plainInBlock(): { text: string; key: boolean } {
    const t = this.t;
    const start = this.i;
    if (badStart(t.charCodeAt(start), t.charCodeAt(start + 1))) throw GIVE_UP;
    let j = start;
    let end = start;
    for (; j < this.n; j++) {
      const c = t.charCodeAt(j);
      if (c === NL) break;
      if (c === HASH && t.charCodeAt(j - 1) === SP) break;
      if (c === COLON) {
        const d = t.charCodeAt(j + 1);
        if (d === SP || d === NL || j + 1 >= this.n) {
          this.i = j + 1;
          return { text: t.slice(start, end), key: true };
        }
      }
      if (c !== SP) end = j + 1;
    }
    this.i = end;
    return { text: t.slice(start, end), key: false };
  }

  /** A block mapping at column `col`, its first key here. */
  private mapping(col: number): Record<string, unknown> {
    if (++this.depth > MAX_BLOCK_DEPTH) throw GIVE_UP;
    const out: Record<string, unknown> = {};
    for (;;) {
      const { text, key } = this.plainInBlock();
      if (!key || text === '' || !plainKey(text) || Object.prototype.hasOwnProperty.call(out, text)) throw GIVE_UP;
      const parent = this.cur;
      if (parent >= 0) {
        this.keySpot(parent, text);
        const spot = this.open();
        const v = this.afterIndicator(col, true);
        this.close(parent, spot, v);
        out[text] = v;
      } else out[text] = this.afterIndicator(col, true);
      const next = this.nextLine();
      if (next < col) break;
      if (next > col || this.atItem()) throw GIVE_UP;
    }
    this.depth--;
    return out;
  }

  /** A quoted scalar (on one line), this.i at its opening quote. */
  private quoted(): string {
    const t = this.t;
    const q = t.charCodeAt(this.i);
    const start = this.i + 1;
    if (q === SQ) {
      let s = '';
      let j = start;
      for (;;) {
        const e = t.indexOf("'", j);
        if (e < 0) throw GIVE_UP;
        const nl = t.indexOf('\n', j);
        if (nl >= 0 && nl < e) throw GIVE_UP;
        s += t.slice(j, e);
        if (t.charCodeAt(e + 1) === SQ) {
          s += "'";
          j = e + 2;
          continue;
        }
        this.i = e + 1;
        return s;
      }
    }
    let j = start;
    let escaped = false;
    for (; j < this.n; j++) {
      const c = t.charCodeAt(j);
      if (c === DQ) break;
      if (c === NL) throw GIVE_UP;
      if (c === BS) {
        // JSON's escapes read as YAML's; YAML's others are left to the libraries.
        const d = t[j + 1];
        if (!'"\\/bfnrtu'.includes(d) || d === undefined) throw GIVE_UP;
        escaped = true;
        j++;
      }
    }
    if (j >= this.n) throw GIVE_UP;
    this.i = j + 1;
    const body = t.slice(start, j);
    if (!escaped) return body;
    try {
      return JSON.parse(`"${body}"`) as string;
    } catch {
      throw GIVE_UP;
    }
  }

  /** A list or mapping in brackets, on one line, this.i at its opening bracket. */
  private flow(depth: number): unknown {
    const t = this.t;
    const open = t.charCodeAt(this.i);
    const close = open === LB ? RB : RC;
    this.i++;
    // Only the container this bracket opens is made (a file of thousands of one-line units opens many).
    const list: unknown[] | undefined = open === LB ? [] : undefined;
    const map: Record<string, unknown> | undefined = list ? undefined : {};
    this.flowSpace();
    if (t.charCodeAt(this.i) === close) {
      this.i++;
      return list ?? map;
    }
    const parent = this.cur;
    for (;;) {
      if (list) {
        if (parent >= 0) {
          const spot = this.open();
          const v = this.flowNode(depth, true);
          this.close(parent, spot, v);
          list.push(v);
        } else list.push(this.flowNode(depth, true));
      } else {
        const k = this.flowPlain(true);
        if (k === '' || !plainKey(k) || Object.prototype.hasOwnProperty.call(map!, k)) throw GIVE_UP;
        // flowPlain stopped at ': '.
        this.i++;
        const spot = parent >= 0 ? (this.keySpot(parent, k), this.open()) : -1;
        this.flowSpace();
        const c = t.charCodeAt(this.i);
        const v = c === COMMA || c === close ? null : this.flowNode(depth, false);
        map![k] = v;
        if (spot >= 0) this.close(parent, spot, v);
      }
      this.flowSpace();
      const c = t.charCodeAt(this.i);
      if (c === close) {
        this.i++;
        return list ?? map;
      }
      if (c !== COMMA) throw GIVE_UP;
      this.i++;
      this.flowSpace();
      // A comma before the closing bracket is left to the libraries.
      if (t.charCodeAt(this.i) === close) throw GIVE_UP;
    }
  }

  private flowSpace(): void {
    while (this.i < this.n && this.t.charCodeAt(this.i) === SP) this.i++;
  }

  /** A node inside brackets. `inList`: a plain scalar followed by ':' would be a pair (left to the libraries). */
  private flowNode(depth: number, inList: boolean): unknown {
    const c = this.t.charCodeAt(this.i);
    if (c === LB || c === LC) {
      if (depth > MAX_BLOCK_DEPTH) throw GIVE_UP;
      const v = this.flow(depth + 1);
      if (inList) this.noKeyAfter();
      return v;
    }
    if (c === DQ || c === SQ) {
      const s = this.quoted();
      if (inList) this.noKeyAfter();
      return s;
    }
    const s = this.flowPlain(false);
    if (this.t.charCodeAt(this.i) === COLON) throw GIVE_UP;
    return resolvePlain(s);
  }

  /** A plain scalar inside brackets, up to ',', a bracket, or ': ' (a key: `asKey`, and it must end so). */
  private flowPlain(asKey: boolean): string {
    const t = this.t;
    const start = this.i;
    if (badStart(t.charCodeAt(start), t.charCodeAt(start + 1))) throw GIVE_UP;
    let end = start;
    let j = start;
    for (; j < this.n; j++) {
      const c = t.charCodeAt(j);
      if (c === NL || c === COMMA || c === LB || c === RB || c === LC || c === RC) break;
      if (c === HASH && t.charCodeAt(j - 1) === SP) throw GIVE_UP;
      if (c === COLON) {
        const d = t.charCodeAt(j + 1);
        if (d === SP || d === COMMA || d === RB || d === RC || d === LB || d === LC || d === NL) break;
      }
      if (c !== SP) end = j + 1;
    }
    this.i = end;
    if (asKey) {
      let k = end;
      while (t.charCodeAt(k) === SP) k++;
      if (t.charCodeAt(k) !== COLON || t.charCodeAt(k + 1) !== SP) throw GIVE_UP;
      this.i = k;
    }
    return t.slice(start, end);
  }
}

/** What the reader leaves to the libraries from the start: tabs, carriage returns and other control characters. */
const UNREAD = /[\u0000-\u0009\u000b-\u001f\u007f\u0085\u2028\u2029\ufeff]/;

/**
 * The value of a scenario's text when it is written in the plain YAML this reader knows (see the
 * file's comment); undefined when it is not (the libraries read it).
 */
export function readPlainYaml(text: string): unknown {
  // The spots of the top three levels come almost free, and the warnings that follow a load ask
  // for them (readPlainYamlSpots): the last reading is kept for them.
  const r = readPlainYamlSpots(text);
  if (r) {
    last = { text, read: r };
    return r.raw;
  }
  last = undefined;
  if (UNREAD.test(text)) return undefined;
  try {
    return new Reader(text).read();
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
}

/** The last text readPlainYaml read, with its spots (one, so that what it holds stays bounded). */
let last: { text: string; read: PlainReading } | undefined;

/** A text read with the spots of its nodes (see PlainSpots; node 0 is the top node). */
export interface PlainReading {
  raw: unknown;
  spots: PlainSpots;
}

/**
 * The same, with the spots of its nodes down to `keep` levels (see PlainSpots; 3, the default: the
 * top-level mapping's values, the items of its lists and their fields, where warnings point, so
 * that an item that warns is seldom read again). `column`: the column its top node starts at;
 * `base`: added to every offset (text read again from inside a file). Undefined when the text is
 * not plain or holds an empty value where spots are kept.
 */
export function readPlainYamlSpots(text: string, keep = 3, column = 0, base = 0): PlainReading | undefined {
  if (keep === 3 && column === 0 && base === 0 && last?.text === text) return last.read;
  if (UNREAD.test(text)) return undefined;
  const r = new Reader(text, column);
  const spots = new PlainSpots();
  const root = spots.add(0);
  r.spots = spots;
  r.cur = root;
  r.keep = keep;
  let raw: unknown;
  try {
    raw = r.read();
  } catch (e) {
    if (e instanceof Unsupported || e instanceof RangeError) return undefined;
    throw e;
  }
  if (r.spotless) return undefined;
  spots.end[root] = text.length;
  spots.value[root] = raw;
  spots.flags[root] = kindOf(raw);
  if (base) spots.shift(base);
  return { raw, spots };
}
