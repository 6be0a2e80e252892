import { createCipheriv, createHash, hash } from 'node:crypto';
import type { RawIndex } from './_raw-index.js';
import type { Redactor } from './redact.js';
import type { CanonicalTable, RawDigests, ResourceSchema } from './types.js';

/** Bytes per record digest (128 bits of SHA-256). */
export const DIGEST_SIZE = 16;

/**
 * Bump whenever normalising can turn the same raw record into a different canonical line (a new
 * cell rule, a changed type, a redaction rule …): every cached digest then stops matching and the
 * next night normalises in full.
 */
const NORMALISER_FORMAT = 1;

/**
 * The digest key, derived from the redaction key through the redactor (the only way it is
 * reachable): several fingerprints, since one carries only 48 bits. Without the redaction key a
 * digest file cannot be checked against guessed records (a guessed secret, say).
 */
export function digestKey(redactor: Redactor): Buffer {
  const sha = createHash('sha256');
  for (let i = 1; i <= 4; i++) sha.update(redactor.fingerprint(`balkan-audit:raw-digest-key:${i}`));
  return sha.digest();
}

/** Everything that decides the canonical line of a raw record, except the header (kept apart). */
export function digestVersion(schema: ResourceSchema, redactor: Redactor): string {
  const shape = JSON.stringify([schema.resource, schema.documented, schema.key, schema.columns.map((c) => [c.name, c.type, c.required])]);
  const schemaHash = createHash('sha256').update(shape).digest('hex').slice(0, 16);
  return `raw-digests/${NORMALISER_FORMAT};${schema.resource};schema=${schemaHash};redactor=${redactor.fingerprint('balkan-audit:cache-check').slice(-12)}`;
}

/**
 * Keyed digests: AES-256-ECB under the derived key of the first 16 bytes of each record's SHA-256.
 * The hash makes them collision-resistant; the block cipher, a keyed permutation run once over all
 * digests, makes them useless without the key (nobody can check a guessed record against them).
 * Hashing each record in place with one `crypto.hash` call is the cheapest native path (~1 µs a
 * record; a Hash or Hmac object per record, or copying each record after a key prefix, costs more).
 */
export function digestRecords(bytes: Buffer, scan: RawIndex, key: Buffer): { header: string; rows: Buffer } {
  const plain = Buffer.allocUnsafe((scan.count + 1) * DIGEST_SIZE);
  plain.write(hash('sha256', bytes.subarray(scan.headerStart, scan.headerEnd), 'binary'), 0, DIGEST_SIZE, 'binary');
  const { starts, ends } = scan;
  for (let i = 0; i < scan.count; i++) plain.write(hash('sha256', bytes.subarray(starts[i]!, ends[i]!), 'binary'), (i + 1) * DIGEST_SIZE, DIGEST_SIZE, 'binary');
  const cipher = createCipheriv('aes-256-ecb', key, null).setAutoPadding(false);
  const keyed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return { header: keyed.toString('hex', 0, DIGEST_SIZE), rows: keyed.subarray(DIGEST_SIZE) };
}

/** A digest buffer as 32-bit words (4 per digest); copied only if `bytes` is not 4-byte aligned. */
export function digestWords(bytes: Buffer): Int32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : Buffer.from(bytes);
  return new Int32Array(aligned.buffer, aligned.byteOffset, aligned.length / 4);
}

/**
 * An open-addressing table from digest to row index over digest words (no string per row, no Map
 * of a million entries). The lookup takes a digest by its index in another word array. Null when
 * `digests` holds the same digest twice.
 */
export function indexDigests(digests: Int32Array): ((source: Int32Array, index: number) => number) | null {
  const count = digests.length / 4;
  let size = 1024;
  while (size < count * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  for (let i = 0; i < count; i++) {
    const at = i * 4;
    let slot = digests[at]! & mask;
    for (let other = slots[slot]!; other !== -1; other = slots[slot]!) {
      const o = other * 4;
      if (digests[o] === digests[at] && digests[o + 1] === digests[at + 1] && digests[o + 2] === digests[at + 2] && digests[o + 3] === digests[at + 3]) return null;
      slot = (slot + 1) & mask;
    }
    slots[slot] = i;
  }
  return (source, index) => {
    const at = index * 4;
    const w0 = source[at]!;
    let slot = w0 & mask;
    for (;;) {
      const found = slots[slot]!;
      if (found === -1) return -1;
      const o = found * 4;
      if (digests[o] === w0 && digests[o + 1] === source[at + 1] && digests[o + 2] === source[at + 2] && digests[o + 3] === source[at + 3]) return found;
      slot = (slot + 1) & mask;
    }
  };
}

/** `RawDigests` read back: what decides the canonical output, the header's and each row's digest, the layout. */
export interface DigestsRead {
  /** The normaliser's format, the schema and a check value of the redactor (never the key). */
  readonly version: string;
  /** Hex digest of the raw header record (BOM stripped, without its line end). */
  readonly header: string;
  /** 16 bytes per canonical row, in the table's row order. */
  readonly rows: Buffer;
  /** Each row's line length in UTF-16 code units (no LF), in row order: where `cutCanonical` cuts. */
  readonly layout: Uint32Array;
}

const MAGIC = Buffer.from('BARD', 'latin1');
const ENCODING = 2;
const PREAMBLE = MAGIC.length + 1 + 4;

/**
 * `BARD`, an encoding byte, a 4-byte big-endian length, a JSON header `{version, header, rows}`
 * (the row count), the row digests as they are, then the table's layout as 4-byte little-endian
 * integers, one per row.
 */
export function encodeRawDigests(digests: Omit<DigestsRead, 'layout'>, table: CanonicalTable): RawDigests {
  const rows = table.rows;
  const meta = Buffer.from(JSON.stringify({ version: digests.version, header: digests.header, rows: rows.length }), 'utf8');
  const out = Buffer.allocUnsafe(PREAMBLE + meta.length + digests.rows.length + 4 * rows.length);
  MAGIC.copy(out, 0);
  out[MAGIC.length] = ENCODING;
  out.writeUInt32BE(meta.length, MAGIC.length + 1);
  meta.copy(out, PREAMBLE);
  let at = PREAMBLE + meta.length + digests.rows.copy(out, PREAMBLE + meta.length);
  for (const row of rows) at = out.writeUInt32LE(row.line.length, at);
  return out;
}

/** What `encodeRawDigests` wrote, or null for anything else (a truncated, foreign or older file). */
export function decodeRawDigests(bytes: Uint8Array): DigestsRead | null {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < PREAMBLE || !buffer.subarray(0, MAGIC.length).equals(MAGIC) || buffer[MAGIC.length] !== ENCODING) return null;
  const metaEnd = PREAMBLE + buffer.readUInt32BE(MAGIC.length + 1);
  if (metaEnd > buffer.length) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(buffer.toString('utf8', PREAMBLE, metaEnd));
  } catch {
    return null;
  }
  const { version, header, rows } = (meta ?? {}) as Record<string, unknown>;
  if (typeof version !== 'string' || typeof header !== 'string' || !/^[0-9a-f]{32}$/.test(header) || !Number.isSafeInteger(rows)) return null;
  const count = rows as number;
  if (count < 0 || buffer.length !== metaEnd + count * (DIGEST_SIZE + 4)) return null;
  const layoutStart = metaEnd + count * DIGEST_SIZE;
  const layout = new Uint32Array(count);
  for (let i = 0; i < count; i++) layout[i] = buffer.readUInt32LE(layoutStart + 4 * i);
  return { version, header, rows: buffer.subarray(metaEnd, layoutStart), layout };
}
