import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';

afterEach(cleanTempDirs);

describe('the branch option', () => {
  it('commits to another branch with objects and the ref only, leaving the checkout alone', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'code.txt'), 'x\n');
    git(dir, 'add', 'code.txt');
    git(dir, 'commit', '-q', '-m', 'code');
    const mainBefore = git(dir, 'rev-parse', 'main').trim();
    const indexBefore = git(dir, 'ls-files', '--stage');

    const store = await openSnapshotStore({ dir, branch: 'audit' });
    expect(store.checkedOut).toBe(false);
    // Created at HEAD's commit when missing.
    expect(git(dir, 'rev-parse', 'audit').trim()).toBe(mainBefore);
    const result = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));

    expect(git(dir, 'rev-parse', 'audit').trim()).toBe(result.commit);
    expect(git(dir, 'rev-parse', 'audit~1').trim()).toBe(mainBefore);
    expect(git(dir, 'rev-parse', 'main').trim()).toBe(mainBefore);
    expect(git(dir, 'symbolic-ref', 'HEAD').trim()).toBe('refs/heads/main');
    expect(git(dir, 'ls-files', '--stage')).toBe(indexBefore);
    expect(existsSync(join(dir, 'snapshots'))).toBe(false);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    // HEAD in store revisions means the store's branch.
    expect((await store.readResource('apps', 'HEAD'))?.toString()).toBe('ID\n1\n');
    expect((await store.head())?.oid).toBe(result.commit);
    git(dir, 'fsck', '--strict');
  });

  it('starts an unborn branch when the repository has no commit', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    const store = await openSnapshotStore({ dir, branch: 'audit' });
    expect(await store.head()).toBeNull();
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    expect(git(dir, 'rev-list', '--count', 'audit').trim()).toBe('1');
  });

  it('updates the working tree when the named branch is the checked-out one', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'trunk');
    const store = await openSnapshotStore({ dir, branch: 'trunk' });
    expect(store.checkedOut).toBe(true);
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(existsSync(join(dir, 'snapshots', 'apps.csv'))).toBe(true);
  });

  it.each([['bad..name'], ['-x'], ['a b'], ['x.lock']])('refuses branch %j', async (branch) => {
    await expect(openSnapshotStore({ dir: tempDir(), branch })).rejects.toMatchObject({ code: 'STORE_BAD_INPUT' });
  });
});
