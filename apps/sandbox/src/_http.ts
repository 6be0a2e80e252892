import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxRequestLog } from './types.js';

export const MAX_BODY_BYTES = 64 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** An error answer the way object storage words it (S3's XML error document). */
export function sendXmlError(res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}): void {
  const text = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>\n`;
  res.writeHead(status, { 'Content-Type': 'application/xml', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

/** Reads a request body up to `limit` bytes; null when it is longer. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Reports each request once it is answered or its socket goes away: path only, no query, no headers. */
export function logWhenDone(req: IncomingMessage, res: ServerResponse, origin: 'api' | 'storage', onRequest: (entry: SandboxRequestLog) => void): void {
  const started = process.hrtime.bigint();
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  let reported = false;
  const report = (): void => {
    if (reported) return;
    reported = true;
    onRequest({ origin, method: req.method ?? '?', path, status: res.statusCode, ms: Number(process.hrtime.bigint() - started) / 1e6 });
  };
  res.once('finish', report);
  res.once('close', report);
}

export function hasApiKeyHeader(req: IncomingMessage): boolean {
  return req.headers['x-api-key-id'] !== undefined || req.headers['x-api-key-secret'] !== undefined;
}
