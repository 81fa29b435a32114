/**
 * Colours, glyphs and the tiny SGR writer used for prebuilt rows. Everything that colours text
 * goes through a `color` flag so that NO_COLOR (https://no-color.org) turns colour off while
 * keeping bold, dim and inverse (which are not colours).
 */
import type { EventType } from '../core/events.js';
import { PALETTE } from '../core/palette.js';
import type { Rung } from '../core/model.js';

export type ColorName =
  | 'black'
  | 'red'
  | 'green'
  | 'yellow'
  | 'blue'
  | 'magenta'
  | 'cyan'
  | 'white'
  | 'gray'
  | 'redBright'
  | 'greenBright'
  | 'yellowBright'
  | 'blueBright'
  | 'magentaBright'
  | 'cyanBright'
  | 'whiteBright';

const FG: Record<ColorName, number> = {
  black: 30,
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  white: 37,
  gray: 90,
  redBright: 91,
  greenBright: 92,
  yellowBright: 93,
  blueBright: 94,
  magentaBright: 95,
  cyanBright: 96,
  whiteBright: 97,
};

export interface Style {
  fg?: ColorName;
  bold?: boolean;
  dim?: boolean;
  underline?: boolean;
  inverse?: boolean;
}

/** Whether colour is wanted: off when NO_COLOR is set to anything but the empty string. */
export function colorWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/** The SGR sequence that opens a style ('' for none). */
export function sgrOpen(s: Style, color: boolean): string {
  const codes: number[] = [];
  if (s.bold) codes.push(1);
  if (s.dim) codes.push(2);
  if (s.underline) codes.push(4);
  if (s.inverse) codes.push(7);
  if (color && s.fg) codes.push(FG[s.fg]);
  return codes.length ? `\x1b[${codes.join(';')}m` : '';
}

export const SGR_RESET = '\x1b[0m';

/** Text in a style, closed again. */
export function paint(text: string, s: Style, color: boolean): string {
  const open = sgrOpen(s, color);
  return open ? `${open}${text}${SGR_RESET}` : text;
}

export type RungKey = Rung | 'none';

export const RUNG_KEYS: readonly RungKey[] = ['none', 'monitor', 'warn', 'show_of_force', 'warning_shots', 'strike'];

/** Colours of the ladder, cool to hot: the terminal's column of the one palette (core/palette.ts). */
export const RUNG_COLOR: Record<RungKey, ColorName> = Object.fromEntries(RUNG_KEYS.map((k) => [k, PALETTE[k].term])) as Record<RungKey, ColorName>;

/** Map symbols of the ladder: distinct shapes so that the rung reads without colour too. */
export const RUNG_GLYPH: Record<RungKey, string> = {
  none: '•',
  monitor: '○',
  warn: '◇',
  show_of_force: '◆',
  warning_shots: '▲',
  strike: '×',
};

export const RUNG_SHORT: Record<RungKey, string> = {
  none: 'none',
  monitor: 'monitor',
  warn: 'warn',
  show_of_force: 'show of force',
  warning_shots: 'warning shots',
  strike: 'strike',
};

export function rungKey(r: Rung | null | undefined): RungKey {
  return r ?? 'none';
}

export const EVENT_COLOR: Record<EventType, ColorName> = {
  approach: 'cyan',
  enter: 'yellow',
  exit: 'green',
  cross: 'yellow',
  dwell: 'magenta',
  massing: 'magenta',
  escalate: 'red',
  stand_down: 'green',
  hostile_act: 'redBright',
  inject: 'blueBright',
};

/** Map layer colours. */
export const MAP_COLOR = {
  border: 'gray' as ColorName,
  band: 'blue' as ColorName,
  zone: 'blueBright' as ColorName,
  site: 'greenBright' as ColorName,
  label: 'white' as ColorName,
  scale: 'gray' as ColorName,
};

export const FOCUS_COLOR: ColorName = 'cyan';
export const SITE_GLYPH = '■';
