import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { openSnapshotStore } from './open.js';
import { verifySnapshot } from './verify.js';

afterEach(cleanTempDirs);

const shallow = { code: 'STORE_SHALLOW', hint: expect.stringContaining('fetch-depth: 0') };

/** Four nights by the store, and a clone of them `depth` commits deep, as actions/checkout makes one. */
async function cloned(depth: number) {
  const origin = tempDir();
  const store = await openSnapshotStore({ dir: origin });
  for (let night = 1; night <= 4; night++) await store.commitSnapshot(snapshot({ apps: `ID\n${night}\n`, labels: 'ID\n1\n' }, `night ${night}`));
  const dir = join(tempDir(), 'clone');
  git(origin, 'clone', '-q', `--depth=${depth}`, `file://${origin}`, dir);
  const edge = git(dir, 'rev-parse', `HEAD~${depth - 1}`).trim();
  expect(git(dir, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
  return { origin, dir, edge, store: await openSnapshotStore({ dir, init: false }) };
}

describe('a shallow clone', () => {
  it('gives the revisions it holds, and STORE_SHALLOW where the walk must go past its edge', async () => {
    const { origin, store, edge } = await cloned(2);
    const subjects = async (s: typeof store, resource: string, take = Infinity) => {
      const out: string[] = [];
      for await (const r of s.revisions(resource)) {
        out.push(r.commit.subject);
        if (out.length >= take) break;
      }
      return out;
    };
    expect(await subjects(await openSnapshotStore({ dir: origin, init: false }), 'apps')).toEqual(['night 4', 'night 3', 'night 2', 'night 1']);
    expect(await subjects(store, 'apps', 1)).toEqual(['night 4']);
    // Whether the edge commit (night 3) changed the file is not known: it is not taken for the first.
    await expect(subjects(store, 'apps')).rejects.toMatchObject({ ...shallow, data: { edge } });
    await expect(subjects(store, 'labels')).rejects.toMatchObject(shallow);
  });

  it('resolves a revision at its edge and refuses one past it; log ends at the edge', async () => {
    const { store, edge } = await cloned(2);
    expect((await store.resolve('HEAD~1')).oid).toBe(edge);
    await expect(store.resolve('HEAD~2')).rejects.toMatchObject({ ...shallow, message: expect.stringContaining('HEAD~2') });
    expect((await store.log()).map((c) => c.subject)).toEqual(['night 4', 'night 3']);
  });

  it('cannot tell a manifest without a MAC from one that lost it: STORE_SHALLOW, where the full repository says "absent"', async () => {
    const { origin, store } = await cloned(1);
    const full = await openSnapshotStore({ dir: origin, init: false });
    expect(await full.checkManifestMac((await full.readManifest())!, null)).toEqual({ status: 'absent', commit: null });
    await expect(store.checkManifestMac((await store.readManifest())!, null)).rejects.toMatchObject(shallow);
    await expect(verifySnapshot(store)).rejects.toMatchObject(shallow);
  });

  it('verify --all walks to the edge and names it', async () => {
    const { origin, store, edge } = await cloned(2);
    expect(await store.verifyHistory({})).toMatchObject({ ok: true, commits: 2, shallowEdge: [edge] });
    expect(await (await openSnapshotStore({ dir: origin, init: false })).verifyHistory({})).toMatchObject({ ok: true, commits: 4, shallowEdge: [] });
  });

  it('is whole when its depth reaches the first commit, which git lists too', async () => {
    const { store, dir } = await cloned(4);
    const first = git(dir, 'rev-list', '--max-parents=0', 'HEAD').trim();
    expect(readFileSync(join(dir, '.git', 'shallow'), 'utf8').trim()).toBe(first);
    const subjects: string[] = [];
    for await (const r of store.revisions('apps')) subjects.push(r.commit.subject);
    expect(subjects).toEqual(['night 4', 'night 3', 'night 2', 'night 1']);
    expect(await store.verifyHistory({})).toMatchObject({ ok: true, commits: 4, shallowEdge: [] });
  });

  it('refuses a hand edit in a clone one commit deep (STORE_DIRTY), as in a full one', async () => {
    const { dir } = await cloned(1);
    writeFileSync(join(dir, 'snapshots', 'apps.csv'), 'ID\nby hand\n');
    const store = await openSnapshotStore({ dir });
    await expect(store.commitSnapshot(snapshot({ apps: 'ID\n5\n' }, 'night 5'))).rejects.toMatchObject({ code: 'STORE_DIRTY' });
  });
});
