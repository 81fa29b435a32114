/** The timeline's marks where rungs changed, kept incrementally as events arrive. */
import type { SimEvent } from '../../core/events.js';
import { rungLevel } from '../../core/ladder.js';
import { LADDER_TYPES } from './format.js';

/** Marks on the timeline where rungs changed, per column; rebuilt only when the width changes. */
export class TimelineMarks {
  private w = 0;
  private scanned = 0;
  private last: SimEvent | undefined;
  /** 0: none; 1: stand-down; 2..6: monitor..strike. */
  levels = new Uint8Array(0);

  update(known: readonly SimEvent[], start: number, end: number, w: number): Uint8Array {
    // A new width, or a list that is not the one scanned grown (it went back): start again.
    if (w !== this.w || known.length < this.scanned || (this.scanned > 0 && known[this.scanned - 1] !== this.last)) {
      this.w = w;
      this.scanned = 0;
      this.levels = new Uint8Array(Math.max(0, w));
    }
    const span = Math.max(1, end - start);
    for (let i = this.scanned; i < known.length; i++) {
      const e = known[i];
      if (!LADDER_TYPES.has(e.type)) continue;
      const col = Math.max(0, Math.min(w - 1, Math.round(((e.t - start) / span) * (w - 1))));
      const lvl = e.type === 'stand_down' ? 1 : e.type === 'hostile_act' ? 6 : rungLevel(e.rung) + 2;
      if (lvl > this.levels[col]) this.levels[col] = lvl;
    }
    this.scanned = known.length;
    this.last = known[known.length - 1];
    return this.levels;
  }
}
