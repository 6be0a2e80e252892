import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createRedactor, getSchema, normaliseCsv, parseKey, serialiseCanonical, type ResourceSchema } from '@balkan-audit/schema';
import { cleanTempDirs, git, gitAt, manifestFor, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';

afterEach(cleanTempDirs);

const redactor = createRedactor('store-record-test');
const integrations = getSchema('integrations');
const apps = getSchema('apps');

async function canonical(csv: string, schema: ResourceSchema): Promise<Buffer> {
  return serialiseCanonical(await normaliseCsv(csv, schema, { file: 'test.csv', redactor }));
}

const APPS = [
  'Tenant ID,Tenant Name,Tenant Status,Tenant Created At,ID,Name',
  '01T,Acme,active,2026-01-01,asana,Asana',
  '01T,Acme,active,2026-01-01,zoom,Zoom',
  '02T,"Beta, Inc",active,2026-01-01,asana,Asana',
  '02T,"Beta, Inc",active,2026-01-01,slack,Slack',
  '10T,Gamma,active,2026-01-01,zoom,Zoom',
  '',
].join('\n');

describe('store.readRecord and store.revisions', () => {
  async function repoWithHistory() {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const commit = async (files: Record<string, Buffer>, message: string) => (await store.commitSnapshot({
      files: new Map(Object.entries(files)),
      manifest: manifestFor(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString()]))),
      message,
    })).commit!;
    return { dir, store, commit };
  }

  it('reads one record of a large file at each commit that changed it', async () => {
    const { dir, store, commit } = await repoWithHistory();
    const rows = Array.from({ length: 4000 }, (_, i) => `${i + 1},App ${i + 1},active,"desc, ""${i}""\nsecond line ${'x'.repeat(200)}",`);
    const night1 = await canonical(['ID,Name,Status,Description,Metadata', ...rows, ''].join('\n'), integrations);
    const night2 = await canonical(['ID,Name,Status,Description,Metadata', ...rows.map((r) => (r.startsWith('3999,') ? r.replace('active', 'inactive') : r)), ''].join('\n'), integrations);
    expect(night1.length).toBeGreaterThan(3 << 18);
    const first = await commit({ integrations: night1 }, 'night 1');
    await commit({ integrations: night1, labels: Buffer.from('ID,Name,Type\n1,a,b\n') }, 'labels only');
    const second = await commit({ integrations: night2 }, 'night 2');

    const revisions = [];
    for await (const r of store.revisions('integrations')) revisions.push(r);
    expect(revisions.map((r) => [r.commit.oid, r.commit.subject, r.blobId, r.previousBlobId])).toEqual([
      [second, 'night 2', git(dir, 'rev-parse', `${second}:snapshots/integrations.csv`).trim(), git(dir, 'rev-parse', `${first}:snapshots/integrations.csv`).trim()],
      [first, 'night 1', git(dir, 'rev-parse', `${first}:snapshots/integrations.csv`).trim(), null],
    ]);
    const at = async (blobId: string, key: string) => (await store.readRecord('integrations', key, { schema: integrations, redactor, blobId }))!.rows.map((r) => r.line);
    expect(await at(revisions[0]!.blobId!, '3999')).toEqual([`3999,App 3999,"desc, ""3998""\nsecond line ${'x'.repeat(200)}",inactive,`]);
    expect(await at(revisions[1]!.blobId!, '3999')).toEqual([`3999,App 3999,"desc, ""3998""\nsecond line ${'x'.repeat(200)}",active,`]);
    expect(await at(revisions[1]!.blobId!, '4001')).toEqual([]);
    expect((await store.readRecord('integrations', '1', { schema: integrations, redactor }))!.columns.map((c) => c.name)).toEqual(['ID', 'Name', 'Description', 'Status', 'Metadata']);
    expect(await store.readRecord('campaigns', '1', { schema: getSchema('campaigns'), redactor })).toBeNull();

    // The same after `git gc`: packed objects come through isomorphic-git.
    git(dir, 'gc', '-q');
    const packed = await openSnapshotStore({ dir, init: false });
    const again = [];
    for await (const r of packed.revisions('integrations')) again.push(r);
    expect(again).toEqual(revisions);
    expect((await packed.readRecord('integrations', '3999', { schema: integrations, redactor, ref: 'HEAD~1' }))!.rows.map((r) => r.line)).toEqual([`3999,App 3999,"desc, ""3998""\nsecond line ${'x'.repeat(200)}",active,`]);
  });

  // Committer times in whole seconds tie, and a machine's clock may be behind: the order must come
  // from the graph where times cannot give it. `at(i)` is the time of the i-th commit made.
  const clocks: Array<[string, (i: number, onBranch: boolean) => number]> = [
    ['all in one second', () => 0],
    ['the first two in one second, the rest in the next', (i) => (i < 2 ? 0 : 1)],
    ['a minute apart', (i) => i * 60],
    ["the branches' clock an hour behind main's", (i, onBranch) => i * 60 - (onBranch ? 3600 : 0)],
    ['a clock running backwards', (i) => -i * 60],
  ];

  it.each(clocks)('follows a merged branch, newest first and children before parents, with %s: its nights are changes of their own, the merge that took its file is none', async (_, clock) => {
    const { dir, store } = await repoWithHistory();
    let made = 0;
    const at = (onBranch: boolean) => new Date(Date.UTC(2026, 0, 1) + clock(made++, onBranch) * 1000);
    const night = async (name: string, onBranch: boolean, message: string) => (await openSnapshotStore({ dir })).commitSnapshot({
      files: new Map([['apps', await canonical(APPS.replace('Zoom\n', `${name}\n`), apps)]]), manifest: manifestFor({}), message, now: at(onBranch),
    });
    await night('Zoom', false, 'night 1');
    git(dir, 'checkout', '-q', '-b', 'nightly');
    await night('Zoom Pro', true, 'night 2');
    await night('Zoom Max', true, 'night 3');
    git(dir, 'checkout', '-q', 'main');
    gitAt(at(false), dir, 'merge', '-q', '--no-ff', '-m', 'Merge nightly', 'nightly');
    const merge = git(dir, 'rev-parse', 'HEAD').trim();

    const revisions = [];
    for await (const r of store.revisions('apps')) revisions.push(r);
    expect(revisions.map((r) => r.commit.subject)).toEqual(['night 3', 'night 2', 'night 1']);
    expect(revisions.map((r) => r.previousBlobId)).toEqual([revisions[1]!.blobId, revisions[2]!.blobId, null]);
    expect(revisions.map((r) => r.commit.oid)).not.toContain(merge);

    // A merge whose file matches neither parent (edited while merging) is a change of its own.
    git(dir, 'checkout', '-q', '-b', 'more', 'nightly');
    await night('Zoom One', true, 'night 4');
    git(dir, 'checkout', '-q', 'main');
    git(dir, 'merge', '-q', '--no-ff', '--no-commit', 'more');
    writeFileSync(join(dir, 'snapshots', 'apps.csv'), await canonical(APPS.replace('Zoom\n', 'Zoom Two\n'), apps));
    git(dir, 'add', 'snapshots/apps.csv');
    gitAt(at(false), dir, 'commit', '-q', '-m', 'Merge more, edited');
    const edited = [];
    for await (const r of store.revisions('apps')) edited.push(r.commit.subject);
    expect(edited).toEqual(['Merge more, edited', 'night 4', 'night 3', 'night 2', 'night 1']);
    // What native git gives in the same order (its merges left out: it lists the one that took a side too).
    expect(git(dir, 'log', '--full-history', '--date-order', '--no-merges', '--format=%s', '--', 'snapshots/apps.csv').trim().split('\n')).toEqual(edited.slice(1));
    const zoom = parseKey(apps, '01T/zoom')!;
    expect((await store.readRecord('apps', zoom, { schema: apps, redactor, ref: merge }))!.rows.map((r) => r.line)).toEqual(['01T,Acme,active,2026-01-01,zoom,Zoom Max']);
  });

  it('parses a file committed by hand in another column order whole', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    mkdirSync(join(dir, 'snapshots'));
    writeFileSync(join(dir, 'snapshots', 'integrations.csv'), 'Status,Name,ID\nactive,Okta,1\ninactive,Box,2\n');
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', 'by hand');
    const store = await openSnapshotStore({ dir });
    const table = (await store.readRecord('integrations', '2', { schema: integrations, redactor }))!;
    expect(table.rows.map((r) => r.line)).toEqual(['2,Box,inactive']);
  });
});
