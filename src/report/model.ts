/**
 * The after-action report as data: what every format (Markdown, HTML, JSON) shows. It comes
 * from one run, doctrine's or a replayed training session's, stepped tick by tick so that the
 * closest approach to each protected site and the track coloured by rung can be measured.
 * Nothing in it depends on the wall clock: the same inputs give the same report.
 */
import type { TickBatch } from '../core/engine.js';
import { Engine } from '../core/engine.js';
import type { SimEvent } from '../core/events.js';
import { checkExpectations } from '../core/expect.js';
import { Nearest } from '../core/analysis/closest.js';
import { geodesicCircle } from '../core/geo/circle.js';
import { geodesicDistance } from '../core/geo/geodesic.js';
import { briefComposition, describeComposition, RUNG_LABEL, rungLevel, threatScore } from '../core/ladder.js';
import type { LonLat, Rung, Scenario } from '../core/model.js';
import { formatDuration, formatTime } from '../core/units.js';
import { maxOf, minOf } from '../core/extent.js';

export const REPORT_VERSION = 1;

export interface RungEntry {
  t: string;
  zone: string;
  type: 'escalate' | 'stand_down';
  from: Rung | null;
  rung: Rung | null;
  by?: 'doctrine' | 'trainee';
  reason: string;
}

export interface UnitReport {
  id: string;
  name: string;
  side: string;
  composition: string;
  brief: string;
  threat: number;
  /** First time the unit came within a zone's approach band (or straight in). */
  firstDetection?: { t: string; zone: string; reason: string };
  /** Every entry into a zone (or across a line). */
  entries: { t: string; zone: string }[];
  rungs: RungEntry[];
  highestRung: Rung | null;
  /** Closest approach to each protected site of a zone that applies to the unit. */
  closest: { site: string; siteName: string; m: number; t: string }[];
  /** Time inside each zone, ms, and in all. */
  inside: { zone: string; ms: number }[];
  insideMs: number;
  struck: boolean;
  outcome: string;
}

export interface InjectReport {
  index: number;
  t: string;
  type: string;
  /** For a reaction: the rung that sets it off. */
  on?: Rung;
  unit?: string;
  text?: string;
  expected?: string;
  notes?: string;
  /** What happened, in words: the state at the inject and the rung changes in the hour after. */
  happened: string[];
}

export interface DecisionReport {
  n: number;
  t: string;
  unit: string;
  zone: string;
  kind: string;
  situation: string;
  from: Rung | null;
  choice: string;
  doctrine: string;
  /** The grade's id (correct, too_early...). */
  grade: string;
  gradeLabel: string;
  justification?: string;
  rule: string;
  reason: string;
}

export interface MapData {
  zones: { id: string; name: string; type: 'circle' | 'polygon' | 'line'; rings: LonLat[][]; band?: LonLat[]; forbidden?: LonLat[][] }[];
  sites: { id: string; name: string; pos: LonLat }[];
  /** Each unit's track as drawn: points with the rung level in force (-1 none … 4 strike). */
  tracks: { unit: string; points: [number, number, number][] }[];
  /** With a session: doctrine's track of each unit whose run under doctrine differs from the student's (drawn beside it). */
  doctrine?: { unit: string; points: [number, number, number][] }[];
  /** Where each rung fired, numbered as in the timeline. */
  marks: { n: number; t: string; unit: string; type: string; rung: Rung | null; at: LonLat }[];
}

export interface TimelineEntry {
  n?: number;
  t: string;
  /** An event's type, or 'hold': the trainee held the rung where doctrine would have moved (no event of its own). */
  type: SimEvent['type'] | 'hold';
  unit?: string;
  zone?: string;
  from?: Rung | null;
  rung?: Rung | null;
  by?: 'doctrine' | 'trainee';
  reason: string;
}

export interface ReportData {
  version: number;
  title: string;
  scenario: string;
  description?: string;
  msel?: { file: string; title?: string };
  seed: number;
  start: string;
  end: string;
  /** Where the run stopped (the end, or where a student quit). */
  stopped: string;
  mode: 'doctrine' | 'session';
  timeline: TimelineEntry[];
  units: UnitReport[];
  injects: InjectReport[];
  expectations: { text: string; passed: boolean; detail: string }[];
  session?: {
    file: string;
    /** Who took the decisions (the session's student, else its file's name). */
    student: string;
    status: 'complete' | 'quit' | 'incomplete';
    decisions: DecisionReport[];
    score: { correct: number; total: number; percent: number };
    /** Decisions by grade id, every grade listed. */
    byGrade: Record<string, number>;
    /** Each unit's outcome under doctrine alone, for comparison. */
    doctrineOutcomes: { unit: string; outcome: string }[];
  };
  map: MapData;
  /**
   * With a session that has branches (the student went back to a decision and answered it
   * again): each branch beside the line it left. The rest of the report is of the first answers.
   */
  branches?: BranchComparison[];
}

/** One line of answers at the decision a branch answered again, and what came of it. */
export interface BranchSide {
  /** 0 the first answers, k branch k. */
  line: number;
  /** The answer at the decision (null: the student went back to it and stopped before answering). */
  choice: string | null;
  grade: string | null;
  gradeLabel: string;
  justification?: string;
  status: 'complete' | 'quit' | 'incomplete';
  stopped: string;
  score: { correct: number; total: number; percent: number };
  /** The unit decided on and every unit whose outcome differs between the two lines (at most MAX_BRANCH_UNITS). */
  outcomes: { unit: string; outcome: string; struck: boolean; highestRung: Rung | null }[];
  /** Rung changes, holds and hostile acts from the decision on (at most MAX_BRANCH_AFTER). */
  after: TimelineEntry[];
  /** How many were left out of `after`. */
  afterMore: number;
}

export interface BranchComparison {
  /** The branch's number (1, 2, …), the line it left and the decision answered again. */
  branch: number;
  parent: number;
  at: number;
  t: string;
  unit: string;
  zone: string;
  situation: string;
  doctrine: string;
  /** The line it left, and the branch. */
  first: BranchSide;
  again: BranchSide;
  /** Units whose outcome differs but were left out of `outcomes`. */
  unitsMore: number;
}

/**
 * The score in words: none before any decision, and for a session that did not reach the end,
 * said to cover only the decisions taken (one answer of one is not "100 %" of an exercise).
 */
export function scoreText(
  s: { status: 'complete' | 'quit' | 'incomplete'; score: { correct: number; total: number; percent: number } },
  stopped: string,
): string {
  const { correct, total, percent } = s.score;
  const cut =
    s.status === 'complete'
      ? ''
      : ` — the session ${s.status === 'quit' ? 'was quit' : 'stops'} at ${stopped.replace('T', ' ')}, before the end: this covers only the decisions taken`;
  if (!total) return `No decisions were taken${cut}.`;
  return `${correct} of ${total} decisions as doctrine would (${percent} %)${cut}.`;
}

/** How long after an inject its effects are looked for. */
const INJECT_WINDOW = 60 * 60_000;
/** Most points drawn per track. */
const MAX_TRACK_POINTS = 600;

export interface ReportInput {
  scenario: Scenario;
  seed?: number;
  msel?: MselInfo;
  /** A session to replay (src/training/replay.ts prepareReplay gives one); without it, doctrine runs alone. */
  replay?: SessionReplay;
}

/** The MSEL a run used (its injects are already in the scenario). */
interface MselInfo {
  file: string;
  title?: string;
}

/** A recorded training session set up for replay: what the report steps and what it says of the session. */
export interface SessionReplay {
  msel?: MselInfo;
  /** The seed the session was recorded with. */
  seed: number;
  engine: Engine;
  /** The replay's next tick (undefined at the session's end). */
  step(): TickBatch | undefined;
  /** The session's part of the report, but for the outcomes under doctrine (once stepped). */
  summary(): Omit<NonNullable<ReportData['session']>, 'doctrineOutcomes'>;
  /** The trainee's holds, where on the track each was decided (once stepped). */
  holds(): Hold[];
}

interface Sampled {
  events: SimEvent[];
  stoppedAt: number;
  /** Per unit, its closest approach to each site it is judged against (in the order of the zones protecting them). */
  closest: { site: number; m: number; t: number }[][];
  /** Per unit, its events in order. */
  byUnit: SimEvent[][];
  tracks: [number, number, number][][];
  struck: boolean[];
}

/** Step a run to its end, measuring what the report needs. */
function sample(sc: Scenario, engine: Engine, next: () => TickBatch | undefined): Sampled {
  const n = sc.units.length;
  const sitesFor: number[][] = sc.units.map((_, u) => {
    const s = new Set<number>();
    sc.zones.forEach((z, zi) => {
      if (z.protects >= 0 && engine.appliesTo(u, zi)) s.add(z.protects);
    });
    return [...s];
  });
  const closest = sitesFor.map((sites) => sites.map((site) => ({ site, near: new Nearest() })));
  const raw: [number, number, number][][] = Array.from({ length: n }, () => []);
  for (let b = next(); b; b = next()) {
    const pos = engine.positions;
    for (let u = 0; u < n; u++) {
      const lon = pos[u * 2];
      const lat = pos[u * 2 + 1];
      raw[u].push([lon, lat, rungLevel(engine.unitRung(u).rung)]);
      for (const c of closest[u]) c.near.offer(geodesicDistance([lon, lat], sc.sites[c.site].pos), b.t);
    }
  }
  // Each unit's events, gathered in one pass (the report is linear in units and events).
  const index = new Map(sc.units.map((x, u) => [x.id, u]));
  const byUnit: SimEvent[][] = sc.units.map(() => []);
  for (const e of engine.events) {
    const u = e.unit !== undefined ? index.get(e.unit) : undefined;
    if (u !== undefined) byUnit[u].push(e);
  }
  return {
    events: engine.events.slice(),
    byUnit,
    stoppedAt: engine.time,
    closest: closest.map((cs) => cs.filter((c) => c.near.m < Infinity).map((c) => ({ site: c.site, m: c.near.m, t: c.near.t }))),
    tracks: raw.map(simplify),
    struck: sc.units.map((_, u) => engine.isStruck(u)),
  };
}

/** Keep every rung change and enough points to draw the track. */
function simplify(points: [number, number, number][]): [number, number, number][] {
  if (points.length <= MAX_TRACK_POINTS) return points.map(round);
  const step = Math.ceil(points.length / MAX_TRACK_POINTS);
  const out: [number, number, number][] = [];
  for (let i = 0; i < points.length; i++) {
    const changes = i > 0 && points[i][2] !== points[i - 1][2];
    if (i % step === 0 || changes || i === points.length - 1) out.push(round(points[i]));
  }
  return out;
}

const round = (p: [number, number, number]): [number, number, number] => [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6, p[2]];

/** Build the report of a run. Throws ScenarioError when a session does not fit its scenario. */
export function buildReport(input: ReportInput): ReportData {
  const sc = input.scenario;
  let sampled: Sampled;
  let session: ReportData['session'];
  let doctrineTracks: Sampled['tracks'] | undefined;
  if (input.replay) {
    const r = input.replay;
    sampled = sample(sc, r.engine, () => r.step());
    const doctrine = new Engine(sc, { seed: r.seed });
    const doc = sample(sc, doctrine, () => (doctrine.done ? undefined : doctrine.step()));
    session = { ...r.summary(), doctrineOutcomes: sc.units.map((_, u) => ({ unit: sc.units[u].id, outcome: unitReport(sc, u, doc).outcome })) };
    doctrineTracks = doc.tracks;
  } else {
    const engine = new Engine(sc, { seed: input.seed });
    sampled = sample(sc, engine, () => (engine.done ? undefined : engine.step()));
  }
  const events = sampled.events;
  const holds = input.replay ? input.replay.holds() : [];
  const { timeline, numbered } = timelineOf(events, holds);
  return {
    version: REPORT_VERSION,
    title: sc.title,
    scenario: sc.file,
    ...(sc.description ? { description: sc.description.trim() } : {}),
    ...(input.msel || input.replay?.msel ? { msel: mselInfo((input.replay?.msel ?? input.msel)!) } : {}),
    seed: input.replay ? input.replay.seed : (input.seed ?? sc.seed),
    start: formatTime(sc.start),
    end: formatTime(sc.end),
    stopped: formatTime(sampled.stoppedAt),
    mode: input.replay ? 'session' : 'doctrine',
    timeline,
    units: sc.units.map((_, u) => unitReport(sc, u, sampled)),
    injects: sc.injects.map((_, i) => injectReport(sc, i, events, sampled.stoppedAt)),
    expectations:
      sampled.stoppedAt >= sc.end ? checkExpectations(sc, events).map((r) => ({ text: r.expectation.text, passed: r.passed, detail: r.detail })) : [],
    ...(session ? { session } : {}),
    map: mapData(sc, sampled, events, numbered, holds, doctrineTracks),
  };
}

function mselInfo(m: MselInfo): MselInfo {
  return { file: m.file, ...(m.title ? { title: m.title } : {}) };
}

function isTimeline(e: SimEvent): boolean {
  return e.type === 'escalate' || e.type === 'stand_down' || e.type === 'hostile_act' || e.type === 'inject';
}

/** A trainee's hold: the rung kept where doctrine would have moved. It fires no event, yet it is a decision the debrief needs to see. */
export interface Hold {
  t: number;
  unit: string;
  zone: string;
  rung: Rung | null;
  at: LonLat;
  reason: string;
}

/** The timeline: rung changes, stand-downs, hostile acts, injects and holds, by time, numbered from 1; and the number of each event. */
function timelineOf(events: readonly SimEvent[], holds: readonly Hold[]): { timeline: TimelineEntry[]; numbered: Map<SimEvent | Hold, number> } {
  const items: (SimEvent | Hold)[] = events.filter(isTimeline);
  // A hold goes after the events of its moment (it answers what they led to).
  for (const h of holds) {
    let i = items.length;
    while (i > 0 && items[i - 1].t > h.t) i--;
    items.splice(i, 0, h);
  }
  const numbered = new Map<SimEvent | Hold, number>();
  const timeline = items.map((e, i): TimelineEntry => {
    numbered.set(e, i + 1);
    if (!('type' in e))
      return { n: i + 1, t: formatTime(e.t), type: 'hold', unit: e.unit, zone: e.zone, from: e.rung, rung: e.rung, by: 'trainee', reason: e.reason };
    return {
      n: i + 1,
      t: formatTime(e.t),
      type: e.type,
      ...(e.unit ? { unit: e.unit } : {}),
      ...(e.zone ? { zone: e.zone } : {}),
      ...(e.type === 'escalate' || e.type === 'stand_down' ? { from: e.from ?? null, rung: e.rung ?? null } : {}),
      ...(e.by ? { by: e.by } : {}),
      reason: e.reason,
    };
  });
  return { timeline, numbered };
}

function unitReport(sc: Scenario, u: number, s: Sampled): UnitReport {
  const unit = sc.units[u];
  const mine = s.byUnit[u];
  const first = mine.find((e) => e.type === 'approach' || e.type === 'enter');
  const rungs: RungEntry[] = mine
    .filter((e) => e.type === 'escalate' || e.type === 'stand_down')
    .map((e) => ({
      t: formatTime(e.t),
      zone: e.zone ?? '',
      type: e.type as RungEntry['type'],
      from: e.from ?? null,
      rung: e.rung ?? null,
      ...(e.by ? { by: e.by } : {}),
      reason: e.reason,
    }));
  const highest = rungs.reduce<Rung | null>((m, r) => (r.type === 'escalate' && rungLevel(r.rung) > rungLevel(m) ? r.rung : m), null);
  // Time inside each zone, from the engine's own enter and exit events (hysteresis included).
  const inside: { zone: string; ms: number }[] = [];
  const open = new Map<string, number>();
  const insideNow = new Set<string>();
  for (const e of mine) {
    if (!e.zone) continue;
    if (e.type === 'enter') {
      open.set(e.zone, e.t);
      insideNow.add(e.zone);
    } else if (e.type === 'exit' && e.area === 'zone' && open.has(e.zone)) {
      add(inside, e.zone, e.t - open.get(e.zone)!);
      open.delete(e.zone);
      insideNow.delete(e.zone);
    }
  }
  // A struck unit's time inside ends at the strike.
  const strikeEv = mine.find((e) => e.type === 'escalate' && e.rung === 'strike');
  const endInside = s.struck[u] && strikeEv ? strikeEv.t : s.stoppedAt;
  for (const [z, t] of open) add(inside, z, Math.max(0, endInside - t));
  const closest = s.closest[u].map((v) => {
    const site = sc.sites[v.site];
    return { site: site.id, siteName: site.name, m: Math.round(v.m * 10) / 10, t: formatTime(v.t) };
  });
  const struck = s.struck[u];
  const strike = rungs.find((r) => r.type === 'escalate' && r.rung === 'strike');
  const last = rungs[rungs.length - 1];
  let outcome: string;
  if (struck && strike) outcome = `struck at ${human(Date.parse(strike.t))}${strike.by === 'trainee' ? ' (the trainee’s decision)' : ''}`;
  else if (insideNow.size) outcome = `still inside ${[...insideNow].join(', ')} at ${human(s.stoppedAt)}, at ${last?.rung ? RUNG_LABEL[last.rung] : 'no rung'}`;
  else if (last && last.rung === null) outcome = `left; monitoring ended at ${human(Date.parse(last.t))}`;
  else if (last) outcome = `outside the zone at ${human(s.stoppedAt)}, at ${last.rung ? RUNG_LABEL[last.rung] : 'no rung'}`;
  else if (first) outcome = 'came near a zone; no rung fired';
  else outcome = 'never came near a zone that applies to it';
  return {
    id: unit.id,
    name: unit.name,
    side: unit.side,
    composition: describeComposition(unit.composition),
    brief: briefComposition(unit.composition),
    threat: threatScore(unit.composition, sc.doctrine.threatWeights),
    ...(first ? { firstDetection: { t: formatTime(first.t), zone: first.zone ?? '', reason: first.reason } } : {}),
    entries: mine.filter((e) => e.type === 'enter').map((e) => ({ t: formatTime(e.t), zone: e.zone ?? '' })),
    rungs,
    highestRung: highest,
    closest,
    inside,
    insideMs: inside.reduce((a, b) => a + b.ms, 0),
    struck,
    outcome,
  };
}

/** A time for sentences, to the second: `2017-05-18 07:55:50Z`. */
function human(t: number): string {
  return formatTime(Math.floor(t / 1000) * 1000).replace('T', ' ');
}

function add(list: { zone: string; ms: number }[], zone: string, ms: number): void {
  const x = list.find((i) => i.zone === zone);
  if (x) x.ms += ms;
  else list.push({ zone, ms });
}

function injectReport(sc: Scenario, i: number, events: readonly SimEvent[], stoppedAt: number): InjectReport {
  const inj = sc.injects[i];
  const unitId = 'unit' in inj ? sc.units[inj.unit].id : undefined;
  const happened: string[] = [];
  const own = events.find((e) => e.inject === inj.index && (e.type === 'inject' || e.type === 'hostile_act'));
  const on = inj.type !== 'message' && inj.type !== 'hostile_act' ? inj.on : undefined;
  if (on) {
    happened.push(
      own
        ? `took effect at ${human(own.t)}, when ${unitId} was brought to ${RUNG_LABEL[on]}`
        : `never took effect: ${unitId} was not brought to ${RUNG_LABEL[on]} after ${human(inj.t)}`,
    );
  }
  const at = own?.t ?? inj.t;
  if (inj.t > stoppedAt) {
    happened.push('the run stopped before this inject');
  } else if (!on || own) {
    // Where the units stood when it came.
    const cut = own?.seq ?? events.find((e) => e.t >= inj.t)?.seq ?? Infinity;
    const rungAt = new Map<string, Rung | null>();
    for (const e of events) {
      if (e.seq >= cut) break;
      if ((e.type === 'escalate' || e.type === 'stand_down') && e.unit) rungAt.set(e.unit, e.rung ?? null);
    }
    const who = unitId ? [unitId] : [...rungAt.keys()];
    const state = who.map((id) => `${id} at ${rungAt.get(id) ? RUNG_LABEL[rungAt.get(id)!] : 'no rung'}`);
    happened.push(state.length ? `when it came: ${state.join(', ')}` : 'when it came: no unit was at any rung');
    const until = Math.min(at + INJECT_WINDOW, stoppedAt);
    const after = events.filter(
      (e) =>
        e.t >= at &&
        e.t <= until &&
        (!own || e.seq > own.seq || e.t > at) &&
        (e.type === 'escalate' || e.type === 'stand_down') &&
        (!unitId || e.unit === unitId),
    );
    for (const e of after) {
      const what =
        e.type === 'stand_down'
          ? `stood down to ${e.rung ? RUNG_LABEL[e.rung] : 'none'}`
          : e.from === e.rung
            ? `held at ${e.rung ? RUNG_LABEL[e.rung] : 'no rung'}`
            : `${e.rung ? RUNG_LABEL[e.rung] : 'none'}`;
      const delay = e.t - at;
      happened.push(`${human(e.t)}${delay > 0 ? ` (+${formatDuration(delay)})` : ''}: ${e.unit} ${what}${e.by === 'trainee' ? ' (trainee)' : ''}`);
    }
    if (!after.length) happened.push(`no rung changed in the ${formatDuration(until - at)} after it`);
  }
  return {
    index: inj.index,
    t: formatTime(inj.t),
    type: inj.type,
    ...(on ? { on } : {}),
    ...(unitId ? { unit: unitId } : {}),
    ...(inj.text ? { text: inj.text } : {}),
    ...(inj.expected ? { expected: inj.expected } : {}),
    ...(inj.notes ? { notes: inj.notes } : {}),
    happened,
  };
}

function mapData(
  sc: Scenario,
  s: Sampled,
  events: readonly SimEvent[],
  numbered: Map<SimEvent | Hold, number>,
  holds: readonly Hold[],
  doctrine?: Sampled['tracks'],
): MapData {
  const zones = sc.zones.map((z) => {
    if (z.type === 'circle' && z.center && z.radius) {
      return { id: z.id, name: z.name, type: z.type, rings: [circle(z.center, z.radius)], band: circle(z.center, z.radius + z.approach) };
    }
    const rings = z.shape.outline().map((r) => r.map(([lon, lat]) => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6] as LonLat));
    if (z.type === 'line') return { id: z.id, name: z.name, type: z.type, rings, forbidden: forbiddenTicks(z.shape, rings[0] ?? []) };
    return { id: z.id, name: z.name, type: z.type, rings };
  });
  const marks: MapData['marks'] = [];
  for (const e of events) {
    if ((e.type === 'escalate' || e.type === 'stand_down' || e.type === 'hostile_act') && e.at && e.unit) {
      marks.push({
        n: numbered.get(e) ?? 0,
        t: formatTime(e.t),
        unit: e.unit,
        type: e.type,
        rung: e.rung ?? null,
        at: [Math.round(e.at[0] * 1e6) / 1e6, Math.round(e.at[1] * 1e6) / 1e6],
      });
    }
  }
  for (const h of holds) marks.push({ n: numbered.get(h) ?? 0, t: formatTime(h.t), unit: h.unit, type: 'hold', rung: h.rung, at: h.at });
  marks.sort((a, b) => a.n - b.n);
  return {
    zones,
    sites: sc.sites.map((x) => ({ id: x.id, name: x.name, pos: x.pos })),
    tracks: sc.units.map((u, i) => ({ unit: u.id, points: s.tracks[i] })),
    ...(doctrine
      ? { doctrine: sc.units.flatMap((u, i) => (JSON.stringify(doctrine[i]) === JSON.stringify(s.tracks[i]) ? [] : [{ unit: u.id, points: doctrine[i] }])) }
      : {}),
    marks,
  };
}

/** A circle as the report draws it: 90 sides (every 4°), to the micro-degree. */
function circle(center: LonLat, radius: number): LonLat[] {
  return geodesicCircle(center, radius, 90).map(([lon, lat]) => [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6] as LonLat);
}

/** Short ticks on the forbidden side of a line, one at the middle of each segment. */
function forbiddenTicks(shape: { signedDistance(lon: number, lat: number): number }, pts: LonLat[]): LonLat[][] {
  const out: LonLat[][] = [];
  const span = maxOf(pts, (p) => p[1]) - minOf(pts, (p) => p[1]) + maxOf(pts, (p) => p[0]) - minOf(pts, (p) => p[0]);
  const len = Math.max(span / 40, 0.005);
  for (let i = 1; i < pts.length; i++) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[i];
    const mx = (x0 + x1) / 2;
    const my = (y0 + y1) / 2;
    const dx = x1 - x0;
    const dy = y1 - y0;
    const n = Math.hypot(dx, dy) || 1;
    const nx = (-dy / n) * len;
    const ny = (dx / n) * len;
    const side = shape.signedDistance(mx + nx, my + ny) < 0 ? 1 : -1;
    out.push([
      [mx, my],
      [Math.round((mx + side * nx) * 1e6) / 1e6, Math.round((my + side * ny) * 1e6) / 1e6],
    ]);
  }
  return out;
}
