/** Keys to commands: the table of a mode, the command a key runs in a state, and keys applied in order. */
import { isPrintable } from '../keys.js';
import type { UiState } from '../state.js';
import { typeFilter } from './reducers.js';
import { COMMANDS } from './table.js';
import type { Command, Env, Mode } from './types.js';

const BY_MODE = new Map<Mode, readonly Command[]>();

/** The command table of a mode: the commands that exist in it (`COMMANDS` holds both modes'). */
export function commandsFor(mode: Mode): readonly Command[] {
  let t = BY_MODE.get(mode);
  if (!t) BY_MODE.set(mode, (t = COMMANDS.filter((c) => !c.modes || c.modes.includes(mode))));
  return t;
}

/** The command a key runs in a state, if any. */
export function commandFor(key: string, s: UiState, commands: readonly Command[] = commandsFor('replay')): Command | undefined {
  for (const c of commands) {
    if (c.when && !c.when(s)) continue;
    if (c.keys.includes(key)) return c;
  }
  if (isPrintable(key)) {
    for (const c of commands) if (c.keys.includes('text') && (!c.when || c.when(s))) return c;
  }
  return undefined;
}

/** Apply keys in order; text typed while filtering goes into the filter (or, after `:`, into the time). */
export function applyKeys(keys: readonly string[], s: UiState, env: Env, commands: readonly Command[] = commandsFor('replay')): UiState {
  for (const k of keys) {
    if (s.quit) break;
    const c = commandFor(k, s, commands);
    if (!c) continue;
    if (c.keys.includes('text') && !c.keys.includes(k)) {
      const ch = k === 'space' ? ' ' : k;
      if (s.jump !== undefined) {
        if (s.jump.length < 24) s = { ...s, jump: s.jump + ch };
        continue;
      }
      s = typeFilter(s, s.draft + ch);
      continue;
    }
    s = c.run(s, env);
  }
  return s;
}
