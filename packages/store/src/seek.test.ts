import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor, getSchema, normaliseCsv, parseCanonical, recordStarts, serialiseCanonical } from '@balkan-audit/schema';
import { SEEK_MARK } from './_deflate.js';
import { cleanTempDirs, git, gitBuffer, manifestFor, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';

afterEach(cleanTempDirs);

const redactor = createRedactor('store-seek-test');
const integrations = getSchema('integrations');
const options = { file: 'integrations.csv', redactor };

/**
 * ~1.3 MB: records with quoted line breaks and doubled quotes, a line in each that looks like a
 * record, and noise, so a segment deflates to tens of KiB.
 */
async function bigFile(): Promise<Buffer> {
  let seed = 7;
  const noise = (): string => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed.toString(36);
  };
  const rows = Array.from({ length: 6000 }, (_, i) => `${i * 2 + 1},App ${i},active,"about ""${i}""\n${i * 2 + 2},Forged,active,,\n${Array.from({ length: 20 }, noise).join(' ')}",`);
  return serialiseCanonical(await normaliseCsv(['ID,Name,Status,Description,Metadata', ...rows, ''].join('\n'), integrations, options));
}

function marksIn(bytes: Buffer): number[] {
  const marks: number[] = [];
  for (let at = bytes.indexOf(SEEK_MARK); at !== -1; at = bytes.indexOf(SEEK_MARK, at + 1)) marks.push(at);
  return marks;
}

describe('snapshot blobs with seek points', () => {
  async function committed() {
    const dir = tempDir();
    const file = await bigFile();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot({ files: new Map([['integrations', file]]), manifest: manifestFor({ integrations: file.toString() }), message: 'night 1' });
    const oid = git(dir, 'rev-parse', 'HEAD:snapshots/integrations.csv').trim();
    return { dir, file, store, oid, loose: join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2)) };
  }

  it('are ordinary objects to git, with a mark every 64 KiB or so', async () => {
    const { dir, file, oid, loose } = await committed();
    expect(gitBuffer(dir, 'cat-file', 'blob', oid).equals(file)).toBe(true);
    git(dir, 'fsck', '--strict', '--no-dangling');
    const marks = marksIn(readFileSync(loose));
    expect(marks.length).toBeGreaterThanOrEqual(Math.floor(file.length / (64 << 10)) - 1);
    expect(marks.length).toBeLessThanOrEqual(Math.ceil(file.length / (64 << 10)));
  });

  it('give each record as a whole parse does, present or not', async () => {
    const { file, store, oid } = await committed();
    const table = await parseCanonical(file, integrations, options);
    const lines = new Map(table.rows.map((row) => [row.key, row.line]));
    // First, last, around each 500th, and keys between, before and after all records (even ones: a
    // forged line in the description looks like them).
    const keys = ['1', '11999', '0', '2', '12000', '99999', ...Array.from({ length: 24 }, (_, i) => [`${i * 500 + 1}`, `${i * 500 + 3}`, `${i * 500 + 2}`]).flat()];
    for (const key of keys) {
      const found = await store.readRecord('integrations', key, { schema: integrations, redactor, blobId: oid });
      expect(found!.rows.map((row) => row.line), key).toEqual(lines.has(key) ? [lines.get(key)] : []);
    }
  });

  it('are read one segment at a time: a damaged segment elsewhere does not stop a lookup', async () => {
    const { file, store, oid, loose } = await committed();
    const bytes = readFileSync(loose);
    const marks = marksIn(bytes);
    // The third segment, past what a probe reads of it: the lookup of a record at the end never inflates it.
    const from = marks[1]! + SEEK_MARK.length + (8 << 10);
    expect(marks[2]! - from).toBeGreaterThan(4096);
    bytes.fill(0, from, from + 2048);
    chmodSync(loose, 0o644);
    writeFileSync(loose, bytes);
    const last = await store.readRecord('integrations', '11999', { schema: integrations, redactor, blobId: oid });
    expect(last!.rows.map((row) => row.key)).toEqual(['11999']);
    // The segment's first record is before the damage; reading the whole blob reports it.
    const third = recordStarts(file, 64 << 10)[1]!;
    const first = file.toString('utf8', third, file.indexOf(',', third));
    expect((await store.readRecord('integrations', first, { schema: integrations, redactor, blobId: oid }))!.rows.map((row) => row.key)).toEqual([first]);
    await expect(store.readResource('integrations')).rejects.toMatchObject({ code: 'STORE_CORRUPT_OBJECT' });
  });

  it('leave a blob written by git (no marks) to the sequential search, which stops at the record', async () => {
    const dir = tempDir();
    const file = await bigFile();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'core.compression', '1');
    writeFileSync(join(dir, 'file.csv'), file);
    const oid = git(dir, 'hash-object', '-w', 'file.csv').trim();
    const loose = join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
    const bytes = readFileSync(loose);
    expect(marksIn(bytes)).toEqual([]);
    const store = await openSnapshotStore({ dir });
    const found = await store.readRecord('integrations', '6001', { schema: integrations, redactor, blobId: oid });
    expect(found!.rows.map((row) => row.key)).toEqual(['6001']);
    // Damage in the last quarter: a record in the first half is found before it is reached
    // (nothing reads the whole file; `verify`, which hashes every byte, is what finds the damage).
    bytes.fill(0, bytes.length - (bytes.length >> 2), bytes.length - (bytes.length >> 2) + 2048);
    chmodSync(loose, 0o644);
    writeFileSync(loose, bytes);
    const early = await store.readRecord('integrations', '2001', { schema: integrations, redactor, blobId: oid });
    expect(early!.rows.map((row) => row.key)).toEqual(['2001']);
  });
});
