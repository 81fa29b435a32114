/**
 * `deconflict class [FILE] …`: the command's options. Its body (the SSH server, the console) is
 * in class-run.ts, loaded only when the command runs, so other commands never load ssh2 or Ink.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ClassCommandIo, ClassOptions } from './class-options.js';

function wholeArg(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`'${v}' is not a whole number from ${min} to ${max}`);
    return n;
  };
}

export function addClassCommand(program: Command, io: ClassCommandIo): void {
  program
    .command('class')
    .description(
      'host a class over SSH: students join from their own terminals (ssh -p PORT NAME@ADDRESS) and answer on their own screens; the trainer runs the console (docs/class.md)',
    )
    .argument('[file]', 'scenario file or bundled scenario name')
    .option('--port <n>', 'the port to listen on (0: any free port)', wholeArg(0, 65535), 2222)
    .option('--host <addr>', 'the address to listen on (0.0.0.0 opens the class to the room)', '127.0.0.1')
    .option('--code <code>', 'the class code students type as the password (default: a new random code)')
    .addOption(
      new Option('--pace <pace>', "class: the trainer's clock for everyone, answers revealed together; self: each student at their own pace")
        .choices(['class', 'self'])
        .default('class'),
    )
    .option('--dir <dir>', "the folder for the students' session files (default: <scenario>-class)")
    .option('--seats <n>', 'the most students at once', wholeArg(1, 500), 40)
    .option('--resume <dir>', "bring back a class from its folder (after the trainer's process stopped)")
    .option('--msel <file>', "a MSEL file whose injects replace the scenario's")
    .option('--seed <n>', "random seed (overrides the scenario's)", wholeArg(-(2 ** 31), 2 ** 31 - 1))
    .option('--speed <x>', 'clock speed (simulated seconds per second)', (v) => Number(v))
    .option('--idle <minutes>', "close a student's connection after this long without a key (the seat waits)", wholeArg(1, 24 * 60), 30)
    .option(
      '--json',
      'no console: print the class events (join, leave, answer, reveal, end) as NDJSON; class pace reveals and goes on along doctrine once every connected student has answered',
    )
    .action(async (file: string | undefined, _o: ClassOptions, cmd: Command) => {
      const o = cmd.optsWithGlobals<ClassOptions>();
      const { path, name } = io.scenarioArg(file);
      const { classCommand } = await import('./class-run.js');
      io.setCode(await classCommand(path, name, o, io));
    });
}
