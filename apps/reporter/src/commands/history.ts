import { randomBytes } from 'node:crypto';
import type { RecordHistory } from '@balkan-audit/diff';
import { renderNightList, renderRecordHistory, type HistoryScope } from '@balkan-audit/report';
import { createRedactor, formatKey, splitRecord, type CanonicalTable, type ResourceSchema } from '@balkan-audit/schema';
import { openSnapshotStore, type CommitInfo, type SnapshotStore } from '@balkan-audit/store';
import { defineCommand } from '../_command.js';
import { CliError } from '../_errors.js';
import { withRepoOptions } from '../_options.js';
import { repoConfig, type RepoArgs, type ResourceSettings } from '../config/settings.js';
import { readNights } from '../history/nights.js';
import { keyOfId } from '../history/record-id.js';
import { walkRecordHistory } from '../history/record-walk.js';
import { parseSince, sinceRange } from '../history/since.js';
import { recordVersions } from '../history/versions.js';
import { writeAll, type CliIo } from '../io.js';
import { stdoutTarget } from '../reports.js';

interface HistoryArgs extends RepoArgs {
  readonly resource: string;
  readonly id: string | undefined;
  readonly format: 'md' | 'json';
  readonly since: string | undefined;
  readonly limit: number | undefined;
}

export const historyCommand = defineCommand<HistoryArgs>({
  command: 'history <resource> [id]',
  describe: 'Every change to one record across the snapshot history, newest first (without an ID: the nights that changed the resource)',
  builder: (yargs) => withRepoOptions(yargs)
    .positional('resource', { type: 'string', describe: 'The resource (integrations, apps, …)' })
    .positional('id', { type: 'string', describe: 'The record\'s ID as reports show it (apps: TENANT_ID/ID)' })
    .option('format', { type: 'string', choices: ['md', 'json'], default: 'md', describe: 'Markdown (a terminal, a pull request) or JSON' })
    .option('since', { type: 'string', describe: 'Only what changed from this date (2026-01-01, UTC) on, or after this commit, branch or tag' })
    .option('limit', { type: 'number', describe: 'At most this many entries (nights, without an ID), the newest' }),
  run: runHistory,
});

async function runHistory(args: HistoryArgs, io: CliIo): Promise<number> {
  const limit = args.limit ?? null;
  if (limit !== null && !(Number.isInteger(limit) && limit >= 1)) {
    throw new CliError('CLI_INVALID_OPTION', `--limit must be a whole number ≥ 1, received ${String(args.limit)}`);
  }
  const since = args.since === undefined ? null : parseSince(args.since);
  const { repo, dir, settings } = await repoConfig(args, io.cwd);
  const { schema, columns } = settings.resource(args.resource);
  const store = await openSnapshotStore({ dir: repo, snapshotDir: dir, init: false });
  const inRange = await sinceRange(store, args.resource, since);
  const scope = { branch: store.branch, file: `${store.snapshotDir}/${args.resource}.csv`, since: args.since ?? null, limit, target: stdoutTarget(io) };
  const output = args.id === undefined
    ? await nightsOutput(store, args.resource, { inRange, limit: limit ?? Number.POSITIVE_INFINITY, scope, format: args.format })
    : await recordOutput(store, schema, args.id, { inRange, limit: limit ?? Number.POSITIVE_INFINITY, scope, format: args.format, columns });
  await writeAll(io.stdout, output);
  return 0;
}

interface OutputOptions {
  readonly inRange: (commit: CommitInfo) => boolean;
  readonly limit: number;
  readonly scope: Omit<HistoryScope, 'read'>;
  readonly format: 'md' | 'json';
  /** The configuration file's `volatile` and `ignore` for the resource (record history only). */
  readonly columns?: ResourceSettings['columns'];
}

async function recordOutput(store: SnapshotStore, schema: ResourceSchema, id: string, options: OutputOptions): Promise<string> {
  const { resource } = schema;
  const key = keyOfId(schema, id);
  // Committed files hold fingerprints already and keep them: any key reads them the same.
  const redactor = createRedactor(randomBytes(32));
  const versions = recordVersions(store, resource, key, { schema, redactor, inRange: options.inRange });
  const walk = await walkRecordHistory(versions, { limit: options.limit, columns: options.columns, sameRedactionKey: (commit) => sameRedactionKey(store, commit) });
  if (walk.read === 0) throw await unknownResource(store, resource);
  if (!walk.seen) {
    throw new CliError('HISTORY_RECORD_NOT_FOUND', `${resource} has no record ${JSON.stringify(formatKey(key))} in any of the ${walk.read} commits of ${store.branch} that changed ${options.scope.file}`, {
      hint: schema.key.length > 1 ? `${resource} ids are ${schema.key.join('/')}, compared exactly as the snapshot holds them` : 'ids are compared exactly as the snapshot holds them',
    });
  }
  const history: RecordHistory = { resource, id: formatKey(key), entries: walk.entries };
  if (options.format === 'json') return `${JSON.stringify(history, null, 2)}\n`;
  return renderRecordHistory(history, { ...options.scope, read: walk.read, name: nameOf(schema, walk.latest) });
}

async function nightsOutput(store: SnapshotStore, resource: string, options: OutputOptions): Promise<string> {
  const { nights, read } = await readNights(store, resource, options);
  if (read === 0) throw await unknownResource(store, resource);
  const list = { resource, nights };
  if (options.format === 'json') return `${JSON.stringify(list, null, 2)}\n`;
  return renderNightList(list, { ...options.scope, read });
}

/** Whether `commit` and its first parent name the same redaction key in their manifests (or cannot tell). */
async function sameRedactionKey(store: SnapshotStore, commit: CommitInfo): Promise<boolean> {
  const parent = commit.parents[0];
  if (parent === undefined) return true;
  const [after, before] = await Promise.all([store.readManifest(commit.oid), store.readManifest(parent)]);
  return after?.redactionKeyId === undefined || before?.redactionKeyId === undefined || after.redactionKeyId === before.redactionKeyId;
}

/** The record's name (its schema's name column) in its newest version, for the title. */
function nameOf(schema: ResourceSchema, table: CanonicalTable | null): string | null {
  const row = table?.rows[0];
  const column = table?.columns.findIndex((c) => c.name === schema.nameColumn) ?? -1;
  if (row === undefined || column === -1) return null;
  return splitRecord(row.line)[column] || null;
}

async function unknownResource(store: SnapshotStore, resource: string): Promise<CliError> {
  const known = await store.listResources();
  return new CliError('HISTORY_UNKNOWN_RESOURCE', `no commit of ${store.branch} has ${store.snapshotDir}/${resource}.csv`, {
    hint: known.length > 0 ? `the snapshot has ${known.join(', ')}` : `${store.branch} holds no snapshot yet`,
  });
}
