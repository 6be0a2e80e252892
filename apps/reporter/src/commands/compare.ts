import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { buildChangeSet, compareExports, type ChangeSet, type FieldChange, type ResourceChange, type Severity } from '@balkan-audit/diff';
import { createRedactor } from '@balkan-audit/schema';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { redactionKeyFor, schemaFor, withFileOptions, type FileOptionArgs } from '../_options.js';
import { fingerprintMismatch } from '../_fingerprint-keys.js';
import { writeLine, type CliIo } from '../io.js';

interface CompareArgs extends FileOptionArgs {
  readonly resource: string;
  readonly old: string;
  readonly new: string;
  readonly format: string;
  readonly detailedExitcode: boolean;
  readonly maxRecords: number | undefined;
}

const FORMATS = ['md', 'json'] as const;

export const compareCommand = defineCommand<CompareArgs>({
  command: 'compare <resource> <old> <new>',
  describe: 'Compare two exports or snapshots of one resource by key and print the change set',
  builder: (yargs) => withFileOptions(yargs
    .positional('resource', { type: 'string', demandOption: true, describe: 'Export path segment (integrations, campaigns, apps, entity-rules, labels, or any other)' })
    .positional('old', { type: 'string', demandOption: true, describe: 'The earlier CSV (a raw export or a canonical snapshot)' })
    .positional('new', { type: 'string', demandOption: true, describe: 'The later CSV (a raw export or a canonical snapshot)' })
    .option('format', { type: 'string', choices: FORMATS, default: 'md', describe: 'md: a summary for people; json: the change set (schemaVersion 1)' })
    .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 2 when there are changes, 0 when there are none (1 on error)' })
    .option('max-records', { type: 'number', describe: 'List at most this many added, removed and changed records (counts and events stay complete)' })),
  run: runCompare,
});

async function runCompare(args: CompareArgs, io: CliIo): Promise<number> {
  if (args.maxRecords !== undefined && !(Number.isInteger(args.maxRecords) && args.maxRecords >= 0)) {
    throw new CliError('CLI_INVALID_OPTION', `--max-records must be a whole number ≥ 0, received ${String(args.maxRecords)}`);
  }
  const oldPath = resolve(io.cwd, args.old);
  const newPath = resolve(io.cwd, args.new);
  const [before, after] = await Promise.all([modifiedAt(oldPath, args.old), modifiedAt(newPath, args.new)]);
  const resolved = await redactionKeyFor(args, io);
  const redactor = createRedactor(resolved.key);
  const mismatch = await fingerprintMismatch({ ...resolved, keyId: redactor.keyId }, [oldPath, newPath]);
  if (mismatch !== null) writeLine(io.stderr, mismatch);
  const [oldBytes, newBytes] = await Promise.all([readFile(oldPath), readFile(newPath)]);
  const change = await compareExports(oldBytes, newBytes, schemaFor(args.resource, args), {
    redactor,
    files: { before: basename(oldPath), after: basename(newPath) },
    comparableFingerprints: mismatch === null,
    ...(args.maxRecords === undefined ? {} : { maxRecordsInReport: args.maxRecords }),
  });
  const changeSet = buildChangeSet({
    resources: [change],
    from: { commit: null, date: before },
    to: { commit: null, date: after },
  });
  const text = args.format === 'json' ? `${JSON.stringify(changeSet, null, 2)}\n` : renderMarkdown(changeSet, basename(oldPath), basename(newPath));
  await new Promise<void>((done, fail) => io.stdout.write(text, (error) => (error ? fail(error) : done())));
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

function hasChanges(change: ResourceChange): boolean {
  const { counts, schemaChanges } = change;
  return counts.added + counts.removed + counts.changed + schemaChanges.addedColumns.length + schemaChanges.removedColumns.length > 0;
}

const MAX_EVENTS_PER_SEVERITY = 100;
const MAX_CHANGED_RECORDS = 50;
const SEVERITIES: readonly Severity[] = ['high', 'medium', 'low'];

/** A short Markdown summary for a terminal or a pull request comment. */
export function renderMarkdown(changeSet: ChangeSet, oldFile: string, newFile: string): string {
  const lines: string[] = [];
  for (const change of changeSet.resources) {
    const { counts, schemaChanges } = change;
    lines.push(`# ${change.resource}: ${oldFile} → ${newFile}`, '');
    lines.push('| before | after | added | removed | changed | unchanged |', '|---:|---:|---:|---:|---:|---:|');
    lines.push(`| ${counts.before} | ${counts.after} | ${counts.added} | ${counts.removed} | ${counts.changed} | ${counts.unchanged} |`, '');
    if (schemaChanges.addedColumns.length > 0) lines.push(`Columns added: ${schemaChanges.addedColumns.join(', ')}`, '');
    if (schemaChanges.removedColumns.length > 0) lines.push(`Columns removed: ${schemaChanges.removedColumns.join(', ')}`, '');
    if (change.events.length === 0) lines.push('No events.', '');
    for (const severity of SEVERITIES) {
      const events = change.events.filter((e) => e.severity === severity);
      if (events.length === 0) continue;
      lines.push(`## ${severity[0]!.toUpperCase()}${severity.slice(1)} (${events.length})`, '');
      for (const event of events.slice(0, MAX_EVENTS_PER_SEVERITY)) lines.push(`- ${event.summary} \`${event.kind}\``);
      if (events.length > MAX_EVENTS_PER_SEVERITY) lines.push(`- … and ${events.length - MAX_EVENTS_PER_SEVERITY} more`);
      lines.push('');
    }
    if (change.changed.length > 0) {
      lines.push('## Changed fields', '');
      for (const record of change.changed.slice(0, MAX_CHANGED_RECORDS)) {
        lines.push(`- \`${record.id}\`: ${record.changes.map(describeChange).join('; ')}`);
      }
      if (counts.changed > MAX_CHANGED_RECORDS) lines.push(`- … and ${counts.changed - MAX_CHANGED_RECORDS} more records`);
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

function describeChange(change: FieldChange): string {
  const where = change.path.length === 0 ? change.field : `${change.field} ${change.path.map((p) => (typeof p === 'number' ? `[${p}]` : p)).join('.')}`;
  return `${where} ${change.op}${change.volatile ? ' (volatile)' : ''}${change.comparable === false ? ' (not comparable: another redaction key)' : ''}`;
}
