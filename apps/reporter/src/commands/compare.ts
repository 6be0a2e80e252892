import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { buildChangeSet, compareExports, hasChanges, type ResourceChange } from '@balkan-audit/diff';
import { createRedactor } from '@balkan-audit/schema';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { redactionKeyFor, schemaFor, splitList, withFileOptions, type FileOptionArgs } from '../_options.js';
import { fingerprintMismatch } from '../_fingerprint-keys.js';
import { openIndexThread, readShared } from '../_index-thread.js';
import { writeAll, writeLine, type CliIo } from '../io.js';
import { formatsFor, renderReports, REPORT_FORMATS, stdoutTarget, writeReports } from '../reports.js';

interface CompareArgs extends FileOptionArgs {
  readonly resource: string;
  readonly old: string;
  readonly new: string;
  readonly format: readonly string[] | undefined;
  readonly out: string | undefined;
  readonly detailedExitcode: boolean;
  readonly maxRecords: number | undefined;
}

export const compareCommand = defineCommand<CompareArgs>({
  command: 'compare <resource> <old> <new>',
  describe: 'Compare two exports or snapshots of one resource by key and print the change set',
  builder: (yargs) => withFileOptions(yargs
    .positional('resource', { type: 'string', demandOption: true, describe: 'Export path segment (integrations, campaigns, apps, entity-rules, labels, or any other)' })
    .positional('old', { type: 'string', demandOption: true, describe: 'The earlier CSV (a raw export or a canonical snapshot)' })
    .positional('new', { type: 'string', demandOption: true, describe: 'The later CSV (a raw export or a canonical snapshot)' })
    .option('format', { type: 'string', array: true, coerce: splitList, describe: `md: a summary for people; html: one page for a reviewer; json: the change set (schemaVersion 1). One to stdout [default: md], or several with --out [default: ${REPORT_FORMATS.join(',')}]` })
    .option('out', { type: 'string', describe: 'Write the reports (report.md, report.html, report.json) here instead of one to stdout' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 2 when there are changes, 0 when there are none (1 on error)' })
    .option('max-records', { type: 'number', describe: 'List at most this many added, removed and changed records (counts and events stay complete)' })),
  run: runCompare,
});

async function runCompare(args: CompareArgs, io: CliIo): Promise<number> {
  const formats = formatsFor(args.format, args.out);
  if (args.maxRecords !== undefined && !(Number.isInteger(args.maxRecords) && args.maxRecords >= 0)) {
    throw new CliError('CLI_INVALID_OPTION', `--max-records must be a whole number ≥ 0, received ${String(args.maxRecords)}`);
  }
  const oldPath = resolve(io.cwd, args.old);
  const newPath = resolve(io.cwd, args.new);
  const [before, after] = await Promise.all([modifiedAt(oldPath, args.old), modifiedAt(newPath, args.new)]);
  if (before > after) {
    writeLine(io.stderr, `note: ${args.old} was modified after ${args.new} (${before} > ${after}); the change reads from ${args.old} to ${args.new}, as given`);
  }
  const resolved = await redactionKeyFor(args, io);
  const redactor = createRedactor(resolved.key);
  const mismatch = await fingerprintMismatch({ ...resolved, keyId: redactor.keyId }, [oldPath, newPath]);
  if (mismatch !== null) writeLine(io.stderr, mismatch);
  // Started first, so the worker loads while the files are read.
  const thread = openIndexThread();
  let change: ResourceChange;
  try {
    const [oldBytes, newBytes] = await Promise.all([readShared(oldPath), readShared(newPath)]);
    change = await compareExports(oldBytes, newBytes, schemaFor(args.resource, args), {
      redactor,
      files: { before: basename(oldPath), after: basename(newPath) },
      comparableFingerprints: mismatch === null,
      index: thread.index,
      ...(args.maxRecords === undefined ? {} : { maxRecordsInReport: args.maxRecords }),
    });
  } finally {
    await thread.close();
  }
  const changeSet = buildChangeSet({
    resources: [change],
    from: { commit: null, date: before },
    to: { commit: null, date: after },
  });
  // The title names the inputs as the user gave them; the dates are the files' modification times.
  const reports = renderReports(changeSet, formats, {
    title: `${args.resource}: ${args.old} → ${args.new}`,
    sources: { from: args.old, to: args.new },
    htmlReport: 'the HTML report (--format html)',
    target: args.out === undefined ? stdoutTarget(io) : 'github',
  });
  if (args.out === undefined) {
    const text = reports.get(formats[0]!)!;
    await writeAll(io.stdout, text);
  } else {
    for (const file of await writeReports(reports, { out: resolve(io.cwd, args.out), store: null })) writeLine(io.stdout, `report: ${file}`);
  }
  return args.detailedExitcode && hasChanges(change) ? 2 : 0;
}

async function modifiedAt(path: string, shown: string): Promise<string> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    return info.mtime.toISOString();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new CliError('CLI_FILE_NOT_READABLE', `Cannot read ${shown} (${code})`, { cause: error, hint: 'Pass the paths of two CSV files: an earlier and a later export of the same resource.' });
  }
}

