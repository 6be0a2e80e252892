import { createReadStream } from 'node:fs';
import { access, rename, unlink, writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { escapeControls } from '@balkan-audit/report';
import { createRedactor, normaliseCsv, serialiseCanonical, type CanonicalTable } from '@balkan-audit/schema';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { redactionKeyFor, schemaFor, withFileOptions, type FileOptionArgs } from '../_options.js';
import { writeAll, writeLine, type CliIo } from '../io.js';

interface NormaliseArgs extends FileOptionArgs {
  readonly resource: string;
  readonly file: string;
  readonly out: string | undefined;
}

export const normaliseCommand = defineCommand<NormaliseArgs>({
  command: 'normalise <resource> <file>',
  describe: 'Print the canonical snapshot form of one exported CSV (validation warnings and drift go to stderr)',
  builder: (yargs) => withFileOptions(yargs
    .positional('resource', { type: 'string', demandOption: true, describe: 'Export path segment (integrations, campaigns, apps, entity-rules, labels, or any other)' })
    .positional('file', { type: 'string', demandOption: true, describe: 'The CSV file to normalise' })
    .option('out', { type: 'string', describe: 'Write the canonical CSV to this file (atomically) instead of stdout' })),
  run: runNormalise,
});

async function runNormalise(args: NormaliseArgs, io: CliIo): Promise<number> {
  const path = resolve(io.cwd, args.file);
  await access(path).catch((error: NodeJS.ErrnoException) => {
    throw new CliError('CLI_FILE_NOT_READABLE', `Cannot read ${args.file} (${error.code ?? 'error'})`, { cause: error });
  });
  const schema = schemaFor(args.resource, args);
  const redactor = createRedactor((await redactionKeyFor(args, io)).key);
  const table = await normaliseCsv(createReadStream(path), schema, { file: basename(path), redactor });
  const bytes = serialiseCanonical(table);
  if (args.out === undefined) {
    await writeAll(io.stdout, bytes);
  } else {
    await writeAtomically(resolve(io.cwd, args.out), bytes);
  }
  report(table, basename(path), io);
  return 0;
}

async function writeAtomically(file: string, bytes: Buffer): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  try {
    await writeFile(temp, bytes);
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

function report(table: CanonicalTable, file: string, io: CliIo): void {
  for (const warning of table.warnings) writeLine(io.stderr, `warning [${warning.code}] ${escapeControls(warning.message)}`);
  const kept = new Map<string, number>();
  for (const warning of table.warnings) kept.set(warning.code, (kept.get(warning.code) ?? 0) + 1);
  for (const [code, count] of Object.entries(table.warningCounts ?? {})) {
    const hidden = count - (kept.get(code) ?? 0);
    if (hidden > 0) writeLine(io.stderr, `warning [${code}] … and ${hidden} more in ${file}`);
  }
  if (table.drift.extraColumns.length > 0) writeLine(io.stderr, `drift: ${file} has undocumented columns ${table.drift.extraColumns.map((c) => `"${escapeControls(c)}"`).join(', ')} (kept, appended)`);
  if (table.drift.missingColumns.length > 0) writeLine(io.stderr, `drift: ${file} lacks the optional columns ${table.drift.missingColumns.map((c) => `"${c}"`).join(', ')}`);
  writeLine(io.stderr, `${file}: ${table.rows.length} ${table.schema.label.toLowerCase()}${table.rows.length === 1 ? '' : 's'}, ${table.columns.length} columns`);
}
