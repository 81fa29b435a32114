/**
 * Compiling a scenario from its text (src/io/node/load.ts reads the file): parse YAML (or JSON),
 * check it against the schema, check what needs the whole file, and compile the model; files it
 * refers to are read through the ScenarioFiles port (scenario/files.ts). Every problem becomes a ScenarioError naming
 * file:line:column, the field and a hint; all the problems of a file are gathered (ScenarioErrors).
 *
 * The text is read the fast way first, without positions (scenario/document.ts); positions are
 * needed only for a message, so whenever anything is wrong, or a warning must be located, the
 * file is read again the slow way, with positions, and that reading says what is wrong.
 */
import { ScenarioErrors } from './errors.js';
import type { Inject, Scenario } from './model.js';
import { mselSchema, scenarioSchema, trackFileSchema, unitSchema, waypointSchema, type RawScenario } from './schema.js';
import { formatTime } from './units.js';
import { compile, compileInjects, MAX_UNITS, type CompileFiles } from './scenario/compile.js';
import { checkNumbers, decodeDocument, readDocumentFast, readDocumentSlow, type DocumentKind, type ReadDocument } from './scenario/document.js';
import { allIssues, itemsWithIssues, type Issue } from './scenario/issues.js';
import type { ScenarioFiles } from './scenario/files.js';
import { Problems } from './scenario/problems.js';
import { unitCheck } from './scenario/unit-check.js';

export { MAX_ALIASES } from './scenario/document.js';
export { MAX_TRACK_POINTS, MAX_UNITS } from './scenario/compile.js';
export { DEFAULT_MAX_GAP, MAX_DISTANCE, recordedTrack } from './scenario/values.js';

/**
 * Largest scenario file read, in bytes. Parsing YAML with positions takes about 150 times the
 * file's size in memory; long recorded tracks belong in track files (track: {file: ...}).
 */
export const MAX_FILE_BYTES = 4 * 1024 * 1024;

/** Where a scenario's track and zone files (`file:`) are looked for, and how they are read. */
export interface ParseOptions {
  /** The folder file paths are relative to (src/io/node/load.ts: the folder of `file`, unless it is `<scenario>`). */
  baseDir?: string;
  /** That folder as messages show it (the folder of the name shown for the scenario). */
  displayDir?: string;
  /** Let track and zone files lie outside that folder. */
  allowFilesOutside?: boolean;
  /** How referenced files are read (src/io/node/files.ts for Node); without it a `file:` reference is refused. */
  files?: ScenarioFiles;
}

const SCENARIO: DocumentKind = { what: 'a scenario', files: 'scenario files', emptyHint: 'start from `deconflict list` and scenarios/tutorial.yaml' };
const MSEL: DocumentKind = { what: 'a MSEL', files: 'MSEL files', emptyHint: 'a MSEL holds `injects:`, a list of timed injects' };

/**
 * Read a document the fast way and build from it; if anything is wrong (or a position is wanted),
 * read it the slow way and build again, and that build's problems are the answer.
 */
function build<T>(input: string | Uint8Array, file: string, kind: DocumentKind, make: (d: ReadDocument, pr: Problems) => T | undefined): T {
  const text = decodeDocument(input, file, kind);
  const fast = readDocumentFast(text, file);
  if (fast) {
    try {
      const pr = new Problems();
      const out = make(fast, pr);
      if (!pr.list.length && out !== undefined) return out;
    } catch {
      // Said again, with positions, below.
    }
  }
  const slow = readDocumentSlow(text, file, kind);
  const pr = new Problems();
  const out = make(slow, pr);
  if (pr.list.length) throw pr.list.length === 1 ? pr.list[0] : new ScenarioErrors(pr.list);
  if (out === undefined) throw new Error('the loader found no problem but built nothing');
  return out;
}

const LISTS = ['sites', 'zones', 'units', 'injects', 'expect'];

let plainUnit: ((u: unknown) => Record<string, unknown> | undefined) | undefined;

/**
 * Zones with their polygons' rings and lines' positions set aside for the schema's check, which
 * takes any value as a position (the loader checks positions itself): the schema is given each
 * ring and line as an empty list (what it says of a zone is the same: a list of positions, any
 * number of them), and `back` puts zod's copies of the lists in its output (new lists of the
 * same positions, as zod gives). Zod's generic walk over thousands of positions runs mostly
 * unoptimised in a process that reads one file. Undefined when no zone has such lists.
 */
function shapesAside(zones: unknown): { stand: unknown[]; back(out: Record<string, unknown>[]): void } | undefined {
  if (!Array.isArray(zones)) return undefined;
  const aside = new Map<number, { polygon?: unknown[][]; line?: unknown[] }>();
  const stand = zones.map((z: unknown, i) => {
    if (z === null || typeof z !== 'object' || Array.isArray(z)) return z;
    const { polygon, line } = z as { polygon?: unknown; line?: unknown };
    const rings = Array.isArray(polygon) && polygon.every((r) => Array.isArray(r)) ? (polygon as unknown[][]) : undefined;
    const points = Array.isArray(line) ? (line as unknown[]) : undefined;
    if (!rings && !points) return z;
    aside.set(i, { polygon: rings, line: points });
    return { ...z, ...(rings ? { polygon: rings.map(() => []) } : {}), ...(points ? { line: [] } : {}) };
  });
  if (!aside.size) return undefined;
  return {
    stand,
    back: (out) => {
      for (const [i, { polygon, line }] of aside) {
        if (polygon) out[i].polygon = polygon.map((r) => r.slice());
        if (line) out[i].line = line.slice();
      }
    },
  };
}

/**
 * The schema's check of a scenario: the units written plainly checked by scenario/unit-check.ts,
 * the rest of the file (and the units it cannot vouch for) by zod; the same result as
 * scenarioSchema.safeParse(raw) when the file is valid. When zod finds anything wrong, the whole
 * file is checked by zod, whose issues are the messages.
 */
export function checkScenarioSchema(raw: Record<string, unknown>): ReturnType<typeof scenarioSchema.safeParse> {
  const units = raw.units;
  if (Array.isArray(units) && units.length > 1) {
    plainUnit ??= unitCheck({
      unit: Object.keys(unitSchema.shape),
      trackFile: Object.keys(trackFileSchema.shape),
      waypoint: Object.keys(waypointSchema.shape),
    });
    const checked: (Record<string, unknown> | undefined)[] = units.map((u) => plainUnit!(u));
    const rest = units.filter((_, i) => checked[i] === undefined);
    const zones = shapesAside(raw.zones);
    // The schema needs one unit at least: the first, when every unit is plain.
    const parsed = scenarioSchema.safeParse({ ...raw, ...(zones ? { zones: zones.stand } : {}), units: rest.length ? rest : [units[0]] });
    if (parsed.success) {
      let k = 0;
      const all = rest.length ? checked.map((c) => c ?? parsed.data.units[k++]) : checked;
      if (zones) zones.back(parsed.data.zones);
      return { success: true, data: { ...parsed.data, units: all as RawScenario['units'] } };
    }
  }
  return scenarioSchema.safeParse(raw);
}

/** Compile a scenario from its text (YAML or JSON); `file:` references are read through `opts.files`. */
export function parseScenario(input: string | Uint8Array, file = '<scenario>', opts: ParseOptions = {}): Scenario {
  const files: CompileFiles = {
    files: opts.files,
    baseDir: opts.baseDir,
    allowFilesOutside: opts.allowFilesOutside,
    cache: new Map(),
    displayDir: opts.displayDir ?? '.',
  };
  return build(input, file, SCENARIO, ({ raw, loc }, pr) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
      throw loc.error([], 'a scenario must be a mapping with title, start, end, zones and units', 'see docs/scenario-format.md');
    }
    // Limits before work: the schema is not run over more units than a scenario may hold.
    const units = (raw as { units?: unknown }).units;
    if (Array.isArray(units) && units.length > MAX_UNITS) {
      pr.add(loc.error(['units', MAX_UNITS], `more than ${MAX_UNITS} units`, `a scenario holds at most ${MAX_UNITS} units; split it`));
      return undefined;
    }
    checkNumbers(loc, raw, (e) => pr.add(e));
    if (pr.list.length) return undefined;
    const parsed = checkScenarioSchema(raw as Record<string, unknown>);
    if (parsed.success) return compile(parsed.data, loc, files, pr);
    // Every issue the schema finds; then whatever can be compiled of the items it found no issue in.
    const issues = parsed.error.issues as unknown as Issue[];
    for (const e of allIssues(loc, raw, issues, scenarioSchema)) pr.add(e);
    const bad = itemsWithIssues(issues, LISTS);
    if (bad) compile(raw as RawScenario, loc, files, pr, (list, i) => bad.has(`${list}/${i}`));
    return undefined;
  });
}

/** A master scenario events list: injects kept in their own file, run against a scenario in place of its own. */
export interface Msel {
  file: string;
  title?: string;
  description?: string;
  injects: Inject[];
}

/** Compile a MSEL from its text (YAML or JSON): `injects:` (the scenario's inject format) and an optional title. */
export function parseMsel(input: string | Uint8Array, scenario: Scenario, file = '<msel>'): Msel {
  return build(input, file, MSEL, ({ raw, loc }, pr) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
      throw loc.error([], 'a MSEL must be a mapping with an injects list', 'e.g. injects: [{t: +1h, type: message, text: ...}]');
    checkNumbers(loc, raw, (e) => pr.add(e));
    if (pr.list.length) return undefined;
    const parsed = mselSchema.safeParse(raw);
    if (!parsed.success) {
      for (const e of allIssues(loc, raw, parsed.error.issues, mselSchema)) pr.add(e);
      return undefined;
    }
    const unitIds = new Map(scenario.units.map((u, i) => [u.id, i]));
    const siteIds = new Map(scenario.sites.map((s, i) => [s.id, i]));
    const injects = compileInjects(
      parsed.data.injects,
      loc,
      pr,
      scenario.start,
      unitIds,
      siteIds,
      scenario.ladder,
      undefined,
      new Map(scenario.sites.map((s) => [s.id, s.pos])),
    );
    for (const inj of injects) {
      if (inj.t > scenario.end) {
        pr.add(
          loc.error(
            ['injects', inj.index, 't'],
            `this inject comes after the scenario ends (${formatTime(scenario.end)})`,
            'an inject after the end never happens; move it earlier',
          ),
        );
      }
    }
    return { file, title: parsed.data.title, description: parsed.data.description, injects };
  });
}
