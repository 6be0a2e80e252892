/**
 * OpenPGP keys made at test time (openpgp.js) and native git checking signatures with gpg in a
 * throw-away GNUPGHOME, as an auditor's `git log --show-signature` would.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateKey } from 'openpgp';

/** Native gpg is there (outside CI, tests that need it are skipped without it; CI installs it). */
export const gpgAvailable = spawnSync('gpg', ['--version']).status === 0;

export interface SigningKey {
  readonly privateKey: string;
  readonly publicKey: string;
  readonly passphrase: string;
}

/** An ed25519 key pair (v4, as gpg 2.2 reads it) for `email`, its private half locked with a passphrase. */
export async function signingKey(email = 'audit@example.com', passphrase = 'nightly-signing-passphrase-4e1c'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', userIDs: [{ name: 'Nightly Audit', email }], passphrase, format: 'armored' });
  return { privateKey, publicKey, passphrase };
}

/** Native git with a GNUPGHOME under `root` that trusts `publicKey`; returns exit status and all output. */
export function gitWithGpg(root: string, publicKey: string): (cwd: string, ...args: string[]) => { status: number; out: string } {
  const home = join(root, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const env = { PATH: process.env.PATH ?? '', HOME: join(root, 'home'), GNUPGHOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', LC_ALL: 'C' };
  writeFileSync(join(home, 'key.asc'), publicKey);
  execFileSync('gpg', ['--batch', '--quiet', '--import', join(home, 'key.asc')], { env, stdio: 'pipe' });
  const fingerprint = /^fpr:+([0-9A-F]{40}):/m.exec(execFileSync('gpg', ['--batch', '--with-colons', '--fingerprint'], { env, encoding: 'utf8' }))?.[1];
  execFileSync('gpg', ['--batch', '--import-ownertrust'], { env, input: `${fingerprint}:6:\n`, stdio: ['pipe', 'pipe', 'pipe'] });
  return (cwd, ...args) => {
    // git prints the signature check on stderr, also when it passes.
    const run = spawnSync('git', args, { cwd, env, encoding: 'utf8' });
    return { status: run.status ?? -1, out: `${run.stdout}${run.stderr}` };
  };
}
