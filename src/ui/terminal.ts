/**
 * The terminal around the UI: the alternate screen, a hidden cursor and (if asked) mouse reports
 * while it runs, and the terminal given back exactly once — on quit, ctrl-c, a signal or a crash —
 * with raw mode off, mouse reports off, attributes reset, the cursor shown and the main screen
 * restored.
 */
import { writeSync } from 'node:fs';
import { constants as osConstants } from 'node:os';

export const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
export const LEAVE_ALT = '\x1b[0m\x1b[?25h\x1b[?1049l';
/** Mouse reports: presses and releases (1000) in the SGR encoding (1006), which has no 223-column limit. */
export const MOUSE_ON = '\x1b[?1000h\x1b[?1006h';
export const MOUSE_OFF = '\x1b[?1006l\x1b[?1000l';

export interface TermStreams {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export class TerminalGuard {
  private active = false;

  /** `mouse`: have the terminal report the mouse while the screen is up (src/ui/mouse.ts). */
  constructor(
    private readonly io: TermStreams,
    private readonly opts: { mouse?: boolean } = {},
  ) {}

  get isActive(): boolean {
    return this.active;
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    this.write(this.opts.mouse ? ENTER_ALT + MOUSE_ON : ENTER_ALT);
  }

  /** Give the terminal back (idempotent, synchronous: safe in 'exit' handlers). */
  restore(): void {
    if (!this.active) return;
    this.active = false;
    try {
      if (this.io.stdin.isTTY) this.io.stdin.setRawMode(false);
    } catch {
      // stdin may already be closed.
    }
    this.write(this.opts.mouse ? MOUSE_OFF + LEAVE_ALT : LEAVE_ALT);
  }

  private write(s: string): void {
    const fd = (this.io.stdout as unknown as { fd?: number }).fd;
    try {
      if (typeof fd === 'number') writeSync(fd, s);
      else this.io.stdout.write(s);
    } catch {
      // The terminal is gone; nothing to restore.
    }
  }
}

export interface FaultHooks {
  /** Puts the screen away and gives the terminal back (called once, before any message). */
  cleanup: () => void;
  guard: TerminalGuard;
  stderr: NodeJS.WritableStream;
  /** Last words before exiting on a signal or a crash (e.g. closing a session file). */
  beforeExit?: () => void;
  /** Return true to handle a signal another way (a live run ends as if q was pressed). */
  intercept?: (sig: NodeJS.Signals) => boolean;
}

/**
 * A full-screen run's process hooks: a signal or a crash first gives the terminal back, then says
 * in one line what happened and exits (128 + the signal's number, or 3 for a crash); the terminal
 * is also given back on any other exit. Returns the function that removes the hooks.
 */
export function installFaultHooks(h: FaultHooks): () => void {
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGQUIT'];
  const stop = (line: string, code: number) => {
    h.cleanup();
    detach();
    h.beforeExit?.();
    h.stderr.write(line);
    process.exit(code);
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (h.intercept?.(sig)) return;
    stop(`deconflict: stopped by ${sig}\n`, 128 + (osConstants.signals[sig] ?? 1));
  };
  const onCrash = (e: unknown) => {
    const debug = process.env.DECONFLICT_DEBUG ? `${(e as Error)?.stack ?? ''}\n` : '';
    stop(`deconflict: internal error: ${(e as Error)?.message ?? String(e)}\n${debug}`, 3);
  };
  const onExit = () => h.guard.restore();
  const detach = () => {
    for (const s of signals) process.off(s, onSignal);
    process.off('uncaughtException', onCrash);
    process.off('unhandledRejection', onCrash);
    process.off('exit', onExit);
  };
  for (const s of signals) process.on(s, onSignal);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  process.on('exit', onExit);
  return detach;
}
