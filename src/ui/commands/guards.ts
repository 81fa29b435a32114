/** The contexts a command works in (its `when`), named once. */
import type { UiState } from '../state.js';

/** Typing a filter (after `/`). */
export const typing = (s: UiState) => s.editing && s.jump === undefined;
/** Typing a time to go to (after `:`). */
export const jumping = (s: UiState) => s.jump !== undefined;
/** Neither typing nor in an overlay: the panels have the keys. */
export const panels = (s: UiState) => !s.editing && s.jump === undefined && s.overlay === 'none';
export const notTyping = (s: UiState) => !s.editing && s.jump === undefined;
const inOverlay = (s: UiState) => notTyping(s) && s.overlay !== 'none';
/** The units table or the event log focused. */
const listFocus = (s: UiState) => panels(s) && (s.focus === 'units' || s.focus === 'log');
/** The map focused. */
export const mapFocus = (s: UiState) => panels(s) && s.focus === 'map';
/** Something to move through: a list focused, or an overlay open. */
export const listOrOverlay = (s: UiState) => listFocus(s) || inOverlay(s);
