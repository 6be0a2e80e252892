import { mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import { statePaths } from './_state.js';
import { verifySnapshot } from './verify.js';
import type { StoreError } from './errors.js';

afterEach(cleanTempDirs);

async function errorOf(promise: Promise<unknown>): Promise<StoreError> {
  try {
    await promise;
  } catch (error) {
    return error as StoreError;
  }
  throw new Error('expected a rejection');
}

const night1 = { labels: 'ID,Name\n1,red\n2,blue\n', apps: 'ID,Name\n1,zoom\n' };
const night2 = { labels: 'ID,Name\n1,red\n2,navy\n', apps: 'ID,Name\n1,zoom\n' };

async function twoNights() {
  const dir = tempDir();
  const store = await openSnapshotStore({ dir });
  await store.commitSnapshot(snapshot(night1, 'night 1'));
  await store.commitSnapshot(snapshot(night2, 'night 2'));
  return { dir, store };
}

describe('the manifest records each file\'s blob id', () => {
  it('as native git names the committed file, so a check reads tree entries only', async () => {
    const { dir, store } = await twoNights();
    const manifest = (await store.readManifest())!;
    for (const resource of ['labels', 'apps']) {
      expect(manifest.resources[resource]!.blobId).toBe(git(dir, 'rev-parse', `HEAD:snapshots/${resource}.csv`).trim());
    }
    expect(await store.checkSnapshot(manifest)).toEqual({ tampered: [], blobIds: new Map([['labels', manifest.resources['labels']!.blobId], ['apps', manifest.resources['apps']!.blobId]]) });
  });
});

describe('checkSnapshot: a snapshot file edited outside the tool', () => {
  it('names the file and the commit that changed it, and verify reports the same', async () => {
    const { dir, store } = await twoNights();
    writeFileSync(join(dir, 'snapshots', 'labels.csv'), 'ID,Name\n1,red\n2,blue\n');
    git(dir, 'commit', '-qam', 'put blue back by hand');
    const edit = git(dir, 'rev-parse', 'HEAD').trim();
    const manifest = (await store.readManifest())!;
    const { tampered, blobIds } = await store.checkSnapshot(manifest);
    expect(tampered).toEqual([expect.objectContaining({
      resource: 'labels', path: 'snapshots/labels.csv', expected: manifest.resources['labels']!.blobId,
      actual: git(dir, 'rev-parse', 'HEAD:snapshots/labels.csv').trim(), commit: expect.objectContaining({ oid: edit, subject: 'put blue back by hand' }),
    })]);
    expect([...blobIds.keys()]).toEqual(['apps']);
    const verified = await verifySnapshot(store);
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([expect.objectContaining({ resource: 'labels', kind: 'mismatch', commit: edit })]);
  });

  it('counts a deleted file and a .csv the manifest does not list', async () => {
    const { dir, store } = await twoNights();
    git(dir, 'rm', '-q', 'snapshots/apps.csv');
    writeFileSync(join(dir, 'snapshots', 'admins.csv'), 'ID\nroot\n');
    git(dir, 'add', 'snapshots/admins.csv');
    git(dir, 'commit', '-qm', 'by hand');
    const { tampered } = await store.checkSnapshot((await store.readManifest())!);
    expect(tampered.map((t) => [t.resource, t.actual === null])).toEqual([['apps', true], ['admins', false]]);
  });

  it('checks an entry written before blob ids were recorded by its sha256, once, and returns its blob id', async () => {
    const { dir, store } = await twoNights();
    const manifest = (await store.readManifest())!;
    const old = { ...manifest, resources: Object.fromEntries(Object.entries(manifest.resources).map(([name, { blobId: _dropped, ...entry }]) => [name, entry])) };
    expect((await store.checkSnapshot(old)).blobIds.get('labels')).toBe(manifest.resources['labels']!.blobId);
    writeFileSync(join(dir, 'snapshots', 'labels.csv'), 'ID,Name\n1,pink\n');
    git(dir, 'commit', '-qam', 'by hand');
    expect((await store.checkSnapshot(old)).tampered.map((t) => t.resource)).toEqual(['labels']);
  });
});

describe('STORE_DIRTY: an uncommitted edit in the snapshot directory is never overwritten', () => {
  it.each([
    ['an edit in the working tree', (dir: string) => writeFileSync(join(dir, 'snapshots', 'labels.csv'), 'ID,Name\n1,mine\n')],
    ['a staged edit', (dir: string) => { writeFileSync(join(dir, 'snapshots', 'labels.csv'), 'ID,Name\n1,mine\n'); git(dir, 'add', 'snapshots/labels.csv'); }],
    ['an untracked snapshot file', (dir: string) => writeFileSync(join(dir, 'snapshots', 'admins.csv'), 'ID\nmine\n')],
  ])('%s: refused, listing the file, nothing written', async (_name, edit) => {
    const { dir, store } = await twoNights();
    edit(dir);
    const head = git(dir, 'rev-parse', 'HEAD');
    const before = readdirSync(join(dir, 'snapshots')).map((name) => [name, readFileSync(join(dir, 'snapshots', name), 'utf8')]);
    expect((await errorOf(store.checkWorkTree())).code).toBe('STORE_DIRTY');
    const error = await errorOf(store.commitSnapshot(snapshot({ labels: 'ID,Name\n1,theirs\n', admins: 'ID\nx\n' }, 'night 3')));
    expect(error.code).toBe('STORE_DIRTY');
    expect(error.message).toMatch(/snapshots\/(labels|admins)\.csv/);
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(readdirSync(join(dir, 'snapshots')).map((name) => [name, readFileSync(join(dir, 'snapshots', name), 'utf8')])).toEqual(before);
  });

  it('an edit outside the snapshot directory, and what a killed run left, are not edits', async () => {
    const { dir, store } = await twoNights();
    writeFileSync(join(dir, 'notes.txt'), 'mine\n');
    // The state a run killed after moving the branch leaves: files and index still at the night before.
    git(dir, 'checkout', 'HEAD~1', '--', 'snapshots/labels.csv', 'snapshots/manifest.json');
    expect(git(dir, 'status', '--porcelain', '--', 'snapshots')).not.toBe('');
    await store.checkWorkTree();
    // Brought in line at once, so a night with nothing to commit leaves no lagging file either.
    expect(git(dir, 'status', '--porcelain', '--', 'snapshots')).toBe('');
    await store.commitSnapshot(snapshot({ labels: 'ID,Name\n1,red\n2,green\n', apps: night2.apps }, 'night 3'));
    expect(git(dir, 'status', '--porcelain', '--', 'snapshots')).toBe('');
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine\n');
  });

  it('reads a file whose stat changed (a copied repository) once, then trusts the refreshed index', async () => {
    const { dir, store } = await twoNights();
    const file = join(dir, 'snapshots', 'labels.csv');
    const later = new Date(Date.now() + 60_000);
    utimesSync(file, later, later);
    const mtime = () => git(dir, 'ls-files', '--debug', 'snapshots/labels.csv').match(/mtime: (\d+):/)![1];
    expect(mtime()).not.toBe(String(Math.floor(later.getTime() / 1000)));
    await store.checkWorkTree();
    expect(mtime()).toBe(String(Math.floor(later.getTime() / 1000)));
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('does not apply to a branch that is not checked out (its commits never touch the working tree)', async () => {
    const { dir } = await twoNights();
    writeFileSync(join(dir, 'snapshots', 'labels.csv'), 'ID,Name\n1,mine\n');
    const other = await openSnapshotStore({ dir, branch: 'audit/nightly' });
    await other.checkWorkTree();
    await other.commitSnapshot(snapshot(night2, 'night 3'));
    expect(readFileSync(join(dir, 'snapshots', 'labels.csv'), 'utf8')).toBe('ID,Name\n1,mine\n');
  });
});

describe('STORE_SYMLINK: nothing is written through a symbolic link', () => {
  it('refuses a snapshot directory that is a link to a folder outside the repository', async () => {
    const dir = tempDir();
    const outside = tempDir();
    git(dir, 'init', '-q', '-b', 'main');
    symlinkSync(outside, join(dir, 'linked'));
    expect((await errorOf(openSnapshotStore({ dir, snapshotDir: 'linked' }))).code).toBe('STORE_SYMLINK');
    mkdirSync(join(dir, 'real'));
    symlinkSync(outside, join(dir, 'real', 'deeper'));
    expect((await errorOf(openSnapshotStore({ dir, snapshotDir: 'real/deeper/snapshots' }))).code).toBe('STORE_SYMLINK');
    expect(readdirSync(outside)).toEqual([]);
  });

  it('refuses a snapshot file that is a link', async () => {
    const dir = tempDir();
    const outside = join(tempDir(), 'target.csv');
    writeFileSync(outside, 'precious\n');
    const store = await openSnapshotStore({ dir });
    mkdirSync(join(dir, 'snapshots'));
    symlinkSync(outside, join(dir, 'snapshots', 'labels.csv'));
    expect((await errorOf(store.commitSnapshot(snapshot(night1)))).code).toBe('STORE_SYMLINK');
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });
});

describe('an interrupted commit', () => {
  it('stops before the branch moves: STORE_ABORTED, no commit, no file written, no temp file left', async () => {
    const { dir, store } = await twoNights();
    const head = git(dir, 'rev-parse', 'HEAD');
    const controller = new AbortController();
    controller.abort();
    const error = await errorOf(store.commitSnapshot({ ...snapshot({ labels: 'ID,Name\n1,x\n' }), signal: controller.signal }));
    expect(error.code).toBe('STORE_ABORTED');
    expect(git(dir, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(dir, 'status', '--porcelain')).toBe('');
    expect(readdirSync(join(dir, 'snapshots')).sort()).toEqual(['apps.csv', 'labels.csv', 'manifest.json']);
  });

  it('releasing the lock removes the temp files of this run and of dead runs, not of live ones', async () => {
    const { dir, store } = await twoNights();
    const lock = await store.lock();
    const tmp = statePaths(join(dir, '.git')).tmp;
    mkdirSync(tmp, { recursive: true });
    writeFileSync(join(tmp, `${process.pid}-abc`), 'mine');
    writeFileSync(join(tmp, `${process.ppid}-def`), 'a live process');
    writeFileSync(join(tmp, '999999999-ghi'), 'dead');
    writeFileSync(join(dir, 'snapshots', `labels.csv.balkan-audit-${process.pid}.tmp`), 'mine');
    await lock.release();
    expect(readdirSync(tmp)).toEqual([`${process.ppid}-def`]);
    expect(readdirSync(join(dir, 'snapshots')).sort()).toEqual(['apps.csv', 'labels.csv', 'manifest.json']);
    expect(readdirSync(statePaths(join(dir, '.git')).root)).not.toContain('run.lock');
  });
});

describe('the redaction key lives in the repository, never under $HOME', () => {
  it('is created once (0600, 64 hex), agreed on by racing runs, and read back', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    expect(await store.redactionKey()).toBeNull();
    const keys = await Promise.all(Array.from({ length: 6 }, () => store.redactionKey({ create: true })));
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f]{64}$/);
    const file = statePaths(join(dir, '.git')).redactionKey;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await (await openSnapshotStore({ dir })).redactionKey()).toBe(keys[0]);
    expect(git(dir, 'status', '--porcelain')).toBe('');
  });

  it('refuses a damaged key file with STORE_BAD_REDACTION_KEY', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    mkdirSync(statePaths(join(dir, '.git')).root, { recursive: true });
    writeFileSync(statePaths(join(dir, '.git')).redactionKey, 'not a key\n');
    expect((await errorOf(store.redactionKey({ create: true }))).code).toBe('STORE_BAD_REDACTION_KEY');
  });
});

describe('the store owns <gitdir>/balkan-audit/', () => {
  it('keeps the last run\'s reports there, and refuses a --repo that is a file', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const [file] = await store.saveLastRun(new Map([['report.json', '{}\n']]));
    expect(file).toBe(join(dir, '.git', 'balkan-audit', 'last-run', 'report.json'));
    expect(readFileSync(file!, 'utf8')).toBe('{}\n');
    writeFileSync(join(dir, 'a-file'), '');
    const error = await errorOf(openSnapshotStore({ dir: join(dir, 'a-file') }));
    expect(error.code).toBe('STORE_BAD_INPUT');
    expect(error.message).toContain('is not a directory');
  });
});
