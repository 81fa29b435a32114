/**
 * Degenerate zone geometry, refused with a message that says what is wrong: a line whose points
 * are all one point (every unit would be on its forbidden side from both sides), a polygon ring
 * that encloses no area, and a ring that crosses itself (inside and outside would depend on the
 * rule used to fill it). Lines and rings are straight in lon/lat (RFC 7946), as the zones judge them.
 */
import type { LonLat } from '../position.js';
import type { ScenarioError } from '../errors.js';

type Fail = (sub: (string | number)[], message: string, hint?: string) => ScenarioError;

/** Throws the problem with a zone's line or polygon rings, if any. */
export function checkZoneGeometry(kind: 'line' | 'polygon', rings: LonLat[][], fail: Fail): void {
  if (kind === 'line') {
    const pts = rings[0];
    if (pts.every((q) => q[0] === pts[0][0] && q[1] === pts[0][1])) {
      throw fail(
        [0],
        `the line's ${pts.length} positions are all the same point, so it has no length and no sides`,
        'give the line at least two different positions',
      );
    }
    return;
  }
  rings.forEach((ring, r) => {
    const x = selfCrossing(ring);
    if (x)
      throw fail(
        [r, x[1]],
        `the polygon ring crosses itself (edges ${x[0] + 1} and ${x[1] + 1})`,
        'order the positions around the area, without a figure of eight',
      );
    if (ringArea(ring) === 0) {
      throw fail([r], 'the polygon ring encloses no area (its positions lie on one line)', 'check the positions: a ring goes around the area it encloses');
    }
  });
}

/** Twice the signed area of a closed ring, in square degrees (shoelace). */
function ringArea(ring: LonLat[]): number {
  let a = 0;
  for (let i = 0; i + 1 < ring.length; i++) a += ring[i][0] * ring[i + 1][1] - ring[i + 1][0] * ring[i][1];
  return a;
}

function orient(a: LonLat, b: LonLat, c: LonLat): number {
  const v = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** Whether segments ab and cd properly cross (touching at an end point does not count). */
function crosses(a: LonLat, b: LonLat, c: LonLat, d: LonLat): boolean {
  const o1 = orient(a, b, c);
  const o2 = orient(a, b, d);
  const o3 = orient(c, d, a);
  const o4 = orient(c, d, b);
  return o1 * o2 < 0 && o3 * o4 < 0;
}

/**
 * Two edges (indices, the lower first) of a closed ring that cross, or undefined; of several
 * such pairs, the one with the lowest first edge, then the lowest second. A sweep over the edges
 * in order of their western end compares only edges whose longitude spans overlap, so a ring of
 * a thousand vertices costs thousands of comparisons, not half a million. Flat arrays and no
 * closures: it runs once per ring on every load, mostly before the compiler has warmed up.
 */
export function selfCrossing(ring: LonLat[]): [number, number] | undefined {
  const n = ring.length - 1;
  if (n < 3) return undefined;
  const xy = new Float64Array(2 * (n + 1));
  for (let i = 0; i <= n; i++) {
    xy[2 * i] = ring[i][0];
    xy[2 * i + 1] = ring[i][1];
  }
  const west = new Float64Array(n);
  const east = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = xy[2 * i];
    const b = xy[2 * i + 2];
    west[i] = a < b ? a : b;
    east[i] = a < b ? b : a;
  }
  const order = sortedByWest(west);
  const active = new Int32Array(n);
  let size = 0;
  let fa = -1;
  let fb = -1;
  for (let o = 0; o < n; o++) {
    const i = order[o];
    const w = west[i];
    let keep = 0;
    for (let m = 0; m < size; m++) {
      const j = active[m];
      if (east[j] < w) continue;
      active[keep++] = j;
      const a = i < j ? i : j;
      const b = i < j ? j : i;
      if (b === a + 1 || (a === 0 && b === n - 1)) continue; // neighbours share a point
      if (fa >= 0 && (a > fa || (a === fa && b > fb))) continue;
      if (crossesAt(xy, a, b)) {
        fa = a;
        fb = b;
      }
    }
    size = keep;
    active[size++] = i;
  }
  return fa >= 0 ? [fa, fb] : undefined;
}

/** Indices 0..n-1 ordered by `key`, ties by index (a stable sort of the indices). */
function sortedByWest(key: Float64Array): Int32Array {
  const order = new Int32Array(key.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // Typed-array sort with a comparator is not guaranteed stable: ties go by index explicitly.
  order.sort((a, b) => key[a] - key[b] || a - b);
  return order;
}

function orientAt(xy: Float64Array, a: number, b: number, c: number): number {
  const v = (xy[2 * b] - xy[2 * a]) * (xy[2 * c + 1] - xy[2 * a + 1]) - (xy[2 * b + 1] - xy[2 * a + 1]) * (xy[2 * c] - xy[2 * a]);
  return v > 0 ? 1 : v < 0 ? -1 : 0;
}

/** Whether edges a (points a, a+1) and b (points b, b+1) properly cross (touching at an end point does not count). */
function crossesAt(xy: Float64Array, a: number, b: number): boolean {
  return orientAt(xy, a, a + 1, b) * orientAt(xy, a, a + 1, b + 1) < 0 && orientAt(xy, b, b + 1, a) * orientAt(xy, b, b + 1, a + 1) < 0;
}

/** `selfCrossing` by comparing every pair of edges: the reference (tests). */
export function selfCrossingByPairs(ring: LonLat[]): [number, number] | undefined {
  const n = ring.length - 1;
  for (let a = 0; a < n; a++) {
    for (let b = a + 2; b < n; b++) {
      if (a === 0 && b === n - 1) continue;
      if (crosses(ring[a], ring[a + 1], ring[b], ring[b + 1])) return [a, b];
    }
  }
  return undefined;
}
