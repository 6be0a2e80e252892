import { join } from 'node:path';
import type { RawDigests } from '@balkan-audit/schema';
import type { NodeFs } from './_fs.js';
import { statePaths, writeStateFile } from './_state.js';

/**
 * Last night's raw digests per resource (`normaliseIncremental`'s, which also hold the committed
 * file's layout). Lives in `<gitdir>/balkan-audit/cache/` — never in the work tree, never
 * committed — and is only trusted for the exact committed file it was computed for: it is keyed by
 * that file's git blob id, so a snapshot file edited by hand simply misses the cache. What the
 * bytes mean is schema's business: digests it cannot read are a miss there.
 */
export interface DigestCache {
  read(resource: string, blobId: string): Promise<RawDigests | null>;
  write(resource: string, blobId: string, digests: RawDigests): Promise<void>;
}

const MAGIC = 'balkan-audit-digests/3';

/** File: `MAGIC <blob id>\n`, then the digests as they are. */
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
      return bytes.subarray(newline + 1);
    },
    async write(resource, blobId, digests) {
      await writeStateFile(fs, gitdir, fileOf(resource), Buffer.concat([Buffer.from(`${MAGIC} ${blobId}\n`, 'latin1'), digests]));
    },
  };
}
