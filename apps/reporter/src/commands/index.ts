import type { CliCommand } from '../_command.js';

/** Every `balkan-audit` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [];
