/** Exit codes, the usage error and the one-line failure every command writes. */
import { terminalLine } from '../core/text/safe.js';

export { UsageError } from '../core/errors.js';

/** Exit codes: 0 ok, 1 expectations failed, 2 bad input, 3 internal fault. */
export const EXIT = { OK: 0, EXPECTATIONS: 1, BAD_INPUT: 2, INTERNAL: 3 } as const;

/** Where a command writes: standard output and standard error (escaped by the caller's writers). */
export interface Io {
  write: (s: string) => void;
  error: (s: string) => void;
}

/** One line on standard error (whatever a file's name holds), exit 2. */
export function fail(io: Io, msg: string): number {
  io.error(`deconflict: ${terminalLine(msg)}\n`);
  return EXIT.BAD_INPUT;
}
