import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareExports, diffTables, type CompareExportsOptions } from '@balkan-audit/diff';
import { generateSyntheticExport, SANDBOX_RESOURCES, SYNTHETIC_SECRET_PREFIX, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv, normaliseDifference, serialiseCanonical, type ResourceSchema, type SchemaError } from '@balkan-audit/schema';
import { runCli } from '../helpers/cli.js';

const redactor = createRedactor('e2e-compare-key');

/** The reference result: both files normalised in full by the schema layer, then diffTables. */
async function fullPath(before: Buffer, after: Buffer, schema: ResourceSchema) {
  const [b, a] = await Promise.all([before, after].map((bytes, i) => normaliseCsv(bytes, schema, { file: i === 0 ? 'before.csv' : 'after.csv', redactor })));
  return diffTables(b!, a!);
}

async function synthetic(rows: number, variant: 'before' | 'after'): Promise<Buffer> {
  return buffer(generateSyntheticExport({ rows, seed: 11, variant, shuffle: true }) as Readable);
}

describe('compareExports (the fast path of `balkan-audit compare`)', () => {
  it.each(SANDBOX_RESOURCES)('gives the same change as the full path for the sandbox %s', async (resource) => {
    const schema = getSchema(resource);
    const [before, after] = [Buffer.from(sandboxCsv(resource, 1)), Buffer.from(sandboxCsv(resource, 2))];
    expect(await compareExports(before, after, schema, { redactor })).toEqual(await fullPath(before, after, schema));
  });

  it('gives the same change as the full path on shuffled synthetic exports', async () => {
    const schema = getSchema('integrations');
    const [before, after] = await Promise.all([synthetic(3000, 'before'), synthetic(3000, 'after')]);
    const fast = await compareExports(before, after, schema, { redactor });
    expect(fast).toEqual(await fullPath(before, after, schema));
    expect(fast.counts).toEqual({ before: 3000, after: 3000, added: 15, removed: 15, changed: 30, unchanged: 2955 });
    expect(JSON.stringify(fast)).not.toContain(SYNTHETIC_SECRET_PREFIX);
    // …and it took the fast route: only the records that differ in bytes reach the normaliser.
    const difference = await normaliseDifference(before, after, schema, { redactor });
    expect(difference && { identical: difference.identical, before: difference.before.rows.length, after: difference.after.rows.length }).toEqual({ identical: 2955, before: 45, after: 45 });
  });

  it('compares a canonical snapshot with a raw export (different headers) like the full path', async () => {
    const schema = getSchema('integrations');
    const [raw1, raw2] = await Promise.all([synthetic(500, 'before'), synthetic(500, 'after')]);
    const canonical = serialiseCanonical(await normaliseCsv(raw1, schema, { file: 'a.csv', redactor }));
    expect(await compareExports(canonical, raw2, schema, { redactor })).toEqual(await fullPath(canonical, raw2, schema));
  });

  it('treats CRLF and LF files alike and finds no change between them', async () => {
    const schema = getSchema('campaigns');
    // The sandbox serves campaigns with CRLF record ends (and an LF inside a quoted cell).
    const crlf = Buffer.from(sandboxCsv('campaigns', 1));
    const lf = Buffer.from(sandboxCsv('campaigns', 1).replace(/\r\n/g, '\n'));
    expect(crlf.equals(lf)).toBe(false);
    const change = await compareExports(lf, crlf, schema, { redactor });
    expect(change.counts.unchanged).toBe(change.counts.before);
    expect(change.events).toEqual([]);
  });

  it.each([
    ['an unbalanced quote', (csv: string) => `${csv}99,"broken\n`, 'SCHEMA_CSV_INVALID'],
    ['a duplicate key', (csv: string) => `${csv}${csv.split('\n')[1]}\n`, 'SCHEMA_DUPLICATE_KEY'],
  ])('reports the schema layer\'s error for %s', async (_name, damage, code) => {
    const schema = getSchema('integrations');
    const good = sandboxCsv('integrations', 1);
    await expect(compareExports(Buffer.from(good), Buffer.from(damage(good)), schema, { redactor })).rejects.toMatchObject({ code });
  });

  it('is what the built CLI prints', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'e2e-compare-'));
    try {
      const schema = getSchema('integrations');
      const [before, after] = await Promise.all([synthetic(4000, 'before'), synthetic(4000, 'after')]);
      await writeFile(join(dir, 'old.csv'), before);
      await writeFile(join(dir, 'new.csv'), after);
      const cli = await runCli(['compare', 'integrations', 'old.csv', 'new.csv', '--format', 'json', '--detailed-exitcode'], {
        cwd: dir, env: { BALKAN_AUDIT_REDACTION_KEY: 'e2e-compare-key' },
      });
      expect(cli.stderr).toBe('');
      expect(cli.code).toBe(2);
      const changeSet = JSON.parse(cli.stdout) as { resources: unknown[] };
      expect(changeSet.resources).toEqual([JSON.parse(JSON.stringify(await compareExports(before, after, schema, { redactor })))]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

/** The CLI's index thread, as built (dist/_index-thread.js and the worker script beside it). */
interface IndexThreadModule {
  openIndexThread(spawn?: () => Worker): { readonly index: NonNullable<CompareExportsOptions['index']>; readonly offloaded: number; close(): Promise<void> };
  readShared(path: string): Promise<Buffer>;
}
const INDEX_THREAD = fileURLToPath(new URL('../../apps/reporter/dist/_index-thread.js', import.meta.url));
// Started without this process's flags: vitest's export conditions would resolve the packages'
// TypeScript sources, which a plain worker cannot load.
const builtWorker = (): Worker => new Worker(new URL('../../apps/reporter/dist/_index-worker.js', import.meta.url), { execArgv: [] });

describe('compareExports with the CLI\'s index thread (one file indexed on a worker)', () => {
  let threads: IndexThreadModule;
  let dir: string;
  beforeAll(async () => {
    threads = await import(pathToFileURL(INDEX_THREAD).href) as IndexThreadModule;
    dir = await mkdtemp(join(tmpdir(), 'e2e-compare-threads-'));
  });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  /** Both files read into shared memory, as the CLI reads them, and compared with the thread. */
  async function onTwoThreads(before: Buffer, after: Buffer, schema: ResourceSchema) {
    await writeFile(join(dir, 'before.csv'), before);
    await writeFile(join(dir, 'after.csv'), after);
    const thread = threads.openIndexThread(builtWorker);
    try {
      const [b, a] = await Promise.all([threads.readShared(join(dir, 'before.csv')), threads.readShared(join(dir, 'after.csv'))]);
      expect(b.buffer).toBeInstanceOf(SharedArrayBuffer);
      const change = await compareExports(b, a, schema, { redactor, index: thread.index }).catch((error: unknown) => error);
      // The worker indexed one of the two files, whatever became of the comparison.
      expect(thread.offloaded).toBe(1);
      return change;
    } finally {
      await thread.close();
    }
  }

  it('starts its worker from beside itself in a plain process, as the built CLI does', async () => {
    await writeFile(join(dir, 'x.csv'), sandboxCsv('integrations', 1));
    const schemaDist = new URL('../../packages/schema/dist/index.js', import.meta.url).href;
    await writeFile(join(dir, 'run.mjs'), `
      const { openIndexThread, readShared } = await import(${JSON.stringify(pathToFileURL(INDEX_THREAD).href)});
      const { getSchema } = await import(${JSON.stringify(schemaDist)});
      const thread = openIndexThread();
      const index = await thread.index(await readShared(${JSON.stringify(join(dir, 'x.csv'))}), getSchema('integrations'));
      console.log(JSON.stringify({ offloaded: thread.offloaded, count: index.count }));
      await thread.close();`);
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'run.mjs')]);
    expect(JSON.parse(stdout)).toEqual({ offloaded: 1, count: sandboxCsv('integrations', 1).trim().split('\n').length - 1 });
  });

  it.each(SANDBOX_RESOURCES)('gives the same change as one thread for the sandbox %s', async (resource) => {
    const schema = getSchema(resource);
    const [before, after] = [Buffer.from(sandboxCsv(resource, 1)), Buffer.from(sandboxCsv(resource, 2))];
    expect(await onTwoThreads(before, after, schema)).toEqual(await compareExports(before, after, schema, { redactor }));
  });

  it('gives the same change as one thread on shuffled synthetic exports', async () => {
    const schema = getSchema('integrations');
    const [before, after] = await Promise.all([synthetic(3000, 'before'), synthetic(3000, 'after')]);
    const change = await onTwoThreads(before, after, schema);
    expect(change).toEqual(await compareExports(before, after, schema, { redactor }));
    expect(change).toMatchObject({ counts: { added: 15, removed: 15, changed: 30, unchanged: 2955 } });
  });

  it.each([
    ['an unbalanced quote', (csv: string) => Buffer.from(`${csv}99,"broken\n`), 'SCHEMA_CSV_INVALID'],
    ['a ragged record', (csv: string) => Buffer.from(`${csv}99,Extra\n`), 'SCHEMA_CSV_INVALID'],
    ['a duplicate key', (csv: string) => Buffer.from(`${csv}${csv.split('\n')[1]}\n`), 'SCHEMA_DUPLICATE_KEY'],
    ['invalid UTF-8', (csv: string) => Buffer.concat([Buffer.from(csv), Buffer.from('99,Ok'), Buffer.from([0xff]), Buffer.from('ta,,,active\n')]), 'SCHEMA_NOT_UTF8'],
  ])('reports the same error as one thread, with its code and line, for %s', async (_name, damage, code) => {
    const schema = getSchema('integrations');
    const good = Buffer.from(sandboxCsv('integrations', 1));
    const bad = damage(sandboxCsv('integrations', 1));
    // Each file in turn is the damaged one: the first goes to the worker, the second stays here.
    for (const [before, after] of [[good, bad], [bad, good]] as const) {
      const single = await compareExports(before, after, schema, { redactor }).catch((error: unknown) => error);
      const threaded = await onTwoThreads(before, after, schema);
      expect(single).toMatchObject({ code, data: { row: expect.any(Number) } });
      expect(threaded).toEqual(single);
      expect(threaded).toMatchObject({ code: (single as SchemaError).code, message: (single as SchemaError).message, data: (single as SchemaError).data });
    }
  });
});
