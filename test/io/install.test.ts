/**
 * The README's ways to have the command everywhere: a global install from the clone (what
 * `npm install -g .` and `npm link` do: a link to the clone) and the packed tarball, whose
 * bundled command runs with nothing but Node.js. Needs the build (npm test builds first).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve('.');

function sh(cmd: string, args: string[], cwd: string, extra: NodeJS.ProcessEnv = {}) {
  const env = { ...process.env };
  // Settings of the npm that runs the tests (npm test) must not steer these installs.
  for (const k of Object.keys(env)) if (k.toLowerCase().startsWith('npm_')) delete env[k];
  delete env.CI;
  Object.assign(env, extra);
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('installing the command', () => {
  it.each([
    ['npm install -g .', ['install', '-g', '.']],
    ['npm link', ['link']],
  ])(
    '%s from the clone: deconflict runs in any folder',
    (_, args) => {
      expect(existsSync(join(ROOT, 'dist/bin/deconflict.js'))).toBe(true);
      // A global prefix of its own, so that the machine's global packages are not touched.
      const prefix = mkdtempSync(join(tmpdir(), 'deconflict-global-'));
      const inst = sh('npm', [...args, '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], ROOT, { npm_config_prefix: prefix });
      expect(inst.err).not.toMatch(/npm error/);
      expect(inst.code).toBe(0);
      const bin = join(prefix, 'bin', 'deconflict');
      expect(lstatSync(bin).isSymbolicLink()).toBe(true);
      const elsewhere = mkdtempSync(join(tmpdir(), 'deconflict-elsewhere-'));
      const r = sh(bin, ['run', 'tanf-2017-05-18', '--until', '+2h'], elsewhere);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/At Tanf, 18 May 2017/);
      expect(r.out).toMatch(/convoy +tanf-dz ENTER/);
    },
    120_000,
  );

  it('the packed tarball holds the command, which runs with nothing but Node.js', () => {
    const dest = mkdtempSync(join(tmpdir(), 'deconflict-pack-'));
    const pack = sh('npm', ['pack', '--ignore-scripts', '--pack-destination', dest, '--json'], ROOT);
    expect(pack.code).toBe(0);
    const [info] = JSON.parse(pack.out) as { filename: string; files: { path: string }[] }[];
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(info.files.map((f) => f.path)).toContain(pkg.bin.deconflict.replace(/^\.\//, ''));
    expect(sh('tar', ['xzf', join(dest, info.filename), '-C', dest], dest).code).toBe(0);
    // No node_modules anywhere above the unpacked package: the bundle needs none.
    const r = sh(process.execPath, [join(dest, 'package', pkg.bin.deconflict), 'run', 'tanf-2017-05-18', '--until', '+2h'], dest);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/convoy +tanf-dz ENTER/);
  }, 120_000);
});
