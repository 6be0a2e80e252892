import yargs from 'yargs';
import { isBalkanAuditError } from '@balkan-audit/errors';
import { escapeControls } from '@balkan-audit/report';
import { commands } from './commands/index.js';
import { ioError, isSystemError } from './_errors.js';
import { processIo, writeLine, type CliIo } from './io.js';
import { VERSION } from './version.js';

/**
 * Runs the CLI with `argv` (without node and script) and resolves to the exit code. One top-level
 * catch: a coded error prints its message and hint and exits 1, as does a system error (disk,
 * permissions: `IO_ERROR` naming the path); anything else is a bug and prints its stack.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let exitCode = 0;
  const cli = yargs([...argv])
    .scriptName('balkan-audit')
    .usage('$0 <command> [options]\n\nKeeps a git history of a BalkanID tenant\'s access configuration.')
    .version(VERSION)
    .strict()
    .demandCommand(1, 'Name a command; see --help.')
    .recommendCommands()
    .wrap(Math.min(110, process.stdout.columns ?? 100))
    .exitProcess(false)
    .fail((message, error) => {
      throw error ?? new UsageError(message);
    });
  for (const command of commands) {
    cli.command(command.command, command.describe, command.builder, async (args) => {
      exitCode = await command.run(args as Record<string, unknown>, io);
    });
  }
  try {
    await cli.parseAsync();
    return exitCode;
  } catch (error) {
    return report(error, io);
  }
}

/** An error's `data.details`: one line each (the problems of a configuration file). */
function detailsOf(error: object): string[] {
  const details = (error as { data?: { details?: unknown } }).data?.details;
  return Array.isArray(details) ? details.map(String) : [];
}

class UsageError extends Error {
  readonly code = 'CLI_USAGE';
}

function report(error: unknown, io: CliIo): number {
  if (error instanceof UsageError) {
    writeLine(io.stderr, `balkan-audit: ${error.message}`);
    writeLine(io.stderr, 'Run `balkan-audit --help` for usage.');
    return 1;
  }
  const coded = isSystemError(error) ? ioError(error) : error;
  if (isBalkanAuditError(coded)) {
    // Messages may quote record data (a cell, a key): shown inert.
    writeLine(io.stderr, `error [${coded.code}]: ${escapeControls(coded.message)}`);
    for (const line of detailsOf(coded)) writeLine(io.stderr, `  - ${escapeControls(line)}`);
    if (coded.hint) writeLine(io.stderr, `hint: ${coded.hint}`);
    return 1;
  }
  writeLine(io.stderr, 'balkan-audit hit an unexpected error. This is a bug; please report it with the output below.');
  writeLine(io.stderr, error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 1;
}
