import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { createRedactor } from '@balkan-audit/schema';
import { serialiseManifest } from './manifest.js';
import type { Manifest } from './types.js';

/**
 * HKDF's info label for the manifest MAC subkey. A fixed label per purpose keeps the subkey
 * unrelated to the fingerprint key: a MAC never doubles as a secret's fingerprint (and the other
 * way round), and fingerprints keep their keying.
 */
const MAC_INFO = 'balkan-audit manifest mac v1';

/** What the store needs to MAC a manifest, and nothing more: the subkey, never the redaction key. */
export interface ManifestKey {
  /** Id of the redaction key the subkey was derived from (`Redactor.keyId`). */
  readonly keyId: string;
  /** HMAC-SHA256 (hex) over the manifest's canonical serialisation without `mac`. */
  mac(manifest: Manifest): string;
}

/**
 * The manifest MAC key of a repository: HKDF-SHA256 of its redaction key with a fixed info label.
 * Resolve it once per run and hand it to `commitSnapshot` (which sets `mac`) and to the checks.
 *
 * @example
 * const macKey = manifestKey(process.env.BALKAN_AUDIT_REDACTION_KEY!);
 * await store.commitSnapshot({ files, manifest, message, macKey });
 */
export function manifestKey(redactionKey: string | Buffer): ManifestKey {
  const ikm = typeof redactionKey === 'string' ? Buffer.from(redactionKey, 'utf8') : redactionKey;
  const subkey = Buffer.from(hkdfSync('sha256', ikm, Buffer.alloc(0), MAC_INFO, 32));
  const keyId = createRedactor(redactionKey).keyId;
  return {
    keyId,
    mac: (manifest) => createHmac('sha256', subkey).update(serialiseManifest(withoutMac(manifest))).digest('hex'),
  };
}

/**
 * How a manifest stands against `key`: `valid`; `invalid` (edited by someone without the key, or
 * MACed with another key while claiming this one); `absent` (no `mac`: written before MACs, or
 * stripped — history tells which); `other-key` (its `redactionKeyId` names another key, so this
 * key cannot check it: a manifest from before a `--rekey`).
 */
export type ManifestMacStatus = 'valid' | 'invalid' | 'absent' | 'other-key';

export function checkManifestMac(manifest: Manifest, key: ManifestKey): ManifestMacStatus {
  if (manifest.mac === undefined) return 'absent';
  if (manifest.redactionKeyId !== undefined && manifest.redactionKeyId !== key.keyId) return 'other-key';
  const expected = Buffer.from(key.mac(manifest), 'hex');
  const actual = Buffer.from(manifest.mac, 'hex');
  return actual.length === expected.length && timingSafeEqual(actual, expected) ? 'valid' : 'invalid';
}

/** The manifest as MACed: everything but `mac`. */
export function withoutMac(manifest: Manifest): Manifest {
  const { mac: _mac, ...rest } = manifest;
  return rest;
}
