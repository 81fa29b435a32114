/**
 * What every screen of a class watches: the room, and in class pace the class's clock (a
 * TrainSession on the class's run, which only the trainer's console moves). One version number
 * for both, so a student's screen redraws when the clock moves or the class changes.
 */
import type { ClassRoom } from '../../training/class/room.js';
import type { SessionOptions } from '../playback/replay.js';
import { TrainSession } from '../training/session.js';

export class ClassHub {
  /** Class pace: the class's clock. */
  readonly session?: TrainSession;
  private version = 0;
  private readonly listeners = new Set<() => void>();
  private queued = false;
  private readonly stops: (() => void)[] = [];
  /** The clock as the students' screens follow it: at most `studentFps` times a second. */
  clockVersion = 0;
  private clockTimer?: NodeJS.Timeout;
  private lastClock = 0;

  constructor(
    readonly room: ClassRoom,
    opts: SessionOptions = {},
  ) {
    if (room.run) {
      const s = new TrainSession(room.run, opts);
      this.session = s;
      this.stops.push(
        s.subscribe(() => {
          room.sync();
          // The clock stops at a question: that is not the end of the scenario.
          if (room.question) s.note = '';
          this.tickClock();
          this.changed();
        }),
      );
    }
    this.stops.push(room.subscribe(() => this.changed()));
  }

  /** Students' screens redraw for the clock 5 times a second at most (40 seats at 20 frames a second would take the CPU). */
  private tickClock(): void {
    if (this.clockTimer) return;
    const wait = Math.max(0, this.lastClock + 200 - performance.now());
    this.clockTimer = setTimeout(() => {
      this.clockTimer = undefined;
      this.lastClock = performance.now();
      this.clockVersion = this.session?.getVersion() ?? 0;
      this.changed();
    }, wait);
  }

  subscribe = (f: () => void): (() => void) => {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  };

  getVersion = (): number => this.version;

  changed(): void {
    this.version++;
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      for (const f of this.listeners) f();
    });
  }

  /** Class pace: the run goes on after a question (along doctrine's answer or the class's), and the clock plays on. */
  goOn(along: 'doctrine' | 'class'): void {
    const s = this.session;
    if (!s || !this.room.goOn(along)) return;
    // The question's tick runs at once with the class's answer.
    s.stepForward();
    s.note = '';
    s.play();
    this.changed();
  }

  dispose(): void {
    if (this.clockTimer) clearTimeout(this.clockTimer);
    for (const f of this.stops.splice(0)) f();
    this.session?.dispose();
  }
}
