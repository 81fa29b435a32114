/** The core is pure: no terminal, UI or process I/O, so every face can sit on the same engine. */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const coreDir = join(root, 'src', 'core');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('src/core', () => {
  it('imports no ink, react or terminal code and writes nothing to the terminal', () => {
    const forbidden =
      /from ['"](ink|react|ink-[\w-]+|@lydell\/node-pty|@xterm\/[\w-]+|commander|node:readline|node:tty)['"]|process\.(stdout|stderr|stdin|exit)\b|console\.(log|error|warn)/;
    const offenders = files(coreDir).filter((f) => forbidden.test(readFileSync(f, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it("is usable as a library: import { loadScenario, simulate } from 'deconflict'", () => {
    const code = `import('deconflict').then(({ loadScenario, simulate }) => {
      const evs = simulate(loadScenario('scenarios/tanf-2017-05-18.yaml'));
      console.log(evs.filter((e) => e.type === 'escalate').map((e) => e.rung).join(','));
    })`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('monitor,warn,show_of_force,warning_shots,strike');
  });
});
