/**
 * Lines of a file or a named pipe, read as it grows (like `tail -f`, from the first line): the
 * input of `deconflict live --input FILE`, where standard input may be the keyboard.
 *
 * The file is opened without blocking and polled: a regular file is read on from where the
 * last read stopped (and from its start again, with a note, if it was truncated); a named pipe
 * is read whenever a writer has put something in it, and writers may come and go (the end of
 * one writer is not the end of the input). A line cut between two reads waits for the rest;
 * what is left when following stops is taken as a last line, so nothing written is lost.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { LineSplitter } from './lines.js';

export interface FollowOptions {
  /** One line (without its end of line), numbered from 1. */
  onLine: (text: string, lineNo: number) => void;
  /** Something to tell the user (already worded, e.g. `feed.ndjson: truncated; ...`). */
  note?: (message: string) => void;
  /** Wait between polls when there was nothing new, ms (default 100). */
  pollMs?: number;
  /** The longest line taken (default 1 MiB). */
  maxLineBytes?: number;
  /** A line went over the limit and was skipped (default: a note). */
  onTooLong?: (lineNo: number, maxBytes: number) => void;
  /** While true, nothing more is read (the reader is busy with what it has). */
  hold?: () => boolean;
}

/** Why a file cannot be followed, in words for the user. */
export class FollowError extends Error {}

const CHUNK = 64 * 1024;
/** Most bytes read in one go before letting the rest of the program run. */
const SLICE = 1024 * 1024;

export class FileFollower {
  readonly path: string;
  readonly isPipe: boolean;
  private fd: number | undefined;
  private offset = 0;
  /** Lines out of the bytes read, each at most 1 MiB (a longer one is skipped, with a note). */
  private readonly lines: LineSplitter;
  private timer: NodeJS.Timeout | undefined;
  private readonly buf = Buffer.allocUnsafe(CHUNK);
  private readonly pollMs: number;

  /** Opens the file at once (throws FollowError with a readable message); call `start` to begin reading. */
  constructor(
    path: string,
    private readonly o: FollowOptions,
  ) {
    this.path = path;
    this.pollMs = o.pollMs ?? 100;
    this.lines = new LineSplitter({
      onLine: (text, n) => this.o.onLine(text, n),
      onTooLong: (n, max) =>
        o.onTooLong ? o.onTooLong(n, max) : this.o.note?.(`${path}:${n}: the line is longer than ${Math.round(max / 1024)} KiB; line skipped`),
      maxBytes: o.maxLineBytes,
    });
    let fd: number;
    try {
      // Non-blocking: opening a named pipe must not wait for a writer.
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT'
          ? 'no such file; create it first (touch FILE, or mkfifo FILE for a named pipe)'
          : code === 'EACCES'
            ? 'permission denied'
            : (code ?? (e as Error).message);
      throw new FollowError(`cannot read ${path} (${why})`);
    }
    const st = fstatSync(fd);
    if (st.isDirectory()) {
      closeSync(fd);
      throw new FollowError(`cannot read ${path} (it is a folder)`);
    }
    this.fd = fd;
    this.isPipe = st.isFIFO() || st.isSocket() || st.isCharacterDevice();
  }

  start(): void {
    if (this.fd !== undefined && this.timer === undefined) this.timer = setTimeout(() => this.poll(), 0);
  }

  /** Read what is there now; returns the number of bytes read. */
  readNow(): number {
    const fd = this.fd;
    if (fd === undefined) return 0;
    let total = 0;
    if (!this.isPipe) {
      const size = fstatSync(fd).size;
      if (size < this.offset) {
        this.o.note?.(`${this.path}: the file got shorter (truncated or rewritten); reading it again from its start`);
        this.offset = 0;
        this.lines.end();
      }
    }
    while (total < SLICE) {
      let n: number;
      try {
        n = readSync(fd, this.buf, 0, CHUNK, this.isPipe ? null : this.offset);
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // A pipe with a writer but nothing in it yet.
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        throw e;
      }
      // End of a regular file for now, or a pipe with no writer at the moment.
      if (n === 0) break;
      this.offset += n;
      total += n;
      this.lines.push(this.buf.subarray(0, n));
    }
    return total;
  }

  private poll(): void {
    this.timer = undefined;
    if (this.fd === undefined) return;
    if (this.o.hold?.()) {
      this.timer = setTimeout(() => this.poll(), 5);
      return;
    }
    let n = 0;
    try {
      n = this.readNow();
    } catch (e) {
      this.o.note?.(`${this.path}: cannot read on (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); no more lines from it`);
      this.stop();
      return;
    }
    // More may be waiting after a full slice: come back at once, after other work.
    if (this.fd !== undefined) this.timer = setTimeout(() => this.poll(), n >= SLICE ? 0 : this.pollMs);
  }

  /** Lines handed out so far. */
  get lineNo(): number {
    return this.lines.lineNo;
  }

  /** Stop following: read what is there, take a last line without its end, close the file. */
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const fd = this.fd;
    if (fd === undefined) return;
    try {
      this.readNow();
    } catch {
      // Whatever could be read has been.
    }
    this.lines.end();
    this.fd = undefined;
    closeSync(fd);
  }
}
