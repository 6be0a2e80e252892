import type { CliCommand } from '../_command.js';
import { compareCommand } from './compare.js';
import { demoCommand } from './demo.js';
import { diffCommand } from './diff.js';
import { exportCommand } from './export.js';
import { historyCommand } from './history.js';
import { normaliseCommand } from './normalise.js';
import { snapshotCommand } from './snapshot.js';
import { verifyCommand } from './verify.js';

/** Every `balkan-audit` command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [
  snapshotCommand,
  diffCommand,
  historyCommand,
  verifyCommand,
  exportCommand,
  normaliseCommand,
  compareCommand,
  demoCommand,
];
