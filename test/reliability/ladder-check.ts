/** The invariants of the escalation ladder over one run, for the property tests. */
import { expect } from 'vitest';
import type { SimEvent } from '../../src/core/events.js';
import type { Scenario } from '../../src/core/model.js';

/** Every invariant of the ladder over one run; throws (via expect) on the first broken one. */
export function checkLadder(sc: Scenario, evs: readonly SimEvent[]): void {
  let lastT = -Infinity;
  evs.forEach((e, i) => {
    expect(e.seq).toBe(i + 1);
    expect(e.t).toBeGreaterThanOrEqual(lastT);
    lastT = e.t;
    expect(e.t).toBeGreaterThanOrEqual(sc.start);
    expect(e.t).toBeLessThanOrEqual(sc.end);
    expect(typeof e.reason).toBe('string');
    expect(e.reason.trim().length, `event ${e.seq} (${e.type}) has no reason`).toBeGreaterThan(5);
  });
  const ladder = sc.ladder.map((r) => r.rung);
  for (const u of sc.units) {
    const mine = evs.filter((e) => e.unit === u.id);
    for (const z of sc.zones) {
      let pos = -1;
      let exited = false;
      for (const e of mine.filter((x) => x.zone === z.id)) {
        if (e.type === 'exit') exited = true;
        if (e.type === 'stand_down') {
          expect(exited, `${u.id}/${z.id}: stand_down at seq ${e.seq} without an exit`).toBe(true);
          exited = false;
          pos = e.rung ? ladder.indexOf(e.rung) : -1;
        }
        if (e.type === 'escalate') {
          expect(e.by).toBe('doctrine');
          if (e.action === 'self-defence strike') {
            expect(e.rung).toBe('strike');
            expect(
              mine.some((h) => h.type === 'hostile_act' && h.seq < e.seq && h.t === e.t),
              `${u.id}: self-defence strike without a hostile act`,
            ).toBe(true);
            pos = ladder.includes('strike') ? ladder.indexOf('strike') : ladder.length - 1;
          } else {
            // No rung is skipped: doctrine climbs the scenario's ladder one rung at a time.
            expect(ladder[pos + 1], `${u.id}/${z.id}: ${e.from} → ${e.rung} at seq ${e.seq} skips a rung of ${ladder.join(', ')}`).toBe(e.rung);
            expect(e.from ?? null).toBe(pos >= 0 ? ladder[pos] : null);
            pos += 1;
          }
        }
      }
    }
    // A strike without a hostile act came after warning shots, when the ladder has them.
    for (const s of mine.filter((e) => e.type === 'escalate' && e.rung === 'strike' && e.action !== 'self-defence strike')) {
      if (ladder.includes('warning_shots')) expect(s.from).toBe('warning_shots');
    }
  }
}
