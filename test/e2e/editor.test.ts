/**
 * `deconflict edit` in a pseudo-terminal, as a person would use it: a scenario built from
 * nothing — a site, a 30 km circle on it, a unit with a two-leg route that enters it — saved,
 * then run headless to an `enter` and a `warn`. Run after `npm run build`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeAll, describe, expect, test } from 'vitest';
import { PtySession } from './pty.js';

const BIN = resolve('dist/bin/deconflict.js');
const sessions: PtySession[] = [];

function start(cwd: string, args: string[], size = { cols: 80, rows: 24 }): PtySession {
  const p = new PtySession(process.execPath, [BIN, 'edit', ...args], { ...size, cwd });
  sessions.push(p);
  return p;
}

/** Keys, then the screen once it shows `until`. An escape is left alone a moment, so that the next key is not read as alt+key. */
async function keys(p: PtySession, seq: string[], until: RegExp | string): Promise<string> {
  for (const k of seq) {
    p.write(k);
    await new Promise((r) => setTimeout(r, k === '\x1b' ? 120 : 15));
  }
  return p.waitFor(until, 10_000, String(until));
}

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build first`);
});
afterEach(() => {
  for (const p of sessions.splice(0)) p.dispose();
});

describe('deconflict edit in a pseudo-terminal', { timeout: 90_000 }, () => {
  test('builds a scenario from nothing, saves it, and the run enters and warns', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-edit-'));
    const p = start(dir, ['new.yaml'], { cols: 120, rows: 32 });
    let s = await p.waitFor(/deconflict edit\s+new\.yaml/, 20_000, 'the editor');
    expect(s).toMatch(/zones: missing/);
    expect(p.bufferType()).toBe('alternate');
    s = await keys(p, ['s', '\r'], 'site site-1 placed');
    s = await keys(p, ['\x1b', 'c', '\r', '3', '0'], /radius 30\.0 km \(typed\)/);
    s = await keys(p, ['\r'], 'circle zone-1 of 30 km added');
    // The unit starts 48 km west (32 cells of 1.5 km), drives to the site, then 24 km north (8 cells of 3 km).
    s = await keys(p, ['n', 'H', 'H', 'H', 'H', '\r'], 'unit unit-1 placed');
    s = await keys(p, ['L', 'L', 'L', 'L', '\r'], /waypoint 2: 4\d\.\d km at 30 km\/h/);
    s = await keys(p, ['K', '\r'], /waypoint 3: 24\.0 km at 30 km\/h/);
    expect(s).toMatch(/✓ valid/);
    s = await keys(p, ['\x1b', 'w'], 'saved new.yaml');
    s = await keys(p, ['q'], /\$|^/);
    expect(await p.exit()).toBe(0);
    expect(p.bufferType()).toBe('normal');

    const text = readFileSync(join(dir, 'new.yaml'), 'utf8');
    expect(text).toMatch(/^# A deconflict scenario/);
    expect(text).toContain('center: site-1\n    radius: 30km\n');
    const v = spawnSync(process.execPath, [BIN, 'validate', '--strict', 'new.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    const r = spawnSync(process.execPath, [BIN, 'run', 'new.yaml', '--json'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; unit?: string; rung?: string });
    expect(events.some((e) => e.type === 'enter' && e.unit === 'unit-1')).toBe(true);
    expect(events.some((e) => e.type === 'escalate' && e.unit === 'unit-1' && e.rung === 'warn')).toBe(true);
  });

  test('refuses to put a template over an existing file, or to open a file that is not a scenario', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-edit-'));
    writeFileSync(join(dir, 'notes.txt'), 'shopping: [eggs]\n');
    for (const args of [['notes.txt', '--template', 'tanf'], ['notes.txt']]) {
      const r = spawnSync(process.execPath, [BIN, 'edit', ...args], { cwd: dir, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^deconflict: notes\.txt (exists: open it without --template|does not look like a scenario)/);
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('shopping: [eggs]\n');
    }
  });

  test('opens a bundled scenario from the tanf template at a large size and saves it unchanged byte for byte', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-edit-'));
    const p = start(dir, ['tanf.yaml', '--template', 'tanf'], { cols: 160, rows: 48 });
    let s = await p.waitFor(/tanf-dz/, 20_000, 'the map');
    expect(s).toMatch(/✓ valid: no problems, no warnings/);
    s = await keys(p, ['w'], 'saved tanf.yaml');
    s = await keys(p, ['q'], /\$|^/);
    expect(await p.exit()).toBe(0);
    expect(readFileSync(join(dir, 'tanf.yaml'), 'utf8')).toBe(readFileSync('scenarios/tanf-2017-05-18.yaml', 'utf8'));
  });
});
