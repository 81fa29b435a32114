/**
 * Judge every pair and climb every ladder at every tick, as a straightforward engine would,
 * instead of skipping what is proved quiet. The results are the same; tests compare the two.
 */
let exhaustive = false;

/** @internal For tests: turn skipping off (true) or on (false) for every engine (one engine: EngineOptions.skipQuietWork). */
export function setExhaustive(on: boolean): void {
  exhaustive = on;
}

/** Whether quiet work is skipped (see setExhaustive). */
export function skipsQuietWork(): boolean {
  return !exhaustive;
}
