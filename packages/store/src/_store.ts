import { join } from 'node:path';
import git from 'isomorphic-git';
import { branchTip, prepareSnapshotCommit, publishSnapshotCommit, type CommitTarget } from './_commit.js';
import type { StoreContext } from './_context.js';
import { openDigestCache, type DigestCache } from './_digest-cache.js';
import { refuseUncommittedEdits } from './_dirty.js';
import { repairWorkTree } from './_worktree.js';
import { acquireRunLock } from './_lock.js';
import { createRedactionKey, readRedactionKey } from './_redaction-key.js';
import { statePaths, sweepStateTemps, writeStateFile } from './_state.js';
import { checkSnapshot } from './_tamper.js';
import { checkManifestTrust } from './_manifest-trust.js';
import { verifyHistory } from './_history.js';
import type { ManifestKey } from './mac.js';
import { sweepWorkTreeTemps } from './_worktree.js';
import { fileHistory, firstParentLog, toCommitInfo } from './_log.js';
import { readBlob } from './_objects.js';
import { readRecordBlob } from './_record.js';
import { readTableBlob } from './_table.js';
import { manifestFile, resourceFile } from './_paths.js';
import { resolveCommit } from './_revparse.js';
import { blobAt, listDir } from './_tree.js';
import { resolveAuthor } from './author.js';
import { parseManifest } from './manifest.js';
import type { CanonicalTable } from '@balkan-audit/schema';
import type {
  CommitInfo, CommitSnapshotInput, CommitSnapshotResult, FileRevision, GitPerson, LockOptions, LogOptions, Manifest, ManifestTrust, ReadRecordOptions,
  ReadTableOptions, RedactionKeyOptions, RevisionsOptions, SnapshotCheck, SnapshotStore, StoreLock, TableAt, VerifyHistoryOptions, VerifyHistoryResult,
} from './types.js';

export class GitSnapshotStore implements SnapshotStore {
  readonly dir: string;
  readonly gitdir: string;
  readonly snapshotDir: string;
  readonly branch: string;
  readonly checkedOut: boolean;
  readonly #ctx: StoreContext;
  readonly #target: CommitTarget;
  readonly #cache: DigestCache;

  constructor(ctx: StoreContext, snapshotDir: string, branch: string, checkedOut: boolean) {
    this.#ctx = ctx;
    this.dir = ctx.dir;
    this.gitdir = ctx.gitdir;
    this.snapshotDir = snapshotDir;
    this.branch = branch;
    this.checkedOut = checkedOut;
    this.#target = { branchRef: `refs/heads/${branch}`, snapshotDir, checkedOut };
    this.#cache = openDigestCache(ctx.fs, ctx.gitdir, snapshotDir);
  }

  async head(): Promise<CommitInfo | null> {
    const tip = await branchTip(this.#ctx, this.#target.branchRef);
    return tip === null ? null : this.resolve(tip);
  }

  async resolve(ref: string): Promise<CommitInfo> {
    const { oid, commit } = await resolveCommit(this.#ctx, this.#target.branchRef, ref);
    return toCommitInfo(oid, commit);
  }

  async readResource(resource: string, ref?: string): Promise<Buffer | null> {
    const oid = await this.blobId(resource, ref);
    return oid === null ? null : readBlob(this.#ctx, oid);
  }

  async readManifest(ref?: string): Promise<Manifest | null> {
    const oid = await this.#blobAt(manifestFile, ref);
    if (oid === null) return null;
    return parseManifest(await readBlob(this.#ctx, oid), `${this.snapshotDir}/${manifestFile}`);
  }

  blobId(resource: string, ref?: string): Promise<string | null> {
    return this.#blobAt(resourceFile(resource), ref);
  }

  async readTable(resource: string, options: ReadTableOptions): Promise<TableAt | null> {
    const oid = await this.blobId(resource, options.ref);
    if (oid === null) return null;
    return readTableBlob(this.#ctx, options.cached === false ? null : this.#cache, resource, oid, options.schema, options.redactor);
  }

  /** Resource names with a `.csv` file in the snapshot directory at `ref`, sorted. */
  async listResources(ref?: string): Promise<string[]> {
    const tree = await this.#treeAt(ref);
    if (tree === null) return [];
    const entries = await listDir(this.#ctx, tree, this.snapshotDir.split('/'));
    return entries.filter((e) => e.type === 'blob' && e.path.endsWith('.csv')).map((e) => e.path.slice(0, -4)).sort();
  }

  async defaultAuthor(env: NodeJS.ProcessEnv = process.env): Promise<GitPerson> {
    const read = async (path: string) => {
      const value: unknown = await git.getConfig({ fs: this.#ctx.gitFs, gitdir: this.gitdir, path });
      return typeof value === 'string' ? value : undefined;
    };
    return resolveAuthor(env, { name: await read('user.name'), email: await read('user.email') });
  }

  async commitSnapshot(input: CommitSnapshotInput): Promise<CommitSnapshotResult> {
    const author = input.author ?? await this.defaultAuthor();
    const plan = await prepareSnapshotCommit(this.#ctx, this.#target, input, author);
    await publishSnapshotCommit(this.#ctx, this.#target, plan, input.signal);
    // The files are now at the branch tip (committed, or equal to it): what tomorrow may reuse of
    // them is kept for exactly these blobs.
    for (const [resource, entry] of input.cache ?? []) {
      const oid = plan.blobIds.get(resource);
      if (oid !== undefined) await this.#cache.write(resource, oid, entry);
    }
    return { commit: plan.commit, changedPaths: plan.changedPaths, blobIds: plan.blobIds };
  }

  async log(options: LogOptions = {}): Promise<CommitInfo[]> {
    const start = options.ref === undefined ? await branchTip(this.#ctx, this.#target.branchRef) : (await this.resolve(options.ref)).oid;
    const path = options.resource === undefined ? null : [...this.snapshotDir.split('/'), resourceFile(options.resource)];
    return firstParentLog(this.#ctx, start, path, options.limit ?? Number.POSITIVE_INFINITY);
  }

  async *revisions(resource: string, options: RevisionsOptions = {}): AsyncGenerator<FileRevision> {
    const path = [...this.snapshotDir.split('/'), resourceFile(resource)];
    const start = options.ref === undefined ? await branchTip(this.#ctx, this.#target.branchRef) : (await this.resolve(options.ref)).oid;
    yield* fileHistory(this.#ctx, start, path);
  }

  async readRecord(resource: string, key: string, options: ReadRecordOptions): Promise<CanonicalTable | null> {
    const oid = options.blobId ?? await this.blobId(resource, options.ref);
    if (oid === null) return null;
    return readRecordBlob(this.#ctx, oid, key, options.schema, options.redactor, resourceFile(resource));
  }

  async lock(options?: LockOptions): Promise<StoreLock> {
    const { fs, dir, gitdir } = this.#ctx;
    const held = await acquireRunLock(fs, gitdir, options);
    await sweepStateTemps(fs, gitdir);
    return {
      release: async () => {
        await sweepStateTemps(fs, gitdir);
        if (this.checkedOut) await sweepWorkTreeTemps(fs, join(dir, this.snapshotDir));
        await held.release();
      },
    };
  }

  async redactionKey(options: RedactionKeyOptions = {}): Promise<string | null> {
    const stored = await readRedactionKey(this.#ctx.fs, this.gitdir);
    if (stored !== null || options.create !== true) return stored;
    return createRedactionKey(this.#ctx.fs, this.gitdir);
  }

  async checkWorkTree(): Promise<void> {
    if (!this.checkedOut) return;
    const tip = await branchTip(this.#ctx, this.#target.branchRef);
    if (tip !== null && await refuseUncommittedEdits(this.#ctx, this.snapshotDir, tip)) await repairWorkTree(this.#ctx, this.snapshotDir, tip);
  }

  async checkSnapshot(manifest: Manifest, ref = 'HEAD'): Promise<SnapshotCheck> {
    return checkSnapshot(this.#ctx, this.snapshotDir, (await this.resolve(ref)).oid, manifest);
  }

  async checkManifestMac(manifest: Manifest, key: ManifestKey | null, ref = 'HEAD'): Promise<ManifestTrust> {
    return checkManifestTrust(this.#ctx, this.snapshotDir, (await this.resolve(ref)).oid, manifest, key);
  }

  verifyHistory(options: VerifyHistoryOptions = {}): Promise<VerifyHistoryResult> {
    return verifyHistory(this.#ctx, this.snapshotDir, this.#target.branchRef, options);
  }

  async saveLastRun(files: ReadonlyMap<string, string | Uint8Array>): Promise<string[]> {
    const dir = statePaths(this.gitdir).lastRun;
    const written: string[] = [];
    for (const [name, content] of files) {
      const path = join(dir, name);
      await writeStateFile(this.#ctx.fs, this.gitdir, path, content);
      written.push(path);
    }
    return written;
  }

  /** The root tree at `ref`; null only when `ref` is omitted and the branch has no commit yet. */
  async #treeAt(ref: string | undefined): Promise<string | null> {
    if (ref === undefined && await branchTip(this.#ctx, this.#target.branchRef) === null) return null;
    return (await resolveCommit(this.#ctx, this.#target.branchRef, ref ?? 'HEAD')).commit.tree;
  }

  async #blobAt(file: string, ref: string | undefined): Promise<string | null> {
    const tree = await this.#treeAt(ref);
    return tree === null ? null : blobAt(this.#ctx, tree, [...this.snapshotDir.split('/'), file]);
  }
}
