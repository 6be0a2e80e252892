import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { parseManifest } from '@balkan-audit/store';
import type { ResolvedKey } from './redaction-key.js';

const FINGERPRINT = Buffer.from('redacted:hmac-sha256:');

/**
 * Whether the secret fingerprints of two files can be compared. A raw export is fingerprinted now,
 * with `key`; a snapshot file already holds fingerprints, made with its repository's key — named by
 * the `manifest.json` beside it when there is one. With a key made for this process, fingerprints
 * already in a file were certainly made with another key. Null when they can be compared, else
 * what to tell the user.
 */
export async function fingerprintMismatch(key: ResolvedKey & { readonly keyId: string }, files: readonly [string, string]): Promise<string | null> {
  const [before, after] = await Promise.all([fingerprintKeyOf(files[0], key), fingerprintKeyOf(files[1], key)]);
  if (before === after) return null;
  const name = (path: string, id: string) => `${basename(path)} (${id === key.keyId ? `fingerprinted now, key ${key.keyId}` : id === UNKNOWN ? 'fingerprints made earlier, with an unknown key' : `key ${id}`})`;
  return `note: the secret fingerprints of ${name(files[0], before)} and ${name(files[1], after)} were made with different redaction keys: secret fields are marked not comparable (a rotation cannot be told from a key change), never reported as rotated`;
}

const UNKNOWN = 'unknown';

async function fingerprintKeyOf(path: string, key: ResolvedKey & { readonly keyId: string }): Promise<string> {
  const recorded = await manifestKeyId(path);
  if (recorded !== null) return recorded;
  // Only a key made for this process is known to differ from whatever made fingerprints earlier.
  if (key.source === 'process' && await holds(path, FINGERPRINT)) return UNKNOWN;
  return key.keyId;
}

/** The redaction key id of the manifest beside a snapshot file that lists it. */
async function manifestKeyId(path: string): Promise<string | null> {
  const file = basename(path);
  if (!file.endsWith('.csv')) return null;
  const manifestPath = join(dirname(path), 'manifest.json');
  const bytes = await readFile(manifestPath).catch(() => null);
  if (bytes === null) return null;
  try {
    const manifest = parseManifest(bytes, manifestPath);
    return manifest.resources[file.slice(0, -4)] === undefined ? null : manifest.redactionKeyId ?? null;
  } catch {
    return null;
  }
}

/** Whether the file contains `needle`, read in chunks (a large export is never held whole). */
async function holds(path: string, needle: Buffer): Promise<boolean> {
  let tail: Buffer = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    const window: Buffer = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
    if (window.includes(needle)) return true;
    tail = window.subarray(Math.max(0, window.length - needle.length + 1));
  }
  return false;
}
