import { join } from 'node:path';
import { decodeRawDigests, encodeRawDigests, rawDigestCount, type RawDigests } from '@balkan-audit/schema';
import type { NodeFs } from './_fs.js';
import { statePaths, writeStateFile } from './_state.js';
import type { CachedSnapshot } from './types.js';


/**
 * Last night's `CachedSnapshot` per resource. Lives in `<gitdir>/balkan-audit/cache/` — never in
 * the work tree, never committed — and is only trusted for the exact committed file it was
 * computed for: it is keyed by that file's git blob id, so a snapshot file edited by hand simply
 * misses the cache.
 */
export interface DigestCache {
  read(resource: string, blobId: string): Promise<CachedSnapshot | null>;
  write(resource: string, blobId: string, entry: CachedSnapshot): Promise<void>;
}

const MAGIC = 'balkan-audit-digests/2';

/**
 * File: `MAGIC <blob id>\n`, a 4-byte big-endian length of the digest section, the digests
 * (`encodeRawDigests`), then the layout as 4-byte little-endian integers, one per row.
 */
export function openDigestCache(fs: NodeFs, gitdir: string, snapshotDir: string): DigestCache {
  const dir = statePaths(gitdir).cache(snapshotDir);
  const fileOf = (resource: string): string => join(dir, `${resource}.digests`);
  return {
    async read(resource, blobId) {
      let bytes: Buffer;
      try {
        bytes = await fs.promises.readFile(fileOf(resource));
      } catch {
        return null;
      }
      const newline = bytes.indexOf(10);
      if (newline < 0 || bytes.subarray(0, newline).toString('latin1') !== `${MAGIC} ${blobId}`) return null;
      const entry = decodeEntry(bytes.subarray(newline + 1));
      if (entry === null) await fs.promises.rm(fileOf(resource), { force: true });
      return entry;
    },
    async write(resource, blobId, entry) {
      const digests = encodeRawDigests(entry.digests);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(digests.length);
      const layout = Buffer.alloc(entry.layout.length * 4);
      for (let i = 0; i < entry.layout.length; i++) layout.writeUInt32LE(entry.layout[i]!, i * 4);
      await writeStateFile(fs, gitdir, fileOf(resource), Buffer.concat([Buffer.from(`${MAGIC} ${blobId}\n`, 'latin1'), length, digests, layout]));
    },
  };
}

/** The entry in `body`, or null when it is damaged (cut off, or digests and layout disagree). */
function decodeEntry(body: Buffer): CachedSnapshot | null {
  if (body.length < 4) return null;
  const digestsEnd = 4 + body.readUInt32BE(0);
  if (digestsEnd > body.length) return null;
  let digests: RawDigests;
  try {
    digests = decodeRawDigests(body.subarray(4, digestsEnd));
  } catch {
    return null;
  }
  const rows = (body.length - digestsEnd) / 4;
  if (!Number.isInteger(rows) || rows !== rawDigestCount(digests)) return null;
  const layout = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) layout[i] = body.readUInt32LE(digestsEnd + i * 4);
  return { digests, layout };
}
