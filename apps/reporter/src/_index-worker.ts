/**
 * The worker thread of `_index-thread.ts`: indexes one export (`indexExport`) in the memory it
 * shares with the main thread, and hands the index back with its typed arrays transferred.
 */
import { parentPort } from 'node:worker_threads';
import { indexExport, type ExportIndex, type ResourceSchema } from '@balkan-audit/schema';

export interface IndexRequest {
  /** A view of a SharedArrayBuffer: the main thread's bytes, not a copy. */
  readonly bytes: Uint8Array;
  readonly schema: ResourceSchema;
}

/**
 * The index without its bytes (the main thread has them), or null. An error thrown here crashes
 * the worker; the main thread then indexes the file itself and gets the error first hand.
 */
export interface IndexReply { readonly index: Omit<ExportIndex, 'bytes'> | null }

const port = parentPort;
port?.on('message', ({ bytes, schema }: IndexRequest) => {
  const index = indexExport(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), schema);
  if (index === null) {
    port.postMessage({ index: null } satisfies IndexReply);
    return;
  }
  const { bytes: _shared, ...rest } = index;
  const arrays = Object.values(rest).filter((value): value is Float64Array => value instanceof Float64Array);
  port.postMessage({ index: rest } satisfies IndexReply, arrays.map((array) => array.buffer as ArrayBuffer));
});
