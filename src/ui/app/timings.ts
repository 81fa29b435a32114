/** Timings kept when DECONFLICT_TIMINGS names a file (written as JSON on exit), for measuring the live UI. */
import type { ScreenStream } from '../screen.js';

export class Timings {
  readonly build: number[] = [];
  readonly ink: number[] = [];
  firstFrame?: number;

  summary(screen: ScreenStream): Record<string, unknown> {
    const st = (xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return {
        n: s.length,
        mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length),
        p50: s[Math.floor(s.length / 2)] ?? 0,
        p95: s[Math.floor(s.length * 0.95)] ?? 0,
        max: s[s.length - 1] ?? 0,
      };
    };
    return { firstFrameMs: this.firstFrame, frameBuildMs: st(this.build), inkRenderMs: st(this.ink), screen: screen.stats };
  }
}
