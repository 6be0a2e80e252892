import { createHash } from 'node:crypto';
import type { StoreContext } from './_context.js';
import { firstParentLog } from './_log.js';
import { readBlob } from './_objects.js';
import { resourceFile } from './_paths.js';
import { readCommitObject } from './_revparse.js';
import { blobsOf, dirTreeAt } from './_tree.js';
import type { Manifest, ManifestEntry, SnapshotCheck, TamperedFile } from './types.js';

/** A file of the snapshot directory that disagrees with the manifest. */
export interface FileFinding {
  readonly resource: string;
  readonly path: string;
  readonly kind: 'missing' | 'mismatch' | 'unlisted' | 'corrupt';
  readonly expected: string | null;
  /** What was found instead: a blob id (or a hash, as `check` says); null when the file is gone. */
  readonly actual: string | null;
}

/** Decides whether a listed file that is present matches its entry: null when it does. */
export type EntryCheck = (entry: ManifestEntry, oid: string) => Promise<Pick<FileFinding, 'kind' | 'expected' | 'actual'> | null>;

/**
 * The files of a snapshot directory (`files`: name → blob id) against `manifest`: each listed file
 * with a canonical hash is present and passes `check`, and every `.csv` is listed. Entries without
 * a canonical hash (never snapshotted) are not checked. Returns what disagrees, and the blob id of
 * each resource that matched.
 */
export async function compareWithManifest(files: ReadonlyMap<string, string>, manifest: Manifest, snapshotDir: string, check: EntryCheck): Promise<{ findings: FileFinding[]; matched: Map<string, string> }> {
  const findings: FileFinding[] = [];
  const matched = new Map<string, string>();
  const listed = new Set<string>();
  for (const [resource, entry] of Object.entries(manifest.resources).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const name = resourceFile(resource);
    listed.add(name);
    if (entry.canonicalSha256 === null) continue;
    const path = `${snapshotDir}/${name}`;
    const oid = files.get(name);
    if (oid === undefined) {
      findings.push({ resource, path, kind: 'missing', expected: entry.blobId ?? null, actual: null });
      continue;
    }
    const wrong = await check(entry, oid);
    if (wrong === null) matched.set(resource, oid);
    else findings.push({ resource, path, ...wrong });
  }
  for (const [name, oid] of files) {
    if (name.endsWith('.csv') && !listed.has(name)) findings.push({ resource: name.slice(0, -4), path: `${snapshotDir}/${name}`, kind: 'unlisted', expected: null, actual: oid });
  }
  return { findings, matched };
}

/**
 * Compares the snapshot files in `commit`'s tree with what its manifest says was committed. With
 * the blob ids the manifest records this reads tree entries only, never a file; an entry written
 * before blob ids were recorded is checked once by its sha256 (and its blob id returned, so the
 * next manifest can record it). A `.csv` the manifest does not list counts as tampered too.
 */
export async function checkSnapshot(ctx: StoreContext, snapshotDir: string, commit: string, manifest: Manifest): Promise<SnapshotCheck> {
  const files = await blobsOf(ctx, await dirTreeAt(ctx, (await readCommitObject(ctx, commit)).tree, snapshotDir.split('/')));
  const { findings, matched } = await compareWithManifest(files, manifest, snapshotDir, async (entry, oid) => {
    const same = entry.blobId !== undefined
      ? oid === entry.blobId
      : createHash('sha256').update(await readBlob(ctx, oid)).digest('hex') === entry.canonicalSha256;
    return same ? null : { kind: 'mismatch', expected: entry.blobId ?? null, actual: oid };
  });
  // The commit that last changed each file: the one that made it disagree with the manifest.
  const tampered = await Promise.all(findings.map(async ({ resource, path, expected, actual }): Promise<TamperedFile> => ({
    resource, path, expected, actual, commit: (await firstParentLog(ctx, commit, path.split('/'), 1))[0] ?? null,
  })));
  return { tampered, blobIds: matched };
}
