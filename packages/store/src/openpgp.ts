import { StoreError } from './errors.js';
import type { CommitSigner, SignatureCheck, SignatureVerifier } from './types.js';

type OpenPgp = typeof import('openpgp');

/**
 * openpgp.js is loaded on first use only: it is large, and most runs neither sign nor verify a
 * signature (the CLI starts before it knows).
 */
function loadOpenPgp(): Promise<OpenPgp> {
  return import('openpgp');
}

export interface OpenPgpSignerOptions {
  /** An ASCII-armored OpenPGP private key. Never part of an error message. */
  readonly armoredKey: string;
  /** Unlocks a key protected by a passphrase. */
  readonly passphrase?: string | undefined;
  /** What messages call the key (e.g. the environment variable it came from). @default 'the signing key' */
  readonly name?: string;
}

/**
 * A {@link CommitSigner} with an OpenPGP private key (openpgp.js): binary detached signatures, as
 * `gpg --detach-sign` makes them for git, so `git verify-commit` and GitHub accept them. The key is
 * read, unlocked and checked for a usable signing (sub)key up front: a key that is missing,
 * malformed, locked with another passphrase, expired or revoked is STORE_BAD_SIGNING_KEY before any
 * work is done. Neither the key nor the passphrase ever appears in an error.
 *
 * @example
 * const signer = await openPgpSigner({ armoredKey: process.env.BALKAN_AUDIT_SIGNING_KEY!, passphrase: process.env.BALKAN_AUDIT_SIGNING_PASSPHRASE });
 * await store.commitSnapshot({ files, manifest, message, signer });
 */
export async function openPgpSigner(options: OpenPgpSignerOptions): Promise<CommitSigner> {
  const openpgp = await loadOpenPgp();
  const name = options.name ?? 'the signing key';
  let key: import('openpgp').PrivateKey;
  try {
    key = await openpgp.readPrivateKey({ armoredKey: options.armoredKey });
  } catch (error) {
    throw badSigningKey(`${name} is not an ASCII-armored OpenPGP private key (${reason(error)})`, 'export it with `gpg --armor --export-secret-keys KEYID`');
  }
  if (!key.isDecrypted()) {
    if (options.passphrase === undefined || options.passphrase === '') {
      throw badSigningKey(`${name} is protected by a passphrase, and none was given`, 'give the passphrase too (BALKAN_AUDIT_SIGNING_PASSPHRASE for the CLI)');
    }
    try {
      key = await openpgp.decryptKey({ privateKey: key, passphrase: options.passphrase });
    } catch (error) {
      throw badSigningKey(`${name} could not be unlocked with the passphrase given (${reason(error)})`, 'check the passphrase (BALKAN_AUDIT_SIGNING_PASSPHRASE for the CLI)');
    }
  }
  try {
    await key.getSigningKey();
  } catch (error) {
    throw badSigningKey(`${name} (${key.getFingerprint().toUpperCase()}) cannot sign: ${reason(error)}`, 'use a key with a valid signing (sub)key that has not expired or been revoked');
  }
  const unlocked = key;
  return {
    fingerprint: unlocked.getFingerprint().toUpperCase(),
    sign: async (payload) => openpgp.sign({
      message: await openpgp.createMessage({ binary: Buffer.from(payload, 'utf8') }),
      signingKeys: unlocked,
      detached: true,
      format: 'armored',
    }),
  };
}

/**
 * A {@link SignatureVerifier} over one or more ASCII-armored OpenPGP public keys (a key ring
 * export may hold several, e.g. across a key rotation). Malformed keys are STORE_BAD_PUBLIC_KEY.
 */
export async function openPgpVerifier(armoredKeys: string, name = 'the public key'): Promise<SignatureVerifier> {
  const openpgp = await loadOpenPgp();
  let keys: import('openpgp').Key[];
  try {
    keys = await openpgp.readKeys({ armoredKeys });
  } catch (error) {
    throw new StoreError('STORE_BAD_PUBLIC_KEY', `${name} is not an ASCII-armored OpenPGP public key (${reason(error)})`, {
      hint: 'export it with `gpg --armor --export KEYID`',
    });
  }
  return {
    fingerprints: keys.map((k) => k.getFingerprint().toUpperCase()),
    verify: async (payload, armoredSignature): Promise<SignatureCheck> => {
      let signature: import('openpgp').Signature;
      try {
        signature = await openpgp.readSignature({ armoredSignature });
      } catch (error) {
        return { valid: false, reason: `not an OpenPGP signature (${reason(error)})` };
      }
      const result = await openpgp.verify({ message: await openpgp.createMessage({ binary: Buffer.from(payload, 'utf8') }), signature, verificationKeys: keys });
      const [first] = result.signatures;
      if (first === undefined) return { valid: false, reason: 'the signature holds no signature packet' };
      try {
        await first.verified;
        return { valid: true, keyId: first.keyID.toHex().toUpperCase() };
      } catch (error) {
        return { valid: false, reason: `${reason(error)} (signed by key ${first.keyID.toHex().toUpperCase()})` };
      }
    },
  };
}

function badSigningKey(message: string, hint?: string): StoreError {
  return new StoreError('STORE_BAD_SIGNING_KEY', message, hint === undefined ? {} : { hint });
}

/** openpgp.js's own words, short; its messages name what is wrong, never the key material. */
function reason(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
