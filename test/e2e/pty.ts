/**
 * A small pseudo-terminal harness: runs a command in a real pty (@lydell/node-pty) and feeds
 * its output to a headless xterm (@xterm/headless), so tests read the screen a person would
 * see, press keys, and wait for text with timeouts instead of fixed sleeps.
 */
import pty from '@lydell/node-pty';
import xterm from '@xterm/headless';

const { Terminal } = xterm;

export interface PtyOptions {
  cols?: number;
  rows?: number;
  cwd?: string;
  env?: Record<string, string | undefined>;
}

export class PtySession {
  readonly term: InstanceType<typeof Terminal>;
  readonly proc: pty.IPty;
  /** Everything the program wrote, raw. */
  raw = '';
  exitCode: number | undefined;
  signal: number | undefined;
  private readonly exited: Promise<number>;
  private pending = Promise.resolve();

  constructor(file: string, args: string[], o: PtyOptions = {}) {
    const cols = o.cols ?? 120;
    const rows = o.rows ?? 40;
    this.term = new Terminal({ cols, rows, allowProposedApi: true, scrollback: 0 });
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, TERM: 'xterm-256color', ...o.env })) if (v !== undefined) env[k] = v;
    // Ink prints only the last frame when it thinks it runs under CI.
    for (const k of Object.keys(env)) if (k === 'CI' || k === 'CONTINUOUS_INTEGRATION' || k.startsWith('CI_')) delete env[k];
    for (const [k, v] of Object.entries(o.env ?? {})) if (v === undefined) delete env[k];
    this.proc = pty.spawn(file, args, { name: 'xterm-256color', cols, rows, cwd: o.cwd ?? process.cwd(), env });
    this.proc.onData((d) => {
      this.raw += d;
      this.pending = this.pending.then(() => new Promise<void>((r) => this.term.write(d, r)));
    });
    this.exited = new Promise((resolve) => {
      this.proc.onExit(({ exitCode, signal }) => {
        this.exitCode = exitCode;
        this.signal = signal;
        resolve(exitCode);
      });
    });
  }

  /** Wait until the terminal has parsed everything received so far. */
  async settle(): Promise<void> {
    await this.pending;
  }

  /** The visible screen, one string per row (trailing spaces trimmed). */
  screen(): string[] {
    const b = this.term.buffer.active;
    const out: string[] = [];
    for (let y = 0; y < this.term.rows; y++) out.push(b.getLine(b.viewportY + y)?.translateToString(true) ?? '');
    return out;
  }

  text(): string {
    return this.screen().join('\n');
  }

  /** Which buffer is showing: 'alternate' while a full-screen program runs. */
  bufferType(): 'normal' | 'alternate' {
    return this.term.buffer.active.type;
  }

  /** Whether the cursor is visible, from the last DECTCEM sequence written. */
  cursorVisible(): boolean {
    const hide = this.raw.lastIndexOf('\x1b[?25l');
    const show = this.raw.lastIndexOf('\x1b[?25h');
    return show >= hide;
  }

  write(keys: string): void {
    this.proc.write(keys);
  }

  /** Wait until `test` holds for the screen; throws with the screen on timeout. */
  async waitFor(test: RegExp | string | ((screen: string) => boolean), timeoutMs = 10_000, what?: string): Promise<string> {
    const check = typeof test === 'function' ? test : typeof test === 'string' ? (s: string) => s.includes(test) : (s: string) => test.test(s);
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.settle();
      const s = this.text();
      if (check(s)) return s;
      if (this.exitCode !== undefined) throw new Error(`program exited (${this.exitCode}) while waiting for ${what ?? String(test)}; screen:\n${s}`);
      if (Date.now() > until) throw new Error(`timed out waiting for ${what ?? String(test)}; screen:\n${s}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Wait for the program to exit; resolves to its exit code. */
  async exit(timeoutMs = 10_000): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      this.exited,
      new Promise<never>((_, rej) => {
        timer = setTimeout(() => rej(new Error(`program did not exit within ${timeoutMs} ms; screen:\n${this.text()}`)), timeoutMs);
      }),
    ]);
    clearTimeout(timer);
    await this.settle();
    return code;
  }

  kill(signal = 'SIGKILL'): void {
    if (this.exitCode === undefined) {
      try {
        this.proc.kill(signal);
      } catch {
        // Already gone.
      }
    }
  }

  dispose(): void {
    this.kill();
    this.term.dispose();
  }
}
