/**
 * Every crossing of a set of distance levels along one straight lon/lat leg, found by a search
 * that cannot miss one: a branch and bound on a Lipschitz bound of the distance.
 *
 * Over a part [a, b] of the leg the distance can change by at most `lip · (b − a)` (lip bounds
 * the metres the distance changes per unit of the leg's parameter), so with the distances at the
 * two ends known, a level can only be crossed in that part if it lies within reach of both ends.
 * Parts where no level is within reach are dropped; the others are halved until they are shorter
 * than the resolution asked for, and a level whose side differs at the two ends of such a part is
 * crossed there. A dip through a level and back out between two positions is found as two
 * crossings, and a jump (the side of a line can change beyond its ends without touching it) as a
 * crossing of every level it passes.
 *
 * The shapes' distances are continuous except for such jumps, and Lipschitz along straight legs;
 * `legLipschitz` gives the bound for a leg. A circle's distance may be given with an error bound
 * (its cheap chord bounds), provided the value is exact whenever a level lies within its error.
 */
import { metresPerDegreeInto } from './geodesic.js';

const RAD = Math.PI / 180;
const K = new Float64Array(2);

/** A distance evaluated along a leg: the value at parameter s into out[0], its error bound into out[1]. */
export type LegDistance = (s: number, out: Float64Array) => void;

/** Crossings found by `sweepLevels`, in order along the leg: parameter, level index, and direction. */
export interface SweepOut {
  s: number[];
  level: number[];
  /** True where the distance goes from above the level to at or below it. */
  down: boolean[];
}

/**
 * The parts still to search, six numbers each (s, f, error at both ends): a typed array reused
 * from call to call (a plain array emptied with `length = 0` gives up its storage and allocates
 * it again as it grows, on every call).
 */
let stack = new Float64Array(6 * 64);
const mid = new Float64Array(2);

/** Push a part [sa, sb] with the distances and error bounds at its ends; returns the new top. */
function pushPart(top: number, sa: number, fa: number, ea: number, sb: number, fb: number, eb: number): number {
  if (top + 6 > stack.length) {
    const bigger = new Float64Array(stack.length * 2);
    bigger.set(stack);
    stack = bigger;
  }
  const st = stack;
  st[top] = sa;
  st[top + 1] = fa;
  st[top + 2] = ea;
  st[top + 3] = sb;
  st[top + 4] = fb;
  st[top + 5] = eb;
  return top + 6;
}
/**
 * Evaluations of one sweep beyond which parts with the same side at both ends are no longer
 * searched: only a leg that runs along a level, within a hair of it all the way, needs that many
 * (a dip there would be a hair deep); a change of side is still narrowed down.
 */
const BUDGET = 4000;

/**
 * The crossings of `levels` by the distance f along s in [0, 1], given f at both ends (with their
 * error bounds), appended to `out` in order of s. A crossing's s is the end of the part of the leg
 * it was narrowed to, no longer than `minW`, where the distance is on its new side.
 */
export function sweepLevels(
  f: LegDistance,
  f0: number,
  e0: number,
  f1: number,
  e1: number,
  lip: number,
  levels: readonly number[],
  minW: number,
  out: SweepOut,
): void {
  let top = pushPart(0, 0, f0, e0, 1, f1, e1);
  let evals = 0;
  while (top > 0) {
    top -= 6;
    const st = stack;
    const sa = st[top];
    const fa = st[top + 1];
    const ea = st[top + 2];
    const sb = st[top + 3];
    const fb = st[top + 4];
    const eb = st[top + 5];
    const w = sb - sa;
    const reach = lip * w;
    let open = false;
    const spent = evals > BUDGET;
    for (let i = 0; i < levels.length && !open; i++) {
      const L = levels[i];
      const ga = fa - L;
      const gb = fb - L;
      if (ga > ea && gb > eb) {
        // Above at both ends: going down to L needs the way down and back up within reach.
        if (!(ga - ea + (gb - eb) > reach) && !spent) open = true;
      } else if (ga <= -ea && gb <= -eb) {
        if (!(-ga - ea + (-gb - eb) >= reach) && !spent) open = true;
      } else if (!spent || fa > L !== fb > L) open = true;
    }
    if (!open) continue;
    if (w <= minW) {
      for (let i = 0; i < levels.length; i++) {
        const L = levels[i];
        if (fa > L !== fb > L) {
          out.s.push(sb);
          out.level.push(i);
          out.down.push(fa > L);
        }
      }
      continue;
    }
    const sm = sa + w / 2;
    f(sm, mid);
    evals++;
    const fm = mid[0];
    const em = mid[1];
    // Right half below left half on the stack: the left is searched first.
    top = pushPart(top, sm, fm, em, sb, fb, eb);
    top = pushPart(top, sa, fa, ea, sm, fm, em);
  }
}

/**
 * Metres of the leg from (x0, y0) to (x1, y1) (degrees) per unit of its parameter, bounded
 * above: the ellipsoid's arc length element with the largest metres per degree of longitude (at
 * the leg's smallest |latitude|) and of latitude (at its largest).
 */
export function legMetres(x0: number, y0: number, x1: number, y1: number): number {
  const lo = y0 < 0 !== y1 < 0 ? 0 : Math.min(Math.abs(y0), Math.abs(y1));
  const hi = Math.max(Math.abs(y0), Math.abs(y1));
  metresPerDegreeInto(lo, K);
  const kx = K[0];
  metresPerDegreeInto(hi, K);
  const ky = K[1];
  const x = (x1 - x0) * kx;
  const y = (y1 - y0) * ky;
  return Math.sqrt(x * x + y * y) * (1 + 1e-9) + 1e-9;
}

/**
 * A Lipschitz bound (metres per unit of the parameter) of a distance along the leg from (x0, y0)
 * to (x1, y1). A geodesic distance (`plane` false) changes no faster than the way covered. A
 * local-plane distance to straight edges (metres per degree taken at the point's latitude) also
 * changes with the metric, by at most δ·|d| for a relative change δ of metres per degree: with
 * m the way covered, the change is at most (m + δ·|d|)(1 + δ) (as MotionBound.planeChange), |d|
 * bounded over the leg from its largest value at the ends, `absD`. Infinity where the leg spans
 * too much latitude for the bound (the caller splits it).
 */
export function legLipschitz(x0: number, y0: number, x1: number, y1: number, plane: boolean, absD: number): number {
  const m = legMetres(x0, y0, x1, y1);
  if (!plane) return m * (1 + 1e-9) + 1e-9;
  const hi = Math.min(89.9, Math.max(Math.abs(y0), Math.abs(y1)));
  const delta = Math.expm1(Math.abs(y1 - y0) * RAD * (Math.tan(hi * RAD) + 0.012));
  const q = delta * (1 + delta);
  if (!(q < 0.5)) return Infinity;
  const dMax = (absD + m * (1 + delta)) / (1 - q);
  return (m + delta * dMax) * (1 + delta) * (1 + 1e-9) + 1e-6;
}
