import { randomBytes } from 'node:crypto';
import { openSnapshotStore, type SnapshotStore } from '@balkan-audit/store';
import { CliError } from './_errors.js';

/** The environment variable that, when set, is the redaction key. */
export const REDACTION_KEY_ENV = 'BALKAN_AUDIT_REDACTION_KEY';

type Env = Readonly<Record<string, string | undefined>>;

/** A redaction key and where it came from (messages say which). */
export interface ResolvedKey {
  readonly key: string;
  /**
   * `env`: BALKAN_AUDIT_REDACTION_KEY; `repository`: the audit repository's own key
   * (`<gitdir>/balkan-audit/redaction-key`); `created`: just made there; `process`: made for this
   * process only (outside an audit repository), so its fingerprints match nothing else.
   */
  readonly source: 'env' | 'repository' | 'created' | 'process';
}

/** CI is set to something other than an explicit "false". */
export function isCi(env: Env): boolean {
  const value = env['CI'];
  return value !== undefined && value !== '' && value.toLowerCase() !== 'false' && value !== '0';
}

/**
 * The key of a night on `store` (resolved after the store has opened or initialised the
 * repository): BALKAN_AUDIT_REDACTION_KEY, else the repository's own key, else a new one created
 * there — except under CI, where a fresh clone has no `.git/balkan-audit/` and a key made there
 * would differ every night: then REDACTION_KEY_REQUIRED.
 */
export async function nightlyKey(store: SnapshotStore, env: Env): Promise<ResolvedKey> {
  const existing = await existingKey(store, env);
  if (existing !== null) return existing;
  if (isCi(env)) {
    throw new CliError('REDACTION_KEY_REQUIRED', `CI is set and ${REDACTION_KEY_ENV} is not: a key generated in a fresh clone would differ every night and make every secret look rotated, so none is generated`, {
      hint: `make a key once (openssl rand -hex 32), store it as a CI secret named ${REDACTION_KEY_ENV}, and pass it to the job's environment; keep a copy where your team keeps secrets`,
    });
  }
  return { key: (await store.redactionKey({ create: true }))!, source: 'created' };
}

/**
 * The key a command that reads `store` without writing to it checks with (`verify`):
 * BALKAN_AUDIT_REDACTION_KEY, else the repository's own key; null when neither exists (none is
 * ever created for it).
 */
export async function existingKey(store: SnapshotStore, env: Env): Promise<ResolvedKey | null> {
  const fromEnv = env[REDACTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { key: fromEnv, source: 'env' };
  const stored = await store.redactionKey();
  return stored === null ? null : { key: stored, source: 'repository' };
}

/**
 * The key of a command that only reads files (`compare`, `normalise`): BALKAN_AUDIT_REDACTION_KEY,
 * else the key of the audit repository at `repoDir` if it has one (never created there), else a key
 * for this process only.
 */
export async function fileCommandKey(repoDir: string, env: Env): Promise<ResolvedKey> {
  const fromEnv = env[REDACTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return { key: fromEnv, source: 'env' };
  const stored = await openSnapshotStore({ dir: repoDir, init: false }).then((store) => store.redactionKey(), (error: unknown) => {
    if (isNotAnAuditRepository(error)) return null;
    throw error;
  });
  if (stored !== null) return { key: stored, source: 'repository' };
  return { key: randomBytes(32).toString('hex'), source: 'process' };
}

function isNotAnAuditRepository(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'STORE_NOT_A_REPO' || code === 'STORE_NOT_REPO_ROOT' || code === 'STORE_DETACHED_HEAD' || code === 'STORE_BAD_INPUT' || code === 'STORE_SYMLINK';
}

/** What to tell the user about a key made for this process only. */
export const PROCESS_KEY_NOTE = `note: no audit repository here and ${REDACTION_KEY_ENV} is not set: secrets are fingerprinted with a key made for this run only, so its fingerprints match nothing else (pass --repo, or set ${REDACTION_KEY_ENV})`;
