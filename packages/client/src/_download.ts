import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { abortedError, type ExportContext } from './_context.js';
import { fetchWithRetries, httpError } from './_http.js';
import { linkExpired } from './_poll.js';
import { RecordCounter } from './_records.js';
import { redactUrl } from './_url.js';
import { ExportError } from './errors.js';

export interface Downloaded {
  readonly bytes: number;
  readonly sha256: string;
  readonly records: number | null;
}

/**
 * Step 3: `GET url` streamed to `file.partial-<random>` next to `file`, hashing, counting bytes and
 * records as chunks pass (the file is never held in memory), then renamed onto `file`. A body
 * shorter than its Content-Length, or one cut off mid-stream, is `EXPORT_TRUNCATED` and leaves no
 * file behind. No API key is sent.
 */
export async function downloadToFile(ctx: ExportContext, url: URL, file: string, countRecords: boolean): Promise<Downloaded> {
  const request = { method: 'GET' as const, url, redirect: 'follow' as const };
  await prepareDirectory(ctx, file);
  const response = await fetchWithRetries(ctx, request);
  if (response.status === 403) {
    await response.body?.cancel().catch(() => undefined);
    throw linkExpired(ctx, 'GET', url);
  }
  if (response.status !== 200) {
    throw await httpError(ctx, 'EXPORT_HTTP_ERROR', request, response, { data: { expected: '200 with the CSV' } });
  }
  const totalBytes = expectedLength(response);
  const partial = `${file}.partial-${randomBytes(6).toString('hex')}`;
  const meter = new Meter((bytes) => ctx.emit({ type: 'downloading', resource: ctx.resource, bytes, totalBytes }), countRecords ? new RecordCounter() : null);
  // Which side failed first decides the error: pipeline() then destroys every stream with it.
  let failed: 'source' | 'file' | undefined;
  try {
    const source = response.body ? Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>) : Readable.from([]);
    source.once('error', () => { failed ??= 'source'; });
    // A 1 MiB buffer: with the default 16 KiB, queueing fetch's small chunks cost as much as hashing them.
    const out = createWriteStream(partial, { flags: 'wx', highWaterMark: 1 << 20 }).once('error', () => { failed ??= 'file'; });
    await pipeline(source, meter, out, ctx.signal ? { signal: ctx.signal } : {});
  } catch (cause) {
    await rm(partial, { force: true });
    if (ctx.signal?.aborted) throw abortedError(ctx);
    if (failed === 'source') throw truncated(ctx, url, meter.bytes, totalBytes, cause);
    if (failed === 'file' || isFsError(cause)) {
      throw new ExportError('EXPORT_WRITE_FAILED', `could not write ${basename(file)} to ${dirname(file)}: ${(cause as Error).message}`, {
        cause, data: { resource: ctx.resource, file },
      });
    }
    throw cause;
  }
  if (totalBytes !== null && meter.bytes !== totalBytes) {
    await rm(partial, { force: true });
    throw truncated(ctx, url, meter.bytes, totalBytes);
  }
  try {
    await rename(partial, file);
  } catch (cause) {
    await rm(partial, { force: true });
    throw new ExportError('EXPORT_WRITE_FAILED', `could not move the download onto ${file}: ${(cause as Error).message}`, {
      cause, data: { resource: ctx.resource, file },
    });
  }
  return { bytes: meter.bytes, sha256: meter.sha256(), records: meter.records?.dataRecords ?? null };
}

async function prepareDirectory(ctx: ExportContext, file: string): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true });
  } catch (cause) {
    throw new ExportError('EXPORT_WRITE_FAILED', `could not create the directory ${dirname(file)} for ${basename(file)}: ${(cause as Error).message}`, {
      cause, data: { resource: ctx.resource, file },
    });
  }
}

/** Content-Length, unless the body is content-encoded (fetch decodes it, so the lengths differ). */
function expectedLength(response: Response): number | null {
  const header = response.headers.get('content-length');
  const encoding = response.headers.get('content-encoding');
  if (header === null || !/^\d+$/.test(header.trim()) || (encoding !== null && encoding !== 'identity')) return null;
  return Number(header);
}

function truncated(ctx: ExportContext, url: URL, bytes: number, totalBytes: number | null, cause?: unknown): ExportError {
  const expected = totalBytes === null ? 'the complete body' : `${totalBytes} bytes (Content-Length)`;
  return new ExportError('EXPORT_TRUNCATED', `[GET] "${redactUrl(url)}": download of ${ctx.resource} broke off: expected ${expected}, received ${bytes} bytes; no file was written`, {
    cause, url: redactUrl(url), data: { resource: ctx.resource, bytes, totalBytes },
  });
}

function isFsError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}

/** Passes chunks through unchanged, hashing and counting them on the way. */
class Meter extends Transform {
  bytes = 0;
  readonly records: RecordCounter | null;
  readonly #hash = createHash('sha256');
  readonly #onChunk: (bytes: number) => void;

  constructor(onChunk: (bytes: number) => void, records: RecordCounter | null) {
    super();
    this.#onChunk = onChunk;
    this.records = records;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    this.#hash.update(chunk);
    this.records?.push(chunk);
    this.#onChunk(this.bytes);
    callback(null, chunk);
  }

  sha256(): string {
    return this.#hash.digest('hex');
  }
}
