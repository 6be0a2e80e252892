import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { createDeflate, createInflate } from 'node:zlib';
import git from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { exists } from './_fs.js';
import { StoreError } from './errors.js';

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
 * Reads a blob's content. A loose object is streamed through node:zlib into a buffer allocated
 * once from the size in its header (several times faster than isomorphic-git's pako, and no
 * grow-and-copy); a packed one goes through isomorphic-git.
 */
export async function readBlob(ctx: StoreContext, oid: string): Promise<Buffer> {
  let handle: import('node:fs/promises').FileHandle | undefined;
  try {
    handle = await ctx.fs.promises.open(loosePath(ctx.gitdir, oid), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (handle !== undefined) {
    try {
      return await inflateLoose(handle, oid);
    } finally {
      await handle.close().catch(() => undefined);
    }
  }
  const { blob } = await git.readBlob({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
}

function inflateLoose(handle: import('node:fs/promises').FileHandle, oid: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const inflater = createInflate({ chunkSize: 1 << 20 });
    const fail = (error: Error) => {
      inflater.destroy();
      reject(error);
    };
    let header: Buffer = Buffer.alloc(0);
    let out: Buffer | null = null;
    let filled = 0;
    inflater.on('data', (chunk: Buffer) => {
      if (out === null) {
        header = Buffer.concat([header, chunk]);
        const nul = header.indexOf(0);
        if (nul < 0) return;
        const match = /^blob (\d+)$/.exec(header.subarray(0, nul).toString('latin1'));
        if (match === null) return fail(corrupt(oid, 'is not a blob'));
        out = Buffer.allocUnsafe(Number(match[1]));
        chunk = header.subarray(nul + 1);
      }
      if (filled + chunk.length > out.length) return fail(corrupt(oid, 'is longer than its header says'));
      chunk.copy(out, filled);
      filled += chunk.length;
    });
    inflater.on('error', (error) => fail(corrupt(oid, `does not inflate: ${error.message}`, error)));
    inflater.on('end', () => {
      if (out === null || filled !== out.length) return fail(corrupt(oid, 'is truncated'));
      // The listeners' closure must not keep a snapshot-sized buffer alive after it is handed over.
      const blob = out;
      out = null;
      resolve(blob);
    });
    const source = handle.createReadStream({ highWaterMark: 1 << 20 });
    source.on('error', fail);
    source.pipe(inflater);
  });
}

function corrupt(oid: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_CORRUPT_OBJECT', `loose object ${oid} ${what}`, { data: { oid }, cause });
}
