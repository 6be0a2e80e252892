import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { NodeFs } from './_fs.js';
import { stateTempFile, statePaths } from './_state.js';
import { StoreError } from './errors.js';

/** The repository's stored redaction key, or null when it has none. */
export async function readRedactionKey(fs: NodeFs, gitdir: string): Promise<string | null> {
  const file = statePaths(gitdir).redactionKey;
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = text.trim();
  if (!/^[0-9a-f]{32,}$/i.test(key)) {
    throw new StoreError('STORE_BAD_REDACTION_KEY', `the redaction key file ${file} does not hold a hex key (at least 32 hex digits)`, {
      data: { file },
      hint: 'restore it from a backup, or set BALKAN_AUDIT_REDACTION_KEY to the key these snapshots were made with',
    });
  }
  return key;
}

/**
 * Creates the repository's redaction key (32 random bytes, hex, mode 0600) unless one exists, and
 * returns the key that is stored: the temp file is hard-linked into place, which fails if a
 * concurrent run won, so every run agrees on one key.
 */
export async function createRedactionKey(fs: NodeFs, gitdir: string): Promise<string> {
  const file = statePaths(gitdir).redactionKey;
  await fs.promises.mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await fs.promises.mkdir(statePaths(gitdir).tmp, { recursive: true, mode: 0o700 });
  const key = randomBytes(32).toString('hex');
  const temp = stateTempFile(gitdir);
  await fs.promises.writeFile(temp, `${key}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await fs.promises.link(temp, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const existing = await readRedactionKey(fs, gitdir);
    if (existing === null) throw error;
    return existing;
  } finally {
    await fs.promises.rm(temp, { force: true });
  }
}
