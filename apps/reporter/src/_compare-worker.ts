/**
 * Worker thread of `balkan-audit compare`: reads and indexes one file, or normalises CSV bytes with
 * the schema layer, so the two files of a comparison are handled on two cores. Large results go
 * back through the transfer list (no copy).
 */
import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { indexExport } from '@balkan-audit/diff';
import { createRedactor, getSchema, normaliseCsv, parseCanonical, serialiseCanonical } from '@balkan-audit/schema';
import type { WorkerReply, WorkerRequest } from './_compare-workers.js';

const port = parentPort;
if (port) {
  port.on('message', (request: WorkerRequest) => {
    handle(request).then(
      ({ result, transfer }) => port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply, transfer),
      (error: unknown) => port.postMessage({ id: request.id, ok: false, error: describeError(error) } satisfies WorkerReply),
    );
  });
}

async function handle(request: WorkerRequest): Promise<{ result: unknown; transfer: ArrayBuffer[] }> {
  const schema = getSchema(request.resource, request.key.length > 0 ? { key: request.key } : {});
  if (request.op === 'index') {
    const bytes = own(await readFile(request.path));
    const index = indexExport(bytes, schema);
    if (index === null) return { result: null, transfer: [] };
    const arrays = [index.records, index.hashes];
    return { result: index, transfer: [bytes.buffer as ArrayBuffer, ...arrays.map((a) => a.buffer as ArrayBuffer)] };
  }
  const redactor = createRedactor(request.redactionKey);
  if (request.op === 'subset') {
    const table = await normaliseCsv(Buffer.from(request.bytes), schema, { file: request.file, redactor });
    return { result: table, transfer: [] };
  }
  const table = await parseCanonical(await readFile(request.path), schema, { file: request.file, redactor });
  const canonical = own(serialiseCanonical(table));
  return { result: canonical, transfer: [canonical.buffer as ArrayBuffer] };
}

/** A buffer that owns its whole ArrayBuffer, so transferring it detaches nothing else. */
function own(bytes: Buffer): Buffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) return bytes;
  const copy = Buffer.from(new ArrayBuffer(bytes.byteLength));
  bytes.copy(copy);
  return copy;
}

function describeError(error: unknown): { name: string; message: string; code?: string; data?: unknown; stack?: string } {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const { code, data } = error as { code?: unknown; data?: unknown };
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(data === undefined ? {} : { data }),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}
