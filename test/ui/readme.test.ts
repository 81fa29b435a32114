import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { COMMANDS } from '../../src/ui/commands/table.js';

const SHOWN: Record<string, string> = { up: '↑', down: '↓', left: '←', right: '→', pageup: 'pgup', pagedown: 'pgdn', escape: 'esc' };

test("the README's key list covers every command of the table", () => {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('## Terminal UI');
  expect(start).toBeGreaterThan(0);
  const section = readme.slice(start, readme.indexOf('\n## ', start + 5));
  for (const c of COMMANDS) {
    const keys = c.keys.filter((k) => k !== 'text').map((k) => SHOWN[k] ?? k);
    if (!keys.length) continue;
    expect(
      keys.some((k) => section.includes(`\`${k}\``)),
      `${c.id} (${keys.join(', ')})`,
    ).toBe(true);
  }
});
