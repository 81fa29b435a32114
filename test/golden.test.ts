/**
 * Golden fixtures: test/fixtures/<case>/expected.ndjson holds the exact events of a case.
 * Regenerate on purpose only: `npm run golden:update`, then review the diff.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Engine } from '../src/core/engine.js';
import { eventToNdjson } from '../src/core/events.js';
import { checkExpectations } from '../src/core/expect.js';
import { loadScenario } from '../src/io/node/load.js';

const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'test', 'fixtures');
const update = process.env.UPDATE_GOLDEN === '1';

const cases: { name: string; scenario: string }[] = [
  ...readdirSync(join(root, 'scenarios'))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => ({ name: `bundled-${f.replace(/\.yaml$/, '')}`, scenario: join(root, 'scenarios', f) })),
  ...readdirSync(fixtures)
    .filter((d) => existsSync(join(fixtures, d, 'scenario.yaml')))
    .sort()
    .map((d) => ({ name: d, scenario: join(fixtures, d, 'scenario.yaml') })),
];

describe('golden event streams', () => {
  for (const c of cases) {
    it(`${c.name} produces exactly the recorded events and meets its expectations`, () => {
      const sc = loadScenario(c.scenario);
      const engine = new Engine(sc);
      const ndjson = engine.runToEnd().map(eventToNdjson).join('');
      const file = join(fixtures, c.name, 'expected.ndjson');
      if (update) {
        mkdirSync(join(fixtures, c.name), { recursive: true });
        writeFileSync(file, ndjson);
      }
      expect(existsSync(file), `${file} is missing: run npm run golden:update`).toBe(true);
      expect(ndjson).toBe(readFileSync(file, 'utf8'));
      for (const r of checkExpectations(sc, engine.events)) expect(r.passed, `${r.expectation.text}: ${r.detail}`).toBe(true);
    });
  }
});
