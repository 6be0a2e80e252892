import { resolve } from 'node:path';
import { openSnapshotStore, verifySnapshot } from '@balkan-audit/store';
import { defineCommand } from '../_command.js';
import { withRepoOptions } from '../_options.js';
import { writeLine, type CliIo } from '../io.js';

interface VerifyArgs {
  readonly repo: string;
  readonly dir: string;
  readonly ref: string;
  readonly json: boolean;
}

export const verifyCommand = defineCommand<VerifyArgs>({
  command: 'verify',
  describe: 'Re-hash the committed snapshots against their manifest',
  builder: (yargs) => withRepoOptions(yargs)
    .option('ref', { type: 'string', default: 'HEAD', describe: 'Commit, branch or tag to verify' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the result as JSON' }),
  run: runVerify,
});

/** Exit 0 when every file matches its manifest hash, 1 when any is missing, altered or unlisted. */
async function runVerify(args: VerifyArgs, io: CliIo): Promise<number> {
  const store = await openSnapshotStore({ dir: resolve(io.cwd, args.repo), snapshotDir: args.dir, init: false });
  const result = await verifySnapshot(store, args.ref);
  if (args.json) {
    writeLine(io.stdout, JSON.stringify(result, null, 2));
  } else {
    for (const resource of result.verified) writeLine(io.stdout, `ok        ${store.snapshotDir}/${resource}.csv`);
    for (const p of result.problems) {
      const detail = (p.kind === 'mismatch' ? ` (manifest ${p.expected?.slice(0, 12)}, file ${p.actual?.slice(0, 12)})` : '')
        + (p.commit === null ? '' : `, changed by commit ${p.commit.slice(0, 12)}`);
      writeLine(io.stdout, `${p.kind.padEnd(9)} ${p.path}${detail}`);
    }
    writeLine(io.stdout, result.ok
      ? `verified ${result.verified.length} snapshot file(s) at ${result.commit.slice(0, 12)}`
      : `${result.problems.length} problem(s) at ${result.commit.slice(0, 12)}`);
  }
  return result.ok ? 0 : 1;
}
