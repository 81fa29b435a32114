/**
 * The terminal around the UI: the alternate screen and a hidden cursor while it runs, and the
 * terminal given back exactly once — on quit, ctrl-c, a signal or a crash — with raw mode off,
 * attributes reset, the cursor shown and the main screen restored.
 */
import { writeSync } from 'node:fs';

export const ENTER_ALT = '\x1b[?1049h\x1b[H\x1b[2J\x1b[?25l';
export const LEAVE_ALT = '\x1b[0m\x1b[?25h\x1b[?1049l';

export interface TermStreams {
  stdout: NodeJS.WriteStream;
  stdin: NodeJS.ReadStream;
}

export class TerminalGuard {
  private active = false;

  constructor(private readonly io: TermStreams) {}

  get isActive(): boolean {
    return this.active;
  }

  enter(): void {
    if (this.active) return;
    this.active = true;
    this.write(ENTER_ALT);
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
    this.write(LEAVE_ALT);
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
