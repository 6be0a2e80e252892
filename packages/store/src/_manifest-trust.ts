import type { StoreContext } from './_context.js';
import { firstParentLog } from './_log.js';
import { readBlob } from './_objects.js';
import { manifestFile } from './_paths.js';
import { readCommitObject } from './_revparse.js';
import { shallowEdge, shallowError } from './_shallow.js';
import { blobAt } from './_tree.js';
import { StoreError } from './errors.js';
import { checkManifestMac, type ManifestKey } from './mac.js';
import { parseManifest } from './manifest.js';
import type { Manifest, ManifestTrust, VerifyProblem } from './types.js';

/**
 * How far the manifest of `commit` can be trusted (see {@link ManifestTrust}). A manifest without a
 * `mac` is told apart from one written before MACs by the first-parent line: once a manifest there
 * had a MAC, every later one the tool wrote has one too. That walk only runs for a manifest
 * without a MAC, which after the first MACed commit means one that lost it.
 */
export async function checkManifestTrust(ctx: StoreContext, snapshotDir: string, commit: string, manifest: Manifest, key: ManifestKey | null): Promise<ManifestTrust> {
  const path = [...snapshotDir.split('/'), manifestFile];
  // Only names the commit; past a shallow clone's edge it is not known.
  const lastChange = async () => (await firstParentLog(ctx, commit, path, 1).catch((error: unknown) => {
    if (error instanceof StoreError && error.code === 'STORE_SHALLOW') return [];
    throw error;
  }))[0] ?? null;
  if (manifest.mac === undefined) {
    return await earlierManifestHadMac(ctx, commit, path) ? { status: 'stripped', commit: await lastChange() } : { status: 'absent', commit: null };
  }
  if (key === null) return { status: 'unchecked', commit: null };
  const status = checkManifestMac(manifest, key);
  return { status, commit: status === 'invalid' ? await lastChange() : null };
}

/** STORE_SHALLOW when the walk must go past a shallow clone's edge: what came before is not known. */
async function earlierManifestHadMac(ctx: StoreContext, commit: string, path: readonly string[]): Promise<boolean> {
  const edge = await shallowEdge(ctx);
  let oid = commit;
  let object = await readCommitObject(ctx, oid);
  let seen = await blobAt(ctx, object.tree, path);
  for (let parent = object.parent[0]; parent !== undefined; parent = object.parent[0]) {
    if (edge.has(oid)) throw shallowError('telling a manifest that lost its MAC from one written before MACs', oid);
    oid = parent;
    object = await readCommitObject(ctx, oid);
    const manifestOid = await blobAt(ctx, object.tree, path);
    if (manifestOid !== null && manifestOid !== seen && hasMac(await readBlob(ctx, manifestOid))) return true;
    seen = manifestOid;
  }
  return false;
}

/** Whether a committed manifest carries a `mac`; one that does not parse counts as none. */
function hasMac(bytes: Buffer): boolean {
  try {
    return parseManifest(bytes, manifestFile).mac !== undefined;
  } catch {
    return false;
  }
}

/** The problem a manifest's MAC status is, if any (`invalid`, `stripped`), as `verify` reports it. */
export function macProblem(status: ManifestTrust['status'], path: string, manifest: Manifest | null): Omit<VerifyProblem, 'commit'> | null {
  if (status === 'invalid') {
    return { kind: 'bad-mac', resource: null, path, expected: null, actual: manifest?.mac ?? null, detail: 'the manifest does not match its MAC: edited without the redaction key' };
  }
  if (status === 'stripped') {
    return { kind: 'mac-missing', resource: null, path, expected: null, actual: null, detail: 'the manifest has no MAC, although an earlier one had' };
  }
  return null;
}
