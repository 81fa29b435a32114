/**
 * The schema's check of a scenario's units, for the units written plainly, without zod's generic
 * walk. Zod checks every field through layers of generic code, which, in a process that reads
 * one file and exits, runs mostly unoptimised: 10,000 units took about as long as reading their
 * YAML. A unit made only of the usual fields (id, name, side, composition, a track file reference
 * or waypoints, noise, description) with values of the right kinds is checked here, and given in
 * the form zod gives (the schema's field order, new objects, positions as they are); any other
 * unit is left to zod, and so is the whole file when anything is wrong (zod's issues are the
 * messages). A property test holds this to zod's output (test/core/unit-check.test.ts).
 */
import { DISTANCE_PATTERN, DURATION_PATTERN, SPEED_PATTERN, TIME_PATTERN } from '../units.js';
import { COMPOSITION_KEYS, FILE_FORMATS } from '../vocabulary.js';

const ID = /^[A-Za-z0-9_.-]+$/;
const TIME = new RegExp(TIME_PATTERN);
const SPEED = new RegExp(SPEED_PATTERN, 'i');
const DURATION = new RegExp(DURATION_PATTERN);
const DISTANCE = new RegExp(DISTANCE_PATTERN, 'i');

type Obj = Record<string, unknown>;
type Check = (v: unknown) => unknown;

/** Marks a value the quick check cannot vouch for. */
const NO: unique symbol = Symbol('not plain');

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;
const str: Check = (v) => (typeof v === 'string' ? v : NO);
const matching =
  (re: RegExp): Check =>
  (v) =>
    typeof v === 'string' && re.test(v) ? v : NO;
const count: Check = (v) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : NO);

/** A strict object of these fields (in the schema's order), the `required` ones present: a new object of the fields present, or NO. */
function object(order: readonly string[], fields: Record<string, Check>, required: readonly string[] = []): Check {
  return (v) => {
    if (!isObj(v)) return NO;
    for (const k of required) if (!Object.prototype.hasOwnProperty.call(v, k)) return NO;
    let n = 0;
    for (const k in v) {
      if (!Object.prototype.hasOwnProperty.call(fields, k)) return NO;
      n++;
    }
    const out: Obj = {};
    let seen = 0;
    for (const k of order) {
      if (!(k in v)) continue;
      const r = fields[k](v[k]);
      if (r === NO) return NO;
      out[k] = r;
      seen++;
    }
    return seen === n ? out : NO;
  };
}

/**
 * The check of one unit, built from the schema's field orders (`orders`: the unit's, a track
 * file reference's and a waypoint's fields, from the zod schema so that the two cannot drift).
 */
export function unitCheck(orders: { unit: readonly string[]; trackFile: readonly string[]; waypoint: readonly string[] }): (u: unknown) => Obj | undefined {
  const composition = object(COMPOSITION_KEYS, Object.fromEntries(COMPOSITION_KEYS.map((k) => [k, count])));
  const trackFile = object(
    orders.trackFile,
    {
      file: (v) => (typeof v === 'string' && v.length >= 1 ? v : NO),
      format: (v) => ((FILE_FORMATS as readonly unknown[]).includes(v) ? v : NO),
      name: str,
      id: str,
      starts: matching(TIME),
      speed: matching(SPEED),
      max_gap: matching(DURATION),
    },
    ['file'],
  );
  const waypoint = object(
    orders.waypoint,
    {
      // Positions are checked by the loader (the schema takes any value).
      pos: (v) => v,
      t: matching(TIME),
      speed: matching(SPEED),
      hold: matching(DURATION),
    },
    ['pos'],
  );
  const track: Check = (v) => {
    if (!Array.isArray(v)) return trackFile(v);
    const out = new Array<unknown>(v.length);
    for (let i = 0; i < v.length; i++) {
      const w = waypoint(v[i]);
      if (w === NO) return NO;
      out[i] = w;
    }
    return out;
  };
  const unit = object(
    orders.unit,
    {
      id: matching(ID),
      name: str,
      side: str,
      composition,
      track,
      noise: (v) => (typeof v === 'string' ? (DISTANCE.test(v) ? v : NO) : typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : NO),
      description: str,
    },
    ['id', 'name', 'side', 'track'],
  );
  return (u) => {
    const r = unit(u);
    return r === NO ? undefined : (r as Obj);
  };
}
