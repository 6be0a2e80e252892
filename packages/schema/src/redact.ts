import { hmacSha256Hex } from './_hmac.js';
import { stringifySorted } from './_json.js';

/** Replaces secret values inside JSON cells by keyed fingerprints. */
export interface Redactor {
  /**
   * Names the key without revealing it: the first 12 hex of HMAC-SHA256(key, a fixed label). The
   * manifest records it, so a run with another key is refused instead of reporting every secret
   * as rotated.
   */
  readonly keyId: string;
  /** `redacted:hmac-sha256:<first 12 hex of HMAC-SHA256(key, secret)>`. */
  fingerprint(secret: string): string;
  /** A copy of a parsed JSON value with every secret value fingerprinted (see `createRedactor`). */
  redactJson(value: unknown): unknown;
}

const PREFIX = 'redacted:hmac-sha256:';
const KEY_ID_LABEL = 'balkan-audit:redaction-key-id';
const FINGERPRINT = /^redacted:hmac-sha256:[0-9a-f]{12}$/;

/** True for text that `Redactor.fingerprint` produced (so redacting it again keeps it). */
export function isFingerprint(text: string): boolean {
  return text.length === PREFIX.length + 12 && FINGERPRINT.test(text);
}

/**
 * Names that hold a secret, compared without case, `_`, `-`, `.` and spaces: `client_secret`,
 * `clientSecret`, `API-Key`, `private_key`, `refresh_token`, `password`, …
 */
const SECRET_NAME = /secret|passw(or)?d|token$|^token|privatekey|apikey|accesskey|credential/;

/** True for a JSON key (or a metadata entry's `key`/`name`) that names a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name.toLowerCase().replace(/[-_.\s]/g, ''));
}

/**
 * A redactor keyed by `key` (the redaction key, see the reporter's `resolveRedactionKey`).
 * `redactJson` fingerprints: the `value` of any object whose `type` is `secret` (any case); the
 * `value` of a `{key|name, value}` entry whose key or name names a secret; and the value of any
 * property named like a secret. Non-string secrets are fingerprinted over their canonical JSON;
 * empty values (`''`, `null`) and existing fingerprints are kept, so redacting twice changes
 * nothing while a rotated secret still gets a new fingerprint.
 */
export function createRedactor(key: Buffer | string): Redactor {
  const hmac = hmacSha256Hex(key);
  const fingerprint = (secret: string): string => PREFIX + hmac(secret).slice(0, 12);
  const redactValue = (value: unknown): unknown => {
    if (value === null || value === '' || value === undefined) return value;
    if (typeof value === 'string') return isFingerprint(value) ? value : fingerprint(value);
    return fingerprint(stringifySorted(value));
  };
  const redactJson = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(redactJson);
    const record = value as Record<string, unknown>;
    const secretEntry = isSecretEntry(record);
    const out: Record<string, unknown> = {};
    // Built in sorted key order, so the canonical serialisation can hand it to JSON.stringify whole.
    for (const name of Object.keys(record).sort()) {
      const item = record[name];
      out[name] = (secretEntry && name === 'value') || isSecretName(name) ? redactValue(item) : redactJson(item);
    }
    return out;
  };
  const keyId = hmac(KEY_ID_LABEL).slice(0, 12);
  return { keyId, fingerprint, redactJson };
}

function isSecretEntry(record: Record<string, unknown>): boolean {
  if (!('value' in record)) return false;
  const { type, key, name } = record;
  if (typeof type === 'string' && type.toLowerCase() === 'secret') return true;
  return (typeof key === 'string' && isSecretName(key)) || (typeof name === 'string' && isSecretName(name));
}

/** Could this text (an invalid JSON cell) hold a secret? Errs on the side of yes. */
export function mayHoldSecret(text: string): boolean {
  const compact = text.toLowerCase().replace(/[-_.\s]/g, '');
  return /secret|passw(or)?d|token|privatekey|apikey|accesskey|credential/.test(compact);
}
