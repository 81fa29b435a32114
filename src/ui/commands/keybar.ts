/** The key bar, from the command table: the commands that work now, by their place, fitted to the width. */
import type { UiState } from '../state.js';
import { commandsFor } from './dispatch.js';
import type { Command, Env } from './types.js';

export interface BarItem {
  key: string;
  label: string;
}

/**
 * The key bar for a state: the commands that work now, by priority; related commands share one
 * entry. `short`: the shorter entries (barShort) where a command has one.
 */
export function barItems(s: UiState, env: Env, commands: readonly Command[] = commandsFor('replay'), short = false): BarItem[] {
  const seen = new Map<string, { item: BarItem; bar: number; order: number }>();
  commands.forEach((c, order) => {
    if (c.bar === undefined || (c.when && !c.when(s))) return;
    const label = short && c.barShort ? c.barShort.label : (c.barLabel ?? (typeof c.label === 'function' ? c.label(s, env) : c.label));
    const prev = seen.get(label);
    if (prev) {
      // A shared entry keeps the place of its most important command.
      prev.bar = Math.min(prev.bar, c.bar);
      return;
    }
    const key = short && c.barShort ? c.barShort.key : (c.barKey ?? c.keyLabel.split(' ')[0]);
    seen.set(label, { item: { key, label }, bar: c.bar, order });
  });
  return [...seen.values()].sort((a, b) => a.bar - b.bar || a.order - b.order).map((x) => x.item);
}

/** Width of bar items side by side, `gap` spaces apart. */
function barWidth(items: readonly BarItem[], gap = 2): number {
  return items.reduce((n, it, i) => n + it.key.length + 1 + it.label.length + (i ? gap : 0), 0);
}

/** Fit bar items into a width (items are `key label` separated by `gap` spaces); keeps the first (most important) that fit. */
export function fitBar(items: readonly BarItem[], width: number, gap = 2): BarItem[] {
  const out: BarItem[] = [];
  let used = 0;
  for (const it of items) {
    const w = it.key.length + 1 + it.label.length + (out.length ? gap : 0);
    if (used + w > width) continue;
    out.push(it);
    used += w;
  }
  return out;
}

/**
 * What the bar shows in `width` cells: every entry with its full label if they all fit; else the
 * shorter entries; else the shorter entries one space apart, as many as fit by priority.
 */
export function chooseBar(full: readonly BarItem[], short: readonly BarItem[], width: number): { items: BarItem[]; gap: number } {
  if (barWidth(full) <= width) return { items: [...full], gap: 2 };
  if (barWidth(short) <= width) return { items: [...short], gap: 2 };
  return { items: fitBar(short, width, 1), gap: 1 };
}
