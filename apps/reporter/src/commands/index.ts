import type { CliCommand } from '../_command.js';
import { exportCommand } from './export.js';
import { normaliseCommand } from './normalise.js';

/** Every `balkan-audit` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  exportCommand,
  normaliseCommand,
];
