import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PALETTE } from '../../src/core/palette.js';
import { Engine } from '../../src/core/engine.js';
import { loadScenario, parseMsel } from '../../src/io/node/load.js';
import { buildReport, renderReport, toHtml, toMarkdown } from '../../src/report/index.js';
import { cell } from '../../src/report/markdown.js';
import { mapSvg } from '../../src/report/svg.js';
import { doctrineChoice } from '../../src/training/grade.js';
import { applyMsel } from '../../src/training/msel.js';
import { prepareReplay } from '../../src/training/replay.js';
import { decisionLine, endLine, headerFor, SessionWriter, sha256File } from '../../src/training/session.js';
import { Trainer } from '../../src/training/trainer.js';
import { SCENARIO_FILES } from '../training/helpers.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const TANF = 'scenarios/tanf-2017-05-18.yaml';
const dir = mkdtempSync(join(tmpdir(), 'report-'));

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A session on At Tanf: monitor and warn right, then warning shots instead of the show of force. */
function recordSession(path: string): void {
  const sc = loadScenario(TANF);
  const t = new Trainer(sc);
  const w = new SessionWriter(path, true, headerFor(sc, { scenarioPath: TANF, scenarioSha: sha256File(TANF) }));
  for (;;) {
    const a = t.advance();
    if (a.kind === 'done') break;
    if (a.kind !== 'decision') continue;
    const d = t.answer(
      a.proposal.to === 'show_of_force' ? 'warning_shots' : doctrineChoice(a.proposal),
      a.proposal.to === 'show_of_force' ? 'skip the flyover' : undefined,
    );
    w.line(decisionLine(sc, d, a.situation.what));
  }
  w.line(endLine(t, 'complete'));
  w.close();
}

describe('report data from a doctrine run', () => {
  const sc = loadScenario(TANF);
  const r = buildReport({ scenario: sc });
  const convoy = r.units.find((u) => u.id === 'convoy')!;

  it('has a timeline of every escalation and inject, in order', () => {
    expect(r.mode).toBe('doctrine');
    expect(r.timeline.map((e) => `${e.type}:${e.rung ?? ''}`)).toEqual([
      'escalate:monitor',
      'inject:',
      'escalate:warn',
      'escalate:show_of_force',
      'escalate:warning_shots',
      'escalate:strike',
    ]);
    expect(r.timeline.every((e, i) => e.n === i + 1)).toBe(true);
    const events = new Engine(sc).runToEnd();
    expect(r.timeline.filter((e) => e.type === 'escalate').map((e) => e.reason)).toEqual(events.filter((e) => e.type === 'escalate').map((e) => e.reason));
  });

  it('gives per unit: first detection, zone entry, every rung, closest approach, time inside, outcome', () => {
    expect(convoy.firstDetection?.t).toMatch(/^2017-05-18T06:30:00/);
    expect(convoy.entries).toHaveLength(1);
    expect(convoy.entries[0].t).toMatch(/^2017-05-18T07:30:4\d/);
    expect(convoy.rungs.map((x) => x.rung)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
    expect(convoy.highestRung).toBe('strike');
    // Struck 44.6 km from the garrison; the halted convoy comes no closer.
    expect(convoy.closest).toHaveLength(1);
    expect(convoy.closest[0].site).toBe('tanf');
    expect(convoy.closest[0].m).toBeGreaterThan(44_000);
    expect(convoy.closest[0].m).toBeLessThan(45_500);
    expect(convoy.closest[0].t).toBe('2017-05-18T07:55:50Z');
    // Inside from entry to the strike.
    expect(convoy.insideMs).toBeGreaterThan(25 * 60_000 - 1000);
    expect(convoy.insideMs).toBeLessThan(25 * 60_000 + 15_000);
    expect(convoy.outcome).toBe('struck at 2017-05-18 07:55:50Z');
    const patrol = r.units.find((u) => u.id === 'mat-patrol')!;
    expect(patrol.firstDetection).toBeUndefined();
    expect(patrol.closest).toEqual([]);
    expect(patrol.outcome).toBe('never came near a zone that applies to it');
  });

  it('says per inject what was expected and what happened', () => {
    expect(r.injects).toHaveLength(1);
    const i = r.injects[0];
    expect(i.expected).toBe('monitor the convoy; no action while it stays outside the zone');
    expect(i.happened[0]).toBe('when it came: convoy at monitor');
    expect(i.happened[1]).toBe('2017-05-18 07:30:50Z (+30m50s): convoy warn');
  });

  it('carries the expectations and a map with zones, tracks coloured by rung and a mark where each rung fired', () => {
    expect(r.expectations.every((e) => e.passed)).toBe(true);
    expect(r.map.zones[0].rings[0].length).toBeGreaterThan(80);
    expect(r.map.marks.filter((m) => m.type === 'escalate').map((m) => m.rung)).toEqual(['monitor', 'warn', 'show_of_force', 'warning_shots', 'strike']);
    const levels = new Set(r.map.tracks.find((t) => t.unit === 'convoy')!.points.map((p) => p[2]));
    expect([...levels].sort()).toEqual([-1, 0, 1, 2, 3, 4]);
  });

  it('is the same every time', () => {
    expect(JSON.stringify(buildReport({ scenario: sc }))).toBe(JSON.stringify(r));
  });
});

describe('report of a training session', () => {
  const session = join(dir, 'session.ndjson');
  recordSession(session);
  const replay = prepareReplay({ scenarioPath: TANF, sessionPath: session });
  const r = buildReport({ scenario: replay.scenario, replay });

  it('has every decision against doctrine and the score', () => {
    expect(r.mode).toBe('session');
    expect(r.session!.status).toBe('complete');
    expect(r.session!.decisions.map((d) => `${d.choice}/${d.doctrine}/${d.grade}`)).toEqual([
      'monitor/monitor/correct',
      'warn/warn/correct',
      'warning shots/show of force/too_early',
      'strike/strike/correct',
    ]);
    expect(r.session!.decisions[2]).toMatchObject({
      justification: 'skip the flyover',
      from: 'warn',
      situation: expect.stringMatching(/^closed 2\.\d km on At Tanf garrison/),
    });
    expect(r.session!.score).toEqual({ correct: 3, total: 4, percent: 75 });
    expect(r.session!.byGrade).toMatchObject({ correct: 3, too_early: 1 });
  });

  it('shows the trainee’s run and what doctrine alone would have done', () => {
    const convoy = r.units.find((u) => u.id === 'convoy')!;
    expect(convoy.rungs.map((x) => x.rung)).toEqual(['monitor', 'warn', 'warning_shots', 'strike']);
    expect(convoy.rungs.every((x) => x.by === 'trainee')).toBe(true);
    expect(r.session!.doctrineOutcomes.find((d) => d.unit === 'convoy')!.outcome).toBe('struck at 2017-05-18 07:55:50Z');
  });

  it('renders the decisions in Markdown and HTML', () => {
    const md = toMarkdown(r);
    expect(md).toContain('## Decisions against doctrine');
    expect(md).toContain('Score: **3 of 4 decisions as doctrine would (75 %).**');
    expect(md).toMatch(
      /\| 3 \| 2017-05-18 07:35:50Z \| convoy \| tanf-dz \| closed [^|]+ \| warn \| warning shots \| show of force \| too early \(a rung skipped\) \| skip the flyover \|/,
    );
    const html = toHtml(r);
    expect(html).toContain('<h2>Decisions against doctrine</h2>');
    expect(html).toContain('too early (a rung skipped)');
  });
});

describe('formats', () => {
  const sc = loadScenario(TANF);
  const r = buildReport({ scenario: sc });

  it('Markdown has the sections and well-formed tables', () => {
    const md = toMarkdown(r);
    for (const h of [
      '# After-action report: At Tanf, 18 May 2017',
      '## Summary',
      '## Timeline of escalation',
      '## Units',
      '### convoy — Pro-regime convoy',
      '## Injects',
      '## Expectations',
    ])
      expect(md).toContain(h);
    for (const table of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const rows = table.split('\n');
      const cols = (l: string) => l.replace(/\\\|/g, '').split('|').length;
      expect(new Set(rows.map(cols)).size).toBe(1);
    }
    expect(cell('a | b\nc')).toBe('a \\| b c');
  });

  it('HTML is one self-contained file with the map picture', () => {
    const html = toHtml(r);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    // Nothing fetched: no scripts, stylesheets, images or fonts from elsewhere.
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(/i);
    expect(html.match(/https?:\/\/[^"'\s<]+/g) ?? []).toEqual(['http://www.w3.org/2000/svg']);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    // One numbered mark per escalation, in the strike colour at the strike.
    expect(html.match(/<circle [^>]*r="8"/g)).toHaveLength(5);
    expect(html).toContain(`fill="${PALETTE.strike.hex}"`);
    expect(html).toContain('At Tanf garrison');
    // Country borders for context (the Syria–Jordan–Iraq corner is on this map), dotted and grey, kept to the map's area.
    const border =
      /<svg x="0" y="0" width="\d+" height="\d+" viewBox="[\d ]+" overflow="hidden"><path d="(M[^"]+)" fill="none" stroke="#7d8590"[^>]*stroke-dasharray="1 3"[^>]*><title>country borders<\/title>/.exec(
        html,
      );
    expect(border).not.toBeNull();
    const [w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(html)!.slice(1).map(Number);
    const inside = border![1]
      .split(/[ML]/)
      .filter(Boolean)
      .map((p) => p.split(',').map(Number))
      .filter(([x, y]) => x >= 0 && x <= w && y >= 0 && y <= h);
    expect(inside.length).toBeGreaterThan(3);
    expect(html).toContain('country border</text>');
  });

  it('escapes what scenario authors write', () => {
    const base = loadScenario(TANF);
    const evil = applyMsel(
      base,
      parseMsel('injects:\n  - {t: +1h, type: message, text: "<script>alert(1)</script> & co", expected: "a | b"}\n', base, 'm.yaml'),
    );
    const rep = buildReport({ scenario: { ...evil, title: 'A <b>bold</b> title' } });
    const html = toHtml(rep);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
    expect(html).toContain('A &lt;b&gt;bold&lt;/b&gt; title');
    expect(mapSvg(rep.map)).not.toContain('<b>');
    // Markdown shows the markup as text (a renderer would otherwise run it): issue 17.
    expect(toMarkdown(rep)).toContain(String.raw`exercise message: \<script\>alert(1)\</script\> & co`);
    expect(toMarkdown(rep)).not.toMatch(/(^|[^\\])<script>/);
  });

  it('JSON is the report data', () => {
    expect(JSON.parse(renderReport(r, 'json'))).toEqual(JSON.parse(JSON.stringify(r)));
  });

  it.each(SCENARIO_FILES)('%s: every format renders', (file) => {
    const rep = buildReport({ scenario: loadScenario(file) });
    expect(toMarkdown(rep)).toContain('## Timeline of escalation');
    expect(toHtml(rep)).toContain('</svg>');
    expect(rep.units.length).toBeGreaterThan(0);
  });
});

describe('deconflict report', () => {
  it('writes Markdown to standard output by default', () => {
    const r = cli(['report', 'tanf-2017-05-18']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('# After-action report: At Tanf, 18 May 2017');
  });

  it('writes to a file, and never over an existing one without --force', () => {
    const out = join(dir, 'r.html');
    writeFileSync(out, 'mine\n');
    const r = cli(['report', TANF, '--format', 'html', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`deconflict: ${out} exists; pass --force to overwrite it\n`);
    expect(readFileSync(out, 'utf8')).toBe('mine\n');
    const f = cli(['report', TANF, '--format', 'html', '-o', out, '--force']);
    expect(f.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });

  it('reports a session', () => {
    const session = join(dir, 'cli-session.ndjson');
    recordSession(session);
    const r = cli(['report', TANF, '--session', session, '--format', 'json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).session.score.percent).toBe(75);
  });

  it('refuses bad input with file:line:column and exit 2', () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"type":"session","version":1}\n');
    const r = cli(['report', TANF, '--session', bad]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.ndjson:1:\d+: seed: missing required field 'seed'/);
    expect(r.err).not.toMatch(/at .*\.js:\d+/);

    const msel = join(dir, 'bad-msel.yaml');
    writeFileSync(msel, 'injects:\n  - {t: +1h, type: halt, unit: konvoy}\n');
    const m = cli(['report', TANF, '--msel', msel]);
    expect(m.code).toBe(2);
    expect(m.err).toBe(`${msel}:2:32: injects[0].unit: unknown unit 'konvoy' (did you mean 'convoy'?)\n`);

    expect(cli(['report', TANF, '--format', 'pdf']).code).toBe(2);
    expect(cli(['report', 'scenarios/none.yaml']).err).toMatch(/none\.yaml:1:1: no such file/);
    const other = join(dir, 'other.ndjson');
    recordSession(other);
    const mismatch = cli(['report', 'scenarios/tanf-2017-06-06.yaml', '--session', other]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.err).toMatch(/other\.ndjson:1:\d+: scenario_sha256: the session was recorded on another version of the scenario/);
    expect(existsSync(join(dir, 'none'))).toBe(false);
  });
});
