import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeRawDigests, encodeRawDigests, type RawDigests } from '@balkan-audit/schema';

/**
 * Last night's raw-record digests, per resource, so tonight only the records whose raw bytes
 * changed go through the parser. Lives in `<gitdir>/balkan-audit/cache/` — never in the work tree,
 * never committed — and is only trusted for the exact committed file it was computed for: it is
 * keyed by that file's git blob id, so a snapshot file edited by hand simply misses the cache.
 */
export interface DigestCache {
  read(resource: string, blobId: string): Promise<RawDigests | null>;
  write(resource: string, blobId: string, digests: RawDigests): Promise<void>;
}

const MAGIC = 'balkan-audit-digests/1';

export function openDigestCache(gitdir: string, snapshotDir: string): DigestCache {
  // One cache per snapshot directory: two audit setups in one repository must not share it.
  const dir = join(gitdir, 'balkan-audit', 'cache', createHash('sha256').update(snapshotDir).digest('hex').slice(0, 16));
  const fileOf = (resource: string): string => join(dir, `${resource}.digests`);
  return {
    async read(resource, blobId) {
      let bytes: Buffer;
      try {
        bytes = await readFile(fileOf(resource));
      } catch {
        return null;
      }
      const newline = bytes.indexOf(10);
      if (newline < 0 || bytes.subarray(0, newline).toString('latin1') !== `${MAGIC} ${blobId}`) return null;
      try {
        return decodeRawDigests(bytes.subarray(newline + 1));
      } catch {
        await rm(fileOf(resource), { force: true });
        return null;
      }
    },
    async write(resource, blobId, digests) {
      await mkdir(dir, { recursive: true });
      const file = fileOf(resource);
      await writeFile(`${file}.tmp`, Buffer.concat([Buffer.from(`${MAGIC} ${blobId}\n`, 'latin1'), encodeRawDigests(digests)]));
      await rename(`${file}.tmp`, file);
    },
  };
}
