/** docs/editor.md lists every key of the editor's table. */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { EDITOR_COMMANDS } from '../../src/ui/editor/commands.js';

const SHOWN: Record<string, string> = { up: '↑', down: '↓', left: '←', right: '→', escape: 'esc', pageup: '↑', pagedown: '↓', space: '↓' };

test("docs/editor.md's key list covers every command of the editor's table", () => {
  const doc = readFileSync('docs/editor.md', 'utf8');
  for (const c of EDITOR_COMMANDS) {
    const keys = c.keys.filter((k) => k !== 'text').map((k) => SHOWN[k] ?? k);
    if (!keys.length) continue;
    expect(
      keys.some((k) => doc.includes(`\`${k}\``) || (/^\d$/.test(k) && doc.includes('`0`–`9`'))),
      `${c.id} (${keys.join(', ')})`,
    ).toBe(true);
  }
});
