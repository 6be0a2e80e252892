import { promisify } from 'node:util';
import { constants, createDeflate, createDeflateRaw, deflateRaw } from 'node:zlib';

/** From this size on, an object is deflated in two halves at once. */
export const PARALLEL_DEFLATE_MIN = 8 << 20;

/**
 * What the stream holds at a seek point: a sync flush's empty stored block, then a full flush's
 * (`00 00 ff ff`, `00`, `00 00 ff ff`). Nothing before it is needed to inflate what follows; a
 * plain deflate (git's, or this one without seek points) never writes two in a row.
 */
export const SEEK_MARK = Buffer.from([0, 0, 0xff, 0xff, 0, 0, 0, 0xff, 0xff]);
/** A full flush's empty stored block, written byte-aligned after a sync flush. */
const FULL_FLUSH_BLOCK = SEEK_MARK.subarray(4);

const deflateRawAsync = promisify(deflateRaw);
/** Pieces of a seekable object deflated at once: libuv's default thread pool size. */
const SEEKABLE_DEFLATES = 4;

/**
 * `parts` deflated as one zlib stream (RFC 1950), as a loose git object needs it. A large input is
 * deflated in two halves on two thread-pool threads, the way pigz does it: the first half ends
 * with a full flush (byte-aligned, not the final block), the second is final, and the adler-32 of
 * the whole comes from a third, store-only pass (zlib computes it natively). Any inflater reads
 * the result as one stream; it is a few bytes larger than a one-piece deflate.
 *
 * With `seekPoints` (ascending offsets into the joined parts), the pieces between them are
 * deflated on their own, four at a time, each ending with a sync flush and joined by the empty
 * block of a full flush: a `SEEK_MARK` at each point, after which the rest inflates on its own.
 */
export async function deflateObject(parts: readonly Uint8Array[], level: number, seekPoints: readonly number[] = []): Promise<Buffer> {
  if (seekPoints.length > 0) return deflateSeekable(parts, level, seekPoints);
  const total = parts.reduce((n, part) => n + part.length, 0);
  if (total < PARALLEL_DEFLATE_MIN) return Buffer.concat(await run(createDeflate({ level, chunkSize: 1 << 20 }), parts));
  const [first, second] = split(parts, total >>> 1);
  // Large output chunks: each one needs the main thread once, and it may be hashing meanwhile.
  const options = { level, chunkSize: 16 << 20 };
  const [head, tail, checksum] = await Promise.all([
    run(createDeflateRaw({ ...options, finishFlush: constants.Z_FULL_FLUSH }), first),
    run(createDeflateRaw(options), second),
    run(createDeflate({ level: 0, chunkSize: 1 << 20 }), parts, 'last'),
  ]);
  return Buffer.concat([zlibHeader(level), ...head, ...tail, Buffer.concat(checksum).subarray(-4)]);
}

async function deflateSeekable(parts: readonly Uint8Array[], level: number, seekPoints: readonly number[]): Promise<Buffer> {
  const pieces: Uint8Array[][] = [];
  let rest: readonly Uint8Array[] = parts;
  let cut = 0;
  for (const point of seekPoints) {
    const [before, after] = split(rest, point - cut);
    pieces.push(before);
    rest = after;
    cut = point;
  }
  pieces.push([...rest]);
  const last = pieces.length - 1;
  const deflated: Buffer[] = [];
  // A few at a time, as many as the thread pool runs: each holds a deflate state (~300 KiB).
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i <= last; i = next++) {
      const piece = pieces[i]!;
      deflated[i] = await deflateRawAsync(piece.length === 1 ? piece[0]! : Buffer.concat(piece), {
        level, chunkSize: 1 << 16, finishFlush: i === last ? constants.Z_FINISH : constants.Z_SYNC_FLUSH,
      });
    }
  };
  const [checksum] = await Promise.all([
    run(createDeflate({ level: 0, chunkSize: 1 << 20 }), parts, 'last'),
    Promise.all(Array.from({ length: Math.min(SEEKABLE_DEFLATES, pieces.length) }, worker)),
  ]);
  const body = deflated.flatMap((piece, i) => (i === last ? [piece] : [piece, FULL_FLUSH_BLOCK]));
  return Buffer.concat([zlibHeader(level), ...body, Buffer.concat(checksum).subarray(-4)]);
}

/** The two-byte zlib header deflate writes for `level` (32K window, no dictionary). */
function zlibHeader(level: number): Buffer {
  const flevel = level < 2 ? 0 : level < 6 ? 1 : level === 6 ? 2 : 3;
  const cmf = 0x78;
  const flg = flevel << 6;
  return Buffer.from([cmf, flg + (31 - ((cmf * 256 + flg) % 31))]);
}

/** `parts` cut into the bytes before `at` and the bytes from `at` on. */
function split(parts: readonly Uint8Array[], at: number): [Uint8Array[], Uint8Array[]] {
  const before: Uint8Array[] = [];
  const after: Uint8Array[] = [];
  let offset = 0;
  for (const part of parts) {
    const cut = Math.min(Math.max(at - offset, 0), part.length);
    if (cut > 0) before.push(part.subarray(0, cut));
    if (cut < part.length) after.push(part.subarray(cut));
    offset += part.length;
  }
  return [before, after];
}

/** Everything the stream outputs for `parts`; with `last`, only its last chunks (enough for a trailer). */
function run(stream: import('node:zlib').Deflate | import('node:zlib').DeflateRaw, parts: readonly Uint8Array[], last?: 'last'): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // Output chunks are full (1 MiB) but the last, so two of them always hold the 4-byte trailer.
      if (last && chunks.length > 2) chunks.shift();
    });
    stream.on('error', reject);
    stream.on('end', () => resolve(chunks));
    for (const part of parts) stream.write(part);
    stream.end();
  });
}
