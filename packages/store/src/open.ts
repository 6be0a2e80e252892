import * as nodeFs from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import git from 'isomorphic-git';
import { branchTip } from './_commit.js';
import type { StoreContext } from './_context.js';
import { assertNoSymlink, atomicGitFs, type NodeFs } from './_fs.js';
import { normaliseSnapshotDir } from './_paths.js';
import { GitSnapshotStore } from './_store.js';
import { StoreError } from './errors.js';
import type { SnapshotStore, SnapshotStoreOptions } from './types.js';

export interface SnapshotStoreOptionsResolved {
  readonly dir: string;
  readonly fs: NodeFs;
  readonly snapshotDir: string;
  readonly branch: string | null;
  readonly init: boolean;
  readonly nested: boolean;
}

/** Fills the defaults of {@link SnapshotStoreOptions} and validates them; no I/O. */
export function resolveStoreOptions(options: SnapshotStoreOptions): SnapshotStoreOptionsResolved {
  const branch = options.branch ?? null;
  if (branch !== null && !isValidBranchName(branch)) {
    throw new StoreError('STORE_BAD_INPUT', `branch "${branch.slice(0, 80)}" is not a valid git branch name`, { data: { branch } });
  }
  return {
    dir: resolve(options.dir),
    fs: options.fs ?? nodeFs,
    snapshotDir: normaliseSnapshotDir(options.snapshotDir ?? 'snapshots'),
    branch,
    init: options.init ?? true,
    nested: options.nested ?? false,
  };
}

// The subset of `git check-ref-format --branch` rules that matter for a name typed by a user.
function isValidBranchName(name: string): boolean {
  return name !== '' && name !== 'HEAD' && !name.startsWith('-') && !name.startsWith('/') && !name.endsWith('/')
    && !name.endsWith('.') && !name.endsWith('.lock') && !name.includes('..') && !name.includes('//') && !name.includes('@{')
    && !/[\x00-\x20~^:?*[\\\x7f]/.test(name) && !name.split('/').some((part) => part.startsWith('.'));
}

/**
 * Opens the snapshot store of the repository containing `dir` (initialising one with branch
 * `main` when there is none and `init` is on). Snapshots are committed to `branch`, by default
 * the checked-out branch; a detached HEAD without `branch` is refused with STORE_DETACHED_HEAD.
 *
 * @example
 * const store = await openSnapshotStore({ dir: '.' });
 * const lock = await store.lock();
 * try { await store.commitSnapshot({ files, manifest, message }); } finally { await lock.release(); }
 */
export async function openSnapshotStore(options: SnapshotStoreOptions): Promise<SnapshotStore> {
  const resolved = resolveStoreOptions(options);
  const { fs } = resolved;
  const root = await findOrInitRoot(resolved);
  await assertNoSymlink(fs, root, resolved.snapshotDir.split('/'));
  const gitdir = await gitdirOf(fs, root);
  const ctx: StoreContext = { fs, gitFs: atomicGitFs(fs, gitdir), dir: root, gitdir, cache: {} };
  const current = (await git.currentBranch({ fs: ctx.gitFs, gitdir })) ?? null;
  const branch = resolved.branch ?? current;
  if (branch === null) {
    throw new StoreError('STORE_DETACHED_HEAD', `HEAD of ${root} is detached; check out a branch or pass a branch for the snapshots`, { data: { dir: root } });
  }
  const branchRef = `refs/heads/${branch}`;
  if (branch !== current && await branchTip(ctx, branchRef) === null) {
    const headCommit = await branchTip(ctx, 'HEAD');
    if (headCommit !== null) await git.writeRef({ fs: ctx.gitFs, gitdir, ref: branchRef, value: headCommit });
  }
  return new GitSnapshotStore(ctx, resolved.snapshotDir, branch, branch === current);
}

async function findOrInitRoot(resolved: SnapshotStoreOptionsResolved): Promise<string> {
  const { fs, dir } = resolved;
  const kind = await fs.promises.stat(dir).then((s) => (s.isDirectory() ? 'directory' : 'other'), () => 'missing');
  if (kind === 'other') {
    throw new StoreError('STORE_BAD_INPUT', `${dir} is not a directory; the audit repository must be a directory`, {
      data: { dir }, hint: 'pass the directory of the audit repository (or a new one to create)',
    });
  }
  if (await exists(fs, join(dir, '.git'))) return dir;
  let enclosing: string | null = null;
  try {
    enclosing = await git.findRoot({ fs, filepath: dir });
  } catch (error) {
    if ((error as { code?: string }).code !== 'NotFoundError') throw error;
  }
  // `dir` must be the repository's top level. Walking up to an enclosing repository (as git does
  // from a subdirectory) would commit snapshots into a project that never asked for them.
  if (enclosing === dir) return dir;
  if (enclosing !== null && !resolved.nested) {
    throw new StoreError('STORE_NOT_REPO_ROOT', `${dir} is inside the git repository ${enclosing} but is not its top level; snapshots are only written to a repository's top level`, {
      data: { dir, enclosing },
      hint: `pass the repository itself (--repo ${enclosing}), or run \`git init\` in ${dir} to keep a separate audit repository there`,
    });
  }
  if (!resolved.init) {
    throw new StoreError('STORE_NOT_A_REPO', `${dir} is not a git repository`, {
      data: { dir },
      hint: 'give the audit repository (or a clone of it); a first `balkan-audit snapshot` creates one',
    });
  }
  await fs.promises.mkdir(dir, { recursive: true });
  const gitdir = join(dir, '.git');
  await git.init({ fs: atomicGitFs(fs, gitdir), dir, gitdir, defaultBranch: 'main' });
  return dir;
}

async function exists(fs: NodeFs, path: string): Promise<boolean> {
  try {
    await fs.promises.stat(path);
    return true;
  } catch {
    return false;
  }
}

/** `<root>/.git`, or where a `.git` file (`gitdir: …`, as in submodules) points. */
async function gitdirOf(fs: NodeFs, root: string): Promise<string> {
  const dotgit = join(root, '.git');
  const stat = await fs.promises.stat(dotgit);
  if (stat.isDirectory()) return dotgit;
  const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(await fs.promises.readFile(dotgit, 'utf8'))?.[1];
  if (pointer === undefined) throw new StoreError('STORE_NOT_A_REPO', `${dotgit} is neither a directory nor a "gitdir:" file`, { data: { dir: root } });
  return isAbsolute(pointer) ? pointer : resolve(root, pointer);
}
