/**
 * Where the plain YAML reader (plain-yaml.ts) saw nodes start and end, as numbers in typed arrays,
 * for the warnings' positions (src/core/warnings/source.ts).
 */
/** A null written out (`~`, `null`, comments before it), as opposed to an empty value (`key:` and nothing), at the start of a value's text. */
export const EXPLICIT_NULL = /^[\s]*(?:#[^\n]*\n[\s]*)*(?:~|null|Null|NULL)(?![^\s,\]}])/;

/** A spot's kind (the low bits of its flags). */
export const SCALAR = 0;
export const MAPPING = 1;
export const SEQUENCE = 2;
/** Flag: a collection whose children were not kept (deeper than kept). */
export const CUT = 4;

/**
 * Where nodes start and end, for the warnings' positions (src/core/warnings/source.ts), kept to a
 * depth (the top-level mapping's values, its lists' items and their fields); a collection deeper
 * is cut (its text read again when a warning points into it). A node is a number: its start, end
 * and flags sit in typed arrays, its value in a list, and only a collection whose children are
 * kept has a list of them (a mapping's: key, child, key, child...; a list's: its children), so
 * that a file of ten thousand units keeps ten thousand small lists, not an object and a list for
 * every key and value (which cost about as much again as reading the file, most of it the
 * collector's). Node 0 is the document's top node.
 */
export class PlainSpots {
  start = new Int32Array(64);
  end = new Int32Array(64);
  flags = new Uint8Array(64);
  readonly value: unknown[] = [];
  readonly kids: (unknown[] | undefined)[] = [];
  n = 0;

  /** A new node starting at `start`; its number. */
  add(start: number): number {
    const id = this.n++;
    if (id === this.start.length) {
      const grow = <A extends Int32Array | Uint8Array>(a: A, b: A): A => (b.set(a), b);
      this.start = grow(this.start, new Int32Array(2 * id));
      this.end = grow(this.end, new Int32Array(2 * id));
      this.flags = grow(this.flags, new Uint8Array(2 * id));
    }
    this.start[id] = start;
    this.value.push(undefined);
    this.kids.push(undefined);
    return id;
  }

  kind(id: number): number {
    return this.flags[id] & 3;
  }

  cut(id: number): boolean {
    return (this.flags[id] & CUT) !== 0;
  }

  /** Its children as kept (see the class's comment); empty for a scalar or a cut collection. */
  children(id: number): readonly unknown[] {
    return this.kids[id] ?? NONE;
  }

  /** Every offset moved by `base` (text read again from inside a file). */
  shift(base: number): void {
    for (let i = 0; i < this.n; i++) {
      this.start[i] += base;
      this.end[i] += base;
    }
  }
}

const NONE: readonly unknown[] = [];
