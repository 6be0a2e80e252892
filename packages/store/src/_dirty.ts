import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { GitIndexManager } from 'isomorphic-git/managers';
import { FileSystem } from 'isomorphic-git/models';
import type { StoreContext } from './_context.js';
import { assertNoSymlink } from './_fs.js';
import { readCommitObject } from './_revparse.js';
import { shallowEdge } from './_shallow.js';
import { listDir } from './_tree.js';
import { StoreError } from './errors.js';
import { exactStat, isManaged, type GitIndexLike, type IndexEntryLike } from './_worktree.js';

/**
 * The managed files (`*.csv`, `manifest.json`) of the snapshot directory that hold an edit nobody
 * committed (in the working tree or staged, or untracked), and whether any is behind the tip. A commit would overwrite them, so the
 * store refuses (STORE_DIRTY) rather than lose someone's work.
 *
 * What a killed run leaves is not an edit: after the branch moved but before the working tree
 * followed, files and index still hold the previous commit's content (or already the new one), and
 * the next commit brings them in line. A file deleted by hand loses nothing (the commit has it).
 * A file whose index entry's stat still matches is taken to hold the indexed content, as git does;
 * any other (a copied or freshly checked-out repository) is hashed as it is read.
 */
async function workTreeState(ctx: StoreContext, snapshotDir: string, tip: string | null): Promise<WorkTreeState> {
  const segments = snapshotDir.split('/');
  await assertNoSymlink(ctx.fs, ctx.dir, segments);
  const tipFiles = await managedAt(ctx, tip, segments);
  // The commit before is read only when something does not match the tip.
  let parentFiles: Promise<Map<string, string>> | null = null;
  const previousOf = async (name: string): Promise<string | null> => {
    // A shallow clone's edge has no commit before it here: a file that does not match the tip is an edit.
    parentFiles ??= tip === null ? Promise.resolve(new Map()) : Promise.all([readCommitObject(ctx, tip), shallowEdge(ctx)])
      .then(([c, edge]) => managedAt(ctx, edge.has(tip) ? null : c.parent[0] ?? null, segments));
    return (await parentFiles).get(name) ?? null;
  };
  const dir = join(ctx.dir, snapshotDir);
  const prefix = `${snapshotDir}/`;
  const dirty: string[] = [];
  let behind = false;
  await GitIndexManager.acquire({ fs: new FileSystem(ctx.gitFs), gitdir: ctx.gitdir, cache: ctx.cache }, async (index: GitIndexLike) => {
    const names = new Set([...tipFiles.keys(), ...(await managedNames(ctx, dir))]);
    for (const path of index.entriesMap.keys()) {
      const name = path.slice(prefix.length);
      if (path.startsWith(prefix) && !name.includes('/') && isManaged(name)) names.add(name);
    }
    for (const name of [...names].sort()) {
      await assertNoSymlink(ctx.fs, dir, [name]);
      const file = join(dir, name);
      const indexed = index.entriesMap.get(`${prefix}${name}`) ?? null;
      const work = await workTreeBlob(ctx, file, indexed);
      // What `git status` does: content that matched its entry gets the file's stat, so the next
      // check (the commit's own, tomorrow's) need not read it again.
      if (work?.hashed && work.oid === indexed?.oid) index.insert({ filepath: `${prefix}${name}`, oid: work.oid, stats: await exactStat(ctx.fs, file) });
      // Content the branch has: its tip, or the commit before, which a killed run left behind.
      const committed = tipFiles.get(name) ?? null;
      const held = [indexed?.oid ?? null, work?.oid ?? null].filter((oid) => oid !== null && oid !== committed);
      for (const oid of held) {
        if (oid === await previousOf(name)) behind = true;
        else dirty.push(`${prefix}${name}`);
      }
    }
  });
  return { edits: [...new Set(dirty)], behind };
}

interface WorkTreeState {
  /** Managed files holding an uncommitted edit. */
  readonly edits: readonly string[];
  /** Some file is still at the commit before the tip (a run was killed before the working tree followed). */
  readonly behind: boolean;
}

async function managedAt(ctx: StoreContext, commit: string | null, segments: readonly string[]): Promise<Map<string, string>> {
  if (commit === null) return new Map();
  const entries = await listDir(ctx, (await readCommitObject(ctx, commit)).tree, segments);
  return new Map(entries.filter((e) => e.type === 'blob' && isManaged(e.path)).map((e) => [e.path, e.oid]));
}

async function managedNames(ctx: StoreContext, dir: string): Promise<string[]> {
  try {
    return (await ctx.fs.promises.readdir(dir)).filter(isManaged);
  } catch {
    return [];
  }
}

/** The blob id of the working-tree file (`hashed` when it had to be read), or null when it is absent. */
async function workTreeBlob(ctx: StoreContext, file: string, indexed: IndexEntryLike | null): Promise<{ oid: string; hashed: boolean } | null> {
  let info: import('node:fs').BigIntStats;
  try {
    info = await ctx.fs.promises.lstat(file, { bigint: true });
  } catch {
    return null;
  }
  if (!info.isFile()) return { oid: 'not-a-file', hashed: false };
  if (indexed !== null && Number(info.size) === indexed.size
    && Number(info.mtimeNs / 1_000_000_000n) === indexed.mtimeSeconds && Number(info.mtimeNs % 1_000_000_000n) === indexed.mtimeNanoseconds) {
    return { oid: indexed.oid, hashed: false };
  }
  return { oid: await hashFileBlob(ctx, file, Number(info.size)), hashed: true };
}

/** The blob id of a file, hashed as it streams in: a 267 MB snapshot is never held in memory for it. */
async function hashFileBlob(ctx: StoreContext, file: string, size: number): Promise<string> {
  const hash = createHash('sha1').update(`blob ${size}\0`);
  for await (const chunk of ctx.fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
  return hash.digest('hex');
}

/**
 * STORE_DIRTY, listing the files, when {@link workTreeState} finds an edit; otherwise whether the
 * working tree is behind the tip.
 */
export async function refuseUncommittedEdits(ctx: StoreContext, snapshotDir: string, tip: string | null): Promise<boolean> {
  const { edits, behind } = await workTreeState(ctx, snapshotDir, tip);
  if (edits.length === 0) return behind;
  throw new StoreError('STORE_DIRTY', `${edits.join(', ')} ${edits.length === 1 ? 'has' : 'have'} uncommitted changes that a snapshot would overwrite; nothing was written`, {
    data: { files: edits },
    hint: `commit, stash or discard them first (git -C ${ctx.dir} status -- ${snapshotDir})`,
  });
}
