/**
 * The problems found in one file. The loader goes on past a problem wherever what follows does
 * not depend on it, so that `validate` can report every problem at once; the same problem met
 * twice (unit after unit referring to one bad file) is reported once: for the field whose track
 * it lies in when the reader knows that (a CSV row's unit), else for the first.
 */
import { ScenarioError } from '../errors.js';

export class Problems {
  readonly list: ScenarioError[] = [];
  /** Where in `list` each problem is, by its place and text. */
  private readonly seen = new Map<string, number>();

  add(e: ScenarioError): void {
    // A problem inside a referenced file is the same problem for every field referring to it,
    // said once: for the field whose track it lies in when that is known (ownTrack), else for the first.
    const key = `${e.file}:${e.line}:${e.column}: ${e.detail}`;
    const at = this.seen.get(key);
    if (at !== undefined) {
      if (e.ownTrack && !this.list[at].ownTrack) this.list[at] = e;
      return;
    }
    this.seen.set(key, this.list.length);
    this.list.push(e);
  }

  /** What `f` gives, or undefined with its ScenarioError recorded; anything else is thrown on. */
  try<T>(f: () => T): T | undefined {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof ScenarioError)) throw e;
      this.add(e);
      return undefined;
    }
  }

  /** The items `f` compiles without a problem, recording the problems of the rest; `skip` lists items already found wrong. */
  each<T, R>(items: readonly T[], f: (item: T, i: number) => R, skip?: (i: number) => boolean): R[] {
    const out: R[] = [];
    for (let i = 0; i < items.length; i++) {
      if (skip?.(i)) continue;
      const r = this.try(() => f(items[i], i));
      if (r !== undefined) out.push(r);
    }
    return out;
  }
}
