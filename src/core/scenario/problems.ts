/**
 * The problems found in one file. The loader goes on past a problem wherever what follows does
 * not depend on it, so that `validate` can report every problem at once; the same problem met
 * twice (unit after unit referring to one bad file) is reported once, for the first field.
 */
import { ScenarioError } from '../errors.js';

export class Problems {
  readonly list: ScenarioError[] = [];
  private readonly seen = new Set<string>();

  add(e: ScenarioError): void {
    // A problem inside a referenced file is the same problem for every field referring to it.
    const key = `${e.file}:${e.line}:${e.column}: ${e.detail}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
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
