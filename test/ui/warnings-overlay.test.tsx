/** The terminal UI opens with the scenario's warnings when there are any, once; esc closes them. */
import { cleanup } from 'ink-testing-library';
import { readFileSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { parseScenario } from '../../src/io/node/load.js';
import { scenarioSource, semanticWarnings } from '../../src/core/warnings/index.js';
import { mount } from './helpers.js';

afterEach(() => cleanup());

test('opens on the warnings of a scenario with three typos, and esc goes to the map', async () => {
  const text = readFileSync('test/fixtures/warnings/three-typos.yaml', 'utf8');
  const sc = parseScenario(text, 'three-typos.yaml');
  sc.warnings = [...(sc.warnings ?? []), ...semanticWarnings(sc, scenarioSource(text, 'three-typos.yaml'))];
  const ui = await mount({ scenario: sc, cols: 80, rows: 24 });
  const f = ui.frame();
  expect(f).toContain('╭─ Warnings (3)');
  // The overlay's text, unwrapped.
  const overlay = ui
    .lines()
    .map((l) => l.replace(/^│|│$/g, '').trim())
    .join(' ')
    .replace(/\s+/g, ' ');
  expect(overlay).toContain(
    "three-typos.yaml:14:18: warning: zones[1].applies_to[0]: no unit has side 'reds', so the zone judges nobody of it (did you mean 'red'?)",
  );
  expect(overlay).toContain("three-typos.yaml:18:11: warning: units[0].side: no zone applies to side 'Red'");
  expect(overlay).toMatch(/read as \[38\.1, 33\.95\] it lies 13\.8 km from tanf-dz/);
  expect(ui.lines().length).toBeLessThanOrEqual(23);
  await ui.press('\x1b');
  // A lone escape is told from the start of a sequence after a short wait.
  for (let i = 0; i < 40 && ui.frame().includes('Warnings (3)'); i++) await new Promise((r) => setTimeout(r, 25));
  expect(ui.frame()).not.toContain('Warnings (3)');
  expect(ui.frame()).toContain('╭─ Map');
});

test('a scenario without warnings opens on the map', async () => {
  const ui = await mount({ cols: 80, rows: 24 });
  expect(ui.frame()).not.toContain('Warnings');
  expect(ui.frame()).toContain('╭─ Map');
});
