/**
 * The body of `deconflict class`: the class (src/training/class), its SSH server (src/io/class),
 * the students' screens and the trainer's console (src/ui/class), wired together. Loaded only
 * when the command runs.
 */
import { randomInt } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { basename } from 'node:path';
import { loadScenario } from '../../io/node/load.js';
import { terminalLine } from '../../core/text/safe.js';
import { configDir, loadHostKey } from '../../io/class/hostkey.js';
import { ClassServer, type ClassServerOptions } from '../../io/class/server.js';
import type { StudentTty } from '../../io/class/tty.js';
import { folderStore, readClassFolder, sessionFiles } from '../../training/class/files.js';
import { ClassRoom, type ClassEvent } from '../../training/class/room.js';
import { withMsel } from '../../training/msel.js';
import { headerFor, sha256File } from '../../training/session.js';
import { ClassHub } from '../../ui/class/hub.js';
import type { ClassCommandIo, ClassOptions } from './class-options.js';

const CODE_LETTERS = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A class code people can read out and type: six letters and digits with no look-alikes. */
export function newCode(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += CODE_LETTERS[randomInt(CODE_LETTERS.length)];
  return s;
}

/** The addresses students type: the one listened on, or every outside address of this machine for 0.0.0.0. */
export function joinAddresses(host: string): string[] {
  if (host !== '0.0.0.0' && host !== '::') return [host];
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) if (!a.internal && a.family === 'IPv4') out.push(a.address);
  return out.length ? out : ['127.0.0.1'];
}

export async function classCommand(scenarioPath: string, scenarioName: string, o: ClassOptions, io: ClassCommandIo): Promise<number> {
  const bad = (m: string) => {
    io.error(`deconflict: ${terminalLine(m)}\n`);
    return 2;
  };
  if (o.code !== undefined && !/^[\x21-\x7e]{4,64}$/.test(o.code)) return bad('--code: a class code is 4 to 64 letters, digits or signs, without spaces');
  if (o.speed !== undefined && !(Number.isFinite(o.speed) && o.speed > 0))
    return bad('--speed must be a positive number (simulated seconds per second, e.g. 600)');
  if (o.resume && o.dir && o.dir !== o.resume) return bad('--resume DIR is the class folder: leave out --dir, or give the same folder');
  const base = loadScenario(scenarioPath, { displayName: scenarioName });
  const { scenario, msel } = withMsel(base, o.msel);
  const dir = o.resume ?? o.dir ?? `${basename(scenarioPath).replace(/\.(ya?ml|json)$/i, '')}-class`;
  if (existsSync(dir) && !statSync(dir).isDirectory()) return bad(`${dir} is not a folder`);
  if (o.resume && !existsSync(o.resume)) return bad(`--resume: there is no folder ${o.resume}`);
  if (!o.resume && sessionFiles(dir).length) return bad(`${dir} holds the session files of a class: bring it back with --resume ${dir}, or give another --dir`);
  const scenarioSha = sha256File(scenarioPath);
  const mselSha = msel ? sha256File(o.msel!) : undefined;
  const resume = o.resume ? readClassFolder(dir, scenario, scenarioSha, mselSha) : undefined;
  const room = new ClassRoom(scenario, {
    pace: o.pace,
    seats: o.seats,
    seed: o.seed,
    header: (student) => headerFor(scenario, { scenarioPath: scenarioName, scenarioSha, mselPath: o.msel, mselSha, seed: o.seed, student }),
    store: folderStore(dir),
    resume,
  });
  let key;
  try {
    key = loadHostKey(configDir());
  } catch (e) {
    return bad(`cannot read or make the host key in ${configDir()} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const hub = new ClassHub(room, { speed: o.speed });
  const consoleUi = o.json ? undefined : await import('../../ui/class/console.js');
  const code = o.code ?? newCode();
  const server = await classServer(room, hub, { hostKey: key.key, code, host: o.host, port: o.port, idleMs: o.idle * 60_000, speed: o.speed });
  let addr;
  try {
    addr = await server.listen();
  } catch (e) {
    hub.dispose();
    room.end();
    const err = e as NodeJS.ErrnoException;
    return bad(`cannot listen on ${o.host}:${o.port} (${err.code ?? err.message})${err.code === 'EADDRINUSE' ? ': choose another --port' : ''}`);
  }
  const commands = joinAddresses(o.host).map((a) => `ssh -p ${addr.port} NAME@${a}`);
  const join = { commands, code, fingerprint: key.fingerprint };
  const stop = async () => {
    hub.session?.pause();
    room.end();
    hub.dispose();
    await server.close();
  };
  if (o.json) {
    io.write(
      `${JSON.stringify({ type: 'listening', port: addr.port, host: o.host, pace: room.pace, dir, code, fingerprint: key.fingerprint, resumed: !!resume })}\n`,
    );
    const unsub = room.subscribe((e) => {
      if (e) io.write(`${JSON.stringify(e)}\n`);
      if (e) autoPace(room, hub, e);
    });
    // Class pace without a trainer at the keys: the clock runs, and each question is revealed and
    // goes on along doctrine once every connected student has answered it.
    hub.session?.play();
    // `on`, not `once`: while a student's screen is up, Ink's exit hook kills the process on a
    // signal that has no other listener, before the class could write its end lines.
    let end = () => {};
    await new Promise<void>((resolve) => {
      end = () => resolve();
      process.on('SIGINT', end);
      process.on('SIGTERM', end);
      process.stdin.once('end', end);
      process.stdin.resume();
    });
    await stop();
    process.off('SIGINT', end);
    process.off('SIGTERM', end);
    unsub();
    process.stdin.pause();
    return 0;
  }
  await consoleUi!.runConsole(hub, join, () => room.end());
  await stop();
  io.write(`The class has ended. Session files in ${dir}/; the report of a student: deconflict report ${scenarioName} --session ${dir}/NAME.ndjson\n`);
  return 0;
}

/**
 * The class's SSH server with its seating: a student whose code was right gets their seat (or back
 * to it) and their screen, for the pace of the class; the seat waits when the connection goes.
 */
export async function classServer(room: ClassRoom, hub: ClassHub, o: Omit<ClassServerOptions, 'seat'> & { speed?: number }): Promise<ClassServer> {
  const students = await import('../../ui/class/student.js');
  const seats = room.opts.seats;
  const open = new Set<StudentTty>();
  // The end of the class is said on every student's screen before their connection closes.
  room.subscribe((e) => {
    if (e?.type === 'end') for (const t of [...open]) t.close("deconflict class: the class has ended; your answers are in the trainer's folder");
  });
  return new ClassServer({
    maxConnections: seats * 2 + 20,
    maxPendingPerAddress: seats + 10,
    ...o,
    seat: (tty) => {
      const r = room.join(tty.name);
      if (!r.ok) return r.reason;
      const seat = r.seat;
      open.add(tty);
      const screen = room.pace === 'self' ? students.runSelfPaced(tty, room, seat, o.speed) : students.runClassPaced(tty, hub, seat);
      tty.onClose(() => {
        open.delete(tty);
        screen.stop();
        room.leave(seat.name);
      });
      return undefined;
    },
  });
}

function autoPace(room: ClassRoom, hub: ClassHub, e: ClassEvent): void {
  if (room.pace !== 'class') return;
  if (e.type !== 'answer' && e.type !== 'leave' && e.type !== 'remove') return;
  const q = room.question;
  if (!q) return;
  const connected = room.roster().filter((r) => r.connected);
  if (q.answers.size > 0 && connected.every((r) => q.answers.has(r.name))) setImmediate(() => hub.goOn('doctrine'));
}
