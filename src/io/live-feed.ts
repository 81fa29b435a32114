/**
 * Wires a LiveRun to its inputs and to time, for every front end of `deconflict live` (the
 * headless timeline and the terminal UI alike): NDJSON lines from a stream read to its end
 * (standard input) or from a file or named pipe followed as it grows, CoT datagrams on a
 * loopback UDP port, and the wall clock's ticks. It decides nothing about the ladder: LiveRun
 * and its engine do.
 *
 * It keeps the program responsive whatever the input claims: ticks run in slices of about
 * 20 ms (the wall clock catching up on a window that started years ago, or fixes far ahead of
 * a feed's clock, see LiveRun.pump), with the inputs held while a slice is owed, so that a
 * signal is always heard and memory does not fill with waiting lines. Input lines are at most
 * 1 MiB (src/io/lines.ts).
 */
import { createSocket, type Socket } from 'node:dgram';
import type { TickBatch } from '../core/engine.js';
import { DisInput, openDisSocket } from './dis/input.js';
import { FileFollower, FollowError } from './follow.js';
import type { Fix } from './geodata.js';
import { LineSplitter } from './lines.js';
import { PUMP_SLICE_MS, type LiveClock, type LiveRun } from './live.js';

/** Where a live run shows: the headless timeline, or the terminal UI. */
export interface LiveFrontEnd {
  /** A tick's batch that has events. */
  events(b: TickBatch): void;
  /** A problem with some input (a line or datagram skipped, a late fix), already worded. */
  warn(message: string): void;
  /** A note about the run itself (the port listened on, the window's end, CoT that cannot be sent). */
  notice(message: string): void;
  /** A fix was accepted. */
  fix?(u: number, f: Fix, source: string): void;
  /** A tick ran (with or without events). */
  tick?(b: TickBatch): void;
  /** Something came in or the feed ended (a display redraws). */
  redraw?(): void;
}

export interface LiveFeedOptions {
  clock: LiveClock;
  /** NDJSON lines from a stream read to its end (standard input), named `stdin` in messages. */
  stream?: NodeJS.ReadableStream;
  /** NDJSON lines from a file or named pipe, followed as it grows (instead of `stream`). */
  follow?: string;
  /** CoT over UDP on 127.0.0.1:PORT (0: a free port). */
  cotIn?: number;
  /** DIS Entity State PDUs over UDP on HOST:PORT (0: a free port), joined to a multicast group if given. */
  disIn?: { host: string; port: number; group?: string };
  /** A note about the inputs themselves (a truncated file, an unreadable pipe). */
  note: (message: string) => void;
  /** Something came in or a tick ran (a display redraws). */
  onChange?: () => void;
  /** The wall clock (default Date.now). */
  now?: () => number;
}

/** Why the feed stopped on its own: the stream ended (and it was the only input), or the run's window is over. */
export type FeedEnd = 'input' | 'window';

export class LiveFeed {
  /** The UDP port CoT is taken on, once open. */
  port: number | undefined;
  /** The UDP port DIS is taken on, once open. */
  disPort: number | undefined;
  /** The DIS input and its counts, with --dis-in. */
  dis: DisInput | undefined;
  private disSock: Socket | undefined;
  /** Set when the feed stopped on its own. */
  endedBy: FeedEnd | undefined;
  /** Resolves when the feed stops on its own. */
  readonly ended: Promise<FeedEnd>;
  private endResolve!: (e: FeedEnd) => void;
  private timer: NodeJS.Timeout | undefined;
  private udp: Socket | undefined;
  private streamInput: { stream: NodeJS.ReadableStream; onData: (c: Buffer | string) => void; onEnd: () => void } | undefined;
  private follower: FileFollower | undefined;
  private stopped = false;
  /** A pump slice is scheduled (fixes wait for the clock). */
  private pumping: NodeJS.Immediate | undefined;
  /** Standard input is paused while fixes wait. */
  private held = false;

  constructor(
    readonly live: LiveRun,
    private readonly o: LiveFeedOptions,
  ) {
    this.ended = new Promise((r) => (this.endResolve = r));
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  private end(why: FeedEnd): void {
    if (this.endedBy) return;
    this.endedBy = why;
    this.endResolve(why);
    this.o.onChange?.();
  }

  /** Where positions come from, in words (`feed.ndjson and CoT on udp 127.0.0.1:4242`). */
  describe(): string {
    const parts: string[] = [];
    if (this.o.follow !== undefined) parts.push(this.o.follow);
    else if (this.o.stream) parts.push('standard input');
    if (this.o.cotIn !== undefined) parts.push(`CoT on udp 127.0.0.1:${this.port ?? this.o.cotIn}`);
    if (this.o.disIn !== undefined) parts.push(`DIS on udp ${this.o.disIn.group ?? this.o.disIn.host}:${this.disPort ?? this.o.disIn.port}`);
    return parts.join(' and ') || 'nowhere';
  }

  /**
   * Open the inputs and start the clock. Returns a message for the user when an input cannot be
   * opened (nothing is left running then).
   */
  async open(): Promise<string | undefined> {
    const live = this.live;
    if (this.o.follow !== undefined) {
      try {
        this.follower = new FileFollower(this.o.follow, {
          onLine: (l, n) => this.line(l, n, this.o.follow!),
          note: (m) => this.o.note(m),
          onTooLong: (n, max) => this.live.lineTooLong(n, max, this.o.follow),
          // Nothing more is read while fixes wait for the clock.
          hold: () => this.live.busy,
        });
      } catch (e) {
        if (e instanceof FollowError) return `--input: ${e.message}`;
        throw e;
      }
    }
    if (this.o.cotIn !== undefined) {
      const sock = createSocket('udp4');
      try {
        await new Promise<void>((res, rej) => {
          sock.once('error', rej);
          sock.bind(this.o.cotIn, '127.0.0.1', () => res());
        });
      } catch (e) {
        this.follower?.stop();
        return `cannot listen on udp 127.0.0.1:${this.o.cotIn} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      }
      this.udp = sock;
      this.port = (sock.address() as { port: number }).port;
      sock.on('message', (msg, rinfo) => {
        live.cot(msg.toString('utf8'), `udp ${rinfo.address}:${rinfo.port}`);
        this.after();
      });
    }
    if (this.o.disIn !== undefined) {
      const d = this.o.disIn;
      const dis = new DisInput(live, { clock: this.o.clock, warn: (m) => live.warnInput(m), now: this.o.now });
      try {
        this.disSock = await openDisSocket(d.host, d.port, d.group, (buf, from) => {
          dis.datagram(buf, from);
          this.after();
        });
      } catch (e) {
        this.follower?.stop();
        this.udp?.close();
        this.udp = undefined;
        return `cannot listen for DIS on udp ${d.host}:${d.port}${d.group ? ` (group ${d.group})` : ''} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`;
      }
      this.dis = dis;
      this.disPort = (this.disSock.address() as { port: number }).port;
    }

    if (this.o.clock === 'wall') {
      const engine = live.start(this.now());
      const loop = () => {
        this.timer = undefined;
        if (this.stopped) return;
        // A slice at a time: a window that began long ago is caught up without blocking.
        const behind = live.advanceTo(this.now(), PUMP_SLICE_MS);
        if (live.done) {
          this.end('window');
          return;
        }
        if (behind) this.o.onChange?.();
        const next = engine.tickTime(engine.tickIndex + 1);
        this.timer = setTimeout(loop, behind ? 0 : Math.max(5, next - this.now() + 1));
      };
      loop();
    }

    this.follower?.start();
    if (this.o.follow === undefined && this.o.stream) {
      const stream = this.o.stream;
      const lines = new LineSplitter({
        onLine: (l, n) => this.line(l, n, 'stdin'),
        onTooLong: (n, max) => this.live.lineTooLong(n, max, 'stdin'),
      });
      const onData = (c: Buffer | string) => lines.push(typeof c === 'string' ? Buffer.from(c) : c);
      const onEnd = () => {
        lines.end();
        this.streamInput = undefined;
        // Standard input has ended; with CoT or DIS input the run goes on until stopped.
        if (this.udp === undefined && this.disSock === undefined && !this.stopped) this.end('input');
      };
      this.streamInput = { stream, onData, onEnd };
      stream.on('data', onData);
      stream.once('end', onEnd);
    }
    return undefined;
  }

  private line(text: string, lineNo: number, source: string): void {
    this.live.line(text, lineNo, source);
    this.after();
  }

  private after(): void {
    if (this.live.done) this.end('window');
    if (this.live.busy) this.pump();
    this.o.onChange?.();
  }

  /** Run the ticks waiting fixes need, a slice at a time, holding standard input meanwhile. */
  private pump(): void {
    if (this.pumping || this.stopped) return;
    if (!this.held && this.streamInput) {
      this.streamInput.stream.pause();
      this.held = true;
    }
    this.pumping = setImmediate(() => {
      this.pumping = undefined;
      if (this.stopped) return;
      const more = this.live.pump();
      if (this.live.done) this.end('window');
      this.o.onChange?.();
      if (more) this.pump();
      else if (this.held) {
        this.held = false;
        this.streamInput?.stream.resume();
      }
    });
  }

  /**
   * The input has ended: run the ticks the waiting fixes still need, a slice at a time, unless
   * `stopping()` says the run was stopped (then they are left to LiveRun.abandon).
   */
  async drain(stopping: () => boolean): Promise<void> {
    while (this.live.busy && !stopping()) {
      if (this.pumping) {
        clearImmediate(this.pumping);
        this.pumping = undefined;
      }
      await new Promise<void>((r) => setImmediate(r));
      if (stopping()) break;
      this.live.pump();
      this.o.onChange?.();
    }
  }

  /** Stop the clock and close every input; a line still being written to a followed file is taken. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pumping) clearImmediate(this.pumping);
    this.pumping = undefined;
    this.follower?.stop();
    if (this.streamInput) {
      const { stream, onData, onEnd } = this.streamInput;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.pause();
      // A pipe still open (a writer that never closes it) must not keep the program alive
      // after the run has ended.
      (stream as { unref?: () => void }).unref?.();
      this.streamInput = undefined;
    }
    this.udp?.close();
    this.disSock?.close();
  }
}
