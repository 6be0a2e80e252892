import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createInflate, inflate } from 'node:zlib';
import git from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { deflateObject } from './_deflate.js';
import { exists } from './_fs.js';
import { readPacked } from './_pack.js';
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

const inflateAsync = promisify(inflate);

/** Loose objects up to this many (deflated) bytes are inflated in one call rather than streamed. */
const smallObjectBytes = 256 << 10;

export function loosePath(gitdir: string, oid: string): string {
  return join(gitdir, 'objects', oid.slice(0, 2), oid.slice(2));
}

/**
 * Writes a blob whose id is already known. Deflating with node:zlib (native, off the main thread)
 * instead of isomorphic-git's pako is what makes a large snapshot commit fast; isomorphic-git
 * still places the object. A loose object that already exists is not written again.
 * `seekPoints` (offsets into the content) are where a reader can start inflating (`SEEK_MARK`).
 */
export async function writeBlob(ctx: StoreContext, oid: string, content: Uint8Array, seekPoints: readonly number[] = []): Promise<void> {
  if (await exists(ctx.fs, loosePath(ctx.gitdir, oid))) return;
  const header = Buffer.from(`blob ${content.length}\0`);
  const deflated = await deflateObject([header, content], blobDeflateLevel, seekPoints.map((p) => p + header.length));
  await git.writeObject({ fs: ctx.gitFs, gitdir: ctx.gitdir, type: 'blob', format: 'deflated', oid, object: deflated });
}

/**
 * Reads a blob's content. A loose object is inflated by node:zlib into a buffer allocated once
 * from the size in its header (several times faster than isomorphic-git's pako, and no
 * grow-and-copy); a packed one comes from `readPacked`, else isomorphic-git.
 */
export async function readBlob(ctx: StoreContext, oid: string): Promise<Buffer> {
  const out: { buffer: Buffer | null; filled: number } = { buffer: null, filled: 0 };
  for await (const chunk of blobChunks(ctx, oid, (size) => { out.buffer = Buffer.allocUnsafe(size); })) {
    if (out.buffer === null) {
      // Packed: the whole blob in one chunk, and no header to size a buffer from.
      out.buffer = chunk;
      out.filled = chunk.length;
      continue;
    }
    chunk.copy(out.buffer, out.filled);
    out.filled += chunk.length;
  }
  return out.buffer ?? Buffer.alloc(0);
}

/**
 * A blob's content in chunks as zlib inflates them, so a caller can decode a large file without
 * holding its bytes whole. For a loose object `onSize` first receives the length in its header,
 * which the chunks are checked against; a packed one comes as one chunk (`readPacked`, else
 * isomorphic-git).
 * `chunkSize` bounds what zlib inflates ahead of a caller that may stop early.
 */
export async function* blobChunks(ctx: StoreContext, oid: string, onSize?: (size: number) => void, chunkSize = 1 << 20): AsyncGenerator<Buffer> {
  let handle: import('node:fs/promises').FileHandle;
  try {
    handle = await ctx.fs.promises.open(loosePath(ctx.gitdir, oid), 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const packed = readPacked(ctx, oid);
    if (packed !== null) {
      if (packed.type !== 'blob') throw corrupt(oid, `is a ${packed.type}, not a blob`);
      yield packed.content;
      return;
    }
    const { blob } = await git.readBlob({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    yield Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
    return;
  }
  // A small object (a manifest, the files a history walk hashes) is read and inflated in one call:
  // two streams with 1 MiB buffers cost it several times the work itself.
  const { size: deflated } = await handle.stat();
  if (deflated <= smallObjectBytes) {
    let whole: Buffer;
    try {
      whole = await inflateAsync(await handle.readFile());
    } catch (error) {
      throw corrupt(oid, `does not inflate: ${(error as Error).message}`, error);
    } finally {
      await handle.close().catch(() => undefined);
    }
    const nul = whole.indexOf(0);
    if (nul < 0) throw corrupt(oid, 'is truncated');
    const size = blobSize(whole.subarray(0, nul), oid);
    onSize?.(size);
    if (whole.length - nul - 1 !== size) throw corrupt(oid, whole.length - nul - 1 > size ? 'is longer than its header says' : 'is truncated');
    yield whole.subarray(nul + 1);
    return;
  }
  const source = handle.createReadStream({ highWaterMark: 1 << 20 });
  const inflater = createInflate({ chunkSize });
  source.on('error', (error) => inflater.destroy(error));
  source.pipe(inflater);
  try {
    let header: Buffer = Buffer.alloc(0);
    let size = -1;
    let seen = 0;
    try {
      for await (const piece of inflater as AsyncIterable<Buffer>) {
        let chunk = piece;
        if (size === -1) {
          // The header is nearly always in the first chunk: join (copy) only when it is not.
          header = header.length === 0 ? chunk : Buffer.concat([header, chunk]);
          const nul = header.indexOf(0);
          if (nul < 0) continue;
          size = blobSize(header.subarray(0, nul), oid);
          onSize?.(size);
          chunk = header.subarray(nul + 1);
        }
        seen += chunk.length;
        if (seen > size) throw corrupt(oid, 'is longer than its header says');
        if (chunk.length > 0) yield chunk;
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      throw corrupt(oid, `does not inflate: ${(error as Error).message}`, error);
    }
    if (size === -1 || seen !== size) throw corrupt(oid, 'is truncated');
  } finally {
    inflater.destroy();
    source.destroy();
    await handle.close().catch(() => undefined);
  }
}

/** The length in a loose object's `blob <length>` header. */
function blobSize(header: Buffer, oid: string): number {
  const match = /^blob (\d+)$/.exec(header.toString('latin1'));
  if (match === null) throw corrupt(oid, 'is not a blob');
  return Number(match[1]);
}

function corrupt(oid: string, what: string, cause?: unknown): StoreError {
  return new StoreError('STORE_CORRUPT_OBJECT', `loose object ${oid} ${what}`, { data: { oid }, cause });
}
