/**
 * `deconflict class` end to end: the real binary serves, the OpenSSH client joins in a
 * pseudo-terminal and types the class code at its password prompt; then the trainer's process is
 * killed (SIGKILL) and started again with --resume, and the student's answer is still there.
 * Loopback only, ports chosen by the system, host key in a temporary folder.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSession } from '../../src/training/session.js';
import { join as joinClass } from '../class/helpers.js';
import { PtySession } from './pty.js';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'dist', 'bin', 'deconflict.js');
const hasSsh = spawnSync('ssh', ['-V']).status === 0;

let procs: ChildProcess[] = [];
let ptys: PtySession[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const p of ptys) p.dispose();
  for (const p of procs) p.kill('SIGKILL');
  ptys = [];
  procs = [];
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** Start the class with --json; resolves with the 'listening' line and a reader of the next events. */
async function serve(args: string[], env: Record<string, string>) {
  const p = spawn(process.execPath, [bin, 'class', 'tanf-2017-05-18', '--port', '0', '--json', '--code', 'secret-7', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  procs.push(p);
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: p.stdout }).on('line', (l) => {
    events.push(JSON.parse(l));
    for (const w of waiters) w();
  });
  let err = '';
  p.stderr.on('data', (d) => (err += d));
  const waitEvent = (f: (e: Record<string, unknown>) => boolean, what: string, ms = 10_000) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const e = events.find(f);
        if (!e) return;
        waiters.delete(check);
        clearTimeout(t);
        resolve(e);
      };
      const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}; events: ${JSON.stringify(events)}; stderr: ${err}`)), ms);
      waiters.add(check);
      check();
    });
  const listening = await waitEvent((e) => e.type === 'listening', 'the listening line');
  return { p, events, waitEvent, listening };
}

describe.runIf(hasSsh)('deconflict class with the OpenSSH client', () => {
  it('a student joins with ssh, types the code at the prompt, answers; the trainer is killed and resumed, and the answer is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-class-e2e-'));
    dirs.push(dir);
    const env = { DECONFLICT_CONFIG_DIR: join(dir, 'config') };
    const classDir = join(dir, 'room');
    const first = await serve(['--pace', 'self', '--dir', classDir, '--speed', '7200'], env);
    expect(first.listening).toMatchObject({ pace: 'self', resumed: false, fingerprint: expect.stringMatching(/^SHA256:/) });
    const port = String(first.listening.port);
    const ssh = new PtySession(
      'ssh',
      [
        '-p',
        port,
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'PubkeyAuthentication=no',
        '-o',
        'LogLevel=ERROR',
        'alice@127.0.0.1',
      ],
      { cols: 100, rows: 30 },
    );
    ptys.push(ssh);
    await ssh.waitFor(/password:/i, 15_000, 'the password prompt');
    ssh.write('secret-7\r');
    await ssh.waitFor('Briefing', 15_000);
    expect(ssh.bufferType()).toBe('alternate');
    expect(ssh.text()).toContain('alice');
    ssh.write('\r');
    ssh.write('n');
    await ssh.waitFor('Your response');
    ssh.write('1');
    await ssh.waitFor('Why (optional');
    ssh.write('watching\r');
    await first.waitEvent((e) => e.type === 'answer', 'the answer event');
    expect(first.events.map((e) => e.type)).toEqual(['listening', 'join', 'answer']);
    // The answer is in alice's file before anything else happens.
    const s1 = parseSession(readFileSync(join(classDir, 'alice.ndjson'), 'utf8'));
    expect(s1.decisions).toMatchObject([{ choice: 'monitor', justification: 'watching' }]);
    // The trainer's process is killed outright; the student's ssh loses the connection.
    first.p.kill('SIGKILL');
    expect(await ssh.exit(10_000)).not.toBe(0);
    // Started again on the folder: alice's seat is there, with her answer.
    const again = await serve(['--pace', 'self', '--resume', classDir, '--speed', '7200'], env);
    expect(again.listening).toMatchObject({ resumed: true, fingerprint: first.listening.fingerprint });
    const back = new PtySession(
      'ssh',
      [
        '-p',
        String(again.listening.port),
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        '-o',
        'PubkeyAuthentication=no',
        '-o',
        'LogLevel=ERROR',
        'alice@127.0.0.1',
      ],
      { cols: 100, rows: 30 },
    );
    ptys.push(back);
    await back.waitFor(/password:/i, 15_000);
    back.write('secret-7\r');
    await back.waitFor('decisions 1', 15_000);
    await again.waitEvent((e) => e.type === 'join' && e.back === true, 'alice back in her seat');
    // The class ends on SIGTERM: alice's file gets its end line.
    again.p.kill('SIGTERM');
    await again.waitEvent((e) => e.type === 'end', 'the end event');
    await new Promise((r) => again.p.once('exit', r));
    const s2 = parseSession(readFileSync(join(classDir, 'alice.ndjson'), 'utf8'));
    expect(s2.decisions).toHaveLength(1);
    expect(s2.end).toMatchObject({ decisions: 1, correct: 1 });
  }, 60_000);

  it('refuses to start over a folder that holds a class, naming --resume', () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-class-e2e-'));
    dirs.push(dir);
    const room = join(dir, 'room');
    spawnSync('mkdir', ['-p', room]);
    spawnSync('sh', ['-c', `echo '{}' > ${room}/zed.ndjson`]);
    const r = spawnSync(process.execPath, [bin, 'class', 'tanf-2017-05-18', '--port', '0', '--json', '--dir', room], {
      cwd: root,
      env: { ...process.env, DECONFLICT_CONFIG_DIR: join(dir, 'config') },
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      `deconflict: ${room} holds the session files of a class: bring it back with --resume ${room}, or give another --dir`,
    ]);
    expect(readFileSync(join(room, 'zed.ndjson'), 'utf8')).toBe('{}\n');
  });

  it("the trainer's console in a terminal: the join line, a student's answer arriving, the reveal, the end", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'deconflict-class-e2e-'));
    dirs.push(dir);
    const con = new PtySession(
      process.execPath,
      [bin, 'class', 'tanf-2017-05-18', '--port', '0', '--code', 'right-code', '--dir', join(dir, 'room'), '--speed', '3600'],
      { cwd: root, cols: 80, rows: 24, env: { DECONFLICT_CONFIG_DIR: join(dir, 'config') } },
    );
    ptys.push(con);
    const screen = await con.waitFor(/ssh -p (\d+) NAME@127\.0\.0\.1/, 15_000, 'the join line');
    expect(con.bufferType()).toBe('alternate');
    const port = Number(/ssh -p (\d+) NAME@/.exec(screen)![1]);
    const dan = await joinClass(port, 'dan');
    await con.waitFor(/dan +● /, 10_000, 'dan on the roster');
    con.write(' ');
    await con.waitFor('0 of 1 answered', 15_000, 'the first question');
    await dan.waitFor('Your response');
    dan.keys('1\r');
    await con.waitFor('1 of 1 answered');
    con.write('r');
    const revealed = await con.waitFor('◀ doctrine');
    expect(revealed).toMatch(/monitor +█+ 1 100% ◀ doctrine/);
    con.write('e');
    await con.waitFor('End the class?');
    con.write('y');
    await dan.waitFor('the class has ended');
    expect(await con.exit(10_000)).toBe(0);
    expect(con.bufferType()).toBe('normal');
    expect(con.text()).toContain('The class has ended.');
    const s = parseSession(readFileSync(join(dir, 'room', 'dan.ndjson'), 'utf8'));
    expect(s.decisions).toMatchObject([{ choice: 'monitor', grade: 'correct' }]);
    expect(s.end).toMatchObject({ decisions: 1, correct: 1 });
  }, 60_000);
});
