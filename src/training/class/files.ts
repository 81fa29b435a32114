/**
 * A class's folder (`deconflict class --dir DIR`): one session file a student, `<name>.ndjson`,
 * in the format of `deconflict train --session` (src/training/session.ts), written and flushed a
 * line at a time as answers come in; in class pace also the class's own run,
 * `.class/run.ndjson` (in a hidden folder, so that `report --session DIR` finds students only).
 * `--resume DIR` reads them back.
 */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ScenarioError } from '../../core/errors.js';
import type { Scenario } from '../../core/model.js';
import { readSession, sessionChoices, sessionFires, type SessionHeader } from '../session.js';
import type { Fire } from '../fire.js';
import { validName } from './names.js';
import type { ResumedSeat, SeatLog, SeatStore } from './room.js';
import type { RecordedChoice } from '../trainer.js';

export const RUN_FILE = join('.class', 'run.ndjson');

/** A session file opened for appending; a new one gets its header first. Each line is flushed before `line` returns. */
export function openLog(path: string, header: SessionHeader): SeatLog {
  const fresh = !existsSync(path);
  const fd = openSync(path, fresh ? 'wx' : 'a');
  let open = true;
  const log: SeatLog = {
    line(o: object) {
      if (!open) return;
      writeSync(fd, `${JSON.stringify(o)}\n`);
      fsyncSync(fd);
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
  if (fresh) log.line(header);
  return log;
}

/** The session files of a folder (the students' and the class run's). */
export function folderStore(dir: string): SeatStore {
  mkdirSync(dir, { recursive: true });
  return {
    open: (name, header) => openLog(join(dir, `${name}.ndjson`), header),
    openRun: (header) => {
      mkdirSync(join(dir, '.class'), { recursive: true });
      return openLog(join(dir, RUN_FILE), header);
    },
  };
}

/** The students' session files in a folder (names that a student could have). */
export function sessionFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ndjson') && validName(f.slice(0, -'.ndjson'.length)))
    .sort();
}

/**
 * Read a class's folder back: every seat with its recorded choices, and the class's run. Throws
 * ScenarioError (file:line:column) for a bad file or one recorded on another scenario.
 */
export function readClassFolder(
  dir: string,
  scenario: Scenario,
  scenarioSha: string,
  mselSha?: string,
): { seats: ResumedSeat[]; run?: RecordedChoice[]; fires?: Fire[] } {
  const check = (path: string) => {
    const s = readSession(path);
    if ((s.header.msel_sha256 ?? undefined) !== mselSha) {
      const col = Math.max(1, JSON.stringify(s.header).indexOf('"msel":') + 1);
      throw new ScenarioError({
        file: path,
        line: 1,
        column: col,
        field: 'msel',
        message: s.header.msel ? `the class was run with the MSEL ${s.header.msel}` : 'the class was run without a MSEL',
        hint: 'resume the class with the MSEL it was started with (--msel), or without one',
      });
    }
    if (s.header.scenario_sha256 !== scenarioSha) {
      const col = Math.max(1, JSON.stringify(s.header).indexOf('"scenario_sha256":') + 1);
      throw new ScenarioError({
        file: path,
        line: 1,
        column: col,
        field: 'scenario_sha256',
        message: `the session was recorded on another scenario (${s.header.scenario})`,
        hint: 'resume the class with the scenario it was started with',
      });
    }
    return s;
  };
  const seats = sessionFiles(dir).map((f) => {
    const s = check(join(dir, f));
    return { name: f.slice(0, -'.ndjson'.length), choices: sessionChoices(s, scenario), grades: s.decisions.map((d) => d.grade), ended: !!s.end };
  });
  const runPath = join(dir, RUN_FILE);
  if (!existsSync(runPath)) return { seats };
  const runFile = check(runPath);
  // The injects the trainer fired are part of the run (the room applies them before it replays the choices).
  const fires = sessionFires(runFile, scenario);
  return { seats, run: sessionChoices(runFile, scenario), ...(fires.length ? { fires } : {}) };
}
