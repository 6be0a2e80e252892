import { createHash } from 'node:crypto';
import { macProblem } from './_manifest-trust.js';
import { manifestFile } from './_paths.js';
import { StoreError } from './errors.js';
import type { ManifestKey } from './mac.js';
import type { SnapshotStore, VerifyProblem, VerifyResult } from './types.js';

export interface VerifySnapshotOptions {
  /** The repository's manifest key: the manifest's MAC is checked (without it, `mac` says `unchecked`). */
  readonly macKey?: ManifestKey | null;
}

/**
 * Re-hashes every committed resource file at `ref` (default the branch tip) against the sha256
 * and the blob id its manifest entry records, and checks the manifest's MAC. Entries without a
 * canonical hash are not checked; a listed file that is absent is `missing`, a `.csv` the manifest
 * does not list is `unlisted`; a manifest whose MAC fails is `bad-mac`, one that lost its MAC
 * `mac-missing`. Each problem names the commit that last changed the file.
 */
export async function verifySnapshot(store: SnapshotStore, ref = 'HEAD', options: VerifySnapshotOptions = {}): Promise<VerifyResult> {
  const commit = (await store.resolve(ref)).oid;
  const manifest = await store.readManifest(commit);
  const manifestPath = `${store.snapshotDir}/${manifestFile}`;
  if (manifest === null) {
    throw new StoreError('STORE_BAD_MANIFEST', `no ${manifestPath} at ${commit.slice(0, 12)}`, { data: { commit } });
  }
  const problems: VerifyProblem[] = [];
  const verified: string[] = [];
  const mac = await store.checkManifestMac(manifest, options.macKey ?? null, commit);
  const macFailed = macProblem(mac.status, manifestPath, manifest);
  if (macFailed !== null) problems.push({ ...macFailed, commit: mac.commit?.oid ?? null });
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
  return { ok: problems.length === 0, commit, verified, mac, problems };
}
