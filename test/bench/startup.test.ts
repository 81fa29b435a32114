/** The benchmark's start-up measure runs the real executable and sees its first frame. */
import { describe, expect, it } from 'vitest';
import { isWholeFrame, measureStartup } from '../../src/bench/startup.js';

describe('start-up measure', () => {
  it('tells a whole frame from a partial one', () => {
    expect(isWholeFrame('╭─ Map ─╮\n…\n space play  ? help  q quit\n')).toBe(true);
    expect(isWholeFrame('╭─ Map ─╮\n…\n')).toBe(false);
    expect(isWholeFrame('deconflict: the terminal is too small\n')).toBe(false);
  });

  it('times the built executable headless and in a pseudo-terminal', async () => {
    const st = await measureStartup(1);
    for (const s of [st.version, st.runJson, st.firstFrame, st.bareNode]) {
      expect(s.runs).toHaveLength(1);
      expect(s.median).toBeGreaterThan(0);
      expect(Number.isFinite(s.median)).toBe(true);
    }
    // Nothing starts faster than node itself.
    expect(st.firstFrame.median).toBeGreaterThan(st.bareNode.min);
  }, 120_000);
});
