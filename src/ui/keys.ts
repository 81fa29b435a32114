/**
 * Key names from Ink's input: special keys arrive one per event, but printable keys typed
 * quickly (or replayed by a test) arrive together in one string, so every character of it is
 * a key of its own.
 */
import type { Key } from 'ink';

function charKey(ch: string): string {
  switch (ch) {
    case '\r':
    case '\n':
      return 'enter';
    case '\t':
      return 'tab';
    case ' ':
      return 'space';
    case '\x7f':
    case '\b':
      return 'backspace';
    case '\x1b':
      return 'escape';
    default: {
      const c = ch.codePointAt(0) ?? 0;
      if (c < 32) return `ctrl+${String.fromCharCode(c + 96)}`;
      return ch;
    }
  }
}

/** The keys in one input event, in order. */
export function keysOf(input: string, key: Partial<Key>): string[] {
  if (key.upArrow) return ['up'];
  if (key.downArrow) return ['down'];
  if (key.leftArrow) return ['left'];
  if (key.rightArrow) return ['right'];
  if (key.pageUp) return ['pageup'];
  if (key.pageDown) return ['pagedown'];
  if (key.home) return ['home'];
  if (key.end) return ['end'];
  if (key.tab) return [key.shift ? 'shift+tab' : 'tab'];
  if (key.backspace || key.delete) return ['backspace'];
  if (key.return) return ['enter'];
  if (key.escape && input === '') return ['escape'];
  if (key.ctrl && input.length === 1) return [`ctrl+${input.toLowerCase()}`];
  if (key.meta && input.length === 1) return [`alt+${input}`];
  const out: string[] = [];
  for (const ch of input) out.push(charKey(ch));
  return out;
}

/** Whether a key is a printable character (for typing a filter). */
export function isPrintable(k: string): boolean {
  return k === 'space' || ([...k].length === 1 && (k.codePointAt(0) ?? 0) >= 32);
}
