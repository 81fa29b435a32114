/**
 * Lines out of a byte stream, in bounded memory: the reader of `deconflict live`'s NDJSON input
 * (standard input, and a file or named pipe followed as it grows).
 *
 * Bytes are decoded as UTF-8 across chunk boundaries; a line ends at `\n` (a `\r` before it is
 * dropped). A line longer than `maxBytes` is not kept: its start is dropped as soon as it goes
 * over, the rest is skipped up to the next line break, and it is reported once (`onTooLong`)
 * with its number, instead of growing a string until the heap gives out (a 600 MB line with no
 * line break threw a RangeError). The work is linear in the bytes read: a long line is gathered
 * in pieces and joined once.
 */
import { StringDecoder } from 'node:string_decoder';

/** The longest input line kept (1 MiB): a position report is a few hundred bytes. */
export const MAX_LINE_BYTES = 1024 * 1024;

export interface LineSplitterOptions {
  /** One line (without its end of line), numbered from 1. */
  onLine: (text: string, lineNo: number) => void;
  /** A line went over `maxBytes` and was skipped (called once, when it goes over). */
  onTooLong?: (lineNo: number, maxBytes: number) => void;
  maxBytes?: number;
}

export class LineSplitter {
  /** Lines seen so far (kept, skipped or too long). */
  lineNo = 0;
  private decoder = new StringDecoder('utf8');
  private parts: string[] = [];
  private partBytes = 0;
  /** The current line went over the limit: skip to its end. */
  private skipping = false;
  private readonly max: number;

  constructor(private readonly o: LineSplitterOptions) {
    this.max = o.maxBytes ?? MAX_LINE_BYTES;
  }

  /** Some more bytes. */
  push(chunk: Uint8Array): void {
    this.take(this.decoder.write(chunk));
  }

  private take(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      this.piece(text.slice(start, nl));
      this.endLine();
      start = nl + 1;
    }
    if (start < text.length) this.piece(text.slice(start));
  }

  private piece(s: string): void {
    if (this.skipping || !s) return;
    this.partBytes += Buffer.byteLength(s);
    if (this.partBytes > this.max) {
      this.skipping = true;
      this.parts = [];
      this.partBytes = 0;
      this.o.onTooLong?.(this.lineNo + 1, this.max);
      return;
    }
    this.parts.push(s);
  }

  private endLine(): void {
    this.lineNo++;
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    let line = this.parts.length === 1 ? this.parts[0] : this.parts.join('');
    this.parts = [];
    this.partBytes = 0;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    this.o.onLine(line, this.lineNo);
  }

  /** The input has ended: a last line without its line break is taken as it is. */
  end(): void {
    const rest = this.decoder.end();
    if (rest) this.take(rest);
    this.decoder = new StringDecoder('utf8');
    if (this.skipping) {
      this.lineNo++;
      this.skipping = false;
      return;
    }
    if (this.parts.length && this.parts.join('').trim()) this.endLine();
    this.parts = [];
    this.partBytes = 0;
  }
}
