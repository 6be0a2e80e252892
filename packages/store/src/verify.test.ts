import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, filesOf, manifestFor, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import { verifySnapshot } from './verify.js';

afterEach(cleanTempDirs);

describe('verifySnapshot', () => {
  it('passes when every file matches its manifest hash', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    const files = { apps: 'ID\n1\n', labels: 'ID\n2\n' };
    const { commit } = await store.commitSnapshot({ files: filesOf(files), manifest: manifestFor(files), message: 'ok' });
    expect(await verifySnapshot(store)).toEqual({ ok: true, commit, verified: ['apps', 'labels'], mac: { status: 'absent', commit: null }, problems: [] });
  });

  it('lists mismatched, missing and unlisted files', async () => {
    const store = await openSnapshotStore({ dir: tempDir() });
    const manifest = manifestFor({ apps: 'ID\n1\n', labels: 'ID\n2\n' });
    await store.commitSnapshot({ files: filesOf({ apps: 'ID\ntampered\n', extra: 'ID\n' }), manifest, message: 'bad' });
    const result = await verifySnapshot(store, 'HEAD');
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.resource, p.kind])).toEqual([['apps', 'mismatch'], ['labels', 'missing'], ['extra', 'unlisted']]);
  });

  it('throws STORE_BAD_MANIFEST when the commit has no manifest', async () => {
    const store = await openSnapshotStore({ dir: tempDir(), snapshotDir: 'snaps' });
    await store.commitSnapshot({ files: filesOf({ apps: 'ID\n' }), manifest: manifestFor({}), message: 'one' });
    const other = await openSnapshotStore({ dir: store.dir, snapshotDir: 'elsewhere' });
    await expect(verifySnapshot(other)).rejects.toMatchObject({ code: 'STORE_BAD_MANIFEST' });
  });
});
