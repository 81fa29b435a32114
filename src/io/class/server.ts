/**
 * The class's SSH server (the `ssh2` library, pure JavaScript; no system sshd). It lets a student
 * in with the class code as the password and gives them one thing: a terminal running the class's
 * screen. Everything else is refused:
 *
 * - authentication: only `password`, compared with the code in constant time; a wrong code is
 *   answered later and later from the same address (200 ms, doubling, at most 8 s), and a
 *   connection that fails three times or has not logged in within `authTimeoutMs` is cut;
 * - channels: one `session` a connection, with a pty and a shell; `exec`, `subsystem` (sftp), `env`,
 *   agent and X11 forwarding, and TCP or socket forwarding are refused;
 * - floods: too many connections at once (in all, or waiting to log in from one address) are cut
 *   at once; a student who sends more than `maxInputPerSec` bytes in a second, or garbage the
 *   protocol does not accept, loses their connection, and nobody else notices;
 * - idle seats: no key for `idleMs` closes the connection (the seat waits for the student).
 *
 * Who may sit where (names, seats) is the class's business: `seat` answers with a reason to
 * refuse, which the student reads in their terminal before the connection closes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2 from 'ssh2';
import type { Connection, PseudoTtyInfo, ServerChannel } from 'ssh2';
import { termColor, TtyIn, TtyOut, type StudentTty } from './tty.js';

export interface ClassServerOptions {
  hostKey: string;
  /** The class code (the password). */
  code: string;
  host?: string;
  /** 0: a free port chosen by the system. */
  port?: number;
  /** Seat a student whose code was right; returns why not, or undefined when seated. */
  seat: (tty: StudentTty) => string | undefined;
  /** No input for this long closes a student's connection (default 30 min). */
  idleMs?: number;
  /** Time to log in (default 30 s). */
  authTimeoutMs?: number;
  /** Connections at once, in all (default 100). */
  maxConnections?: number;
  /** Connections from one address waiting to log in at once (default 50). */
  maxPendingPerAddress?: number;
  /** Bytes a student may send in one second (default 64 KiB: a paste, not a flood). */
  maxInputPerSec?: number;
  /** Delay before refusing a wrong code, by the address's failures so far (1, 2, …). */
  failDelayMs?: (failures: number) => number;
  /** One line per refusal, for the trainer (never the student's own words). */
  log?: (line: string) => void;
}

export const defaultFailDelay = (n: number): number => Math.min(8000, 200 * 2 ** Math.min(10, n - 1));

/** The code and a guess compared in constant time (both hashed first, so their lengths do not show). */
export function codeMatches(guess: string, code: string): boolean {
  const a = createHash('sha256').update(guess, 'utf8').digest();
  const b = createHash('sha256').update(code, 'utf8').digest();
  return timingSafeEqual(a, b);
}

interface Failures {
  n: number;
  last: number;
}

export class ClassServer {
  private readonly server: ssh2.Server;
  private readonly failures = new Map<string, Failures>();
  private readonly pending = new Map<string, number>();
  private readonly clients = new Set<Connection>();
  /** Refusals so far, by kind (tests and the console read them). */
  readonly refused: Record<string, number> = {};

  constructor(private readonly o: ClassServerOptions) {
    this.server = new ssh2.Server({ hostKeys: [o.hostKey], ident: 'deconflict-class' }, (client, info) => this.connection(client, info.ip));
    this.server.on('error', () => {
      // A listening error is reported by listen(); later socket errors belong to one client.
    });
  }

  get connections(): number {
    return this.clients.size;
  }

  listen(): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once('error', onError);
      this.server.listen(this.o.port ?? 0, this.o.host ?? '127.0.0.1', () => {
        this.server.off('error', onError);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    for (const c of this.clients) cut(c);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private refuse(kind: string, line: string): void {
    this.refused[kind] = (this.refused[kind] ?? 0) + 1;
    this.o.log?.(line);
  }

  private connection(client: Connection, ip: string): void {
    const o = this.o;
    client.on('error', () => {
      // Garbage, a reset, a protocol error: this client goes, the others do not notice.
      cut(client);
    });
    if (this.clients.size >= (o.maxConnections ?? 100)) {
      this.refuse('full', `refused a connection from ${ip}: too many connections`);
      cut(client);
      return;
    }
    const waiting = this.pending.get(ip) ?? 0;
    if (waiting >= (o.maxPendingPerAddress ?? 50)) {
      this.refuse('flood', `refused a connection from ${ip}: too many connections waiting to log in`);
      cut(client);
      return;
    }
    this.clients.add(client);
    this.pending.set(ip, waiting + 1);
    let authed = false;
    let name = '';
    let attempts = 0;
    let shell = false;
    let tty: StudentTty | undefined;
    const closers: (() => void)[] = [];
    const unpend = () => {
      const n = (this.pending.get(ip) ?? 1) - 1;
      if (n <= 0) this.pending.delete(ip);
      else this.pending.set(ip, n);
    };
    const authTimer = setTimeout(() => {
      this.refuse('timeout', `cut a connection from ${ip}: no login within the time`);
      cut(client);
    }, o.authTimeoutMs ?? 30_000);
    client.on('close', () => {
      clearTimeout(authTimer);
      if (!authed) unpend();
      this.clients.delete(client);
      for (const f of closers.splice(0)) f();
    });

    client.on('authentication', (ctx) => {
      if (ctx.method !== 'password') {
        ctx.reject(['password']);
        return;
      }
      if (codeMatches(ctx.password, o.code)) {
        this.failures.delete(ip);
        authed = true;
        name = ctx.username;
        unpend();
        clearTimeout(authTimer);
        // Logged in, the client has as long again to ask for its terminal; a connection that
        // only holds a place is cut.
        const shellTimer = setTimeout(() => {
          if (shell) return;
          this.refuse('timeout', `cut a connection from ${ip}: no terminal asked for`);
          cut(client);
        }, o.authTimeoutMs ?? 30_000);
        closers.push(() => clearTimeout(shellTimer));
        ctx.accept();
        return;
      }
      attempts++;
      const now = Date.now();
      const f = this.failures.get(ip);
      const n = f && now - f.last < 10 * 60_000 ? f.n + 1 : 1;
      this.failures.set(ip, { n, last: now });
      this.refuse('code', `refused a wrong class code from ${ip} (${n} in a row)`);
      setTimeout(
        () => {
          if (attempts >= 3) client.end();
          else ctx.reject(['password']);
        },
        (o.failDelayMs ?? defaultFailDelay)(n),
      );
    });

    // Nothing but a terminal: every forwarding is refused.
    client.on('tcpip', (_a, reject) => {
      this.refuse('forward', `refused port forwarding from ${ip}`);
      reject();
    });
    client.on('openssh.streamlocal', (_a, reject) => {
      this.refuse('forward', `refused socket forwarding from ${ip}`);
      reject();
    });
    client.on('request', (_a, reject) => {
      this.refuse('forward', `refused a forwarding request from ${ip}`);
      reject?.();
    });

    client.on('session', (accept, reject) => {
      if (!authed || shell) {
        reject();
        return;
      }
      const session = accept();
      let pty: PseudoTtyInfo | undefined;
      const no = (what: string) => (_a: unknown, rej?: () => void) => {
        this.refuse(what, `refused ${what} from ${ip}`);
        rej?.();
      };
      session.on('pty', (acc, _rej, info) => {
        pty = info;
        acc?.();
      });
      session.on('window-change', (acc, _rej, info) => {
        tty?.stdout.resize(info.cols, info.rows);
        acc?.();
      });
      session.on('env', (_a, rej) => rej?.());
      session.on('signal', (_a, rej) => rej?.());
      session.on('x11', no('x11'));
      session.on('auth-agent', no('agent'));
      session.on('exec', no('exec'));
      session.on('subsystem', no('subsystem'));
      session.on('sftp', no('subsystem'));
      session.on('shell', (acc, rej) => {
        if (shell) {
          rej?.();
          return;
        }
        shell = true;
        const channel = acc();
        if (!pty) {
          endWith(channel, 'deconflict class: a terminal is needed (ssh -t)');
          return;
        }
        tty = this.seatStudent(channel, client, name, ip, pty, closers);
        const reason = o.seat(tty);
        if (reason) {
          this.refuse('seat', `refused a seat from ${ip}: ${reason}`);
          tty.close(`deconflict class: ${reason}`);
        }
      });
    });
  }

  private seatStudent(channel: ServerChannel, client: Connection, name: string, ip: string, pty: PseudoTtyInfo, closers: (() => void)[]): StudentTty {
    const o = this.o;
    const stdin = new TtyIn();
    const stdout = new TtyOut(channel, pty.cols, pty.rows);
    let gone = false;
    const onClose: (() => void)[] = [];
    const idleMs = o.idleMs ?? 30 * 60_000;
    let idle: NodeJS.Timeout | undefined;
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(
        () => tty.close(`deconflict class: no key for ${Math.round(idleMs / 60_000) || 1} min; your seat waits: ssh again to come back`),
        idleMs,
      );
    };
    let windowStart = Date.now();
    let windowBytes = 0;
    const limit = o.maxInputPerSec ?? 64 * 1024;
    channel.on('data', (d: Buffer) => {
      const now = Date.now();
      if (now - windowStart >= 1000) {
        windowStart = now;
        windowBytes = 0;
      }
      windowBytes += d.length;
      if (windowBytes > limit) {
        this.refuse('input', `cut ${ip}: more input than a person types`);
        tty.close('deconflict class: too much input at once; the connection is closed');
        return;
      }
      arm();
      stdin.write(d);
    });
    const done = () => {
      if (gone) return;
      gone = true;
      if (idle) clearTimeout(idle);
      stdout.close();
      stdin.end();
      for (const f of onClose.splice(0)) f();
    };
    channel.on('close', done);
    closers.push(done);
    const tty: StudentTty = {
      name,
      address: ip,
      term: pty.term,
      stdin,
      stdout,
      color: termColor(pty.term),
      close: (message?: string) => {
        if (gone) return;
        if (message) channel.write(`\x1b[0m\x1b[?25h\x1b[?1049l\r\n${message}\r\n`);
        done();
        try {
          channel.exit(message ? 1 : 0);
        } catch {
          // The channel is already closed.
        }
        channel.end();
        // The last bytes go out before the connection closes.
        setTimeout(() => client.end(), 50);
      },
      onClose: (f) => {
        if (gone) f();
        else onClose.push(f);
      },
    };
    arm();
    return tty;
  }
}

/** End a connection, and destroy its socket if it does not go at once (a client stuck mid-handshake ignores an orderly end). */
function cut(client: Connection): void {
  try {
    client.end();
  } catch {
    // Already gone.
  }
  const sock = (client as unknown as { _sock?: { destroy: () => void; destroyed?: boolean } })._sock;
  if (sock && !sock.destroyed) setTimeout(() => sock.destroy(), 100).unref();
}

function endWith(channel: ServerChannel, line: string): void {
  channel.write(`${line}\r\n`);
  channel.exit(1);
  channel.end();
}
