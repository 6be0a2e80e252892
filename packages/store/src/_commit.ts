import git from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { refuseUncommittedEdits } from './_dirty.js';
import { hashBlob, readBlob, writeBlob } from './_objects.js';
import { snapshotSeekPoints } from './_seek.js';
import { manifestFile, resourceFile } from './_paths.js';
import { readCommitObject } from './_revparse.js';
import { listDir, updateTree } from './_tree.js';
import { dropStagedWrites, stageWorkTreeFile, syncWorkTree, type WorkTreeWrite } from './_worktree.js';
import { StoreError } from './errors.js';
import { withoutMac, type ManifestKey } from './mac.js';
import { serialiseManifest } from './manifest.js';
import { writeSignedCommit } from './_sign.js';
import type { CommitSnapshotInput, GitPerson, Manifest } from './types.js';

export interface CommitTarget {
  readonly branchRef: string;
  readonly snapshotDir: string;
  /** Whether the branch is checked out, so the working tree and the index follow the commit. */
  readonly checkedOut: boolean;
}

export interface CommitPlan {
  readonly parent: string | null;
  readonly commit: string | null;
  readonly changedPaths: string[];
  readonly writes: WorkTreeWrite[];
  readonly removes: string[];
  /** The snapshot directory of the resulting tip (name → blob id), for repairing the index. */
  readonly committed: ReadonlyMap<string, string>;
  /** Resource → blob id of each file of the input. */
  readonly blobIds: ReadonlyMap<string, string>;
}

/**
 * Everything that can be done without being visible: blobs, trees and the commit object are
 * written, the ref is not moved. Stopping here (a crash) leaves only unreachable objects.
 */
export async function prepareSnapshotCommit(ctx: StoreContext, target: CommitTarget, input: CommitSnapshotInput, author: GitPerson): Promise<CommitPlan> {
  const message = `${input.message.replace(/\s+$/, '')}\n`;
  if (message.trim() === '') throw new StoreError('STORE_BAD_INPUT', 'the commit message is empty');
  const parent = await branchTip(ctx, target.branchRef);
  throwIfAborted(input.signal);
  if (target.checkedOut) await refuseUncommittedEdits(ctx, target.snapshotDir, parent);
  const parentTree = parent === null ? null : (await readCommitObject(ctx, parent)).tree;
  const segments = target.snapshotDir.split('/');
  const before = new Map((parentTree === null ? [] : await listDir(ctx, parentTree, segments)).map((e) => [e.path, e.oid]));

  // File name → content and blob id; the manifest records each resource file's blob id.
  const files = new Map<string, { content: Uint8Array; oid: string }>();
  const blobIds = new Map<string, string>();
  for (const [resource, content] of input.files) {
    const oid = hashBlob(content);
    files.set(resourceFile(resource), { content, oid });
    blobIds.set(resource, oid);
  }
  const manifest = serialiseManifest(sealed(withBlobIds(input.manifest, blobIds), input.macKey));
  files.set(manifestFile, { content: manifest, oid: hashBlob(manifest) });
  const removed = (input.removed ?? []).map(resourceFile);
  const clash = removed.find((name) => files.has(name));
  if (clash !== undefined) throw new StoreError('STORE_BAD_INPUT', `${clash} is both written and removed`, { data: { file: clash } });

  const changes = new Map<string, string | null>();
  const writes: WorkTreeWrite[] = [];
  try {
    for (const [name, { content, oid }] of files) {
      throwIfAborted(input.signal);
      const path = `${target.snapshotDir}/${name}`;
      // An unchanged resource (same id as in the parent tree) costs one sha1 and nothing else. A
      // changed one's working-tree file is written to its temp name while the blob is deflated;
      // publishing only renames it.
      if (before.get(name) === oid) {
        writes.push({ path, oid, content, staged: null });
        continue;
      }
      const [blob, staging] = await Promise.allSettled([
        writeBlob(ctx, oid, content, name === manifestFile ? [] : snapshotSeekPoints(content)),
        target.checkedOut ? stageWorkTreeFile(ctx, path, content) : null,
      ]);
      // Listed before any failure is thrown, so the catch below removes a staged file either way.
      writes.push({ path, oid, content, staged: staging.status === 'fulfilled' ? staging.value : null });
      if (blob.status === 'rejected') throw blob.reason;
      if (staging.status === 'rejected') throw staging.reason;
      changes.set(name, oid);
    }
  } catch (error) {
    await dropStagedWrites(ctx, writes);
    throw error;
  }
  for (const name of removed) if (before.has(name)) changes.set(name, null);

  const tree = changes.size === 0 && parentTree !== null ? parentTree : await updateTree(ctx, parentTree, segments, changes);
  const changedPaths = [...changes.keys()].map((name) => `${target.snapshotDir}/${name}`).sort();
  const removes = removed.map((name) => `${target.snapshotDir}/${name}`);
  const committed = new Map((await listDir(ctx, tree, segments)).filter((e) => e.type === 'blob').map((e) => [e.path, e.oid]));
  if (tree === parentTree && input.allowEmpty !== true) return { parent, commit: null, changedPaths: [], writes, removes, committed, blobIds };

  const now = input.now ?? new Date();
  const person = { ...author, timestamp: Math.floor(now.getTime() / 1000), timezoneOffset: now.getTimezoneOffset() };
  const object = { message, tree, parent: parent === null ? [] : [parent], author: person, committer: person };
  const commit = input.signer === undefined
    ? await git.writeCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, commit: object })
    : await writeSignedCommit(ctx, object, input.signer);
  return { parent, commit, changedPaths, writes, removes, committed, blobIds };
}

/**
 * Makes a prepared commit visible: the branch moves (only if it still points at the parent the
 * commit was built on), then — on the checked-out branch — the working tree and the index follow.
 * Even without a new commit they are synced, which also repairs a run killed after the ref moved.
 */
export async function publishSnapshotCommit(ctx: StoreContext, target: CommitTarget, plan: CommitPlan, signal?: AbortSignal): Promise<void> {
  try {
    throwIfAborted(signal);
    await moveRef(ctx, target, plan);
  } catch (error) {
    await dropStagedWrites(ctx, plan.writes);
    throw error;
  }
  if (target.checkedOut) {
    await syncWorkTree(ctx, target.snapshotDir, plan.writes, plan.removes, { committed: plan.committed, readBlob: (oid) => readBlob(ctx, oid) });
  }
}

async function moveRef(ctx: StoreContext, target: CommitTarget, plan: CommitPlan): Promise<void> {
  if (plan.commit !== null) {
    const current = await branchTip(ctx, target.branchRef);
    if (current !== plan.parent) {
      throw new StoreError('STORE_REF_MOVED', `${target.branchRef} moved to ${current ?? '(none)'} while the snapshot was built on ${plan.parent ?? '(none)'}; run again`, {
        data: { ref: target.branchRef, expected: plan.parent, actual: current },
      });
    }
    try {
      await git.writeRef({ fs: ctx.gitFs, gitdir: ctx.gitdir, ref: target.branchRef, value: plan.commit, force: true });
    } catch (error) {
      throw new StoreError('STORE_WRITE_FAILED', `cannot update ${target.branchRef}: ${(error as Error).message}`, { data: { ref: target.branchRef }, cause: error });
    }
  }
}

export async function branchTip(ctx: StoreContext, branchRef: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs: ctx.gitFs, gitdir: ctx.gitdir, ref: branchRef });
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
}

/** The manifest with the blob id of each file this commit writes. */
function withBlobIds(manifest: Manifest, blobIds: ReadonlyMap<string, string>): Manifest {
  const resources = Object.fromEntries(Object.entries(manifest.resources).map(([name, entry]) => {
    const blobId = blobIds.get(name);
    return [name, blobId === undefined ? entry : { ...entry, blobId }];
  }));
  return { ...manifest, resources };
}

/** The manifest as written: MACed with `macKey`, or without a `mac` at all (never a stale one). */
function sealed(manifest: Manifest, macKey: ManifestKey | undefined): Manifest {
  const bare = withoutMac(manifest);
  return macKey === undefined ? bare : { ...bare, mac: macKey.mac(bare) };
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new StoreError('STORE_ABORTED', 'the snapshot commit was interrupted before the branch moved; nothing was committed');
}
