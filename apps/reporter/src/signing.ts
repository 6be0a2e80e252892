import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openPgpSigner, openPgpVerifier, type CommitSigner, type SignatureVerifier } from '@balkan-audit/store';
import { CliError } from './_errors.js';

/** The ASCII-armored OpenPGP private key that signs snapshot commits (`snapshot --sign`). */
export const SIGNING_KEY_ENV = 'BALKAN_AUDIT_SIGNING_KEY';
/** Its passphrase, when it has one. */
export const SIGNING_PASSPHRASE_ENV = 'BALKAN_AUDIT_SIGNING_PASSPHRASE';
/** The ASCII-armored public key(s) `verify` checks signatures with, when `--public-key` is not given. */
export const PUBLIC_KEY_ENV = 'BALKAN_AUDIT_SIGNING_PUBLIC_KEY';

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The signer of a `--sign` night, resolved before anything is exported: the key from
 * BALKAN_AUDIT_SIGNING_KEY (armored; never a flag or a file in the repository), unlocked with
 * BALKAN_AUDIT_SIGNING_PASSPHRASE. A missing key is SIGNING_KEY_REQUIRED; a malformed or locked
 * one STORE_BAD_SIGNING_KEY. Neither is ever printed.
 */
export async function commitSigner(sign: boolean, env: Env): Promise<CommitSigner | undefined> {
  if (!sign) return undefined;
  const armoredKey = env[SIGNING_KEY_ENV];
  if (armoredKey === undefined || armoredKey.trim() === '') {
    throw new CliError('SIGNING_KEY_REQUIRED', `--sign needs an OpenPGP private key in ${SIGNING_KEY_ENV}; nothing was exported or committed`, {
      hint: `export it ASCII-armored (gpg --armor --export-secret-keys KEYID), store it as a secret named ${SIGNING_KEY_ENV} (and its passphrase as ${SIGNING_PASSPHRASE_ENV}), and pass both to the job's environment`,
    });
  }
  return openPgpSigner({ armoredKey, passphrase: env[SIGNING_PASSPHRASE_ENV], name: SIGNING_KEY_ENV });
}

/**
 * The verifier of `verify --public-key FILE` (or BALKAN_AUDIT_SIGNING_PUBLIC_KEY); null when
 * neither is given, and signatures are then not checked.
 */
export async function signatureVerifier(publicKeyFile: string | undefined, env: Env, cwd: string): Promise<SignatureVerifier | null> {
  if (publicKeyFile !== undefined) {
    const path = resolve(cwd, publicKeyFile);
    return openPgpVerifier(await readFile(path, 'utf8'), path);
  }
  const fromEnv = env[PUBLIC_KEY_ENV];
  return fromEnv === undefined || fromEnv.trim() === '' ? null : openPgpVerifier(fromEnv, PUBLIC_KEY_ENV);
}
