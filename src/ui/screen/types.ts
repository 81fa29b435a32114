/** What a frame is made of: titled panels of prebuilt rows, and what the mouse reads of them. */
import type { Hits } from '../mouse.js';

export interface PanelFrame {
  title: string;
  /** Text at the right of the title line. */
  right: string;
  rows: string[];
  focused: boolean;
}

export interface Frame {
  /** Set when the terminal is too small: the message rows instead of the layout. */
  tooSmall?: string[];
  header: string;
  map?: PanelFrame;
  table?: PanelFrame;
  log?: PanelFrame;
  overlay?: PanelFrame;
  timeline: string[];
  bar: string;
  /** What this frame drew where, for the mouse. */
  hits: Hits;
}
