import { mkdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { escapeControls } from '@balkan-audit/report';
import { DOCUMENTED_EXPORTS, resolveExport, type ExportResult } from '@balkan-audit/client';
import { countRecords } from '@balkan-audit/schema';
import { isBalkanAuditError } from '@balkan-audit/errors';
import { defineCommand } from '../_command.js';
import { exportClientFor, withExportOptions, type ExportOptionArgs } from '../_options.js';
import { writeLine, type CliIo } from '../io.js';
import { formatTable } from '../format-table.js';
import { mapConcurrent } from '../map-concurrent.js';
import { createProgressReporter, exportProgressHandler, formatBytes, formatSeconds } from '../progress.js';

interface ExportArgs extends ExportOptionArgs {
  readonly resources: readonly string[] | undefined;
  readonly out: string;
  readonly json: boolean;
}

type Outcome =
  | { readonly resource: string; readonly ok: true; readonly result: ExportResult; readonly rows: number | null }
  | { readonly resource: string; readonly ok: false; readonly error: Error & { code: string; hint?: string; status?: number } };

export const exportCommand = defineCommand<ExportArgs>({
  command: 'export [resources..]',
  describe: 'Download bulk CSV exports as they are (default: the five documented resources)',
  builder: (yargs) => withExportOptions(yargs
    .positional('resources', { type: 'string', array: true, describe: `Export path segments (default: ${DOCUMENTED_EXPORTS.map((spec) => spec.resource).join(', ')}; any other such as admins works too)` })
    .option('out', { type: 'string', demandOption: true, describe: 'Directory to write <resource>.csv files to (created if missing)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print the results as JSON' })),
  run: runExport,
});

async function runExport(args: ExportArgs, io: CliIo): Promise<number> {
  const names = args.resources && args.resources.length > 0 ? args.resources : DOCUMENTED_EXPORTS.map((spec) => spec.resource);
  const specs = [...new Set(names)].map((name) => resolveExport(name));
  const client = exportClientFor(args, io.env);
  const out = resolve(io.cwd, args.out);
  // The client writes each file 0600; a directory made here is 0700 for the same reason.
  await mkdir(out, { recursive: true, mode: 0o700 });
  writeLine(io.stderr, `note: raw exports hold the tenant's secrets as the API serves them; ${out} is readable by you only. Keep it out of git and delete it when done.`);

  const progress = createProgressReporter(io);
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  let outcomes: Outcome[];
  try {
    outcomes = await mapConcurrent(specs, args.concurrency, async ({ resource }): Promise<Outcome> => {
      try {
        const result = await client.exportToFile(resource, join(out, `${resource}.csv`), {
          signal: controller.signal,
          campaigns: { includeCompleted: args.includeCompleted ?? true, includeDraft: args.includeDraft ?? true },
          onProgress: exportProgressHandler(progress),
        });
        progress.finish(resource, `${formatBytes(result.bytes)} in ${formatSeconds(result.timings.totalMs)} s`);
        return { resource, ok: true, result, rows: await countRows(result.file) };
      } catch (error) {
        if (!isBalkanAuditError(error)) throw error;
        progress.finish(resource, `failed [${error.code}]`);
        return { resource, ok: false, error };
      }
    });
  } finally {
    process.off('SIGINT', onSigint);
    progress.close();
  }

  for (const outcome of outcomes) {
    if (outcome.ok) continue;
    writeLine(io.stderr, `error [${outcome.error.code}] ${outcome.resource}: ${escapeControls(outcome.error.message)}`);
    if (outcome.error.hint) writeLine(io.stderr, `hint: ${outcome.error.hint}`);
  }
  writeLine(io.stdout, args.json ? JSON.stringify({ out, results: outcomes.map(toJson) }, null, 2) : summaryTable(outcomes));
  if (controller.signal.aborted) return 130;
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

/**
 * The export's data records, counted by the schema layer in the file as written (the client only
 * downloads bytes); null when csv-parse cannot read the file, which is kept as the API served it.
 */
async function countRows(file: string): Promise<number | null> {
  const bytes = await readFile(file);
  return countRecords(bytes, basename(file)).catch((error: unknown) => {
    if (isBalkanAuditError(error)) return null;
    throw error;
  });
}

function toJson(outcome: Outcome): Record<string, unknown> {
  if (!outcome.ok) {
    const { code, message, status } = outcome.error;
    return { resource: outcome.resource, status: 'failed', error: { code, message, ...(status === undefined ? {} : { httpStatus: status }) } };
  }
  const { result } = outcome;
  return {
    resource: result.resource,
    status: 'ok',
    file: result.file,
    rows: outcome.rows,
    bytes: result.bytes,
    sha256: result.sha256,
    polls: result.polls,
    exports: result.exports,
    seconds: Number((result.timings.totalMs / 1000).toFixed(3)),
    timings: result.timings,
  };
}

function summaryTable(outcomes: readonly Outcome[]): string {
  const rows = outcomes.map((outcome) => outcome.ok
    ? [outcome.resource, String(outcome.rows ?? '—'), String(outcome.result.bytes), outcome.result.sha256.slice(0, 12), formatSeconds(outcome.result.timings.totalMs), 'ok']
    : [outcome.resource, '—', '—', '—', '—', `failed: ${outcome.error.code}`]);
  return formatTable(['resource', 'rows', 'bytes', 'sha256', 'seconds', 'status'], rows, [false, true, true, false, true, false]);
}
