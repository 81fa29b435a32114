/** The options of `deconflict class` (src/cli/commands/class.ts declares them, class-run.ts runs the class). */
export interface ClassOptions {
  port: number;
  host: string;
  code?: string;
  pace: 'class' | 'self';
  dir?: string;
  seats: number;
  resume?: string;
  msel?: string;
  seed?: number;
  speed?: number;
  json?: boolean;
  idle: number;
}

export interface ClassCommandIo {
  write: (s: string) => void;
  error: (s: string) => void;
  setCode: (code: number) => void;
  /** The scenario file an argument names, and the name to show. */
  scenarioArg: (arg: string | undefined) => { path: string; name: string };
}
