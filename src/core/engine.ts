/**
 * The deterministic engine (see engine/Engine.ts for the facade and engine/ for its parts).
 * Kept as the module the rest of the code and library users import.
 */
export { Engine, simulate } from './engine/Engine.js';
export { setExhaustive } from './engine/mode.js';
export { KEY_CLIMB, KEY_INJECT, KEY_JUDGE, KEY_MASSING } from './engine/types.js';
export type { Choice, Decider, EngineHooks, EngineOptions, Proposal, ProposalWhy, Snapshot, TickBatch } from './engine/types.js';
