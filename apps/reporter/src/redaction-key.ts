import { randomBytes } from 'node:crypto';
import { link, mkdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { CliError } from './_errors.js';

/** The environment variable that, when set, is the redaction key. */
export const REDACTION_KEY_ENV = 'BALKAN_AUDIT_REDACTION_KEY';

export interface RedactionKeyOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The audit repository; its git directory holds the generated key. @default none (use the per-user key) */
  readonly repoDir?: string;
  /** @default os.homedir() */
  readonly homeDir?: string;
}

/**
 * The key that fingerprints secrets in snapshots. `BALKAN_AUDIT_REDACTION_KEY` if set; else a key
 * kept in the repository's git directory (`<gitdir>/balkan-audit/redaction-key`, never committed,
 * never in the snapshot dir); outside a repository a per-user key
 * (`$XDG_CONFIG_HOME` or `~/.config`, `balkan-audit/redaction-key`). A missing key file is
 * created with 32 random bytes (hex), mode 0600, atomically: concurrent runs agree on one key.
 */
export async function resolveRedactionKey(options: RedactionKeyOptions): Promise<string> {
  const fromEnv = options.env[REDACTION_KEY_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const gitDir = options.repoDir === undefined ? null : await findGitDir(resolve(options.repoDir));
  const configHome = options.env.XDG_CONFIG_HOME || join(options.homeDir ?? homedir(), '.config');
  const file = gitDir === null ? join(configHome, 'balkan-audit', 'redaction-key') : join(gitDir, 'balkan-audit', 'redaction-key');
  return (await readKey(file)) ?? createKey(file);
}

/** The git directory of the repository containing `dir` (`.git`, or where a `.git` file points). */
async function findGitDir(dir: string): Promise<string | null> {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, '.git');
    const info = await stat(candidate).catch(() => null);
    if (info?.isDirectory()) return candidate;
    if (info?.isFile()) {
      const pointer = /^gitdir:\s*(.+)$/m.exec(await readFile(candidate, 'utf8'))?.[1]?.trim();
      if (pointer) return resolve(current, pointer);
    }
    if (dirname(current) === current) return null;
  }
}

async function readKey(file: string): Promise<string | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = text.trim();
  if (!/^[0-9a-f]{32,}$/i.test(key)) {
    throw new CliError('REDACTION_KEY_INVALID', `The redaction key file ${file} does not hold a hex key (at least 32 hex digits)`, {
      hint: `Restore it from a backup (changing it changes every secret's fingerprint), or set ${REDACTION_KEY_ENV}.`,
    });
  }
  return key;
}

/** Writes a temp file, then hard-links it into place: link fails if another run won the race. */
async function createKey(file: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${key}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = await readKey(file);
    if (existing === null) throw error;
    return existing;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}
