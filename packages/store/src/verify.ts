import { createHash } from 'node:crypto';
import { StoreError } from './errors.js';
import type { SnapshotStore, VerifyProblem, VerifyResult } from './types.js';

/**
 * Re-hashes every committed resource file at `ref` (default the branch tip) against the sha256
 * and the blob id its manifest entry records. Entries without a canonical hash are not checked; a
 * listed file that is absent is `missing`, a `.csv` the manifest does not list is `unlisted`. Each
 * problem names the commit that last changed the file.
 */
export async function verifySnapshot(store: SnapshotStore, ref = 'HEAD'): Promise<VerifyResult> {
  const commit = (await store.resolve(ref)).oid;
  const manifest = await store.readManifest(commit);
  if (manifest === null) {
    throw new StoreError('STORE_BAD_MANIFEST', `no ${store.snapshotDir}/manifest.json at ${commit.slice(0, 12)}`, { data: { commit } });
  }
  const problems: VerifyProblem[] = [];
  const verified: string[] = [];
  const { tampered } = await store.checkSnapshot(manifest, commit);
  const changedBy = new Map(tampered.map((t) => [t.resource, t.commit?.oid ?? null]));
  const problem = (resource: string, kind: VerifyProblem['kind'], expected: string | null, actual: string | null): VerifyProblem =>
    ({ resource, path: `${store.snapshotDir}/${resource}.csv`, kind, expected, actual, commit: changedBy.get(resource) ?? null });
  for (const [resource, entry] of Object.entries(manifest.resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry.canonicalSha256 === null) continue;
    const content = await store.readResource(resource, commit);
    if (content === null) {
      problems.push(problem(resource, 'missing', entry.canonicalSha256, null));
      continue;
    }
    const actual = createHash('sha256').update(content).digest('hex');
    if (actual !== entry.canonicalSha256) problems.push(problem(resource, 'mismatch', entry.canonicalSha256, actual));
    else if (changedBy.has(resource)) problems.push(problem(resource, 'mismatch', entry.blobId ?? null, await store.blobId(resource, commit)));
    else verified.push(resource);
  }
  for (const resource of await store.listResources(commit)) {
    if (!(resource in manifest.resources)) problems.push(problem(resource, 'unlisted', null, null));
  }
  return { ok: problems.length === 0, commit, verified, problems };
}
