import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { prepareSnapshotCommit, publishSnapshotCommit } from './_commit.js';
import { atomicGitFs } from './_fs.js';
import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';

afterEach(cleanTempDirs);

const child = fileURLToPath(new URL('./_test-crash-child.ts', import.meta.url));
const packageDir = fileURLToPath(new URL('..', import.meta.url));

function runAndKill(dir: string, afterMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--conditions=@balkan-audit/source', '--import', 'tsx', child, dir], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    proc.stdout.once('data', () => setTimeout(() => proc.kill('SIGKILL'), afterMs));
    proc.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

describe('crash safety', () => {
  it('leaves only unreachable objects when stopped after the objects and before the ref', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const first = await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    const gitdir = join(dir, '.git');
    const ctx = { fs: nodeFs, gitFs: atomicGitFs(nodeFs, gitdir), dir, gitdir, cache: {} };
    const plan = await prepareSnapshotCommit(ctx, { branchRef: 'refs/heads/main', snapshotDir: 'snapshots', checkedOut: true }, snapshot({ apps: 'ID\n2\n' }), { name: 'a', email: 'a@b' });
    expect(plan.commit).not.toBeNull();
    expect(git(dir, 'cat-file', '-t', plan.commit!).trim()).toBe('commit');
    expect(git(dir, 'rev-parse', 'HEAD').trim()).toBe(first.commit);
    git(dir, 'fsck', '--strict');

    const next = await store.commitSnapshot(snapshot({ apps: 'ID\n2\n' }));
    expect(next.commit).not.toBeNull();
    expect(git(dir, 'rev-parse', 'HEAD~1').trim()).toBe(first.commit);
    expect(git(dir, 'show', 'HEAD:snapshots/apps.csv')).toBe('ID\n2\n');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('stages a changed file beside its target while preparing, and drops it when the ref moved meanwhile', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    const gitdir = join(dir, '.git');
    const ctx = { fs: nodeFs, gitFs: atomicGitFs(nodeFs, gitdir), dir, gitdir, cache: {} };
    const target = { branchRef: 'refs/heads/main', snapshotDir: 'snapshots', checkedOut: true };
    const plan = await prepareSnapshotCommit(ctx, target, snapshot({ apps: 'ID\n2\n' }), { name: 'a', email: 'a@b' });
    const temps = () => nodeFs.readdirSync(join(dir, 'snapshots')).filter((name) => name.endsWith('.tmp')).sort();
    expect(temps()).toEqual([`apps.csv.balkan-audit-${process.pid}.tmp`, `manifest.json.balkan-audit-${process.pid}.tmp`]);
    expect(nodeFs.readFileSync(join(dir, 'snapshots', 'apps.csv'), 'utf8')).toBe('ID\n1\n');

    git(dir, 'commit', '-q', '--allow-empty', '-m', 'someone else');
    await expect(publishSnapshotCommit(ctx, target, plan)).rejects.toMatchObject({ code: 'STORE_REF_MOVED' });
    expect(temps()).toEqual([]);
    expect(nodeFs.readFileSync(join(dir, 'snapshots', 'apps.csv'), 'utf8')).toBe('ID\n1\n');
    expect(git(dir, 'log', '-1', '--format=%s')).toBe('someone else\n');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('leaves no staged file behind when writing the blob fails', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n' }));
    // A file where the new blob's object directory must go: writing the object fails.
    const oid = execFileSync('git', ['hash-object', '--stdin'], { input: 'ID\n2\n', encoding: 'utf8' }).trim();
    nodeFs.rmSync(join(dir, '.git', 'objects', oid.slice(0, 2)), { recursive: true, force: true });
    nodeFs.writeFileSync(join(dir, '.git', 'objects', oid.slice(0, 2)), 'in the way');
    await expect(store.commitSnapshot(snapshot({ apps: 'ID\n2\n' }))).rejects.toThrow();
    expect(nodeFs.readdirSync(join(dir, 'snapshots')).sort()).toEqual(['apps.csv', 'manifest.json']);
    expect(nodeFs.readFileSync(join(dir, 'snapshots', 'apps.csv'), 'utf8')).toBe('ID\n1\n');
  });

  it('repairs the index and working tree of files a run killed after the ref update left behind', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot(snapshot({ apps: 'ID\n1\n', labels: 'ID\n1\n' }));
    const gitdir = join(dir, '.git');
    const ctx = { fs: nodeFs, gitFs: atomicGitFs(nodeFs, gitdir), dir, gitdir, cache: {} };
    const target = { branchRef: 'refs/heads/main', snapshotDir: 'snapshots', checkedOut: true };
    const plan = await prepareSnapshotCommit(ctx, target, { ...snapshot({ apps: 'ID\n1\n', labels: 'ID\n2\n' }), removed: [] }, { name: 'a', email: 'a@b' });
    git(dir, 'update-ref', 'refs/heads/main', plan.commit!);
    expect(git(dir, 'status', '--porcelain')).not.toBe('');

    // The next run writes only apps; labels must still come back in line with HEAD.
    await store.commitSnapshot(snapshot({ apps: 'ID\n3\n' }));
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(nodeFs.readFileSync(join(dir, 'snapshots', 'labels.csv'), 'utf8')).toBe('ID\n2\n');
  });

  it.each([[30], [150], [400]])('a run SIGKILLed %i ms in leaves a repository git fsck accepts and the next run completes', async (afterMs) => {
    const dir = tempDir();
    await runAndKill(dir, afterMs);
    git(dir, 'fsck', '--strict');
    const store = await openSnapshotStore({ dir });
    const lock = await store.lock();
    try {
      const result = await store.commitSnapshot(snapshot({ apps: 'ID\nfinal\n' }, 'after the crash'));
      expect(result.commit).not.toBeNull();
    } finally {
      await lock.release();
    }
    git(dir, 'fsck', '--strict');
    expect(git(dir, 'status', '--porcelain', '--untracked-files=all', '--', 'snapshots/')).toBe('');
    expect(git(dir, 'show', 'HEAD:snapshots/apps.csv')).toBe('ID\nfinal\n');
  }, 60_000);
});
