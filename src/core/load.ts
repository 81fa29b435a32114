/**
 * Loading a scenario: read the file, parse YAML (or JSON) keeping every node's position,
 * check it against the schema, check what needs the whole file, and compile the model.
 * Every problem becomes one ScenarioError naming file:line:column, the field and a hint.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import { didYouMean, formatPath, ScenarioError } from './errors.js';
import { geodesicDistance } from './geo/geodesic.js';
import { CircleZone, LineZone, PolygonZone } from './geo/zones.js';
import { DEFAULT_DOCTRINE, DEFAULT_LADDER, DEFAULT_THREAT_WEIGHTS } from './ladder.js';
import type { Condition, Doctrine, Expectation, Inject, RungSpec, Scenario, ScenarioWarning, Site, Unit, Zone } from './model.js';
import { parsePosition, type LonLat } from './position.js';
import { COMPOSITION_KEYS, CONDITIONS, INJECT_TYPES, mselSchema, RUNGS, scenarioSchema, type RawInject, type RawScenario } from './schema.js';
import { makeTrack } from './track.js';
import { shapeFromRef, trackFromRef, type RefContext } from '../io/refs.js';
import type { GeoData } from '../io/geodata.js';
import { DISTANCE_PATTERN, DURATION_PATTERN, formatDuration, formatTime, parseDistance, parseDuration, parseSpeed, parseTime, SPEED_PATTERN, TIME_PATTERN } from './units.js';

/**
 * Largest scenario file read, in bytes. Parsing YAML with positions takes about 150 times the
 * file's size in memory; long recorded tracks belong in track files (track: {file: ...}).
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Most units a scenario may have. */
export const MAX_UNITS = 20_000;
/** Most track points (waypoints and recorded fixes, over all units) a scenario may have. */
export const MAX_TRACK_POINTS = 1_000_000;
/** Longest gap between recorded fixes that a unit is moved across in a straight line, unless the track sets max_gap. */
export const DEFAULT_MAX_GAP = 10 * 60_000;
/** Longest distance a scenario may give (half the Earth's circumference is about 20 004 km). */
export const MAX_DISTANCE = 20_000_000;
/** Most aliases a file may use (an alias bomb is refused quickly). */
export const MAX_ALIASES = 200;

type Path = (string | number)[];

const DEFAULT_TICK = 10_000;
const DEFAULT_APPROACH = 10_000;
const DEFAULT_HYSTERESIS = 250;

/** Knows where every node of the document is. */
class Locator {
  constructor(
    readonly file: string,
    private readonly doc: Document,
    private readonly lc: LineCounter,
  ) {}

  /** Offset of the node at `path` (or of its key when `key` is set), falling back to the deepest parent found. */
  offset(path: Path, key = false): number {
    let node: unknown = this.doc.contents;
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
    const pos = this.lc.linePos(this.offset(path, key));
    return new ScenarioError({ file: this.file, line: pos.line, column: pos.col, field: formatPath(field), message, hint });
  }
}

const KIND_BY_PATTERN: Record<string, { what: string; example: string }> = {
  [DISTANCE_PATTERN]: { what: 'a distance', example: 'e.g. 55km, 250m or 3nm' },
  [DURATION_PATTERN]: { what: 'a duration', example: 'e.g. 10s, 15m or 1h30m' },
  [SPEED_PATTERN]: { what: 'a speed', example: 'e.g. 40km/h, 12m/s or 20kn' },
  [TIME_PATTERN]: { what: 'an ISO 8601 UTC time', example: 'e.g. 2017-05-18T09:00:00Z, or +1h30m after the start' },
};

/** What a field holds, by its name, for messages about wrong types. */
function fieldKind(field: string): { what: string; example: string } | undefined {
  if (['tick', 'wait', 'hold', 'dwell_time'].includes(field)) return KIND_BY_PATTERN[DURATION_PATTERN];
  if (['start', 'end', 't', 'before', 'after'].includes(field)) return KIND_BY_PATTERN[TIME_PATTERN];
  if (['radius', 'approach', 'hysteresis', 'noise', 'intent_distance', 'withdraw_distance', 'dwell_radius', 'edge_margin'].includes(field)) return KIND_BY_PATTERN[DISTANCE_PATTERN];
  if (field === 'speed') return KIND_BY_PATTERN[SPEED_PATTERN];
  return undefined;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return `${typeof v} ${String(v)}`;
}

function valueAt(root: unknown, path: Path): unknown {
  let v = root;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[p];
  }
  return v;
}

/** Known keys of the object schema at a path, for "did you mean". */
function knownKeysAt(path: Path, raw: unknown, root: z.ZodType): string[] {
  const schema: z.ZodType | undefined = root;
  const walk = (s: z.ZodType | undefined, p: Path, idx: number): string[] => {
    if (!s) return [];
    const def = (s as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    const type = def.type as string;
    if (type === 'optional' || type === 'nullable' || type === 'default') return walk(def.innerType as z.ZodType, p, idx);
    if (type === 'union') {
      const opts = def.options as z.ZodType[];
      const v = valueAt(raw, path.slice(0, idx));
      for (const o of opts) {
        const odef = (o as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
        if (odef.type === 'object') {
          const shape = odef.shape as Record<string, z.ZodType>;
          const disc = shape.type as unknown as { _zod: { def: { values?: unknown[] } } } | undefined;
          const tv = v && typeof v === 'object' ? (v as Record<string, unknown>).type : undefined;
          if (disc?._zod?.def?.values && tv !== undefined && !disc._zod.def.values.includes(tv)) continue;
          const r = walk(o, p, idx);
          if (r.length) return r;
        } else if (odef.type === 'array' && Array.isArray(v)) return walk(o, p, idx);
      }
      return [];
    }
    if (idx === p.length) return type === 'object' ? Object.keys(def.shape as object) : [];
    if (type === 'object') return walk((def.shape as Record<string, z.ZodType>)[String(p[idx])], p, idx + 1);
    if (type === 'array') return walk(def.element as z.ZodType, p, idx + 1);
    return [];
  };
  return walk(schema, path, 0);
}

interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  input?: unknown;
  keys?: string[];
  values?: unknown[];
  expected?: string;
  pattern?: string;
  format?: string;
  minimum?: number | bigint;
  origin?: string;
  errors?: Issue[][];
  note?: string;
  discriminator?: string;
  options?: unknown[];
}

/** Pick the most telling issue of a union: the branch that got furthest. */
function unwrapUnion(issue: Issue, raw?: unknown): Issue {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return issue;
  // Issues inside a union's branches have paths relative to the union.
  const branches = issue.errors.filter((b) => b.length > 0).map((b) => b.map((i) => ({ ...i, path: [...issue.path, ...i.path] })));
  const typeOnly = (b: Issue[]) => b.every((i) => i.code === 'invalid_type' && i.path.length === issue.path.length);
  if (raw !== undefined && valueAt(raw, issue.path as Path) === undefined && branches.every(typeOnly)) {
    return { code: 'invalid_type', path: issue.path, message: 'missing', expected: branches[0][0].expected };
  }
  const scored = branches.map((b) => ({ b, score: typeOnly(b) ? 0 : 1 + Math.max(...b.map((i) => i.path.length)) }));
  scored.sort((a, b) => b.score - a.score);
  if (!scored.length || scored[0].score === 0) return issue;
  return unwrapUnion(scored[0].b[0], raw);
}

function issueToError(loc: Locator, raw: unknown, issue0: Issue, root: z.ZodType = scenarioSchema as unknown as z.ZodType): ScenarioError {
  const issue = unwrapUnion(issue0, raw);
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p))) as Path;
  const field = String(path[path.length - 1] ?? 'file');
  const input = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys![0];
      if (key === '<<') return loc.error([...path, key], "YAML merge keys ('<<') are not supported", 'write the fields out in full', true);
      const known = knownKeysAt(path, raw, root);
      const guess = didYouMean(key, known);
      return loc.error([...path, key], `unknown field '${key}'`, guess ? `did you mean '${guess}'?` : known.length ? `allowed here: ${known.join(', ')}` : undefined, true);
    }
    case 'invalid_type': {
      if (input === undefined) {
        const parent = valueAt(raw, path.slice(0, -1));
        if (field === 'file' && path[path.length - 2] === 'track' && parent && typeof parent === 'object' && 'pos' in parent) {
          return loc.error(path.slice(0, -1), 'the track is a single waypoint, not a list of them', 'write each waypoint on its own line starting with "- ", or give {file: ...}');
        }
        return loc.error(path.slice(0, -1), `missing required field '${field}'`, `add '${field}:' here`, false, path);
      }
      const kind = fieldKind(field);
      if (kind) return loc.error(path, `${describe(input)} is not ${kind.what}`, kind.example);
      const expected = issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`;
      return loc.error(path, `expected ${expected}, got ${describe(input)}`);
    }
    case 'invalid_format': {
      const kind = issue.pattern ? Object.entries(KIND_BY_PATTERN).find(([p]) => issue.pattern!.includes(p.slice(1, 20)))?.[1] : undefined;
      if (kind) return loc.error(path, `${describe(input)} is not ${kind.what}`, kind.example);
      if (field === 'id' || path.includes('id')) return loc.error(path, `${describe(input)} is not a valid id`, 'use letters, digits, "_", "-" and "."');
      if (path.includes('when')) return loc.error(path, `${describe(input)} is not a ladder condition`, `one of ${CONDITIONS.join(', ')}, optionally 'inside for 20m'`);
      if (field === 'sidc') return loc.error(path, `${describe(input)} is not a MIL-STD-2525 symbol code`, "10 to 30 letters, digits, '*' or '-', e.g. SHGPUCA---*****");
      return loc.error(path, `${describe(input)} is not valid here`, issue.message);
    }
    case 'invalid_value': {
      const values = (issue.values ?? []).map(String);
      if (typeof input === 'string') {
        const guess = didYouMean(input, values);
        const what = values.every((v) => (RUNGS as readonly string[]).includes(v) || v === 'stand_down') ? 'rung' : 'value';
        return loc.error(path, `unknown ${what} '${input}'`, guess ? `did you mean '${guess}'? Allowed: ${values.join(', ')}` : `one of ${values.join(', ')}`);
      }
      return loc.error(path, `${describe(input)} is not allowed here`, `one of ${values.join(', ')}`);
    }
    case 'invalid_union': {
      if (issue.note === 'No matching discriminator' || issue.discriminator) {
        const disc = issue.discriminator ?? 'type';
        // zod may name the discriminator itself as the issue's path.
        if (path[path.length - 1] === disc) path.pop();
        const v = valueAt(raw, [...path, disc]);
        const opts = (issue.options ?? []).map(String);
        const allowed = opts.length ? opts : path.includes('zones') ? ['circle', 'polygon', 'line'] : [...INJECT_TYPES];
        if (v === undefined) return loc.error(path, `missing required field '${disc}'`, `one of ${allowed.join(', ')}`);
        const guess = typeof v === 'string' ? didYouMean(v, allowed) : undefined;
        return loc.error([...path, disc], typeof v === 'string' ? `unknown ${disc} '${v}'` : `${disc} cannot be ${describe(v)}`, guess ? `did you mean '${guess}'?` : `one of ${allowed.join(', ')}`);
      }
      if (field === 'ladder') return loc.error(path, `the ladder must be 'default' or a list of rungs`, 'e.g. ladder: default');
      if (field === 'when' || path.includes('when')) {
        return loc.error(path, `${describe(input)} is not a ladder condition`, `one of ${CONDITIONS.join(', ')}, optionally 'inside for 20m'`);
      }
      const kind = fieldKind(field);
      if (kind) return loc.error(path, `${describe(input)} is not ${kind.what}`, kind.example);
      return loc.error(path, `${describe(input)} is not valid here`);
    }
    case 'too_small': {
      if (issue.origin === 'array') return loc.error(path, `'${field}' needs at least ${issue.minimum} entr${issue.minimum === 1 ? 'y' : 'ies'}`);
      if (issue.origin === 'number') return loc.error(path, `'${field}' must be greater than ${issue.minimum === 0 ? 'zero' : issue.minimum}`, undefined);
      return loc.error(path, `'${field}' is too small`);
    }
    default:
      return loc.error(path, issue.message);
  }
}

export interface LoadOptions {
  /** Name shown in messages (defaults to the path). */
  displayName?: string;
  /** Let track and zone files lie outside the scenario's folder (refused by default). */
  allowFilesOutside?: boolean;
}

/** Where a scenario's track and zone files (`file:`) are looked for. */
export interface ParseOptions {
  /** The folder file paths are relative to (default: the folder of `file`, unless it is `<scenario>`). */
  baseDir?: string;
  /** Let track and zone files lie outside that folder. */
  allowFilesOutside?: boolean;
}

/** Read and compile a scenario file. Throws ScenarioError for any problem with the file. */
export function loadScenario(path: string, opts: LoadOptions = {}): Scenario {
  const name = opts.displayName ?? path;
  return parseScenario(readInputFile(path, name, 'scenarios'), name, { baseDir: dirname(resolve(path)), allowFilesOutside: opts.allowFilesOutside });
}

/** The bytes of a file to load, or a ScenarioError naming it. */
function readInputFile(path: string, name: string, what: string): Buffer {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioError({ file: name, line: 1, column: 1, field: '', message: code === 'ENOENT' ? 'no such file' : `cannot read the file (${code})` });
  }
  if (size > MAX_FILE_BYTES) {
    throw new ScenarioError({ file: name, line: 1, column: 1, field: '', message: `the file is ${(size / 1048576).toFixed(1)} MiB, over the ${MAX_FILE_BYTES / 1048576} MiB limit for ${what}`, hint: what === 'scenarios' ? 'put long recorded tracks in GPX, KML, GeoJSON or CSV files and refer to them with track: {file: ...}' : undefined });
  }
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    throw new ScenarioError({ file: name, line: 1, column: 1, field: '', message: `cannot read the file (${(e as NodeJS.ErrnoException).code})` });
  }
  return buf;
}

/** Compile a scenario from its text (YAML or JSON). */
export function parseScenario(input: string | Uint8Array, file = '<scenario>', opts: ParseOptions = {}): Scenario {
  const { raw, loc } = parseDocumentText(input, file, { what: 'a scenario', files: 'scenario files', emptyHint: 'start from `deconflict list` and scenarios/tutorial.yaml' });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw loc.error([], 'a scenario must be a mapping with title, start, end, zones and units', 'see docs/scenario-format.md');
  }
  checkNumbers(loc, raw, []);
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(loc, raw, parsed.error.issues as unknown as Issue[], scenarioSchema as unknown as z.ZodType);
  return compile(parsed.data, loc, { baseDir: opts.baseDir ?? (file === '<scenario>' ? undefined : dirname(resolve(file))), allowFilesOutside: opts.allowFilesOutside });
}

/** The context for a `file:` reference at `path` (src/io/refs.ts reads the file). */
function refContext(loc: Locator, files: ParseOptions & { cache?: Map<string, GeoData> }, path: Path): RefContext {
  const here = loc.error(path, '');
  return {
    baseDir: files.baseDir,
    displayDir: dirname(loc.file),
    allowOutside: files.allowFilesOutside,
    cache: (files.cache ??= new Map()),
    field: formatPath(path),
    from: `${here.file}:${here.line}:${here.column}`,
    fail: (sub, message, hint) => loc.error([...path, ...sub], message, hint),
  };
}

/** The issue that comes first in the file, as a ScenarioError. */
function firstIssue(loc: Locator, raw: unknown, issues: Issue[], root: z.ZodType): ScenarioError {
  // A misspelt field shows up twice: as an unknown key and as a missing field. Report the
  // unknown key (it says "did you mean"), then whatever comes first in the file.
  const unknownAt = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path as Path)));
  issues = issues.map((i) => unwrapUnion(i, raw));
  issues = issues.filter((i) => !(i.code === 'invalid_type' && valueAt(raw, i.path as Path) === undefined && unknownAt.has(formatPath(i.path.slice(0, -1) as Path))));
  const errs = issues.map((i) => issueToError(loc, raw, i, root));
  errs.sort((a, b) => a.line - b.line || a.column - b.column);
  return errs[0];
}

/** Decode and parse YAML (or JSON) text, keeping positions; refuses what no input file may hold. */
function parseDocumentText(input: string | Uint8Array, file: string, kind: { what: string; files: string; emptyHint: string }): { raw: unknown; loc: Locator } {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    if ((input[0] === 0xff && input[1] === 0xfe) || (input[0] === 0xfe && input[1] === 0xff)) {
      throw new ScenarioError({ file, line: 1, column: 1, field: '', message: 'the file is UTF-16 text', hint: 'save it as UTF-8' });
    }
    if (input.includes(0)) throw new ScenarioError({ file, line: 1, column: 1, field: '', message: 'this is not a text file (it contains NUL bytes)', hint: `${kind.what} is a YAML or JSON text file` });
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new ScenarioError({ file, line: 1, column: 1, field: '', message: 'the file is not valid UTF-8 text', hint: 'save it as UTF-8' });
    }
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new ScenarioError({ file, line: 1, column: 1, field: '', message: 'the file is empty', hint: kind.emptyHint });

  const lc = new LineCounter();
  // Checked before parsing, so that where it is reported does not depend on the stack size.
  const deep = deepBracket(text);
  if (deep !== undefined) {
    const line = text.slice(0, deep).split('\n').length;
    const column = deep - text.lastIndexOf('\n', deep - 1);
    throw new ScenarioError({ file, line, column, field: '', message: 'the file nests lists and mappings too deeply', hint: `${kind.files} nest a few levels at most` });
  }
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false, strict: true, customTags: [], resolveKnownTags: false, keepSourceTokens: false });
  const loc = new Locator(file, doc, lc);
  const at = (offset: number, message: string, hint?: string) => {
    const pos = lc.linePos(Math.max(0, Math.min(offset, text.length)));
    return new ScenarioError({ file, line: pos.line, column: pos.col, field: '', message, hint });
  };
  const first = doc.errors[0];
  if (first) {
    const msg = first.message.split('\n')[0].replace(/ at line \d+, column \d+.*$/, '');
    if (first.code === 'DUPLICATE_KEY') throw at(first.pos[0], 'a key appears twice in the same mapping', 'remove or rename one of them');
    if (first.code === 'MULTIPLE_DOCS') throw at(first.pos[0], "the file holds more than one YAML document (a second '---')", `${kind.what} is one document; remove the '---' line`);
    if (first.code === 'RESOURCE_EXHAUSTION') throw at(first.pos[0], 'the file nests lists and mappings too deeply', `${kind.files} nest a few levels at most`);
    throw at(first.pos[0], `malformed ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${msg}`);
  }
  // Tags could ask a YAML library to build objects: none is resolved, and any tag refuses the file.
  const tagWarning = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED' || /tag/i.test(w.message));
  if (tagWarning) {
    const tag = /^!\S*/.exec(text.slice(tagWarning.pos[0], tagWarning.pos[0] + 80))?.[0];
    throw at(tagWarning.pos[0], `custom YAML tags are not allowed${tag ? ` ('${tag}')` : ''}`, `remove the tag; ${kind.files} hold plain data`);
  }
  if (doc.contents === null) throw at(0, 'the file is empty (it holds only comments)', kind.emptyHint);
  checkAliases(doc, at);
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch {
    // checkAliases refuses every file this could refuse; this is a backstop.
    throw at(0, 'the file expands too many YAML aliases', `at most ${MAX_ALIASES} alias uses are allowed`);
  }
  return { raw, loc };
}

/** Where flow brackets first nest 100 deep (outside quotes and comments), so that the message does not depend on the stack size. */
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
      if (++depth >= 100) return i;
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return undefined;
}

/**
 * Refuse aliases that point nowhere or into themselves, and alias bombs: every alias use counts
 * with the aliases inside what it repeats, and at most MAX_ALIASES uses are allowed. Runs over
 * the document's nodes once (memoised), before anything expands them.
 */
function checkAliases(doc: Document, at: (offset: number, message: string, hint?: string) => ScenarioError): void {
  const uses = new Map<unknown, number>();
  const open = new Set<unknown>();
  let total = 0;
  const count = (node: unknown, top: boolean): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      const where = node.range?.[0] ?? 0;
      if (!target) throw at(where, `the alias '*${node.source}' refers to no anchor before it`, `define &${node.source} earlier in the file, or write the value out`);
      if (open.has(target)) throw at(where, `the alias '*${node.source}' refers to the node it is inside`, 'a value cannot contain itself');
      const n = 1 + count(target, false);
      if (top) {
        total += n;
        if (total > MAX_ALIASES) throw at(where, `YAML aliases here expand the file too far (${total > 1e6 ? 'over a million' : total} alias uses)`, `at most ${MAX_ALIASES} alias uses are allowed; write the values out`);
      }
      return n;
    }
    if (!isMap(node) && !isSeq(node) && !isPair(node)) return 0;
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

/** NaN, Infinity and numbers beyond any sane magnitude are refused wherever they appear. */
function checkNumbers(loc: Locator, v: unknown, path: Path): void {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw loc.error(path, `${v} is not a usable number`, 'write a finite number');
    if (Math.abs(v) > 1e12) throw loc.error(path, `${v} is too large`, 'numbers in a scenario stay below 1e12');
    return;
  }
  if (Array.isArray(v)) v.forEach((x, i) => checkNumbers(loc, x, [...path, i]));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) checkNumbers(loc, x, [...path, k]);
}

function position(loc: Locator, v: unknown, path: Path): LonLat {
  const r = parsePosition(v);
  if (!r.ok) throw loc.error([...path, ...(r.problem.sub ?? [])], r.problem.message, r.problem.hint);
  return r.value;
}

function uniqueIds(loc: Locator, items: { id: string }[] | undefined, path: string, seen: Map<string, string>): void {
  (items ?? []).forEach((it, i) => {
    const prev = seen.get(it.id);
    if (prev) throw loc.error([path, i, 'id'], `duplicate id '${it.id}'`, `already used by ${prev}; ids must be unique`);
    seen.set(it.id, `${path}[${i}]`);
  });
}

function ref(loc: Locator, ids: Map<string, number>, id: string, what: string, path: Path): number {
  const i = ids.get(id);
  if (i === undefined) {
    const guess = didYouMean(id, [...ids.keys()]);
    throw loc.error(path, `unknown ${what} '${id}'`, guess ? `did you mean '${guess}'?` : ids.size ? `known ${what}s: ${[...ids.keys()].slice(0, 8).join(', ')}` : `there are no ${what}s in this scenario`);
  }
  return i;
}

function dist(loc: Locator, v: unknown, path: Path, what: string, positive = true): number {
  const d = parseDistance(v);
  if (d === undefined) throw loc.error(path, `${describe(v)} is not a distance`, 'e.g. 55km, 250m or 3nm');
  if (positive && !(d > 0)) throw loc.error(path, `${what} must be greater than zero`, 'e.g. 55km');
  if (d > MAX_DISTANCE) throw loc.error(path, `${typeof v === 'string' ? `'${v}'` : v} is further than any two places on Earth are apart`, `a ${what} stays under ${MAX_DISTANCE / 1000} km`);
  return d;
}

function compile(raw: RawScenario, loc: Locator, files: ParseOptions = {}): Scenario {
  const start = parseTime(raw.start)!;
  if (start === undefined) throw loc.error(['start'], `'${raw.start}' is not an ISO 8601 UTC time`, 'e.g. 2017-05-18T06:00:00Z');
  const end = parseTime(raw.end, start);
  if (end === undefined) throw loc.error(['end'], `'${raw.end}' is not a valid time`, 'e.g. 2017-05-18T12:00:00Z or +6h');
  if (end <= start) throw loc.error(['end'], 'the end is not after the start', `start is ${raw.start}`);
  const tick = raw.tick ? parseDuration(raw.tick)! : DEFAULT_TICK;
  if (!(tick >= 1)) throw loc.error(['tick'], 'tick must be longer than zero', 'e.g. 10s');
  if ((end - start) / tick > 10_000_000) throw loc.error(['tick'], `a ${raw.tick} tick gives more than 10 million steps`, 'use a longer tick or a shorter scenario');

  const seen = new Map<string, string>();
  uniqueIds(loc, raw.sites, 'sites', seen);
  uniqueIds(loc, raw.zones, 'zones', seen);
  uniqueIds(loc, raw.units, 'units', seen);

  const siteIds = new Map<string, number>();
  const sites: Site[] = (raw.sites ?? []).map((s, i) => {
    siteIds.set(s.id, i);
    return { id: s.id, name: s.name, side: s.side, pos: position(loc, s.pos, ['sites', i, 'pos']), description: s.description };
  });

  const zoneIds = new Map<string, number>();
  const zones: Zone[] = raw.zones.map((z, i) => {
    zoneIds.set(z.id, i);
    const p: Path = ['zones', i];
    const approach = z.approach !== undefined ? dist(loc, z.approach, [...p, 'approach'], 'approach') : DEFAULT_APPROACH;
    const hysteresis = z.hysteresis !== undefined ? dist(loc, z.hysteresis, [...p, 'hysteresis'], 'hysteresis', false) : DEFAULT_HYSTERESIS;
    let protects = z.protects !== undefined ? ref(loc, siteIds, z.protects, 'site', [...p, 'protects']) : -1;
    const levels = [0, hysteresis, approach, approach + hysteresis];
    const common = { id: z.id, name: z.name, appliesTo: z.applies_to, approach, hysteresis, description: z.description };
    if (z.type === 'circle') {
      let center: LonLat;
      if (typeof z.center === 'string' && (siteIds.has(z.center) || !parsePosition(z.center).ok)) {
        const si = ref(loc, siteIds, z.center, 'site', [...p, 'center']);
        center = sites[si].pos;
        if (protects < 0) protects = si;
      } else center = position(loc, z.center, [...p, 'center']);
      const radius = dist(loc, z.radius, [...p, 'radius'], 'radius');
      return { ...common, protects, type: 'circle', center, radius, shape: new CircleZone(center, radius, levels) };
    }
    if ((z.type === 'polygon' || z.type === 'line') && (z.file === undefined) === ((z.type === 'polygon' ? z.polygon : z.line) === undefined)) {
      throw loc.error(z.file === undefined ? p : [...p, 'file'], z.file === undefined ? `a ${z.type} zone needs '${z.type}:' (its positions) or 'file:'` : `give '${z.type}:' or 'file:', not both`, z.file === undefined ? `e.g. file: zones.kml with feature: NAME` : undefined);
    }
    if (z.type === 'polygon' && z.file !== undefined) {
      const rings = shapeFromRef({ file: z.file, format: z.format, feature: z.feature }, 'polygon', refContext(loc, files, p));
      return { ...common, protects, type: 'polygon', shape: new PolygonZone(rings) };
    }
    if (z.type === 'polygon') {
      const rings = z.polygon!.map((ring, r) => {
        const pts = ring.map((v, k) => position(loc, v, [...p, 'polygon', r, k]));
        if (pts.length < 4) throw loc.error([...p, 'polygon', r], `a polygon ring needs at least 4 positions (it has ${pts.length})`, 'close the ring by repeating the first position at the end');
        const a = pts[0];
        const b = pts[pts.length - 1];
        if (a[0] !== b[0] || a[1] !== b[1]) throw loc.error([...p, 'polygon', r, pts.length - 1], 'the polygon ring is not closed', `end the ring with its first position again: [${a[0]}, ${a[1]}]`);
        return pts;
      });
      return { ...common, protects, type: 'polygon', shape: new PolygonZone(rings) };
    }
    const pts = z.file !== undefined ? shapeFromRef({ file: z.file, format: z.format, feature: z.feature }, 'line', refContext(loc, files, p))[0] : z.line!.map((v, k) => position(loc, v, [...p, 'line', k]));
    if (pts.length < 2) throw loc.error([...p, 'line'], `a line needs at least 2 positions (it has ${pts.length})`, 'list the points of the line in order');
    let forbidden: 'left' | 'right';
    if (typeof z.forbidden === 'string') forbidden = z.forbidden;
    else {
      const q = position(loc, z.forbidden.side_of, [...p, 'forbidden', 'side_of']);
      const probe = new LineZone(pts, 'left');
      const s = probe.side(q[0], q[1]);
      if (s.d < 1) throw loc.error([...p, 'forbidden', 'side_of'], 'this point lies on the line, so it names no side', 'pick a point clearly on the forbidden side');
      forbidden = s.side === 1 ? 'left' : 'right';
    }
    return { ...common, protects, type: 'line', forbidden, shape: new LineZone(pts, forbidden) };
  });

  const unitIds = new Map<string, number>();
  if (raw.units.length > MAX_UNITS) throw loc.error(['units', MAX_UNITS], `more than ${MAX_UNITS} units`, `a scenario holds at most ${MAX_UNITS} units; split it`);
  let points = 0;
  const countPoints = (n: number, path: Path) => {
    points += n;
    if (points > MAX_TRACK_POINTS) throw loc.error(path, `the tracks hold more than ${MAX_TRACK_POINTS} points in all`, 'thin the recorded tracks (one fix every few seconds is plenty) or split the scenario');
  };
  const warnings: ScenarioWarning[] = [];
  const units: Unit[] = raw.units.map((u, i) => {
    unitIds.set(u.id, i);
    const p: Path = ['units', i];
    const noise = u.noise !== undefined ? dist(loc, u.noise, [...p, 'noise'], 'noise', false) : 0;
    if (!Array.isArray(u.track)) {
      // A track from another tool's file (GPX, KML, GeoJSON, CSV).
      const fromFile = trackFromRef(u.track, refContext(loc, files, [...p, 'track']), { start, end });
      const filePts = fromFile.points;
      countPoints(filePts.length, [...p, 'track']);
      // Times computed from a speed are not a recording: their long legs are no gaps.
      const maxGap = u.track.speed !== undefined ? Infinity : u.track.max_gap !== undefined ? parseDuration(u.track.max_gap)! : DEFAULT_MAX_GAP;
      if (!(maxGap > 0)) throw loc.error([...p, 'track', 'max_gap'], 'max_gap must be longer than zero', 'e.g. max_gap: 30m');
      const tidy = recordedTrack(filePts, maxGap);
      // The file's reader has already put its fixes in order: count what it tidied too.
      tidy.unordered += fromFile.tidied?.unordered ?? 0;
      tidy.duplicates += fromFile.tidied?.duplicates ?? 0;
      const warn = (message: string, hint: string) => {
        const w = loc.error([...p, 'track'], message, hint);
        warnings.push({ file: w.file, line: w.line, column: w.column, field: w.field, message: `${w.file}:${w.line}:${w.column}: warning: ${w.field}: ${message} (${hint})` });
      };
      const from = `${u.track.file}${u.track.name !== undefined || u.track.id !== undefined ? ` (${u.track.id ?? u.track.name})` : ''}`;
      if (tidy.unordered || tidy.duplicates) {
        const parts = [];
        if (tidy.unordered) parts.push(`${tidy.unordered} fix${tidy.unordered === 1 ? ' was' : 'es were'} out of time order and ${tidy.unordered === 1 ? 'was' : 'were'} sorted`);
        if (tidy.duplicates) parts.push(`${tidy.duplicates} fix${tidy.duplicates === 1 ? '' : 'es'} at a time already recorded ${tidy.duplicates === 1 ? 'was' : 'were'} dropped (the first fix at each time is kept)`);
        warn(`in ${from}, ${parts.join('; ')}`, 'check the recording');
      }
      if (tidy.gaps.length) {
        const longest = tidy.gaps.reduce((a, b) => (b.length > a.length ? b : a));
        warn(
          `${from} has ${tidy.gaps.length} gap${tidy.gaps.length === 1 ? '' : 's'} longer than ${formatDuration(maxGap)} between fixes (the longest ${formatDuration(longest.length)}, after ${formatTime(longest.from)}); the unit stays at its last fix across ${tidy.gaps.length === 1 ? 'it' : 'them'}, not moved in a straight line`,
          `set max_gap: ${formatDuration(Math.ceil(longest.length / 60_000) * 60_000)} on the track to move it across`,
        );
      }
      return { id: u.id, name: u.name, side: u.side, composition: { ...(u.composition ?? {}) }, sidc: u.sidc, track: makeTrack(tidy.points), noise, description: u.description };
    }
    countPoints(u.track.length, [...p, 'track']);
    if (u.track.length === 0) throw loc.error([...p, 'track'], 'the track is empty', 'give at least one waypoint: - {pos: [lon, lat], t: 2017-05-18T06:00:00Z}');
    const pts: { t: number; pos: LonLat }[] = [];
    let prevT = -Infinity;
    let prevPos: LonLat | undefined;
    u.track.forEach((w, k) => {
      const wp: Path = [...p, 'track', k];
      const pos = position(loc, w.pos, [...wp, 'pos']);
      let t: number;
      if (w.t !== undefined && w.speed !== undefined) throw loc.error([...wp, 'speed'], 'give a time or a speed for a waypoint, not both');
      if (w.t !== undefined) {
        const tt = parseTime(w.t, start);
        if (tt === undefined) throw loc.error([...wp, 't'], `'${w.t}' is not a valid time`, 'e.g. 2017-05-18T09:00:00Z or +1h30m');
        t = tt;
      } else if (w.speed !== undefined) {
        if (!prevPos) throw loc.error([...wp, 'speed'], 'the first waypoint needs a time, not a speed', 'add t: with the time the unit is here');
        const sp = parseSpeed(w.speed);
        if (sp === undefined) throw loc.error([...wp, 'speed'], `'${w.speed}' is not a speed`, 'e.g. 40km/h');
        t = prevT + Math.max(1, Math.round((geodesicDistance(prevPos, pos) / sp) * 1000));
      } else {
        throw loc.error(wp, k === 0 ? 'the first waypoint needs a time' : 'a waypoint needs a time (t) or a speed', k === 0 ? 'add t: 2017-05-18T06:00:00Z' : 'add t: or speed:');
      }
      if (!(t > prevT)) {
        throw loc.error([...wp, w.t !== undefined ? 't' : 'speed'], `waypoint times must increase: this one is not after the previous waypoint`, 'sort the waypoints by time');
      }
      pts.push({ t, pos });
      prevT = t;
      prevPos = pos;
      if (w.hold) {
        const h = parseDuration(w.hold)!;
        if (h > 0) {
          prevT = t + h;
          pts.push({ t: prevT, pos });
        }
      }
    });
    return { id: u.id, name: u.name, side: u.side, composition: { ...(u.composition ?? {}) }, sidc: u.sidc, track: makeTrack(pts), noise, description: u.description };
  });

  const ladder = compileLadder(raw, loc);
  const injects = compileInjects(raw.injects, loc, start, unitIds, siteIds, ladder);
  const doctrine = compileDoctrine(raw, loc);

  const expectations: Expectation[] = (raw.expect ?? []).map((e, i) => {
    const p: Path = ['expect', i];
    const t = (v: string | undefined, f: string) => {
      if (v === undefined) return undefined;
      const r = parseTime(v, start);
      if (r === undefined) throw loc.error([...p, f], `'${v}' is not a valid time`);
      return r;
    };
    const checks = ['reaches', 'never_passes', 'never_reaches', 'order', 'event', 'skips_ladder'].filter((k) => (e as Record<string, unknown>)[k] !== undefined);
    if (checks.length === 0) throw loc.error(p, 'an expectation needs something to check', 'one of reaches, never_passes, never_reaches, order, event, skips_ladder');
    if (e.unit === undefined && e.zone === undefined && e.event === undefined) throw loc.error(p, 'an expectation needs a unit or a zone', 'add unit: ID');
    const ladderRungs = new Set(ladder.map((r) => r.rung));
    for (const k of ['reaches', 'never_passes', 'never_reaches'] as const) {
      const r = e[k];
      if (r !== undefined && !ladderRungs.has(r)) throw loc.error([...p, k], `rung '${r}' is not on this scenario's ladder`, `the ladder has ${[...ladderRungs].join(', ')}`);
    }
    return {
      index: i,
      unit: e.unit !== undefined ? ref(loc, unitIds, e.unit, 'unit', [...p, 'unit']) : undefined,
      zone: e.zone !== undefined ? ref(loc, zoneIds, e.zone, 'zone', [...p, 'zone']) : undefined,
      reaches: e.reaches,
      before: t(e.before, 'before'),
      after: t(e.after, 'after'),
      neverPasses: e.never_passes,
      neverReaches: e.never_reaches,
      order: e.order,
      event: e.event,
      count: e.count,
      skipsLadder: e.skips_ladder,
      note: e.note,
      text: describeExpectation(e),
    };
  });

  return {
    file: loc.file,
    ...(warnings.length ? { warnings } : {}),
    title: raw.title,
    description: raw.description,
    ...(raw.student_title !== undefined ? { studentTitle: raw.student_title } : {}),
    ...(raw.briefing !== undefined ? { briefing: raw.briefing } : {}),
    sources: raw.sources ?? [],
    start,
    end,
    tick,
    seed: raw.seed ?? 1,
    sites,
    zones,
    units,
    injects,
    ladder,
    defaultLadder: raw.ladder === undefined || raw.ladder === 'default',
    doctrine,
    expectations,
  };
}

/**
 * Recorded fixes as a track the engine can follow: sorted by time (stably, so equal times keep
 * the file's order), a second fix at a time already recorded dropped, and across a gap longer
 * than `maxGap` the unit held at its last fix until just before the next one, rather than moved
 * along a straight line nobody recorded (a gap where it moved less than GAP_MOVE is a halt, and
 * holding is what interpolation would do anyway). `maxGap` Infinity: no gap is held. Says what it changed.
 */
/** A gap between recorded fixes further apart than this (m) is held, not interpolated. */
const GAP_MOVE = 100;

export function recordedTrack(fixes: readonly { t: number; pos: LonLat }[], maxGap: number): { points: { t: number; pos: LonLat }[]; unordered: number; duplicates: number; gaps: { from: number; length: number }[] } {
  let unordered = 0;
  let latest = -Infinity;
  for (const f of fixes) {
    if (f.t < latest) unordered++;
    else latest = f.t;
  }
  const sorted = unordered ? fixes.map((f, i) => ({ f, i })).sort((a, b) => a.f.t - b.f.t || a.i - b.i).map((x) => x.f) : fixes;
  const points: { t: number; pos: LonLat }[] = [];
  const gaps: { from: number; length: number }[] = [];
  let duplicates = 0;
  for (const f of sorted) {
    const prev = points[points.length - 1];
    if (prev && f.t === prev.t) {
      duplicates++;
      continue;
    }
    if (prev && f.t - prev.t > maxGap && geodesicDistance(prev.pos, f.pos) > GAP_MOVE) {
      gaps.push({ from: prev.t, length: f.t - prev.t });
      if (f.t - 1 > prev.t) points.push({ t: f.t - 1, pos: prev.pos });
    }
    points.push({ t: f.t, pos: [f.pos[0], f.pos[1]] });
  }
  return { points, unordered, duplicates, gaps };
}

/** Compile injects (of a scenario or a MSEL), sorted by time; unit and site ids resolve against the scenario. */
function compileInjects(raw: RawInject[] | undefined, loc: Locator, start: number, unitIds: Map<string, number>, siteIds: Map<string, number>, ladder: RungSpec[]): Inject[] {
  const ladderRungs = ladder.map((r) => r.rung);
  const on = (v: RawInject & { on?: RungSpec['rung'] }, p: Path) => {
    if (v.on === undefined) return {};
    if (!ladderRungs.includes(v.on)) throw loc.error([...p, 'on'], `rung '${v.on}' is not on this scenario's ladder`, `the ladder has ${ladderRungs.join(', ')}`);
    return { on: v.on };
  };
  const injects: Inject[] = (raw ?? []).map((inj, i) => {
    const p: Path = ['injects', i];
    const t = parseTime(inj.t, start);
    if (t === undefined) throw loc.error([...p, 't'], `'${inj.t}' is not a valid time`, 'e.g. 2017-05-18T09:00:00Z or +1h30m');
    const base = { t, text: inj.text, expected: inj.expected, notes: inj.notes, ...(inj.pause !== undefined ? { pause: inj.pause } : {}), index: i };
    switch (inj.type) {
      case 'message':
        return { ...base, type: 'message' as const };
      case 'hostile_act':
        return { ...base, type: 'hostile_act' as const, unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']), target: ref(loc, siteIds, inj.target, 'site', [...p, 'target']) };
      case 'halt':
        return { ...base, type: 'halt' as const, unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']), ...on(inj, p) };
      case 'withdraw': {
        const speed = inj.speed !== undefined ? parseSpeed(inj.speed) : undefined;
        return {
          ...base,
          type: 'withdraw' as const,
          unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']),
          to: inj.to !== undefined ? position(loc, inj.to, [...p, 'to']) : undefined,
          speed,
          ...on(inj, p),
        };
      }
      case 'turn':
        return {
          ...base,
          type: 'turn' as const,
          unit: ref(loc, unitIds, inj.unit, 'unit', [...p, 'unit']),
          to: position(loc, inj.to, [...p, 'to']),
          speed: inj.speed !== undefined ? parseSpeed(inj.speed) : undefined,
          ...on(inj, p),
        };
    }
  });
  injects.sort((a, b) => a.t - b.t || a.index - b.index);
  return injects;
}

/** A master scenario events list: injects kept in their own file, run against a scenario in place of its own. */
export interface Msel {
  file: string;
  title?: string;
  description?: string;
  injects: Inject[];
}

/** Read and compile a MSEL file against the scenario it is for. Throws ScenarioError for any problem with the file. */
export function loadMsel(path: string, scenario: Scenario, opts: LoadOptions = {}): Msel {
  const name = opts.displayName ?? path;
  return parseMsel(readInputFile(path, name, 'MSEL files'), scenario, name);
}

/** Compile a MSEL from its text (YAML or JSON): `injects:` (the scenario's inject format) and an optional title. */
export function parseMsel(input: string | Uint8Array, scenario: Scenario, file = '<msel>'): Msel {
  const { raw, loc } = parseDocumentText(input, file, { what: 'a MSEL', files: 'MSEL files', emptyHint: 'a MSEL holds `injects:`, a list of timed injects' });
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw loc.error([], 'a MSEL must be a mapping with an injects list', 'e.g. injects: [{t: +1h, type: message, text: ...}]');
  checkNumbers(loc, raw, []);
  const parsed = mselSchema.safeParse(raw);
  if (!parsed.success) throw firstIssue(loc, raw, parsed.error.issues as unknown as Issue[], mselSchema as unknown as z.ZodType);
  const unitIds = new Map(scenario.units.map((u, i) => [u.id, i]));
  const siteIds = new Map(scenario.sites.map((s, i) => [s.id, i]));
  const injects = compileInjects(parsed.data.injects, loc, scenario.start, unitIds, siteIds, scenario.ladder);
  for (const inj of injects) {
    if (inj.t > scenario.end) {
      throw loc.error(['injects', inj.index, 't'], `this inject comes after the scenario ends (${formatTime(scenario.end)})`, 'an inject after the end never happens; move it earlier');
    }
  }
  return { file, title: parsed.data.title, description: parsed.data.description, injects };
}

function describeExpectation(e: NonNullable<RawScenario['expect']>[number]): string {
  const who = [e.unit && `unit ${e.unit}`, e.zone && `zone ${e.zone}`].filter(Boolean).join(' in ') || 'the scenario';
  const parts: string[] = [];
  if (e.reaches) parts.push(`reaches ${e.reaches}${e.after ? ` after ${e.after}` : ''}${e.before ? ` before ${e.before}` : ''}`);
  if (e.never_passes) parts.push(`never passes ${e.never_passes}`);
  if (e.never_reaches) parts.push(`never reaches ${e.never_reaches}`);
  if (e.order) parts.push(`goes through ${e.order.join(' → ')} in that order`);
  if (e.event) parts.push(`has ${e.count !== undefined ? `exactly ${e.count} ` : 'a '}${e.event} event${e.count !== undefined && e.count !== 1 ? 's' : ''}`);
  if (e.skips_ladder !== undefined) parts.push(e.skips_ladder ? 'is struck with no warning rung first' : 'is warned before any strike');
  return `${who} ${parts.join(' and ')}`;
}

function compileLadder(raw: RawScenario, loc: Locator): RungSpec[] {
  if (raw.ladder === undefined || raw.ladder === 'default') return DEFAULT_LADDER.map((r) => ({ ...r, when: r.when.map((c) => ({ ...c })) }));
  let lastIdx = -1;
  return raw.ladder.map((r, i) => {
    const p: Path = ['ladder', i];
    const idx = RUNGS.indexOf(r.rung);
    if (idx <= lastIdx) throw loc.error([...p, 'rung'], `rung '${r.rung}' is out of order`, `rungs climb in this order: ${RUNGS.join(', ')}`);
    lastIdx = idx;
    const whens = Array.isArray(r.when) ? r.when : [r.when];
    const when: Condition[] = whens.map((w, k) => {
      const m = /^(\w+)(?:\s+for\s+(\S+))?$/.exec(w)!;
      const c: Condition = { name: m[1] as Condition['name'] };
      if (m[2]) {
        const d = parseDuration(m[2]);
        if (d === undefined) throw loc.error([...p, 'when', ...(Array.isArray(r.when) ? [k] : [])], `'${m[2]}' is not a duration`, 'e.g. inside for 20m');
        c.for = d;
      }
      return c;
    });
    return { rung: r.rung, action: r.action ?? DEFAULT_LADDER.find((d) => d.rung === r.rung)!.action, when, wait: r.wait ? parseDuration(r.wait)! : 0 };
  });
}

function compileDoctrine(raw: RawScenario, loc: Locator): Doctrine {
  const d = raw.doctrine ?? {};
  const out: Doctrine = { ...DEFAULT_DOCTRINE, threatWeights: { ...DEFAULT_THREAT_WEIGHTS } };
  if (d.threat_threshold !== undefined) out.threatThreshold = d.threat_threshold;
  if (d.threat_weights) for (const k of COMPOSITION_KEYS) if (d.threat_weights[k] !== undefined) out.threatWeights[k] = d.threat_weights[k]!;
  if (d.intent_distance !== undefined) out.intentDistance = dist(loc, d.intent_distance, ['doctrine', 'intent_distance'], 'intent_distance');
  if (d.withdraw_distance !== undefined) out.withdrawDistance = dist(loc, d.withdraw_distance, ['doctrine', 'withdraw_distance'], 'withdraw_distance');
  if (d.massing_units !== undefined) out.massingUnits = d.massing_units;
  if (d.massing_personnel !== undefined) out.massingPersonnel = d.massing_personnel;
  if (d.dwell_time !== undefined) out.dwellTime = parseDuration(d.dwell_time)!;
  if (d.dwell_radius !== undefined) out.dwellRadius = dist(loc, d.dwell_radius, ['doctrine', 'dwell_radius'], 'dwell_radius');
  if (d.edge_margin !== undefined) out.edgeMargin = dist(loc, d.edge_margin, ['doctrine', 'edge_margin'], 'edge_margin', false);
  if (d.halt_on_strike !== undefined) out.haltOnStrike = d.halt_on_strike;
  return out;
}
