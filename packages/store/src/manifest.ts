import { StoreError } from './errors.js';
import type { Manifest, ManifestEntry } from './types.js';

/** Canonical JSON of a manifest: keys sorted at every level, 2-space indent, trailing LF. */
export function serialiseManifest(manifest: Manifest): Buffer {
  return Buffer.from(`${JSON.stringify(sortKeys(manifest), null, 2)}\n`, 'utf8');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = (value as Record<string, unknown>)[key];
    if (child !== undefined) out[key] = sortKeys(child);
  }
  return out;
}

/** Parses and validates `manifest.json`; STORE_BAD_MANIFEST names the file and the field. */
export function parseManifest(bytes: Buffer, file: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw bad(file, 'is not valid JSON', truncate(bytes.toString('utf8')), error);
  }
  const root = object(value, file, '(root)');
  if (root['schemaVersion'] !== 1) throw bad(file, 'field "schemaVersion" must be 1', root['schemaVersion']);
  const tenant = root['tenant'];
  if (tenant !== null && typeof tenant !== 'string') throw bad(file, 'field "tenant" must be a string or null', tenant);
  const generatedAt = root['generatedAt'];
  if (typeof generatedAt !== 'string') throw bad(file, 'field "generatedAt" must be a string', generatedAt);
  const resources = object(root['resources'], file, 'resources');
  const entries: Record<string, ManifestEntry> = {};
  for (const [name, entry] of Object.entries(resources)) entries[name] = parseEntry(entry, file, name);
  const out: { -readonly [K in keyof Manifest]: Manifest[K] } = { schemaVersion: 1, tenant, generatedAt, resources: entries };
  const keyId = root['redactionKeyId'];
  if (keyId !== undefined) {
    if (typeof keyId !== 'string' || !/^[0-9a-f]{12}$/.test(keyId)) throw bad(file, 'field "redactionKeyId" must be 12 hex digits', keyId);
    out.redactionKeyId = keyId;
  }
  const mac = root['mac'];
  if (mac !== undefined) {
    if (typeof mac !== 'string' || !/^[0-9a-f]{64}$/.test(mac)) throw bad(file, 'field "mac" must be 64 hex digits (HMAC-SHA256)', mac);
    out.mac = mac;
  }
  return out;
}

function parseEntry(value: unknown, file: string, name: string): ManifestEntry {
  const entry = object(value, file, `resources.${name}`);
  const at = (field: string) => `resources.${name}.${field}`;
  const status = entry['status'];
  if (status !== 'ok' && status !== 'failed') throw bad(file, `field "${at('status')}" must be ok or failed`, status);
  const rows = count(entry['rows'], file, at('rows'));
  const columns = entry['columns'];
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === 'string')) throw bad(file, `field "${at('columns')}" must be an array of strings`, columns);
  const out: { -readonly [K in keyof ManifestEntry]: ManifestEntry[K] } = {
    status,
    rows,
    columns: columns as string[],
    rawSha256: nullableString(entry['rawSha256'], file, at('rawSha256')),
    canonicalSha256: nullableString(entry['canonicalSha256'], file, at('canonicalSha256')),
    fetchedAt: nullableString(entry['fetchedAt'], file, at('fetchedAt')),
  };
  if (entry['rawBytes'] !== undefined) out.rawBytes = count(entry['rawBytes'], file, at('rawBytes'));
  if (entry['blobId'] !== undefined) {
    if (typeof entry['blobId'] !== 'string' || !/^[0-9a-f]{40}$/.test(entry['blobId'])) throw bad(file, `field "${at('blobId')}" must be a 40-hex git blob id`, entry['blobId']);
    out.blobId = entry['blobId'];
  }
  if (entry['error'] !== undefined) {
    const error = object(entry['error'], file, at('error'));
    if (typeof error['code'] !== 'string' || typeof error['message'] !== 'string') {
      throw bad(file, `field "${at('error')}" must have string "code" and "message"`, error);
    }
    out.error = { code: error['code'], message: error['message'] };
  }
  return out;
}

function object(value: unknown, file: string, field: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw bad(file, `field "${field}" must be an object`, value);
  return value as Record<string, unknown>;
}

function count(value: unknown, file: string, field: string): number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  throw bad(file, `field "${field}" must be a non-negative integer`, value);
}

function nullableString(value: unknown, file: string, field: string): string | null {
  if (value === null || typeof value === 'string') return value;
  throw bad(file, `field "${field}" must be a string or null`, value);
}

function bad(file: string, what: string, received: unknown, cause?: unknown): StoreError {
  const shown = typeof received === 'string' ? received : JSON.stringify(received) ?? 'undefined';
  return new StoreError('STORE_BAD_MANIFEST', `${file}: ${what}; received ${truncate(shown)}`, { data: { file }, cause });
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
