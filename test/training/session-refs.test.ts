/**
 * What a session file refers to is held like a scenario's own references (issue 17): its `msel:`
 * must lie beside the scenario or the session (a MSEL elsewhere is given with --msel), and a
 * session that is not a regular file is refused, not waited on.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMsel, loadScenario } from '../../src/io/node/load.js';
import { replaySession } from '../../src/training/replay.js';
import { applyMsel } from '../../src/training/msel.js';
import { headerFor, readSession, SessionWriter, sha256File } from '../../src/training/session.js';

const TANF = 'scenarios/tanf-2017-05-18.yaml';
const dir = mkdtempSync(join(tmpdir(), 'session-refs-'));

describe("a session's references", () => {
  it("refuses a MSEL that lies outside the scenario's folder and the session's", () => {
    mkdirSync(join(dir, 'elsewhere'));
    mkdirSync(join(dir, 'sessions'));
    const msel = join(dir, 'elsewhere', 'variant.yaml');
    writeFileSync(msel, 'title: the convoy fires\ninjects:\n  - {t: +1h35m, type: hostile_act, unit: convoy, target: tanf}\n');
    const f = join(dir, 'sessions', 'session.ndjson');
    // The header describes the run as train records it: the scenario with the MSEL's injects.
    const sc = applyMsel(loadScenario(TANF), loadMsel(msel, loadScenario(TANF)));
    new SessionWriter(f, false, headerFor(sc, { scenarioPath: TANF, scenarioSha: sha256File(TANF), mselPath: msel, mselSha: sha256File(msel) })).close();
    expect(() => replaySession({ scenarioPath: TANF, sessionPath: f })).toThrow(
      /session\.ndjson:1:\d+: msel: the MSEL '.*variant\.yaml' lies outside the scenario's folder and the session's/,
    );
    // Given on the command line, it is the user's choice.
    expect(replaySession({ scenarioPath: TANF, sessionPath: f, mselPath: msel }).msel?.title).toBe('the convoy fires');
  });

  it('refuses a session file that is a named pipe', () => {
    const pipe = join(dir, 'pipe.ndjson');
    execFileSync('mkfifo', [pipe]);
    expect(() => readSession(pipe, 'pipe.ndjson')).toThrow(/^pipe\.ndjson:1:1: this is a named pipe \(FIFO\), not a regular file/);
  });
});
