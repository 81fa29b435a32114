/** The loading benchmark's runs: thousands of warning lines on standard error neither kill a run nor hide why one failed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadingLines, timed } from '../../src/bench/loading.js';

const dir = mkdtempSync(join(tmpdir(), 'deconflict-loading-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// About 3 MB on standard error: more than a pipe's default buffer for spawnSync (1 MB).
const noisy = (code: number) => `for (let i = 0; i < 100000; i++) console.error('warning line ' + i + ' ' + 'x'.repeat(20)); process.exit(${code})`;

describe('loading benchmark', () => {
  it('times a run that writes megabytes to standard error', () => {
    expect(timed(['-e', noisy(0)], dir)).toBeGreaterThan(0);
  });

  it('names the first line of standard error when a run fails', () => {
    expect(() => timed(['-e', noisy(2)], dir)).toThrow(/exited 2: warning line 0 x+$/);
  });

  it('prints each size with its target', () => {
    const s = (median: number) => ({ median, min: median, max: median, runs: [median] });
    const r = loadingLines(
      {
        bareNode: s(100),
        version: s(150),
        validate: { units1k: s(200), units10k: s(1200), units20k: s(1900) },
        sizes: { units1k: [1, 2], units10k: [3, 4], units20k: [5, 6] },
      },
      1,
    );
    expect(r.targets).toEqual([
      '  the 1,000-unit workload file validates in under 150 ms beyond node -e 0: 100 ms — met',
      '  the 10,000-unit workload file validates in under 1 s beyond node -e 0: 1100 ms — NOT met',
      '  the 20,000-unit workload file validates in under 2 s beyond node -e 0: 1800 ms — met',
    ]);
  });
});
