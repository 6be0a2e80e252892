import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import type { SnapshotStore } from './types.js';

afterEach(cleanTempDirs);

function lockFile(store: SnapshotStore): string {
  return join(store.gitdir, 'balkan-audit', 'run.lock');
}

describe('the run lock', () => {
  it('records pid, host and start time, and a second taker fails fast with STORE_LOCKED', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    const lock = await store.lock();
    const holder = JSON.parse(readFileSync(lockFile(store), 'utf8')) as { pid: number; host: string; startedAt: string };
    expect(holder).toMatchObject({ pid: process.pid, host: hostname() });
    const started = Date.now();
    await expect(store.lock()).rejects.toMatchObject({ code: 'STORE_LOCKED', data: { holder: { pid: process.pid } } });
    expect(Date.now() - started).toBeLessThan(1000);
    await lock.release();
    await lock.release();
    const again = await store.lock();
    await again.release();
  });

  it('waits up to timeoutMs and gets the lock once it is released', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    const first = await store.lock();
    setTimeout(() => void first.release(), 250);
    const second = await store.lock({ timeoutMs: 5000 });
    await second.release();
    const third = await store.lock();
    await expect(store.lock({ timeoutMs: 200 })).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    await third.release();
  });

  it('takes over a lock left by a process that is no longer running', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    mkdirSync(join(store.gitdir, 'balkan-audit'), { recursive: true });
    writeFileSync(lockFile(store), JSON.stringify({ pid: dead, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
    const lock = await store.lock();
    expect(JSON.parse(readFileSync(lockFile(store), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('does not take over a live process or another host', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    mkdirSync(join(store.gitdir, 'balkan-audit'), { recursive: true });
    writeFileSync(lockFile(store), JSON.stringify({ pid: 1, host: hostname(), startedAt: '2020-01-01T00:00:00.000Z' }));
    await expect(store.lock()).rejects.toMatchObject({ code: 'STORE_LOCKED' });
    writeFileSync(lockFile(store), JSON.stringify({ pid: 999999999, host: 'elsewhere', startedAt: '2020-01-01T00:00:00.000Z' }));
    await expect(store.lock()).rejects.toMatchObject({ code: 'STORE_LOCKED' });
  });

  it('keeps history linear when two runs commit under the lock at once', async () => {
    const dir = tempDir();
    const [a, b] = await Promise.all([openSnapshotStore({ dir }), openSnapshotStore({ dir })]);
    const run = async (store: SnapshotStore, name: string) => {
      for (let i = 0; i < 3; i++) {
        const lock = await store.lock({ timeoutMs: 20_000 });
        try {
          await store.commitSnapshot(snapshot({ [name]: `ID\n${i}\n` }, `${name} ${i}`));
        } finally {
          await lock.release();
        }
      }
    };
    await Promise.all([run(a!, 'apps'), run(b!, 'labels')]);
    const lines = git(dir, 'rev-list', '--parents', 'HEAD').trim().split('\n');
    expect(lines).toHaveLength(6);
    expect(lines.slice(0, -1).every((line) => line.split(' ').length === 2)).toBe(true);
    git(dir, 'fsck', '--strict');
  });
});
