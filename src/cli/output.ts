/** How every command writes: escaped standard output and error, the --out event file, timeline widths. */
import { closeSync, existsSync, fsyncSync, openSync, statSync, writeSync } from 'node:fs';
import { eventToNdjson, type SimEvent } from '../core/events.js';
import { maxOf } from '../core/extent.js';
import type { Scenario } from '../core/model.js';
import { terminalText } from '../core/text/safe.js';
import { writeProblem } from '../io/write-file.js';
import { UsageError } from './errors.js';

/** Standard output as every command writes it: control characters from outside escaped, line breaks kept. */
export const writeOut = (s: string): void => {
  process.stdout.write(terminalText(s));
};

/**
 * Standard error as every command writes it: text from outside (a file's name, a scenario's
 * names) is shown with its control characters escaped (src/core/text/safe.ts).
 */
export const writeErr = (s: string): void => {
  process.stderr.write(terminalText(s));
};

/** The column widths of the timeline (formatTimelineLine): the longest unit and zone ids, at least 4. */
export function timelineWidths(sc: Scenario): { unit: number; zone: number } {
  return { unit: maxOf(sc.units, (u) => u.id.length, 4), zone: maxOf(sc.zones, (z) => z.id.length, 4) };
}

/** The page size writes of --out keep inside where they can (see EventFile.write). */
const PAGE = 4096;

/** Writes NDJSON to a file as the run goes, flushing after each tick; refuses to overwrite without force. */
export class EventFile {
  private fd: number;
  /** Bytes written so far (the file starts empty). */
  private size = 0;

  constructor(
    private readonly path: string,
    force: boolean,
  ) {
    if (existsSync(path) && statSync(path).isDirectory()) throw new UsageError(`cannot write ${path} (it is a folder)`);
    if (existsSync(path) && !force) throw new UsageError(`${path} exists; pass --force to overwrite it`);
    try {
      this.fd = openSync(path, force ? 'w' : 'wx');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw new UsageError(`${path} exists; pass --force to overwrite it`);
      throw new UsageError(
        `cannot write ${path} (${code === 'EISDIR' ? 'it is a folder' : code === 'ENOENT' ? 'no such folder' : code === 'EACCES' ? 'permission denied' : code})`,
      );
    }
  }

  /**
   * One tick's events as whole lines, then fsync, so that a killed run leaves the lines written
   * before. Lines go out in writes that stay inside one 4 KiB page of the file where they can:
   * Linux cuts a write short between pages when a kill arrives during it, never inside a page,
   * so only a line that itself spans two pages can be cut, and then only while it is copied.
   */
  write(events: readonly SimEvent[]): void {
    this.writeLines(events.map(eventToNdjson));
  }

  /** The same for NDJSON lines already made (each with its newline). */
  writeLines(lines: readonly string[]): void {
    if (!lines.length) return;
    const bytes = Buffer.from(lines.join(''));
    const ends: number[] = [];
    let end = 0;
    for (const l of lines) ends.push((end += Buffer.byteLength(l)));
    let start = 0;
    let k = 0;
    while (start < bytes.length) {
      const page = Math.floor((this.size + start) / PAGE);
      // The last line end still in the page where this write starts (at least one line).
      let stop = ends[k++];
      while (k < ends.length && Math.floor((this.size + ends[k] - 1) / PAGE) === page) stop = ends[k++];
      try {
        for (let off = start; off < stop;) off += writeSync(this.fd, bytes, off, stop - off);
      } catch (e) {
        // A full disk or a device that refuses: one line naming the file, exit 2.
        throw new UsageError(`cannot write ${this.path} (${writeProblem(e)})`);
      }
      start = stop;
    }
    this.size += bytes.length;
    try {
      fsyncSync(this.fd);
    } catch (e) {
      // A device (e.g. /dev/null, a pipe) cannot be synced: nothing is lost by that.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EROFS') throw new UsageError(`cannot write ${this.path} (${writeProblem(e)})`);
    }
  }
  close(): void {
    closeSync(this.fd);
  }
}
