/** One colour table for the ladder: the terminal UI, the HTML report and the exports read it. */
import { describe, expect, it } from 'vitest';
import { RUNGS } from '../../src/core/ladder.js';
import { PALETTE } from '../../src/core/palette.js';
import { RUNG_COLOR as EXPORT_COLOR } from '../../src/io/common.js';
import { NO_RUNG_COLOUR, rungColour } from '../../src/report/svg.js';
import { RUNG_COLOR as TERM_COLOR, RUNG_KEYS } from '../../src/ui/theme.js';

describe('the palette', () => {
  it('is what every face uses', () => {
    for (const k of RUNG_KEYS) expect(TERM_COLOR[k]).toBe(PALETTE[k].term);
    RUNGS.forEach((r, level) => expect(rungColour(level)).toBe(PALETTE[r].hex));
    expect(NO_RUNG_COLOUR).toBe(PALETTE.none.hex);
    for (const [k, v] of Object.entries(PALETTE)) expect(EXPORT_COLOR[k as keyof typeof EXPORT_COLOR]).toBe(v.hex);
  });

  it('gives every rung its own colour, in both columns', () => {
    const keys = Object.keys(PALETTE) as (keyof typeof PALETTE)[];
    expect(new Set(keys.map((k) => PALETTE[k].hex)).size).toBe(keys.length);
    expect(new Set(keys.map((k) => PALETTE[k].term)).size).toBe(keys.length);
  });
});
