/**
 * A nightly set-up for end-to-end tests: a sandbox on port 0, a temp folder holding the audit
 * repository, and the built CLI run against both with a clean environment.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSandbox, sandboxCsv, type Sandbox, type SandboxNight, type SandboxOptions } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv, serialiseCanonical } from '@balkan-audit/schema';
import type { ChangeSet } from '@balkan-audit/diff';
import { runCli, spawnCli, type CliRun, type RunningCli } from './cli.js';
import { git } from './git.js';

export const API_KEYS = { apiKeyId: 'night-key-id-2d81', apiKeySecret: 'night-key-secret-5c0e7a913f' };
export const REDACTION_KEY = 'e2e-night-redaction-key-91f3';
/** `env` additions for a run with no redaction key at hand: neither the variable nor CI. */
export const NO_KEY = { BALKAN_AUDIT_REDACTION_KEY: '', CI: '' };

export interface Night {
  readonly sandbox: Sandbox;
  readonly apiUrl: string;
  /** A temp folder; the repository is `repo` inside it, reports go to `out`. */
  readonly root: string;
  readonly repo: string;
  readonly out: string;
  /** The CLI's environment: API keys, the redaction key, an author. `extra` adds, or removes with ''. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** `balkan-audit snapshot --repo <repo> --out <out> …` with `env()`. */
  snapshot(args?: readonly string[], env?: Record<string, string>): Promise<CliRun>;
  /** The same command, still running: to signal it. */
  spawnSnapshot(args?: readonly string[], env?: Record<string, string>): RunningCli;
  /** The arguments `snapshot` passes before its own. */
  readonly snapshotArgs: readonly string[];
  /** The change set the last `snapshot` wrote. */
  report(): Promise<ChangeSet>;
  show(resource: string, ref?: string): string;
  manifest(ref?: string): { redactionKeyId?: string; resources: Record<string, { status: string; rows: number; blobId?: string; error?: { code: string } }> };
  commits(): number;
  close(): Promise<void>;
}

export async function startNight(options: SandboxOptions = {}): Promise<Night> {
  const sandbox = createSandbox({ ...API_KEYS, readyAfterPolls: 1, ...options });
  const { apiUrl } = await sandbox.listen(0);
  const root = await mkdtemp(join(tmpdir(), 'night-e2e-'));
  const repo = join(root, 'repo');
  const out = join(root, 'out');
  const snapshotArgs = ['snapshot', '--repo', repo, '--out', out, '--poll-interval', '0.01', '--tenant', 'acme'];
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    BALKANID_BASE_URL: apiUrl,
    BALKANID_API_KEY_ID: API_KEYS.apiKeyId,
    BALKANID_API_KEY_SECRET: API_KEYS.apiKeySecret,
    BALKAN_AUDIT_REDACTION_KEY: REDACTION_KEY,
    BALKAN_AUDIT_AUTHOR_NAME: 'Nightly Audit',
    BALKAN_AUDIT_AUTHOR_EMAIL: 'audit@example.com',
    HOME: join(root, 'home'),
    ...extra,
  });
  return {
    sandbox, apiUrl, root, repo, out, env,
    snapshotArgs,
    snapshot: (args = [], extraEnv = {}) => runCli([...snapshotArgs, ...args], { env: env(extraEnv), cwd: root }),
    spawnSnapshot: (args = [], extraEnv = {}) => spawnCli([...snapshotArgs, ...args], { env: env(extraEnv), cwd: root }),
    report: async () => JSON.parse(await readFile(join(out, 'report.json'), 'utf8')) as ChangeSet,
    show: (resource, ref = 'HEAD') => git(repo, 'show', `${ref}:snapshots/${resource}.csv`),
    manifest: (ref = 'HEAD') => JSON.parse(git(repo, 'show', `${ref}:snapshots/manifest.json`)),
    commits: () => commitCount(repo),
    close: async () => {
      await sandbox.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The canonical bytes of a scripted resource on `night`, as the store must hold them. */
export async function canonical(resource: string, night: SandboxNight, key = REDACTION_KEY): Promise<string> {
  const table = await normaliseCsv(sandboxCsv(resource, night), getSchema(resource), { file: `${resource}.csv`, redactor: createRedactor(key) });
  return serialiseCanonical(table).toString('utf8');
}

/** What a run may leave behind in the repository and must not: a lock, temp files. */
export function leftovers(repo: string): string[] {
  const found: string[] = [];
  const state = join(repo, '.git', 'balkan-audit');
  if (existsSync(join(state, 'run.lock'))) found.push('.git/balkan-audit/run.lock');
  if (existsSync(join(state, 'tmp'))) found.push(...readdirSync(join(state, 'tmp')).map((name) => `.git/balkan-audit/tmp/${name}`));
  if (existsSync(join(repo, 'snapshots'))) found.push(...readdirSync(join(repo, 'snapshots')).filter((name) => name.endsWith('.tmp')).map((name) => `snapshots/${name}`));
  return found;
}

/** Every event kind of a change set, run-level and per resource. */
export function eventKinds(changeSet: ChangeSet): string[] {
  return [...changeSet.events, ...changeSet.resources.flatMap((r) => r.events)].map((e) => e.kind);
}

/** Commits on HEAD; 0 when there is no repository or no commit yet. */
export function commitCount(repo: string): number {
  try {
    return Number(git(repo, 'rev-list', '--count', 'HEAD').trim());
  } catch {
    return 0;
  }
}
