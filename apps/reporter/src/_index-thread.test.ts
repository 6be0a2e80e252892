import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getSchema, indexExport } from '@balkan-audit/schema';
import { openIndexThread, readShared } from './_index-thread.js';

// Here the worker runs from the TypeScript sources through tsx; test/e2e/diff-compare.test.ts runs
// it from built JS and test/e2e/bundle.test.ts from the bundle.
let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'index-thread-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

const CSV = 'ID*,Name*,Status*\n2,Box,active\n1,Okta,active\n';

describe('readShared', () => {
  it.each([['a file', CSV], ['an empty file', '']])('reads %s into shared memory', async (_name, text) => {
    await writeFile(join(dir, 'x.csv'), text);
    const bytes = await readShared(join(dir, 'x.csv'));
    expect(bytes.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(bytes.toString()).toBe(text);
  });

  it('fails like readFile on a missing file', async () => {
    await expect(readShared(join(dir, 'nope.csv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('openIndexThread', () => {
  const schema = getSchema('integrations');

  async function indexBoth(spawn?: () => Worker | null) {
    await writeFile(join(dir, 'a.csv'), CSV);
    await writeFile(join(dir, 'b.csv'), CSV.replace('Okta', 'Jira'));
    const thread = openIndexThread(spawn);
    try {
      const files = await Promise.all([readShared(join(dir, 'a.csv')), readShared(join(dir, 'b.csv'))]);
      const indexes = await Promise.all(files.map((bytes) => thread.index(bytes, schema)));
      expect(indexes).toEqual(files.map((bytes) => indexExport(bytes, schema)));
      expect(indexes[0]!.bytes).toBe(files[0]);
      expect(indexes[1]).toMatchObject({ count: 2, keyParts: 1 });
      return thread.offloaded;
    } finally {
      await thread.close();
    }
  }

  it('indexes the first file on the worker and the second here, as indexExport does', async () => {
    expect(await indexBoth()).toBe(1);
  });

  it('gives the worker\'s null (a file for the full path) as null', async () => {
    await writeFile(join(dir, 'bad.csv'), `${CSV}3,"Box\n`);
    const thread = openIndexThread();
    try {
      expect(await thread.index(await readShared(join(dir, 'bad.csv')), schema)).toBeNull();
      expect(thread.offloaded).toBe(1);
    } finally {
      await thread.close();
    }
  });

  it.each([
    ['no worker', () => null],
    ['a worker that cannot start', () => { throw new Error('no worker threads here'); }],
    ['a worker whose script fails', () => new Worker('throw new Error("broken bundle")', { eval: true })],
    ['a worker that exits on a request', () => new Worker('require("node:worker_threads").parentPort.on("message", () => process.exit(3))', { eval: true })],
    ['a worker that throws on a request', () => new Worker('require("node:worker_threads").parentPort.on("message", () => { throw new RangeError("a bug"); })', { eval: true })],
  ])('indexes both files here, silently, with %s', async (_name, spawn) => {
    expect(await indexBoth(spawn)).toBe(0);
  });

  it('indexes bytes that are not shared here (the worker would get a copy)', async () => {
    const thread = openIndexThread();
    try {
      expect(await thread.index(Buffer.from(CSV), schema)).toEqual(indexExport(Buffer.from(CSV), schema));
      expect(thread.offloaded).toBe(0);
    } finally {
      await thread.close();
    }
  });
});
