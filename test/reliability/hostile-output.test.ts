/**
 * Hostile input, output side, through the built binary: text from a scenario, a file name or a
 * live line never reaches a terminal raw (no ESC, BEL or C1; a file name with a line break gives
 * a one-line error; a unit name cannot set the window title of the terminal UI); the Markdown
 * report shows markup as text; the KML and CoT exports are well-formed XML; `import` writes a
 * name with a line break into YAML without letting it add anything. Every write checks its
 * result: a full disk or a closed pipe is one line and exit 2 (EPIPE to `head` stays quiet, exit
 * 0), a report or export is whole or not there at all, `report -o DIR` says it is a folder.
 * The HTML report draws a map of thousands of units (it crashed at about 400). Needs `npm run build`.
 */
import { DOMParser } from '@xmldom/xmldom';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { generateWorkload, workloadToYaml } from '../../src/bench/workload.js';
import { runHeadless } from '../../src/cli/commands/run.js';
import { EventFile } from '../../src/cli/output.js';
import { Engine } from '../../src/core/engine.js';
import { PtySession } from '../e2e/pty.js';

const root = join(import.meta.dirname, '..', '..');
const BIN = join(root, 'dist', 'bin', 'deconflict.js');
const TANF = join(root, 'scenarios', 'tanf-2017-05-18.yaml');
const tmp = () => mkdtempSync(join(tmpdir(), 'deconflict-hostile-'));

function env(): NodeJS.ProcessEnv {
  const e = { ...process.env };
  delete e.DECONFLICT_DEBUG;
  return e;
}

function cli(args: string[], o: { cwd?: string; input?: string } = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: o.cwd ?? root, encoding: 'utf8', env: env(), input: o.input, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** A shell command line, for what needs redirection or a pipe. */
function sh(script: string, cwd = root) {
  const r = spawnSync('bash', ['-c', script], { cwd, encoding: 'utf8', env: { ...env(), BIN, NODE: process.execPath } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Anything a terminal acts on (C0 but line feed and tab, DEL, C1). */
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/;

/** The antimeridian case with ESC, BEL, OSC (window title), C1 and markup in every text. */
const EVIL = '\\e]0;PWNED\\a\\x9b2J<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))';
function hostileScenario(dir: string): string {
  const text = readFileSync(join(root, 'test', 'fixtures', 'antimeridian', 'scenario.yaml'), 'utf8')
    .replace(/^title: .*$/m, `title: "Title ${EVIL}"\ndescription: "Line one\\nLine two ${EVIL}"`)
    .replace('name: Island post', `name: "Island ${EVIL}"`)
    .replace('name: the dateline box', `name: "Box ${EVIL}"`)
    .replace('name: Boat', `name: "Boat ${EVIL}"`)
    .replace(/^expect:/m, `injects:\n  - {t: 2020-01-01T01:00:00Z, type: message, text: "Inject ${EVIL}", expected: "Expect ${EVIL}"}\nexpect:`);
  const file = join(dir, 'evil.yaml');
  writeFileSync(file, text);
  return file;
}

function parseXmlStrict(xml: string) {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, msg) => problems.push(`${level}: ${msg}`) }).parseFromString(xml, 'text/xml');
  expect(problems).toEqual([]);
  return doc;
}

describe('no text from outside reaches a terminal raw', () => {
  test('the scenario is valid, and its names and texts hold the controls (the test is real)', () => {
    const dir = tmp();
    const r = cli(['validate', hostileScenario(dir)]);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Title \\u001b]0;PWNED\\u0007\\u009b2J<script>');
  });

  test('the headless timeline, the check output and the Markdown report on standard output', () => {
    const file = hostileScenario(tmp());
    for (const args of [
      ['run', file],
      ['run', file, '--json'],
      ['check', file],
      ['report', file],
    ]) {
      const r = cli(args);
      expect(r.code, args.join(' ')).toBeLessThanOrEqual(1);
      expect(r.out).not.toMatch(RAW_CONTROL);
      expect(r.err).not.toMatch(RAW_CONTROL);
    }
    const md = cli(['report', file]).out;
    // Controls shown as escapes, markup escaped: it renders as the text, and does nothing.
    expect(md).toContain(
      String.raw`Inject \\u001b\]0;PWNED\\u0007\\u009b2J\<script\>alert(1)\</script\>\<img src=x onerror=alert(1)\>\[x\](javascript:alert(1))`,
    );
    expect(md).not.toMatch(/(^|[^\\])<(script|img)/);
    // The NDJSON stays JSON of the same text.
    const lines = cli(['run', file, '--json']).out.trim().split('\n');
    for (const l of lines) JSON.parse(l);
  });

  test('the HTML report escapes the text and holds no control character', () => {
    const r = cli(['report', hostileScenario(tmp()), '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(RAW_CONTROL);
    expect(r.out).not.toMatch(/<(script|img)\b/);
    expect(r.out).toContain('&lt;script&gt;');
  });

  test('the KML and CoT exports are well-formed XML with the text shown escaped', () => {
    const file = hostileScenario(tmp());
    const kml = cli(['run', file, '--export', 'kml']);
    expect(kml.code).toBe(0);
    const doc = parseXmlStrict(kml.out);
    const names = Array.from(doc.getElementsByTagName('name')).map((n) => n.textContent ?? '');
    expect(names).toContain('Boat \\u001b]0;PWNED\\u0007\\u009b2J<script>alert(1)</script><img src=x onerror=alert(1)>[x](javascript:alert(1))');
    const cot = cli(['run', file, '--export', 'cot']);
    expect(cot.code).toBe(0);
    const events = cot.out.trim().split('\n');
    expect(events.length).toBeGreaterThan(1);
    for (const e of events) parseXmlStrict(e);
  });

  test('a file name with a line break and escapes gives a one-line error', () => {
    const dir = tmp();
    const name = 'bad\n\x1b]0;PWNED\x07.yaml';
    writeFileSync(join(dir, name), 'title: x\nstart: nope\n');
    // run stops at the first problem: one line.
    const r = cli(['run', name], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toMatch(/^bad\\n\\u001b\]0;PWNED\\u0007\.yaml:\d+:\d+: /);
    // validate names every problem: one line each, every one starting with the escaped name.
    const v = cli(['validate', name], { cwd: dir });
    expect(v.code).toBe(2);
    expect(v.err).not.toMatch(RAW_CONTROL);
    const lines = v.err.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l).toMatch(/^bad\\n\\u001b\]0;PWNED\\u0007\.yaml:\d+:\d+: /);
    const missing = cli(['run', 'no\nsuch\x07.yaml']);
    expect(missing.code).toBe(2);
    expect(missing.err.split('\n')).toHaveLength(2);
    expect(missing.err).not.toMatch(RAW_CONTROL);
  });

  test('a live line with escapes in its unit gives a one-line warning', () => {
    const r = cli(['live', TANF, '--clock', 'feed', '--headless'], {
      input: `${JSON.stringify({ unit: '\x1b]0;PWNED\x07\u009b\nx', lat: 33.5, lon: 38.6, t: '2017-05-18T06:00:00Z' })}\n`,
    });
    expect(r.code).toBe(0);
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.err).toContain("stdin:1: unknown unit '\\u001b]0;PWNED\\u0007\\u009b\\nx'");
  });

  test('import writes a file name and a track name with a line break into YAML that adds nothing', () => {
    const dir = tmp();
    const name = 'evil\nstart: 1999-01-01T00:00:00Z\n#.csv';
    writeFileSync(join(dir, name), 'unit,time,lat,lon\n"a\nb: injected",2017-05-18T06:00:00Z,33.5,38.6\n"a\nb: injected",2017-05-18T06:05:00Z,33.6,38.7\n');
    const r = cli(['import', name, '--format', 'csv'], { cwd: dir });
    expect(r.err).not.toMatch(RAW_CONTROL);
    expect(r.code).toBe(0);
    const y = parseYaml(r.out);
    expect(y.start).toBe('2017-05-18T06:00:00Z');
    expect(y.units[0].name).toBe('a\nb: injected');
    expect(y.units[0].track.file).toBe(name);
    expect(Object.keys(y)).not.toContain('b');
  });
});

describe('the terminal UI', () => {
  const sessions: PtySession[] = [];
  afterEach(() => {
    for (const p of sessions.splice(0)) p.dispose();
  });

  test('a unit name cannot set the window title or move the cursor', async () => {
    const file = hostileScenario(tmp());
    const p = new PtySession(process.execPath, [BIN, file, '--no-mouse'], { cols: 120, rows: 40 });
    sessions.push(p);
    let title = '';
    p.term.onTitleChange((t) => (title = t));
    await p.waitFor((s) => s.includes('Map') && /q quit/.test(s), 20_000, 'the UI');
    // The title line shows the scenario's title.
    await p.waitFor('PWNED', 10_000, 'the title');
    await p.settle();
    expect(title).not.toContain('PWNED');
    expect(p.raw).not.toContain('\x1b]0;PWNED');
    expect(p.raw).not.toContain('\u009b2J');
    expect(p.text()).toContain('\\u001b]0;PWNED\\u0007');
    p.write('q');
    expect(await p.exit(15_000)).toBe(0);
  }, 60_000);
});

describe('every write checks its result', () => {
  const FULL = existsSync('/dev/full');

  test.runIf(FULL)('standard output on a full disk: one line naming it, exit 2 (schema, run --json, report, run --export)', () => {
    for (const args of ['schema', `run "$BIN_SC" --json`, `report "$BIN_SC"`, `run "$BIN_SC" --export kml`]) {
      const r = sh(`BIN_SC=${JSON.stringify(TANF)}; "$NODE" "$BIN" ${args} > /dev/full`);
      expect(r.code, args).toBe(2);
      expect(r.err).toBe('deconflict: cannot write standard output (no space left on the device)\n');
    }
  });

  test.runIf(FULL)('--out and --export-out on a full disk: one line naming the file, exit 2', () => {
    const out = cli(['run', TANF, '--json', '--out', '/dev/full', '--force']);
    expect(out.code).toBe(2);
    expect(out.err).toBe('deconflict: cannot write /dev/full (no space left on the device)\n');
    const exp = cli(['run', TANF, '--export', 'geojson', '--export-out', '/dev/full', '--force']);
    expect(exp.code).toBe(2);
    expect(exp.err).toMatch(/^deconflict: cannot write \/dev\/full \(no space left on the device\)\n$/m);
  });

  test('a report or export that cannot be written whole is not left at all (file size limit as the full disk)', () => {
    const dir = tmp();
    // A process that may write at most 8 KiB to a file (SIGXFSZ ignored: the write fails with EFBIG).
    for (const [args, target] of [
      [`report ${JSON.stringify(TANF)} --format html -o report.html`, 'report.html'],
      [`run ${JSON.stringify(TANF)} --export kml --export-out run.kml`, 'run.kml'],
    ] as const) {
      const r = sh(`trap '' XFSZ; ulimit -f 8; exec "$NODE" "$BIN" ${args}`, dir);
      expect(r.code, args).toBe(2);
      expect(r.err).toContain(`deconflict: cannot write ${target} (the file would be larger than allowed)\n`);
      expect(existsSync(join(dir, target))).toBe(false);
    }
    // No temporary file left behind either.
    expect(readdirSync(dir)).toEqual([]);
  });

  test('a closed pipe (| head) ends the run quietly with exit 0', () => {
    const r = sh(`"$NODE" "$BIN" run ${JSON.stringify(TANF)} --json | head -1 > /dev/null; echo "status \${PIPESTATUS[0]}"`);
    expect(r.out).toBe('status 0\n');
    expect(r.err).toBe('');
  });

  test('report -o and --export-out to a folder say it is a folder', () => {
    const dir = tmp();
    mkdirSync(join(dir, 'out'));
    const r = cli(['report', TANF, '-o', 'out'], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.err).toBe('deconflict: cannot write out (it is a folder)\n');
    const f = cli(['report', TANF, '-o', 'out', '--force'], { cwd: dir });
    expect(f.err).toBe('deconflict: cannot write out (it is a folder)\n');
    const e = cli(['run', TANF, '--export', 'kml', '--export-out', 'out'], { cwd: dir });
    expect(e.code).toBe(2);
    expect(e.err).toBe('deconflict: cannot write out (it is a folder)\n');
  });

  test('--out writes each tick before the next is computed (docs/events.md)', async () => {
    const dir = tmp();
    const log: string[] = [];
    const step = Engine.prototype.step;
    const write = EventFile.prototype.writeLines;
    const s1 = vi.spyOn(Engine.prototype, 'step').mockImplementation(function (this: Engine) {
      log.push('step');
      return step.call(this);
    });
    const s2 = vi.spyOn(EventFile.prototype, 'writeLines').mockImplementation(function (this: EventFile, lines) {
      if (lines.length) log.push(`write ${lines.length}`);
      return write.call(this, lines);
    });
    try {
      await runHeadless(TANF, { json: true, out: join(dir, 'events.ndjson') }, () => {});
    } finally {
      s1.mockRestore();
      s2.mockRestore();
    }
    const writes = log.filter((l) => l.startsWith('write'));
    expect(writes.length).toBeGreaterThan(5);
    // Every write comes right after the step that made its events: never two steps ahead.
    for (let i = 0; i < log.length; i++) if (log[i].startsWith('write')) expect(log[i - 1]).toBe('step');
  });
});

describe('the report of thousands of units', () => {
  test('the HTML report draws 3,000 units, 180,000 track points (it overflowed the stack at about 400 units)', () => {
    const dir = tmp();
    const wl = generateWorkload({ units: 3000, zones: 3, seed: 7, duration: 3600, tick: 60, waypoints: 4, radius: 100_000 });
    writeFileSync(join(dir, 'many.yaml'), workloadToYaml(wl));
    const r = cli(['report', 'many.yaml', '--format', 'html', '-o', 'many.html'], { cwd: dir });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const html = readFileSync(join(dir, 'many.html'), 'utf8');
    expect(html.match(/<path d="M/g)!.length).toBeGreaterThan(3000);
  }, 120_000);
});
