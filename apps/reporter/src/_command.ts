import type { Argv } from 'yargs';
import type { CliIo } from './io.js';

/**
 * One `balkan-audit` command. `run` returns the exit code; it throws coded errors for user
 * mistakes and failures (the top-level catch prints them), never calls process.exit.
 */
export interface CliCommand<A = Record<string, unknown>> {
  readonly command: string;
  readonly describe: string;
  readonly builder: (yargs: Argv) => Argv;
  readonly run: (args: A, io: CliIo) => Promise<number>;
}

/** Helps TypeScript check a command's builder and handler against one argument type. */
export function defineCommand<A>(command: CliCommand<A>): CliCommand {
  return command as unknown as CliCommand;
}
