import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import type { StoreError } from './errors.js';

afterEach(cleanTempDirs);

/** A repository as a user has it: history by native git, packed by gc, work in progress. */
function preparedRepo(): string {
  const dir = tempDir();
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, 'app.txt'), 'v1\n');
  mkdirSync(join(dir, 'snapshots'));
  writeFileSync(join(dir, 'snapshots', 'apps.csv'), 'ID,Name\n1,Old\n');
  git(dir, 'add', '.');
  git(dir, 'commit', '-q', '-m', 'first');
  git(dir, 'branch', 'unrelated');
  writeFileSync(join(dir, 'app.txt'), 'v2\n');
  git(dir, 'commit', '-q', '-am', 'second');
  git(dir, 'tag', '-a', 'v2', '-m', 'release 2');
  git(dir, 'gc', '-q');
  writeFileSync(join(dir, 'app.txt'), 'v3 uncommitted edit\n');
  writeFileSync(join(dir, 'staged.txt'), 'staged but not committed\n');
  git(dir, 'add', 'staged.txt');
  return dir;
}

describe('a repository prepared by native git', () => {
  it('reads packed objects written by native git', async () => {
    const dir = preparedRepo();
    const blob = git(dir, 'rev-parse', 'HEAD:snapshots/apps.csv').trim();
    expect(existsSync(join(dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)))).toBe(false);
    const store = await openSnapshotStore({ dir });
    expect((await store.readResource('apps'))?.toString()).toBe('ID,Name\n1,Old\n');
    expect((await store.readResource('apps', 'v2'))?.toString()).toBe('ID,Name\n1,Old\n');
    expect(await store.blobId('apps')).toBe(git(dir, 'rev-parse', 'HEAD:snapshots/apps.csv').trim());
  });

  it('commits only the snapshot paths and leaves staged and modified work alone', async () => {
    const dir = preparedRepo();
    const parent = git(dir, 'rev-parse', 'HEAD').trim();
    const store = await openSnapshotStore({ dir });
    const result = await store.commitSnapshot(snapshot({ apps: 'ID,Name\n1,New\n', labels: 'ID\n7\n' }));

    expect(git(dir, 'rev-list', '--parents', '-1', 'HEAD').trim()).toBe(`${result.commit} ${parent}`);
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('snapshots/apps.csv\nsnapshots/labels.csv\nsnapshots/manifest.json\n');
    expect(git(dir, 'diff', '--cached', '--name-only')).toBe('staged.txt\n');
    expect(git(dir, 'diff', '--name-only')).toBe('app.txt\n');
    expect(readFileSync(join(dir, 'app.txt'), 'utf8')).toBe('v3 uncommitted edit\n');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all', '--', 'snapshots/')).toBe('');
    expect(readFileSync(join(dir, 'snapshots', 'apps.csv'), 'utf8')).toBe('ID,Name\n1,New\n');
    expect(git(dir, 'rev-parse', 'unrelated').trim()).toBe(git(dir, 'rev-parse', 'HEAD~2').trim());
    git(dir, 'fsck', '--strict');
    // The user's own next commit still works and takes only their staged file.
    git(dir, 'commit', '-q', '-m', 'user work');
    expect(git(dir, 'show', '--name-only', '--format=', 'HEAD')).toBe('staged.txt\n');
  });

  it('ignores working-tree edits when reading', async () => {
    const dir = preparedRepo();
    writeFileSync(join(dir, 'snapshots', 'apps.csv'), 'edited in the working tree\n');
    const store = await openSnapshotStore({ dir });
    expect((await store.readResource('apps'))?.toString()).toBe('ID,Name\n1,Old\n');
  });
});

describe('reading at a revision', () => {
  it('resolves HEAD, HEAD~N, HEAD^, full and short shas, branches and tags', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const one = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }, 'one'));
    git(dir, 'tag', 'light');
    git(dir, 'tag', '-a', 'annotated', '-m', 'a tag');
    git(dir, 'branch', 'older');
    await store.commitSnapshot(snapshot({ apps: 'ID\n2\n' }, 'two'));
    const three = await store.commitSnapshot(snapshot({ apps: 'ID\n3\n' }, 'three'));
    const read = async (ref?: string) => (await store.readResource('apps', ref))?.toString();

    expect(await read()).toBe('ID\n3\n');
    expect(await read('HEAD')).toBe('ID\n3\n');
    expect(await read('HEAD~1')).toBe('ID\n2\n');
    expect(await read('HEAD^^')).toBe('ID\n1\n');
    expect(await read('main~2')).toBe('ID\n1\n');
    expect(await read(one.commit!)).toBe('ID\n1\n');
    expect(await read(one.commit!.slice(0, 8))).toBe('ID\n1\n');
    expect(await read('older')).toBe('ID\n1\n');
    expect(await read('light')).toBe('ID\n1\n');
    expect(await read('annotated')).toBe('ID\n1\n');
    expect(await read('refs/heads/main')).toBe('ID\n3\n');
    expect(await store.readResource('labels')).toBeNull();
    expect((await store.readManifest('HEAD~2'))?.resources['apps']?.rows).toBe(1);
    expect((await store.resolve('HEAD')).oid).toBe(three.commit);
    expect((await store.resolve('HEAD~2')).subject).toBe('one');
  });

  it.each([['nope'], ['HEAD~5'], ['deadbeef'], ['HEAD^2'], ['']])('throws STORE_BAD_REF for %j', async (ref) => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    await expect(store.resolve(ref)).rejects.toMatchObject({ code: 'STORE_BAD_REF' } satisfies Partial<StoreError>);
  });

  it('logs newest first, and per resource only the commits that changed its file', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const a = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n', labels: 'ID\n1\n' }, 'a'));
    const b = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n', labels: 'ID\n2\n' }, 'b'));
    const c = await store.commitSnapshot(snapshot({ apps: 'ID\n2\n', labels: 'ID\n2\n' }, 'c'));
    const d = await store.commitSnapshot({ ...snapshot({ apps: 'ID\n2\n' }, 'd'), removed: ['labels'] });
    expect((await store.log()).map((x) => x.subject)).toEqual(['d', 'c', 'b', 'a']);
    expect((await store.log({ limit: 2 })).map((x) => x.oid)).toEqual([d.commit, c.commit]);
    expect((await store.log({ resource: 'apps' })).map((x) => x.oid)).toEqual([c.commit, a.commit]);
    expect((await store.log({ resource: 'labels' })).map((x) => x.oid)).toEqual([d.commit, b.commit, a.commit]);
    expect((await store.log({ resource: 'labels', ref: 'HEAD~1' })).map((x) => x.oid)).toEqual([b.commit, a.commit]);
    expect(await store.listResources()).toEqual(['apps']);
    expect(await store.listResources('HEAD~1')).toEqual(['apps', 'labels']);
  });
});

describe('a directory inside another repository', () => {
  it('is refused instead of committing into the enclosing repository', async () => {
    const outer = preparedRepo();
    const inner = join(outer, 'audit');
    mkdirSync(inner);
    const headBefore = git(outer, 'rev-parse', 'HEAD').trim();
    const error = await openSnapshotStore({ dir: inner }).catch((e: unknown) => e as StoreError);
    expect((error as StoreError).code).toBe('STORE_NOT_REPO_ROOT');
    expect((error as StoreError & { hint?: string }).hint).toContain(`--repo ${outer}`);
    expect(existsSync(join(inner, '.git'))).toBe(false);
    expect(git(outer, 'rev-parse', 'HEAD').trim()).toBe(headBefore);
  });

  it('with nested, gets a repository of its own and leaves the enclosing one alone', async () => {
    const outer = preparedRepo();
    const inner = join(outer, 'audit');
    const statusBefore = git(outer, 'status', '--porcelain');
    const store = await openSnapshotStore({ dir: inner, nested: true });
    expect(store.dir).toBe(inner);
    await store.commitSnapshot({ files: new Map([['apps', Buffer.from('ID,Name\n1,A\n')]]), manifest: { schemaVersion: 1, tenant: null, generatedAt: '2026-01-01T00:00:00.000Z', resources: {} }, message: 'snapshot' });
    expect(git(inner, 'rev-list', '--count', 'HEAD').trim()).toBe('1');
    expect(git(outer, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(outer, 'status', '--porcelain')).toBe(`${statusBefore}?? audit/\n`.replace(/^\n/, ''));
  });

});
