import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { createExportClient, dispatcherFromEnv, type ExportClient } from '@balkan-audit/client';
import { getSchema, type ResourceSchema } from '@balkan-audit/schema';
import { CliError } from './_errors.js';
import { resolveApiConfig } from './api-config.js';
import { writeLine, type CliIo } from './io.js';
import { fileCommandKey, PROCESS_KEY_NOTE, type ResolvedKey } from './redaction-key.js';

/** The arguments every command that talks to the BalkanID API shares. */
export interface ExportOptionArgs {
  readonly concurrency: number;
  /** Undefined unless given: the config file's campaigns filters apply, else true. */
  readonly includeCompleted: boolean | undefined;
  readonly includeDraft: boolean | undefined;
  readonly pollDeadline: number;
  readonly pollInterval: number;
  readonly baseUrl: string | undefined;
  readonly apiKeyId: string | undefined;
  readonly apiKeySecret: string | undefined;
}

/** Declares the API options (`export`, `snapshot`). Keys are preferred from the environment. */
export function withExportOptions(yargs: Argv): Argv {
  return yargs
    .option('concurrency', { type: 'number', default: 3, describe: 'Resources exported at the same time' })
    .option('include-completed', { type: 'boolean', describe: 'Campaigns: include completed campaigns [default: true; snapshot: the config file\'s, else true]' })
    .option('include-draft', { type: 'boolean', describe: 'Campaigns: include draft campaigns [default: true; snapshot: the config file\'s, else true]' })
    .option('poll-deadline', { type: 'number', default: 900, describe: 'Seconds to wait for one export to become ready' })
    .option('poll-interval', { type: 'number', default: 0.5, describe: 'Seconds before the first readiness poll (later polls back off, with jitter)' })
    .option('base-url', { type: 'string', describe: 'API origin [env BALKANID_BASE_URL, else the config file\'s baseUrl, else https://app.balkan.id]' })
    .option('api-key-id', { type: 'string', describe: 'API key id; prefer env BALKANID_API_KEY_ID (flags show up in shell history and process lists)' })
    .option('api-key-secret', { type: 'string', describe: 'API key secret; prefer env BALKANID_API_KEY_SECRET (flags show up in shell history and process lists)' });
}

/**
 * Declares where the snapshots live and the configuration file (`snapshot`, `diff`, `history`,
 * `verify`). `--dir` has no yargs default, so a flag given can be told from the file's `dir`.
 */
export function withRepoOptions(yargs: Argv): Argv {
  return yargs
    .option('repo', { type: 'string', default: '.', describe: 'The audit git repository (its top level)' })
    .option('dir', { type: 'string', describe: 'Snapshot directory inside the repository [default: the config file\'s dir, else snapshots]' })
    .option('config', { type: 'string', describe: 'Configuration file [default: balkan-audit.config.json at the top level of --repo, when there is one]' });
}

/**
 * Checks the API options once and builds the export client from them and the environment, proxy
 * variables (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`) included.
 */
export function exportClientFor(args: ExportOptionArgs, env: Readonly<Record<string, string | undefined>>, fileBaseUrl?: string): ExportClient {
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) {
    throw new CliError('CLI_INVALID_OPTION', `--concurrency must be a whole number ≥ 1, received ${String(args.concurrency)}`);
  }
  if (!Number.isFinite(args.pollInterval) || args.pollInterval < 0) {
    throw new CliError('CLI_INVALID_OPTION', `--poll-interval must be a number of seconds ≥ 0, received ${String(args.pollInterval)}`);
  }
  if (!Number.isFinite(args.pollDeadline) || args.pollDeadline <= 0) {
    throw new CliError('CLI_INVALID_OPTION', `--poll-deadline must be a number of seconds > 0, received ${String(args.pollDeadline)}`);
  }
  return createExportClient({
    ...resolveApiConfig(args, env, fileBaseUrl),
    poll: { deadlineMs: args.pollDeadline * 1000, initialDelayMs: args.pollInterval * 1000 },
    dispatcher: dispatcherFromEnv(env),
  });
}

/** The arguments of the commands that read CSV files themselves (`normalise`, `compare`). */
export interface FileOptionArgs {
  readonly key: readonly string[] | undefined;
  readonly repo: string;
}

/** Declares `--key` (for undocumented resources) and `--repo` (whose redaction key to use). */
export function withFileOptions(yargs: Argv): Argv {
  return yargs
    .option('key', { type: 'string', array: true, describe: 'Key column(s) for an undocumented resource [default: ID]' })
    .option('repo', { type: 'string', default: '.', describe: 'Audit repository whose redaction key fingerprints secrets (read, never created) [env BALKAN_AUDIT_REDACTION_KEY]' });
}

/** The resource's schema, with `--key` overriding its key columns when given. */
export function schemaFor(resource: string, args: FileOptionArgs): ResourceSchema {
  return getSchema(resource, args.key && args.key.length > 0 ? { key: args.key } : {});
}

/**
 * The redaction key for a command reading files: the environment's, `--repo`'s (never created
 * there), or one for this process only — which is said on stderr, since its fingerprints match
 * nothing else.
 */
export async function redactionKeyFor(args: FileOptionArgs, io: Pick<CliIo, 'env' | 'cwd' | 'stderr'>): Promise<ResolvedKey> {
  const resolved = await fileCommandKey(resolve(io.cwd, args.repo), io.env);
  if (resolved.source === 'process') writeLine(io.stderr, PROCESS_KEY_NOTE);
  return resolved;
}

/** `--x a,b --x c` as ['a', 'b', 'c']: list options take commas and repeats alike. */
export function splitList(value: readonly string[] | string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return (Array.isArray(value) ? value : [value]).flatMap((v: string) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}
