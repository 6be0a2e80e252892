import { createHash } from 'node:crypto';
import type { StoreContext } from './_context.js';
import { firstParentLog } from './_log.js';
import { readBlob } from './_objects.js';
import { resourceFile } from './_paths.js';
import { readCommitObject } from './_revparse.js';
import { listDir } from './_tree.js';
import type { Manifest, SnapshotCheck, TamperedFile } from './types.js';

/**
 * Compares the snapshot files in `commit`'s tree with what its manifest says was committed. With
 * the blob ids the manifest records this reads tree entries only, never a file; an entry written
 * before blob ids were recorded is checked once by its sha256 (and its blob id returned, so the
 * next manifest can record it). A `.csv` the manifest does not list counts as tampered too.
 */
export async function checkSnapshot(ctx: StoreContext, snapshotDir: string, commit: string, manifest: Manifest): Promise<SnapshotCheck> {
  const segments = snapshotDir.split('/');
  const tree = new Map((await listDir(ctx, (await readCommitObject(ctx, commit)).tree, segments))
    .filter((e) => e.type === 'blob').map((e) => [e.path, e.oid]));
  const tampered: TamperedFile[] = [];
  const blobIds = new Map<string, string>();
  const listed = new Set<string>();
  for (const [resource, entry] of Object.entries(manifest.resources)) {
    listed.add(resourceFile(resource));
    if (entry.canonicalSha256 === null) continue;
    const actual = tree.get(resourceFile(resource)) ?? null;
    const matches = actual !== null && (entry.blobId !== undefined
      ? actual === entry.blobId
      : createHash('sha256').update(await readBlob(ctx, actual)).digest('hex') === entry.canonicalSha256);
    if (matches) blobIds.set(resource, actual);
    else tampered.push({ resource, path: `${snapshotDir}/${resourceFile(resource)}`, expected: entry.blobId ?? null, actual, commit: null });
  }
  for (const name of tree.keys()) {
    if (!name.endsWith('.csv') || listed.has(name)) continue;
    tampered.push({ resource: name.slice(0, -4), path: `${snapshotDir}/${name}`, expected: null, actual: tree.get(name)!, commit: null });
  }
  // The commit that last changed each file: the one that made it disagree with the manifest.
  const named = await Promise.all(tampered.map(async (t) => ({ ...t, commit: (await firstParentLog(ctx, commit, t.path.split('/'), 1))[0] ?? null })));
  return { tampered: named, blobIds };
}
