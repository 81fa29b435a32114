/**
 * A student's terminal over SSH, as Ink wants it. An SSH channel is not a TTY: Ink needs a stdin
 * with `isTTY` and `setRawMode` (raw mode is the student's own terminal's business: OpenSSH puts
 * it in raw mode when it asks for a pty) and a stdout with `columns`, `rows` and a `resize`
 * event, which the client's window-change requests drive.
 */
import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';

/** The output side of the channel (the part of an ssh2 channel this needs). */
export interface ChannelLike {
  write(data: string | Buffer): boolean;
  end(): void;
  on(event: 'data', f: (d: Buffer) => void): unknown;
  on(event: 'close', f: () => void): unknown;
}

export class TtyOut extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  /** Bytes written to the channel. */
  bytes = 0;
  private closed = false;

  constructor(
    private readonly channel: ChannelLike,
    cols: number,
    rows: number,
  ) {
    super();
    this.columns = clampSize(cols, 80);
    this.rows = clampSize(rows, 24);
  }

  write(s: string | Uint8Array): boolean {
    if (this.closed) return true;
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : Buffer.from(s);
    this.bytes += b.length;
    return this.channel.write(b);
  }

  resize(cols: number, rows: number): void {
    this.columns = clampSize(cols, this.columns);
    this.rows = clampSize(rows, this.rows);
    this.emit('resize');
  }

  close(): void {
    this.closed = true;
  }
}

/** A stdin Ink accepts: the channel's bytes, `isTTY`, a `setRawMode` that does nothing. */
export class TtyIn extends PassThrough {
  readonly isTTY = true;
  isRaw = true;
  setRawMode(mode: boolean): this {
    this.isRaw = mode;
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** What the class gets for a seated student: their terminal's size and type, and streams for Ink. */
export interface StudentTty {
  name: string;
  /** The client's address (for the console; never the student's own words). */
  address: string;
  term: string;
  stdin: TtyIn;
  stdout: TtyOut;
  /** Colours, as the client's TERM allows (`dumb` and an empty TERM get none). */
  color: boolean;
  /** Close the connection (with a last line for the student). */
  close(message?: string): void;
  /** Called once when the connection is gone (any reason). */
  onClose(f: () => void): void;
}

/** Terminal sizes from the wire: whole, 1 to 999, else the fallback. */
function clampSize(n: number, fallback: number): number {
  return Number.isInteger(n) && n >= 1 && n <= 999 ? n : fallback;
}

/** Whether a TERM gets colours. */
export function termColor(term: string): boolean {
  return !!term && term !== 'dumb';
}
