import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from 'openpgp';
import { tempDir } from './_test-git.js';

/** Native gpg is there (outside CI, tests that need it are skipped without it; CI installs it). */
export const gpgAvailable = spawnSync('gpg', ['--version']).status === 0;

export interface TestKeyPair {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly passphrase: string;
}

/** A fresh OpenPGP key pair (ed25519, v4 as gpg 2.2 reads it), made at test time. */
export async function testKeyPair(email = 'audit@example.com', passphrase = 'correct horse battery staple'): Promise<TestKeyPair> {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', userIDs: [{ name: 'Nightly Audit', email }], passphrase, format: 'armored' });
  return { privateKey, publicKey, passphrase };
}

/**
 * A throw-away GNUPGHOME trusting `publicKey`, and native git run with it (no user config): to
 * check signatures as `git verify-commit` and `git log --show-signature` see them.
 */
export function nativeGpg(publicKey: string): { git(cwd: string, ...args: string[]): { status: number; out: string } } {
  const home = tempDir();
  chmodSync(home, 0o700);
  const env = { ...process.env, GNUPGHOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LANG: 'C', LC_ALL: 'C' };
  writeFileSync(join(home, 'key.asc'), publicKey);
  execFileSync('gpg', ['--batch', '--quiet', '--import', join(home, 'key.asc')], { env, stdio: 'pipe' });
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(execFileSync('gpg', ['--batch', '--with-colons', '--fingerprint'], { env, encoding: 'utf8' }))?.[1];
  execFileSync('gpg', ['--batch', '--import-ownertrust'], { env, input: `${fingerprint}:6:\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return {
    git(cwd, ...args) {
      // git prints the signature check on stderr, also when it passes.
      const run = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
      return { status: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
    },
  };
}
