/**
 * Time and streams with RxJS, at batch granularity: one emission per tick carrying all of the
 * tick's events (positions are read from the engine), never one emission per position.
 *
 * - `fastClock()` runs as fast as possible (headless);
 * - `realTimeClock(speed)` paces ticks to simulated time × speed;
 * - `steppedClock(trigger$)` advances one tick per trigger.
 */
import { EMPTY, Observable, asapScheduler, asyncScheduler, concatMap, defer, interval, map, of, takeWhile, type SchedulerLike } from 'rxjs';
import type { Engine, TickBatch } from './engine.js';

/** A clock says when to take the next tick: each emission asks for `n` ticks. */
export type Clock = Observable<number>;

/** As fast as possible, in chunks so that the event loop stays responsive. */
export function fastClock(chunk = 1000, scheduler: SchedulerLike = asapScheduler): Clock {
  return interval(0, scheduler).pipe(map(() => chunk));
}

/**
 * Real time times `speed`: every `frameMs` of wall time, as many ticks as simulated time has
 * passed. Elapsed time is measured, not counted in frames, so a busy machine does not slow the
 * run down (a stall of more than a second is not made up in one burst). `speed` may be a
 * function so that it can change while running.
 */
export function realTimeClock(engine: Engine, speed: number | (() => number), frameMs = 50, scheduler: SchedulerLike = asyncScheduler): Clock {
  const sp = typeof speed === 'function' ? speed : () => speed;
  return defer(() => {
    let owed = 0;
    let last = scheduler.now();
    return interval(frameMs, scheduler).pipe(
      map(() => {
        const now = scheduler.now();
        const elapsed = Math.min(1000, Math.max(0, now - last));
        last = now;
        owed += (elapsed * sp()) / engine.scenario.tick;
        // A small tolerance keeps sums like 0.3 + 0.3 + … from falling just short of a whole tick.
        const n = Math.floor(owed + 1e-9);
        owed -= n;
        return n;
      }),
    );
  });
}

/** One tick per emission of `trigger$`. */
export function steppedClock(trigger$: Observable<unknown>): Clock {
  return trigger$.pipe(map(() => 1));
}

/**
 * Drive the engine with a clock: emits each tick's batch (including ticks with no events) until
 * the end, or until tick index `lastTick`.
 */
export function run$(engine: Engine, clock: Clock, lastTick = engine.tickCount - 1): Observable<TickBatch> {
  const more = () => !engine.done && engine.tickIndex < lastTick;
  return clock.pipe(
    takeWhile(more),
    concatMap((n) => {
      if (n <= 0) return EMPTY;
      const batches: TickBatch[] = [];
      for (let i = 0; i < n && more(); i++) batches.push(engine.step());
      return of(...batches);
    }),
    (src) =>
      new Observable<TickBatch>((sub) => {
        const s = src.subscribe({
          next: (b) => {
            sub.next(b);
            // The engine steps a chunk ahead of what is emitted: finish on the last batch itself.
            if (b.index >= Math.min(lastTick, engine.tickCount - 1)) sub.complete();
          },
          error: (e) => sub.error(e),
          complete: () => sub.complete(),
        });
        return () => s.unsubscribe();
      }),
  );
}

/** The events of a run as an Observable of per-tick batches that have events. */
export function events$(engine: Engine, clock: Clock = fastClock()): Observable<TickBatch> {
  return new Observable<TickBatch>((sub) => {
    const s = run$(engine, clock).subscribe({
      next: (b) => {
        if (b.events.length) sub.next(b);
      },
      error: (e) => sub.error(e),
      complete: () => sub.complete(),
    });
    return () => s.unsubscribe();
  });
}
