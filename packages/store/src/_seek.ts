import { constants, inflateRawSync, inflateSync } from 'node:zlib';
import { recordStarts, type RecordSegments } from '@balkan-audit/schema';
import type { StoreContext } from './_context.js';
import { SEEK_MARK } from './_deflate.js';
import { loosePath } from './_objects.js';
import { StoreError } from './errors.js';

/** Seek points are about this far apart in a snapshot file, and at most `MAX_SEEK_POINTS` of them. */
const SEEK_EVERY = 64 << 10;
const MAX_SEEK_POINTS = 256;
/** Deflated bytes a probe inflates: ~10 KiB of a snapshot file, dozens of records. */
const PROBE_BYTES = 2 << 10;

/**
 * Where a snapshot file's blob gets seek points: record starts about every 64 KiB (further apart
 * in a file over 16 MiB, at most 256 of them). A record lookup then inflates a few probes and one
 * segment of each version instead of everything before the record. Each point costs 9 bytes and
 * the window it resets: a 268 MB file with 255 points is 0.4 % larger, and deflating its pieces
 * four at a time takes as long as deflating it in two halves.
 */
export function snapshotSeekPoints(content: Uint8Array): number[] {
  return recordStarts(Buffer.from(content.buffer, content.byteOffset, content.length), Math.max(SEEK_EVERY, Math.ceil(content.length / MAX_SEEK_POINTS)));
}

/**
 * A loose blob written with seek points (`writeBlob`), as the segments between them for a record
 * search; null when the blob is not loose, or has no seek marks (a blob written before them, or
 * by git: packing recompresses an object, so a clone's blobs have none).
 */
export function looseSegments(ctx: StoreContext, oid: string): RecordSegments | null {
  let deflated: Buffer;
  try {
    deflated = ctx.fs.readFileSync(loosePath(ctx.gitdir, oid));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const marks: number[] = [];
  for (let at = deflated.indexOf(SEEK_MARK); at !== -1; at = deflated.indexOf(SEEK_MARK, at + SEEK_MARK.length)) marks.push(at);
  if (marks.length === 0) return null;
  // Segment i: from the stream's start (the zlib header) or the end of mark i-1, through the sync
  // flush that opens mark i (or to the stream's end, less its adler-32).
  const starts = [0, ...marks.map((m) => m + SEEK_MARK.length)];
  const ends = [...marks.map((m) => m + 4), deflated.length - 4];
  const options = { finishFlush: constants.Z_SYNC_FLUSH };
  return {
    count: starts.length,
    // Synchronous: a segment is small, and a thread-pool round trip costs more than inflating it.
    async read(index: number, probe: boolean): Promise<Buffer> {
      const start = starts[index]!;
      const end = probe ? Math.min(ends[index]!, start + PROBE_BYTES) : ends[index]!;
      if (index > 0) return inflateRawSync(deflated.subarray(start, end), options);
      const text = inflateSync(deflated.subarray(0, end), options);
      const nul = text.indexOf(0);
      if (nul === -1 || !/^blob \d+$/.test(text.toString('latin1', 0, nul))) {
        throw new StoreError('STORE_CORRUPT_OBJECT', `loose object ${oid} is not a blob`, { data: { oid } });
      }
      return text.subarray(nul + 1);
    },
  };
}
