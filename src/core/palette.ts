/**
 * The ladder's colours, one table for every face: the terminal UI (a colour of the 16 every
 * terminal has), the HTML report and every export — KML, GeoJSON, CoT (hex). Cool to hot: a rung
 * reads the same on the screen, in the debrief's report and in Google Earth.
 *
 * @example
 * PALETTE.strike.hex  // '#8b0000'
 * PALETTE.strike.term // 'red'
 */
import type { Rung } from './model.js';

/** A colour name a 16-colour terminal shows (the UI's theme maps it to SGR). */
export type TermColour = 'white' | 'gray' | 'cyan' | 'yellow' | 'magenta' | 'redBright' | 'red' | 'green';

export type PaletteKey = Rung | 'none' | 'stand_down';

export const PALETTE: Readonly<Record<PaletteKey, { hex: string; term: TermColour }>> = {
  none: { hex: '#8a8f98', term: 'white' },
  monitor: { hex: '#0097a7', term: 'cyan' },
  warn: { hex: '#f9a825', term: 'yellow' },
  show_of_force: { hex: '#c2185b', term: 'magenta' },
  warning_shots: { hex: '#e53935', term: 'redBright' },
  strike: { hex: '#8b0000', term: 'red' },
  stand_down: { hex: '#43a047', term: 'green' },
};

/** The colour of a zone's edge, and of a protected site, on every face. */
export const ZONE_HEX = '#d32f2f';
export const SITE_HEX = '#1565c0';
