/**
 * Largest and smallest of many values, in a loop. `Math.max(...values)` passes every value as an
 * argument and overflows the call stack at some hundred thousand of them (the HTML report's map
 * crashed at about 400 units); nothing whose size the input controls is spread into a call.
 */

/** The largest `f(x)` over `items`, or `init` when there are none (or all are smaller). */
export function maxOf<T>(items: Iterable<T>, f: (x: T) => number, init = -Infinity): number {
  let m = init;
  for (const x of items) {
    const v = f(x);
    if (v > m) m = v;
  }
  return m;
}

/** The smallest `f(x)` over `items`, or `init` when there are none (or all are larger). */
export function minOf<T>(items: Iterable<T>, f: (x: T) => number, init = Infinity): number {
  let m = init;
  for (const x of items) {
    const v = f(x);
    if (v < m) m = v;
  }
  return m;
}

/** Append every item of `more` to `out` (`out.push(...more)` without the spread). */
export function pushAll<T>(out: T[], more: Iterable<T>): T[] {
  for (const x of more) out.push(x);
  return out;
}
