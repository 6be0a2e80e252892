import * as fs from 'node:fs';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, gitBuffer, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import { PARALLEL_DEFLATE_MIN } from './_deflate.js';
import type { StoreContext } from './_context.js';
import { atomicGitFs } from './_fs.js';
import { blobChunks } from './_objects.js';
import type { StoreError } from './errors.js';

afterEach(cleanTempDirs);

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    return (error as StoreError).code;
  }
  return undefined;
}

describe('commitSnapshot in a new repository', () => {
  it('initialises main, commits objects native git accepts, and leaves nothing pending', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    expect(store.branch).toBe('main');
    expect(await store.head()).toBeNull();
    const csv = 'ID,Name\n1,Okta\n2,"Jira, Cloud"\n';
    const result = await store.commitSnapshot({ ...snapshot({ integrations: csv }, 'nightly snapshot\n\nTenant: acme'), author: { name: 'Audit Bot', email: 'bot@acme.test' } });

    expect(result.changedPaths).toEqual(['snapshots/integrations.csv', 'snapshots/manifest.json']);
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(result.commit);
    git(dir, 'fsck', '--strict');
    expect(git(dir, 'show', 'HEAD:snapshots/integrations.csv')).toBe(csv);
    expect(git(dir, 'log', '-1', '--format=%an <%ae>|%B')).toBe('Audit Bot <bot@acme.test>|nightly snapshot\n\nTenant: acme\n\n');
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('takes the author from BALKAN_AUDIT_AUTHOR_* when none is passed', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const saved = { ...process.env };
    process.env['BALKAN_AUDIT_AUTHOR_NAME'] = 'Env Bot';
    process.env['BALKAN_AUDIT_AUTHOR_EMAIL'] = 'env@acme.test';
    try {
      await store.commitSnapshot(snapshot({ labels: 'ID\n1\n' }));
    } finally {
      process.env = saved;
    }
    expect(git(dir, 'log', '-1', '--format=%an <%ae> %cn <%ce>').trim()).toBe('Env Bot <env@acme.test> Env Bot <env@acme.test>');
  });

  it('falls back to the repository user.name / user.email', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'config', 'user.name', 'Repo User');
    git(dir, 'config', 'user.email', 'repo@acme.test');
    const store = await openSnapshotStore({ dir });
    expect(await store.defaultAuthor({})).toEqual({ name: 'Repo User', email: 'repo@acme.test' });
  });

  it('makes no commit when nothing changed, an identical-tree commit with allowEmpty', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const first = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    expect(await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }))).toEqual({ commit: null, changedPaths: [], blobIds: new Map([['apps', git(dir, 'rev-parse', 'HEAD:snapshots/apps.csv').trim()]]) });
    const evidence = await store.commitSnapshot({ ...snapshot({ apps: 'ID\n1\n' }, 'evidence'), allowEmpty: true });
    expect(evidence.commit).not.toBeNull();
    expect(evidence.changedPaths).toEqual([]);
    expect(git(dir, 'rev-parse', 'HEAD^{tree}')).toBe(git(dir, 'rev-parse', `${first.commit}^{tree}`));
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });

  it('removes a resource from the tree, the working tree and the index', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n', labels: 'ID\n2\n' }));
    const result = await store.commitSnapshot({ ...snapshot({ apps: 'ID\n1\n' }), removed: ['labels'] });
    expect(result.changedPaths).toEqual(['snapshots/labels.csv', 'snapshots/manifest.json']);
    expect(git(dir, 'ls-tree', '--name-only', '-r', 'HEAD')).toBe('snapshots/apps.csv\nsnapshots/manifest.json\n');
    expect(git(dir, 'ls-files')).toBe('snapshots/apps.csv\nsnapshots/manifest.json\n');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    git(dir, 'fsck', '--strict');
  });

  it('refuses unsafe resource names and an empty message without writing anything', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    expect(await codeOf(store.commitSnapshot(snapshot({ '../x': 'a\n' })))).toBe('STORE_BAD_INPUT');
    expect(await codeOf(store.commitSnapshot(snapshot({ apps: 'a\n' }, '  \n')))).toBe('STORE_BAD_INPUT');
    expect(await codeOf(store.commitSnapshot({ ...snapshot({ apps: 'a\n' }), removed: ['apps'] }))).toBe('STORE_BAD_INPUT');
    expect(await store.head()).toBeNull();
  });

  it('keeps other files of the snapshot directory and writes a nested snapshotDir', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    git(dir, 'add', 'README.md');
    git(dir, 'commit', '-q', '-m', 'readme');
    const store = await openSnapshotStore({ dir, snapshotDir: './audit/snaps/' });
    expect(store.snapshotDir).toBe('audit/snaps');
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    expect(git(dir, 'ls-tree', '-r', '--name-only', 'HEAD')).toBe('README.md\naudit/snaps/apps.csv\naudit/snaps/manifest.json\n');
    expect(gitBuffer(dir, 'show', 'HEAD:audit/snaps/apps.csv').toString()).toBe('ID\n1\n');
    git(dir, 'fsck', '--strict');
  });
});

describe('reading a damaged repository', () => {
  it('reports a corrupt loose object as STORE_CORRUPT_OBJECT', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    const oid = (await store.blobId('apps'))!;
    const file = join(dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2));
    chmodSync(file, 0o644);
    writeFileSync(file, 'not zlib at all');
    expect(await codeOf(store.readResource('apps'))).toBe('STORE_CORRUPT_OBJECT');
  });
});

/** The store's context for `dir`, to drive an internal step directly. */
function contextOf(dir: string): StoreContext {
  const gitdir = join(dir, '.git');
  return { fs, gitFs: atomicGitFs(fs, gitdir), dir, gitdir, cache: {} };
}

describe('blobChunks (how readTable streams a large snapshot)', () => {
  const collect = async (chunks: AsyncIterable<Buffer>): Promise<Buffer[]> => {
    const out: Buffer[] = [];
    for await (const chunk of chunks) out.push(chunk);
    return out;
  };
  // Over 8 MiB: a loose object inflates in more than one chunk, and it was deflated in two halves.
  const big = `ID,Name\n${Array.from({ length: 400_000 }, (_, i) => `${i},name ${i} ${'x'.repeat(i % 17)}`).join('\n')}\n`;

  it('gives a loose blob in chunks that add up to what native git shows', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: big }));
    expect(big.length).toBeGreaterThan(PARALLEL_DEFLATE_MIN);
    git(dir, 'fsck', '--strict');
    const chunks = await collect(blobChunks(contextOf(dir), (await store.blobId('apps'))!));
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(gitBuffer(dir, 'show', 'HEAD:snapshots/apps.csv'))).toBe(true);
  });

  it('gives a packed blob (after git gc) as one chunk', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: big }));
    git(dir, 'gc', '-q');
    const chunks = await collect(blobChunks(contextOf(dir), (await store.blobId('apps'))!));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.toString()).toBe(big);
  });

  // Loose objects written by hand under a made-up id, each damaged in one way.
  it.each([
    ['not zlib at all', () => Buffer.from('not zlib at all')],
    ['a deflate stream cut short', () => deflateSync(Buffer.from(`blob ${big.length}\0${big}`)).subarray(0, 5000)],
    ['fewer bytes than its header says', () => deflateSync(Buffer.from('blob 9\0abc'))],
    ['more bytes than its header says', () => deflateSync(Buffer.from('blob 2\0abc'))],
    ['a tree, not a blob', () => deflateSync(Buffer.from('tree 3\0abc'))],
    ['no header end', () => deflateSync(Buffer.from('blob 3'))],
    // Large enough to be streamed rather than inflated in one call.
    ['a large deflate stream cut short', () => deflateSync(Buffer.from(`blob ${big.length}\0${big}`)).subarray(0, 300_000)],
    ['a large object longer than its header says', () => deflateSync(Buffer.from(`blob ${big.length - 1}\0${big}`))],
  ])('throws STORE_CORRUPT_OBJECT for %s', async (_, object) => {
    const dir = tempDir();
    await openSnapshotStore({ dir });
    const oid = 'ab'.repeat(20);
    mkdirSync(join(dir, '.git', 'objects', 'ab'), { recursive: true });
    writeFileSync(join(dir, '.git', 'objects', 'ab', oid.slice(2)), object());
    expect(await codeOf(collect(blobChunks(contextOf(dir), oid)))).toBe('STORE_CORRUPT_OBJECT');
  });
});

describe('opening', () => {
  it('refuses a directory outside any repository when init is off, saying what to give instead', async () => {
    const dir = tempDir();
    await expect(openSnapshotStore({ dir, init: false })).rejects.toMatchObject({
      code: 'STORE_NOT_A_REPO', message: `${dir} is not a git repository`, hint: expect.stringContaining('a first `balkan-audit snapshot` creates one'),
    });
  });

  it('refuses a detached HEAD unless a branch is named', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    git(dir, 'commit', '-q', '--allow-empty', '-m', 'one');
    git(dir, 'checkout', '-q', '--detach');
    expect(await codeOf(openSnapshotStore({ dir }))).toBe('STORE_DETACHED_HEAD');
    const store = await openSnapshotStore({ dir, branch: 'audit' });
    expect(store.checkedOut).toBe(false);
  });

  it.each([['../x'], ['/abs'], ['.'], ['.git/x']])('refuses snapshotDir %s', async (snapshotDir) => {
    expect(await codeOf(openSnapshotStore({ dir: tempDir(), snapshotDir }))).toBe('STORE_BAD_INPUT');
  });

  it('refuses a subdirectory of a repository rather than committing into it', async () => {
    const dir = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    const error = await openSnapshotStore({ dir: join(dir, 'deep', 'er') }).catch((e: unknown) => e as StoreError);
    expect((error as StoreError).code).toBe('STORE_NOT_REPO_ROOT');
    expect((await openSnapshotStore({ dir })).dir).toBe(dir);
  });
});
