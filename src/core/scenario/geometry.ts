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
 * Two edges (indices, the lower first) of a closed ring that cross, or undefined. A sweep over the
 * edges in order of their western end compares only edges whose longitude spans overlap, so a
 * ring of a thousand vertices costs thousands of comparisons, not half a million.
 */
function selfCrossing(ring: LonLat[]): [number, number] | undefined {
  const n = ring.length - 1;
  const west = (i: number) => Math.min(ring[i][0], ring[i + 1][0]);
  const east = (i: number) => Math.max(ring[i][0], ring[i + 1][0]);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => west(a) - west(b) || a - b);
  const active: number[] = [];
  let found: [number, number] | undefined;
  for (const i of order) {
    const w = west(i);
    let keep = 0;
    for (const j of active) {
      if (east(j) < w) continue;
      active[keep++] = j;
      const [a, b] = i < j ? [i, j] : [j, i];
      if (b === a + 1 || (a === 0 && b === n - 1)) continue; // neighbours share a point
      if (crosses(ring[a], ring[a + 1], ring[b], ring[b + 1]) && (!found || a < found[0] || (a === found[0] && b < found[1]))) found = [a, b];
    }
    active.length = keep;
    active.push(i);
  }
  return found;
}
