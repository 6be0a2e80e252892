/**
 * The main-thread side of `balkan-audit compare` on two cores: each file is read and indexed by
 * its own worker (`_compare-worker.ts`), matched here on the transferred bytes, and the records
 * that differ are normalised by the two workers in parallel. Falls back to normalising both files
 * in full (still one per worker) whenever the fast route does not apply.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { completeComparison, diffTables, exportSubset, matchExports, type DiffOptions, type ExportIndex, type ExportMatch, type ResourceChange } from '@balkan-audit/diff';
import { createRedactor, getSchema, parseCanonical, type CanonicalTable } from '@balkan-audit/schema';

interface Common { readonly id: number; readonly resource: string; readonly key: readonly string[] }
export type WorkerRequest =
  | Common & { readonly op: 'index'; readonly path: string }
  | Common & { readonly op: 'subset'; readonly bytes: Uint8Array; readonly file: string; readonly redactionKey: string }
  | Common & { readonly op: 'normalise'; readonly path: string; readonly file: string; readonly redactionKey: string };
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: { name: string; message: string; code?: string; data?: unknown; stack?: string } };

type Request = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

export interface CompareFilesInput {
  readonly resource: string;
  readonly key: readonly string[];
  readonly redactionKey: string;
  readonly before: { readonly path: string; readonly file: string };
  readonly after: { readonly path: string; readonly file: string };
  readonly options: DiffOptions;
}

/** True when worker threads can load the worker script (built JS, or TypeScript under tsx). */
export function workersAvailable(): boolean {
  if (!import.meta.url.endsWith('.ts')) return true;
  return process.execArgv.some((arg) => arg.includes('tsx')) && tsxApi() !== null;
}

/** tsx's ESM API, resolved from the working directory where `--import tsx` found tsx too. */
function tsxApi(): string | null {
  try {
    const tsxPackage = createRequire(join(process.cwd(), 'noop.js')).resolve('tsx/package.json');
    return pathToFileURL(join(dirname(tsxPackage), 'dist/esm/api/index.mjs')).href;
  } catch {
    return null;
  }
}

export async function compareFilesInWorkers(input: CompareFilesInput): Promise<ResourceChange> {
  const pool = [startWorker(), startWorker()] as const;
  try {
    const common = { resource: input.resource, key: input.key };
    const [b, a] = await Promise.all([
      pool[0].call<ExportIndex | null>({ ...common, op: 'index', path: input.before.path }),
      pool[1].call<ExportIndex | null>({ ...common, op: 'index', path: input.after.path }),
    ]);
    const match = b && a && matchExports(b, a);
    if (b && a && match) {
      // Only the subsets leave this scope: the files' bytes can be collected while workers normalise.
      const subsets = [exportSubset(b, match.beforeRows), exportSubset(a, match.afterRows)] as const;
      const normalise = (bytes: Buffer, file: string, worker: PoolWorker): Promise<CanonicalTable | null> =>
        worker.call<CanonicalTable>({ ...common, op: 'subset', bytes, file, redactionKey: input.redactionKey }, [bytes.buffer as ArrayBuffer]).catch(() => null);
      const change = await completeSubsets(match, normalise(subsets[0], input.before.file, pool[0]), normalise(subsets[1], input.after.file, pool[1]), input.options);
      if (change) return change;
    }
    const canonical = (side: CompareFilesInput['before'], worker: PoolWorker): Promise<Uint8Array> =>
      worker.call({ ...common, op: 'normalise', path: side.path, file: side.file, redactionKey: input.redactionKey });
    const [cb, ca] = await Promise.all([canonical(input.before, pool[0]), canonical(input.after, pool[1])]);
    const schema = getSchema(input.resource, input.key.length > 0 ? { key: input.key } : {});
    const redactor = createRedactor(input.redactionKey);
    const [tb, ta] = await Promise.all([
      parseCanonical(Buffer.from(cb.buffer, cb.byteOffset, cb.byteLength), schema, { file: input.before.file, redactor }),
      parseCanonical(Buffer.from(ca.buffer, ca.byteOffset, ca.byteLength), schema, { file: input.after.file, redactor }),
    ]);
    return diffTables(tb, ta, input.options);
  } finally {
    await Promise.all(pool.map((worker) => worker.stop()));
  }
}

async function completeSubsets(match: ExportMatch, before: Promise<CanonicalTable | null>, after: Promise<CanonicalTable | null>, options: DiffOptions): Promise<ResourceChange | null> {
  const [bt, at] = await Promise.all([before, after]);
  return bt && at && completeComparison({ match, tables: { before: bt, after: at } }, options);
}

interface PoolWorker {
  call<T>(request: Request, transfer?: ArrayBuffer[]): Promise<T>;
  stop(): Promise<void>;
}

/**
 * Built JS runs the worker script directly. Under tsx (benchmarks, development) Node 20 does not
 * carry tsx's module hooks into worker threads, so a two-line bootstrap registers them first; tsx
 * is resolved from the working directory, where `--import tsx` found it too.
 */
function spawnWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./_compare-worker.js', import.meta.url));
  const tsx = tsxApi();
  const script = new URL('./_compare-worker.ts', import.meta.url).href;
  const bootstrap = 'const { workerData } = require("node:worker_threads");\n'
    + 'import(workerData.tsx).then((api) => { api.register(); return import(workerData.script); });';
  return new Worker(bootstrap, { eval: true, workerData: { tsx, script } });
}

function startWorker(): PoolWorker {
  const worker = spawnWorker();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: unknown) => void }>();
  let next = 0;
  const failAll = (error: unknown): void => {
    for (const { reject } of pending.values()) reject(error);
    pending.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (reply.ok) waiter.resolve(reply.result);
    else waiter.reject(rebuildError(reply.error));
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`compare worker exited with code ${code}`)));
  return {
    call<T>(request: Request, transfer: ArrayBuffer[] = []): Promise<T> {
      const id = next++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        worker.postMessage({ ...request, id }, transfer);
      });
    },
    async stop(): Promise<void> {
      await worker.terminate();
    },
  };
}

/** A worker's error as a coded error again, so the CLI reports a schema error as a user error. */
function rebuildError(error: { name: string; message: string; code?: string; data?: unknown; stack?: string }): Error {
  const rebuilt = new Error(error.message) as Error & { code?: string; data?: unknown };
  rebuilt.name = error.name;
  if (error.code !== undefined) rebuilt.code = error.code;
  if (error.data !== undefined) rebuilt.data = error.data;
  if (error.stack !== undefined) rebuilt.stack = error.stack;
  return rebuilt;
}
