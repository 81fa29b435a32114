/**
 * Zod issues as ScenarioErrors: the most telling branch of a union, "did you mean" for unknown
 * fields, and what a field holds for wrong types.
 */
import type { z } from 'zod';
import { didYouMean, formatPath, type ScenarioError } from '../errors.js';
import { CONDITIONS, INJECT_TYPES, RUNGS, scenarioSchema } from '../schema.js';
import { DISTANCE_PATTERN, DURATION_PATTERN, SPEED_PATTERN, TIME_PATTERN } from '../units.js';
import type { Locator, Path } from './document.js';
import { maxOf } from '../extent.js';

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
  if (['radius', 'approach', 'hysteresis', 'noise', 'intent_distance', 'withdraw_distance', 'dwell_radius', 'edge_margin'].includes(field))
    return KIND_BY_PATTERN[DISTANCE_PATTERN];
  if (field === 'speed') return KIND_BY_PATTERN[SPEED_PATTERN];
  return undefined;
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the text '${v.length > 40 ? `${v.slice(0, 40)}…` : v}'`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  // What is left is a primitive (a boolean, a finite number): String() says it as YAML would.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string
  return `${typeof v} ${String(v)}`;
}

export function valueAt(root: unknown, path: Path): unknown {
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

export interface Issue {
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
  const scored = branches.map((b) => ({ b, score: typeOnly(b) ? 0 : 1 + maxOf(b, (i) => i.path.length) }));
  scored.sort((a, b) => b.score - a.score);
  if (!scored.length || scored[0].score === 0) return issue;
  return unwrapUnion(scored[0].b[0], raw);
}

function issueToError(loc: Locator, raw: unknown, issue0: Issue, root: z.ZodType = scenarioSchema): ScenarioError {
  const issue = unwrapUnion(issue0, raw);
  const path: Path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const field = String(path[path.length - 1] ?? 'file');
  const input = valueAt(raw, path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const key = issue.keys![0];
      if (key === '<<') return loc.error([...path, key], "YAML merge keys ('<<') are not supported", 'write the fields out in full', true);
      const known = knownKeysAt(path, raw, root);
      const guess = didYouMean(key, known);
      return loc.error(
        [...path, key],
        `unknown field '${key}'`,
        guess ? `did you mean '${guess}'?` : known.length ? `allowed here: ${known.join(', ')}` : undefined,
        true,
      );
    }
    case 'invalid_type': {
      if (input === undefined) {
        const parent = valueAt(raw, path.slice(0, -1));
        if (field === 'file' && path[path.length - 2] === 'track' && parent && typeof parent === 'object' && 'pos' in parent) {
          return loc.error(
            path.slice(0, -1),
            'the track is a single waypoint, not a list of them',
            'write each waypoint on its own line starting with "- ", or give {file: ...}',
          );
        }
        return loc.error(path.slice(0, -1), `missing required field '${field}'`, `add '${field}:' here`, false, path);
      }
      const kind = fieldKind(field);
      if (kind) return loc.error(path, `${describe(input)} is not ${kind.what}`, kind.example);
      const expected =
        issue.expected === 'array' ? 'a list' : issue.expected === 'object' ? 'a mapping' : issue.expected === 'int' ? 'a whole number' : `a ${issue.expected}`;
      return loc.error(path, `expected ${expected}, got ${describe(input)}`);
    }
    case 'invalid_format': {
      const kind = issue.pattern ? Object.entries(KIND_BY_PATTERN).find(([p]) => issue.pattern!.includes(p.slice(1, 20)))?.[1] : undefined;
      if (kind) return loc.error(path, `${describe(input)} is not ${kind.what}`, kind.example);
      if (field === 'id' || path.includes('id')) return loc.error(path, `${describe(input)} is not a valid id`, 'use letters, digits, "_", "-" and "."');
      if (path.includes('when'))
        return loc.error(path, `${describe(input)} is not a ladder condition`, `one of ${CONDITIONS.join(', ')}, optionally 'inside for 20m'`);
      if (field === 'sidc')
        return loc.error(path, `${describe(input)} is not a MIL-STD-2525 symbol code`, "10 to 30 letters, digits, '*' or '-', e.g. SHGPUCA---*****");
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
        return loc.error(
          [...path, disc],
          typeof v === 'string' ? `unknown ${disc} '${v}'` : `${disc} cannot be ${describe(v)}`,
          guess ? `did you mean '${guess}'?` : `one of ${allowed.join(', ')}`,
        );
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

/**
 * Every issue as a ScenarioError, in file order, each once. A misspelt field shows up twice: as an
 * unknown key and as a missing field; only the unknown key is reported (it says "did you mean").
 */
export function allIssues(loc: Locator, raw: unknown, issues: Issue[], root: z.ZodType): ScenarioError[] {
  const unknownAt = new Set(issues.filter((i) => i.code === 'unrecognized_keys').map((i) => formatPath(i.path as Path)));
  issues = issues.flatMap((i) => (i.code === 'unrecognized_keys' && (i.keys?.length ?? 0) > 1 ? i.keys!.map((k) => ({ ...i, keys: [k] })) : [i]));
  issues = issues.map((i) => unwrapUnion(i, raw));
  issues = issues.filter(
    (i) => !(i.code === 'invalid_type' && valueAt(raw, i.path as Path) === undefined && unknownAt.has(formatPath(i.path.slice(0, -1) as Path))),
  );
  const errs = issues.map((i) => issueToError(loc, raw, i, root));
  errs.sort((a, b) => a.line - b.line || a.column - b.column);
  const seen = new Set<string>();
  return errs.filter((e) => !seen.has(e.message) && !!seen.add(e.message));
}

/** The issue that comes first in the file, as a ScenarioError. */
export function firstIssue(loc: Locator, raw: unknown, issues: Issue[], root: z.ZodType): ScenarioError {
  return allIssues(loc, raw, issues, root)[0];
}

/**
 * Which items the issues fall in (`zones[2]`), so that the rest can still be compiled; undefined
 * when an issue is outside any item (a top-level field), which stops the compile.
 */
export function itemsWithIssues(issues: readonly { path: PropertyKey[] }[], lists: readonly string[]): Set<string> | undefined {
  const out = new Set<string>();
  for (const i of issues) {
    const [list, index] = i.path;
    if (typeof list !== 'string' || !lists.includes(list) || typeof index !== 'number') return undefined;
    out.add(`${list}/${index}`);
  }
  return out;
}
