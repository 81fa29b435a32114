import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Engine } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { UnitFacts, unitRows } from '../../src/ui/view-model/units.js';

const root = join(import.meta.dirname, '..', '..');

describe('the units table model', () => {
  test('reads the engine positions once per table, not once per unit (each read brings every unit up to date)', () => {
    const engine = new Engine(loadScenario(join(root, 'scenarios', 'tanf-2017-06-massing.yaml')));
    engine.seekTick(300);
    const proto = Object.getPrototypeOf(engine);
    const getter = Object.getOwnPropertyDescriptor(proto, 'positions')!.get!;
    let reads = 0;
    Object.defineProperty(engine, 'positions', {
      get() {
        reads++;
        return getter.call(engine);
      },
    });
    const rows = unitRows(engine, new UnitFacts(engine), 'rung');
    expect(rows).toHaveLength(engine.scenario.units.length);
    expect(reads).toBe(1);
    // And the rows hold the positions the engine has.
    expect(rows.every((r) => r.noFix !== true)).toBe(true);
  });
});
