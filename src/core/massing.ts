/**
 * Massing: a zone's approach band holds at least `massingUnits` units or `massingPersonnel`
 * personnel. Reported once when the threshold is reached, and again only after the band has
 * emptied to below half of both thresholds. Shared by the engine and by the merge of a split run
 * (src/core/split.ts), so that both give the same events.
 */
import type { SimEvent } from './events.js';
import type { Scenario } from './model.js';

/**
 * The massing check of one tick at time t. `state[z]` is 1 while zone z is reported as massing
 * (updated here); `counts` and `people` are the units and personnel in each zone's band; `members`
 * gives the units of a zone's band in unit order (asked only when massing is reported).
 */
export function massingCheck(
  sc: Scenario,
  state: Uint8Array,
  counts: ArrayLike<number>,
  people: ArrayLike<number>,
  members: (z: number) => number[],
  t: number,
  emit: (e: Omit<SimEvent, 'seq'>, z: number) => void,
): void {
  const doc = sc.doctrine;
  for (let z = 0; z < sc.zones.length; z++) {
    const over = counts[z] >= doc.massingUnits || people[z] >= doc.massingPersonnel;
    if (over && !state[z]) {
      state[z] = 1;
      const zone = sc.zones[z];
      emit(
        {
          t,
          type: 'massing',
          zone: zone.id,
          reason: `${counts[z]} unit${counts[z] === 1 ? '' : 's'} with ${people[z]} personnel massing in the approach band of ${zone.name} (threshold ${doc.massingUnits} units or ${doc.massingPersonnel} personnel)`,
          count: counts[z],
          personnel: people[z],
          units: members(z).map((u) => sc.units[u].id),
        },
        z,
      );
    } else if (!over && state[z] && counts[z] < Math.ceil(doc.massingUnits / 2) && people[z] < doc.massingPersonnel / 2) {
      state[z] = 0;
    }
  }
}
