/** Slots of the timing wheels of due units. */
export const WHEEL = 4096;

/**
 * Which units are due at which tick, so that a tick looks only at them instead of at every unit:
 * a timing wheel of WHEEL slots (a unit due at tick d waits in slot d mod WHEEL), plus the units
 * due at once. Entries may be stale (a unit rescheduled since): `take` checks each against the
 * unit's due tick, keeps those for a later lap of the wheel, and drops the rest.
 */
export class Wheel {
  private readonly slots: number[][] = Array.from({ length: WHEEL }, () => []);
  private now: number[] = [];
  private readonly seen: Int32Array;
  private stamp = 0;
  private out = new Int32Array(64);

  constructor(n: number) {
    this.seen = new Int32Array(n);
  }

  /** Unit u is due at tick d (d ≤ the current tick: at once; Infinity: not). */
  add(u: number, d: number, k: number): void {
    if (d <= k) this.now.push(u);
    else if (d !== Infinity) this.slots[d % WHEEL].push(u);
  }

  /** Unit u is due at once. */
  addNow(u: number): void {
    this.now.push(u);
  }

  /**
   * The units due at tick k (whose due tick, by `dueAt`, is at or before k), ascending, without
   * repeats; their entries are removed. Returns how many, in `items`.
   */
  take(k: number, dueAt: (u: number) => number): number {
    const slot = this.slots[k % WHEEL];
    const stamp = ++this.stamp;
    let count = 0;
    const push = (u: number) => {
      if (this.seen[u] === stamp) return;
      this.seen[u] = stamp;
      if (count === this.out.length) {
        const bigger = new Int32Array(count * 2);
        bigger.set(this.out);
        this.out = bigger;
      }
      this.out[count++] = u;
    };
    let keep = 0;
    for (let i = 0; i < slot.length; i++) {
      const u = slot[i];
      const d = dueAt(u);
      if (d <= k) push(u);
      else if (d !== Infinity && d % WHEEL === k % WHEEL && d > k) slot[keep++] = u; // a later lap
    }
    slot.length = keep;
    const now = this.now;
    this.now = [];
    for (let i = 0; i < now.length; i++) if (dueAt(now[i]) <= k) push(now[i]);
    const items = this.out.subarray(0, count);
    items.sort();
    return count;
  }

  get items(): Int32Array {
    return this.out;
  }
}
