/**
 * Every number an event carries is the exact one at the event's point and time, on every event
 * of every bundled scenario and golden case (the property test of crossings checks its own).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/core/engine.js';
import { loadScenario } from '../../src/io/node/load.js';
import { eventNumberProblems } from './event-numbers.js';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures');
const files = [
  ...readdirSync(join(root, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => join(root, 'scenarios', f)),
  ...readdirSync(fixtures)
    .filter((d) => existsSync(join(fixtures, d, 'scenario.yaml')))
    .map((d) => join(fixtures, d, 'scenario.yaml')),
];

describe('the numbers events carry', () => {
  for (const f of files) {
    it(`are exact at each event's point, and the reasons say them: ${f.slice(root.length + 1)}`, () => {
      const sc = loadScenario(f);
      const events = simulate(sc);
      const withNumbers = events.filter((e) => e.edge_m !== undefined || e.site_m !== undefined);
      expect(withNumbers.length).toBeGreaterThan(0);
      expect(eventNumberProblems(sc, events)).toEqual([]);
    });
  }
});
