import { createReadStream } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { downloadable, pollExport, type ExportRecord } from './_exports.js';
import { hasApiKeyHeader, sendXmlError } from './_http.js';
import type { SandboxState } from './_state.js';
import { syntheticReadable } from './_synthetic-lines.js';

const ROUTE = /^\/bulk-exports\/(exp_[0-9a-f]+)\/(status|[^/]+\.csv)$/;

/** The storage origin: pre-signed `HEAD pollingUrl` and `GET url`, answered the way S3 would. */
export async function handleStorage(state: SandboxState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  state.counters.storageRequests += 1;
  if (hasApiKeyHeader(req)) state.counters.storageRequestsWithApiKey += 1;
  const url = new URL(req.url ?? '/', 'http://storage.invalid');
  const match = ROUTE.exec(url.pathname);
  if (!match) return sendXmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  if (req.method !== 'HEAD' && req.method !== 'GET') {
    return sendXmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', { Allow: 'GET, HEAD' });
  }
  const now = Date.now();
  const check = state.signer.check(url.pathname, url.searchParams, now);
  if (check === 'missing') return sendXmlError(res, 403, 'AccessDenied', 'Query-string authentication requires the X-Expires and X-Signature parameters.');
  if (check === 'bad-signature') return sendXmlError(res, 403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided.');
  if (check === 'expired') return sendXmlError(res, 403, 'AccessDenied', 'Request has expired');
  const record = state.exports.get(match[1] ?? '');
  const target = match[2] ?? '';
  if (!record || (target !== 'status' && target !== `${record.resource}.csv`)) {
    return sendXmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.');
  }
  if (target === 'status') return poll(state, record, req, res, now);
  return download(state, record, req, res, now);
}

function poll(state: SandboxState, record: ExportRecord, req: IncomingMessage, res: ServerResponse, now: number): void {
  if (req.method === 'HEAD') state.counters.polls += 1;
  const failure = state.takeServerError('poll', record.resource);
  if (failure) return serverError(res, failure);
  if (!pollExport(record, now)) return sendXmlError(res, 404, 'NoSuchKey', 'The export is not ready yet.');
  res.writeHead(200, { 'Content-Length': 0 });
  res.end();
}

async function download(state: SandboxState, record: ExportRecord, req: IncomingMessage, res: ServerResponse, now: number): Promise<void> {
  const failure = state.takeServerError('download', record.resource);
  if (failure) return serverError(res, failure);
  if (!downloadable(record, now) || record.length === null) return sendXmlError(res, 404, 'NoSuchKey', 'The export is not ready yet.');
  res.writeHead(200, {
    'Content-Type': 'text/csv',
    'Content-Length': record.length,
    'Content-Disposition': `attachment; filename="${record.resource}.csv"`,
  });
  if (req.method === 'HEAD') return void res.end();
  state.counters.downloads += 1;
  const source = body(record);
  if (record.truncate) return sendTruncated(source, res, Math.floor(record.length / 2));
  if (record.reset) return sendTruncated(source, res, Math.floor(record.length / 3), () => res.socket?.resetAndDestroy());
  if (Buffer.isBuffer(source)) return void res.end(source);
  try {
    await pipeline(source, res);
  } catch {
    // The client went away mid-download; nothing to answer any more.
  }
}

function body(record: ExportRecord): Readable | Buffer {
  if (record.content.kind === 'text') return record.content.bytes;
  return record.file ? createReadStream(record.file, { highWaterMark: 1 << 20 }) : syntheticReadable(record.content.spec, record.content.faults);
}

function serverError(res: ServerResponse, failure: { status: number; retryAfterSeconds: number | undefined }): void {
  const headers: Record<string, string> = failure.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(failure.retryAfterSeconds) };
  sendXmlError(res, failure.status, 'ServiceUnavailable', 'Please reduce your request rate.', headers);
}

/**
 * Sends the first `limit` bytes of a body whose Content-Length promised more, then ends the socket
 * (or, with `cut`, e.g. resets it).
 */
function sendTruncated(source: Readable | Buffer, res: ServerResponse, limit: number, cut = (): void => { res.destroy(); }): void {
  if (Buffer.isBuffer(source)) {
    res.write(source.subarray(0, limit), cut);
    return;
  }
  let sent = 0;
  source.on('data', (chunk: Buffer) => {
    const part = chunk.subarray(0, Math.max(0, limit - sent));
    sent += part.length;
    if (sent >= limit) {
      source.destroy();
      res.write(part, cut);
    } else if (!res.write(part)) {
      source.pause();
      res.once('drain', () => source.resume());
    }
  });
  res.once('close', () => source.destroy());
}
