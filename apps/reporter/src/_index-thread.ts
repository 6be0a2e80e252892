/**
 * `balkan-audit compare` on two cores: one worker thread indexes one of the two exports while the
 * main thread indexes the other (`compareExports`'s `index` option); the rest of the comparison is
 * the diff package's, on the main thread. The files are read into shared memory, so the worker
 * indexes the same bytes and nothing is copied either way.
 */
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { indexExport, type ExportIndex, type ResourceSchema } from '@balkan-audit/schema';
import type { IndexReply, IndexRequest } from './_index-worker.js';

export interface IndexThread {
  /** For `compareExports`: the worker indexes the first file it is given, this thread any other. */
  readonly index: (bytes: Buffer, schema: ResourceSchema) => ExportIndex | null | Promise<ExportIndex | null>;
  /** Files the worker indexed (the rest were indexed on this thread). */
  readonly offloaded: number;
  close(): Promise<void>;
}

/**
 * Starts the worker (`spawn`: tests start a broken one). Whenever it cannot help — it did not
 * start (TypeScript sources without tsx), it failed or exited, it is busy, the bytes are not
 * shared — the file is indexed on this thread instead, so the result is always `indexExport`'s,
 * and so is any error, with its code.
 */
export function openIndexThread(spawn: () => Worker | null = spawnWorker): IndexThread {
  let worker = startSafely(spawn);
  let busy = false;
  let offloaded = 0;
  const stop = (): void => {
    worker = null;
  };
  worker?.on('error', stop).on('exit', stop);
  return {
    get offloaded() {
      return offloaded;
    },
    index: (bytes, schema) => {
      const current = worker;
      if (current === null || busy || !(bytes.buffer instanceof SharedArrayBuffer)) return indexExport(bytes, schema);
      busy = true;
      return new Promise((resolve, reject) => {
        const settle = (reply: IndexReply | null): void => {
          current.off('message', settle).off('error', fail).off('exit', fail);
          busy = false;
          if (reply !== null) {
            offloaded++;
            resolve(reply.index && { ...reply.index, bytes });
            return;
          }
          // In an event handler: a throw would be uncaught, not this promise's rejection.
          try {
            resolve(indexExport(bytes, schema));
          } catch (error) {
            reject(error);
          }
        };
        const fail = (): void => settle(null);
        current.on('message', settle).on('error', fail).on('exit', fail);
        try {
          current.postMessage({ bytes, schema } satisfies IndexRequest);
        } catch {
          fail();
        }
      });
    },
    async close() {
      const current = worker;
      worker = null;
      await current?.terminate();
    },
  };
}

/** A file's bytes in a SharedArrayBuffer, which a worker thread reads where they are. */
export async function readShared(path: string): Promise<Buffer> {
  const file = await open(path);
  try {
    const size = (await file.stat()).size;
    const bytes = Buffer.from(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await file.read(bytes, at, Math.min(size - at, 1 << 24), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return at === size ? bytes : bytes.subarray(0, at);
  } finally {
    await file.close();
  }
}

function startSafely(spawn: () => Worker | null): Worker | null {
  try {
    return spawn();
  } catch {
    return null;
  }
}

/**
 * Built JS (dist/, or the bundle, beside which the build puts the worker's own bundle) runs the
 * worker script directly. TypeScript sources (the benchmarks under tsx, vitest) run it through
 * tsx when it resolves: Node 20 does not carry module hooks into worker threads, so a bootstrap
 * registers tsx's first. Without tsx there is no worker.
 */
function spawnWorker(): Worker | null {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./_index-worker.js', import.meta.url));
  const tsx = tsxApi();
  if (tsx === null) return null;
  const script = new URL('./_index-worker.ts', import.meta.url).href;
  const bootstrap = 'const { workerData } = require("node:worker_threads");\n'
    + 'import(workerData.tsx).then((api) => { api.register(); return import(workerData.script); });';
  return new Worker(bootstrap, { eval: true, workerData: { tsx, script } });
}

/** tsx's ESM API, resolved from the working directory, where `--import tsx` found tsx too. */
function tsxApi(): string | null {
  try {
    const tsxPackage = createRequire(join(process.cwd(), 'noop.js')).resolve('tsx/package.json');
    return pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  } catch {
    return null;
  }
}
