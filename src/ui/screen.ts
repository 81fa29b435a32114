/**
 * The screen writer. It puts whole frames (one prebuilt string per row) on the terminal with
 * absolute cursor positioning, rewriting only the rows that changed, inside a
 * synchronized-output block, at most `fps` times a second: no screen clears except after a
 * resize, no flicker, and nothing at all while nothing changes.
 *
 * It is also the stream Ink renders into (in its `debug` mode Ink hands over each whole frame
 * as a string). The live UI draws its rows here directly (`draw`) instead, and Ink's own frames
 * are then ignored, because Ink 6.8's text pipeline does not suit a screen that changes every
 * frame: it keeps every distinct row it ever measured in a module cache (about 80 KB a frame
 * here, hundreds of MB over a session), re-tokenises every row each frame, its incremental
 * mode moves the cursor one row too far when a frame ends with a newline, and its standard mode
 * erases and rewrites every line each frame.
 */
import { EventEmitter } from 'node:events';

const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

function visibleWidth(s: string): number {
  const t = s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
  let n = 0;
  for (const _ of t) n++;
  return n;
}

export interface ScreenStats {
  frames: number;
  rowsWritten: number;
  bytes: number;
}

export class ScreenStream extends EventEmitter {
  /** Ink asks; false keeps Ink's cursor helpers from writing escape codes into frames. */
  readonly isTTY = false;
  readonly stats: ScreenStats = { frames: 0, rowsWritten: 0, bytes: 0 };
  /** Called once, after the first frame is written. */
  onFirstFrame?: () => void;
  private prev: string[] = [];
  private pending: string[] | undefined;
  private timer: NodeJS.Timeout | undefined;
  private last = 0;
  private clear = false;
  private closed = false;
  private readonly minGap: number;
  private readonly onResize = () => {
    this.prev = [];
    this.clear = true;
    this.emit('resize');
  };

  constructor(
    private readonly out: NodeJS.WriteStream,
    fps = 30,
  ) {
    super();
    this.minGap = 1000 / Math.max(1, fps);
    out.on('resize', this.onResize);
  }

  get columns(): number {
    return this.out.columns || 80;
  }

  get rows(): number {
    return this.out.rows || 24;
  }

  /** When set, frames come from `draw` and Ink's writes are ignored. */
  external = false;

  /** A frame from Ink. */
  write(frame: string): boolean {
    if (this.external) return true;
    const lines = frame.split('\n');
    if (lines.length && lines[lines.length - 1] === '') lines.pop();
    this.draw(lines);
    return true;
  }

  /** A frame as rows. */
  draw(lines: string[]): void {
    if (this.closed) return;
    this.pending = lines;
    if (this.timer) return;
    const wait = this.last + this.minGap - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Write the pending frame now. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const lines = this.pending;
    this.pending = undefined;
    if (lines === undefined || this.closed) return;
    this.last = performance.now();
    const cols = this.columns;
    const maxRows = this.rows;
    let buf = '';
    if (this.clear) {
      buf += '\x1b[H\x1b[2J';
      this.clear = false;
    }
    const n = Math.min(maxRows, Math.max(lines.length, this.prev.length));
    let changed = 0;
    for (let i = 0; i < n; i++) {
      const line = lines[i] ?? '';
      if (line === this.prev[i]) continue;
      changed++;
      // Erase the rest of the row only when the row is shorter than the terminal: after a
      // full-width row the cursor sits on the last column and an erase would remove it.
      buf += `\x1b[${i + 1};1H${line}\x1b[0m${visibleWidth(line) < cols ? '\x1b[K' : ''}`;
    }
    this.prev = lines.slice(0, maxRows);
    if (!buf) return;
    const data = `${BSU}${buf}${ESU}`;
    this.stats.frames++;
    this.stats.rowsWritten += changed;
    this.stats.bytes += data.length;
    this.out.write(data);
    if (this.stats.frames === 1) this.onFirstFrame?.();
  }

  /** Stop writing (pending frames are dropped) and stop listening to the terminal. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    this.out.off('resize', this.onResize);
  }
}
