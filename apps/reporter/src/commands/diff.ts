import { resolve } from 'node:path';
import { hasChanges } from '@balkan-audit/diff';
import { openSnapshotStore } from '@balkan-audit/store';
import { defineCommand } from '../_command.js';
import { splitList, withRepoOptions } from '../_options.js';
import { changeSetBetween } from '../change-set-between.js';
import { repoConfig, type RepoArgs } from '../config/settings.js';
import { writeAll, writeLine, type CliIo } from '../io.js';
import { appendStepSummary, formatsFor, renderReports, REPORT_FORMATS, stdoutTarget, writeReports } from '../reports.js';

interface DiffArgs extends RepoArgs {
  readonly from: string;
  readonly to: string;
  readonly resources: readonly string[] | undefined;
  readonly out: string | undefined;
  readonly format: readonly string[] | undefined;
  readonly detailedExitcode: boolean;
}

export const diffCommand = defineCommand<DiffArgs>({
  command: 'diff [from] [to]',
  describe: 'Report the change between two commits of the snapshot repository (default HEAD~1 HEAD)',
  builder: (yargs) => withRepoOptions(yargs)
    .positional('from', { type: 'string', default: 'HEAD~1', describe: 'The earlier commit, branch or tag' })
    .positional('to', { type: 'string', default: 'HEAD', describe: 'The later commit, branch or tag' })
    .option('resources', { type: 'string', array: true, coerce: splitList, describe: 'Only these resources, comma-separated' })
    .option('out', { type: 'string', describe: 'Write the reports (report.md, report.html, report.json) here instead of Markdown to stdout' })
    .option('format', { type: 'string', array: true, coerce: splitList, describe: `Reports to write, comma-separated [default: Markdown to stdout; with --out: the config file's formats, else ${REPORT_FORMATS.join(',')}]` })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 2 when the commits differ, 0 when they do not (1 on error)' }),
  run: runDiff,
});

async function runDiff(args: DiffArgs, io: CliIo): Promise<number> {
  const { repo, dir, config, settings } = await repoConfig(args, io.cwd);
  const formats = formatsFor(args.format, args.out, config.formats ?? REPORT_FORMATS);
  const store = await openSnapshotStore({ dir: repo, snapshotDir: dir, init: false });
  const changeSet = await changeSetBetween(store, args.from, args.to, { resources: args.resources, rules: settings.rules, resourceSettings: settings.resource });
  const target = args.out === undefined ? stdoutTarget(io) : 'github';
  const reports = renderReports(changeSet, formats, { target });
  if (args.out === undefined) {
    for (const content of reports.values()) await writeAll(io.stdout, content);
  } else {
    for (const file of await writeReports(reports, { out: resolve(io.cwd, args.out), store: null })) writeLine(io.stdout, `report: ${file}`);
  }
  // The job summary is read on GitHub: Markdown made for a terminal is not reused for it.
  await appendStepSummary(io.env, changeSet, target === 'github' ? reports : new Map());
  return args.detailedExitcode && changeSet.resources.some(hasChanges) ? 2 : 0;
}
