import { createHash, hash } from 'node:crypto';
import type { RawRecords } from './_raw-records.js';
import type { Redactor } from './redact.js';
import type { ResourceSchema } from './types.js';

/** Bytes per record digest (128 bits of SHA-256). */
export const DIGEST_SIZE = 16;

/**
 * Bump whenever normalising can turn the same raw record into a different canonical line (a new
 * cell rule, a changed type, a redaction rule …): every cached digest then stops matching and the
 * next night normalises in full.
 */
const NORMALISER_FORMAT = 1;

const KEY_BYTES = 32;

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
 * Keyed digests: the first 16 bytes of SHA-256(key ‖ record bytes). One `crypto.hash` call per
 * record with binary (latin1) output is the cheapest native path (~1.2 µs a record on a loaded box; a
 * Hash object or an HMAC per record costs 2–4×).
 */
export function digestRecords(bytes: Buffer, scan: RawRecords, key: Buffer): { header: string; rows: Buffer } {
  let scratch = Buffer.allocUnsafe(1 << 16);
  key.copy(scratch, 0);
  const digestOf = (start: number, end: number): string => {
    const size = KEY_BYTES + end - start;
    if (size > scratch.length) {
      scratch = Buffer.allocUnsafe(size * 2);
      key.copy(scratch, 0);
    }
    bytes.copy(scratch, KEY_BYTES, start, end);
    return hash('sha256', scratch.subarray(0, size), 'binary');
  };
  const header = Buffer.from(digestOf(scan.headerStart, scan.headerEnd), 'binary').toString('hex');
  const rows = Buffer.allocUnsafe(scan.count * DIGEST_SIZE);
  const { starts, ends } = scan;
  for (let i = 0; i < scan.count; i++) rows.write(digestOf(starts[i]!, ends[i]!), i * DIGEST_SIZE, DIGEST_SIZE, 'binary');
  return { header, rows };
}

/**
 * An open-addressing table from digest to row index over a digest buffer (no string per row, no
 * Map of a million entries). Returns null when `digests` holds the same digest twice.
 */
export function indexDigests(digests: Buffer): ((source: Buffer, at: number) => number) | null {
  const count = digests.length / DIGEST_SIZE;
  let size = 1024;
  while (size < count * 2) size *= 2;
  const mask = size - 1;
  const slots = new Int32Array(size).fill(-1);
  const same = (a: Buffer, at: number, b: Buffer, bt: number): boolean => {
    for (let k = 0; k < DIGEST_SIZE; k += 4) if (a.readInt32LE(at + k) !== b.readInt32LE(bt + k)) return false;
    return true;
  };
  for (let i = 0; i < count; i++) {
    const at = i * DIGEST_SIZE;
    let slot = digests.readUInt32LE(at) & mask;
    while (slots[slot] !== -1) {
      if (same(digests, slots[slot]! * DIGEST_SIZE, digests, at)) return null;
      slot = (slot + 1) & mask;
    }
    slots[slot] = i;
  }
  return (source, at) => {
    let slot = source.readUInt32LE(at) & mask;
    for (;;) {
      const index = slots[slot]!;
      if (index === -1) return -1;
      if (same(digests, index * DIGEST_SIZE, source, at)) return index;
      slot = (slot + 1) & mask;
    }
  };
}
