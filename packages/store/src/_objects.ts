import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createDeflate, inflate } from 'node:zlib';
import { promisify } from 'node:util';
import git from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { exists } from './_fs.js';

const inflateAsync = promisify(inflate);

/**
 * zlib level for new blobs. Level 1 deflates a large CSV several times faster than git's default
 * (level 6 via core.compression -1) for a pack that is a little larger; `git gc` recompresses anyway.
 */
export const blobDeflateLevel = 1;

/** The git blob id: sha1 of `blob <length>\0` + content, as `git hash-object` computes it. */
export function hashBlob(content: Uint8Array): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

function loosePath(gitdir: string, oid: string): string {
  return join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
}

/**
 * Writes a blob whose id is already known. Deflating with node:zlib (native, off the main thread)
 * instead of isomorphic-git's pako is what makes a large snapshot commit fast; isomorphic-git
 * still places the object. A loose object that already exists is not written again.
 */
export async function writeBlob(ctx: StoreContext, oid: string, content: Uint8Array): Promise<void> {
  if (await exists(ctx.fs, loosePath(ctx.gitdir, oid))) return;
  const deflated = await deflateStream([Buffer.from(`blob ${content.length}\0`), content], blobDeflateLevel);
  await git.writeObject({ fs: ctx.gitFs, gitdir: ctx.gitdir, type: 'blob', format: 'deflated', oid, object: deflated });
}

function deflateStream(parts: readonly Uint8Array[], level: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const stream = createDeflate({ level, chunkSize: 1 << 20 });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    for (const part of parts.slice(0, -1)) stream.write(part);
    stream.end(parts[parts.length - 1]);
  });
}

/**
 * Reads a blob's content. A loose object is read and inflated with node:zlib (several times faster
 * than isomorphic-git's pako on large blobs); a packed one goes through isomorphic-git.
 */
export async function readBlob(ctx: StoreContext, oid: string): Promise<Buffer> {
  let deflated: Buffer | undefined;
  try {
    deflated = await ctx.fs.promises.readFile(loosePath(ctx.gitdir, oid));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (deflated !== undefined) {
    const wrapped = await inflateAsync(deflated);
    const nul = wrapped.indexOf(0);
    if (nul > 0 && wrapped.subarray(0, 5).toString('latin1') === 'blob ') return wrapped.subarray(nul + 1);
  }
  const { blob } = await git.readBlob({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
}
