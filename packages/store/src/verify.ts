import { createHash } from 'node:crypto';
import { StoreError } from './errors.js';
import type { SnapshotStore, VerifyProblem, VerifyResult } from './types.js';

/**
 * Re-hashes every committed resource file at `ref` (default the branch tip) against the sha256
 * its manifest entry records. Entries without a canonical hash are not checked; a listed file
 * that is absent is `missing`, a `.csv` the manifest does not list is `unlisted`.
 */
export async function verifySnapshot(store: SnapshotStore, ref = 'HEAD'): Promise<VerifyResult> {
  const commit = (await store.resolve(ref)).oid;
  const manifest = await store.readManifest(commit);
  if (manifest === null) {
    throw new StoreError('STORE_BAD_MANIFEST', `no ${store.snapshotDir}/manifest.json at ${commit.slice(0, 12)}`, { data: { commit } });
  }
  const problems: VerifyProblem[] = [];
  const verified: string[] = [];
  for (const [resource, entry] of Object.entries(manifest.resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry.canonicalSha256 === null) continue;
    const path = `${store.snapshotDir}/${resource}.csv`;
    const content = await store.readResource(resource, commit);
    if (content === null) {
      problems.push({ resource, path, kind: 'missing', expected: entry.canonicalSha256, actual: null });
      continue;
    }
    const actual = createHash('sha256').update(content).digest('hex');
    if (actual === entry.canonicalSha256) verified.push(resource);
    else problems.push({ resource, path, kind: 'mismatch', expected: entry.canonicalSha256, actual });
  }
  for (const resource of await store.listResources(commit)) {
    if (!(resource in manifest.resources)) {
      problems.push({ resource, path: `${store.snapshotDir}/${resource}.csv`, kind: 'unlisted', expected: null, actual: null });
    }
  }
  return { ok: problems.length === 0, commit, verified, problems };
}
