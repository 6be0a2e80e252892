import { dirname, join } from 'node:path';
import { GitIndexManager } from 'isomorphic-git/managers';
import { FileSystem } from 'isomorphic-git/models';
import type { StoreContext } from './_context.js';
import { readBlob } from './_objects.js';
import { readCommitObject } from './_revparse.js';
import { sweepTemps } from './_state.js';
import { blobsOf, dirTreeAt } from './_tree.js';
import { dropStaged, placeStaged, stageFile, workTreeTempPattern, writeFileAtomic, type NodeFs } from './_fs.js';

export interface WorkTreeWrite {
  /** Repository-relative, `/`-separated. */
  readonly path: string;
  readonly oid: string;
  readonly content: Uint8Array;
  /** Where `content` is already written (its temp name), or null to write it when syncing. */
  readonly staged: string | null;
}

/** Writes a file's content to its temp name ahead of the sync, which then only renames it. */
export async function stageWorkTreeFile(ctx: StoreContext, path: string, content: Uint8Array): Promise<string> {
  const file = join(ctx.dir, path);
  await ctx.fs.promises.mkdir(dirname(file), { recursive: true });
  return stageFile(ctx.fs, file, content);
}

export async function dropStagedWrites(ctx: StoreContext, writes: readonly WorkTreeWrite[]): Promise<void> {
  for (const { staged } of writes) if (staged !== null) await dropStaged(ctx.fs, staged);
}

/**
 * Makes the working tree and the index match the new commit under the snapshot directory, and
 * nowhere else: each written file goes in through temp + rename and its index entry gets the blob
 * id and the file's real stat (so `git status` need not re-hash it); removed files leave both. A
 * file whose index entry already has the blob id and whose stat still matches is not rewritten.
 * Other index entries — a user's staged work — are carried over untouched.
 */
export async function syncWorkTree(ctx: StoreContext, snapshotDir: string, plannedWrites: readonly WorkTreeWrite[], plannedRemoves: readonly string[], repair: RepairSource): Promise<void> {
  const staged = new Set(plannedWrites.map((w) => w.staged).filter((s) => s !== null));
  await sweepWorkTreeTemps(ctx.fs, join(ctx.dir, snapshotDir), staged);
  const fs = new FileSystem(ctx.gitFs);
  await GitIndexManager.acquire({ fs, gitdir: ctx.gitdir, cache: ctx.cache }, async (index: GitIndexLike) => {
    const { writes, removes } = await withRepairs(index, snapshotDir, plannedWrites, plannedRemoves, repair);
    for (const { path, oid, content, staged: tmp } of writes) {
      const file = join(ctx.dir, path);
      const entry = index.entriesMap.get(path);
      if (entry?.oid === oid && await statMatches(ctx.fs, file, entry)) {
        if (tmp !== null) await dropStaged(ctx.fs, tmp);
        continue;
      }
      if (tmp !== null) {
        await placeStaged(ctx.fs, tmp, file);
      } else {
        await ctx.fs.promises.mkdir(dirname(file), { recursive: true });
        await writeFileAtomic(ctx.fs, file, content);
      }
      index.insert({ filepath: path, oid, stats: await exactStat(ctx.fs, file) });
    }
    for (const path of removes) {
      await ctx.fs.promises.rm(join(ctx.dir, path), { force: true });
      if (index.has({ filepath: path })) index.delete({ filepath: path });
    }
  });
}

/**
 * Brings the working tree and the index in line with `tip` where a run killed after moving the
 * branch left them (the sync of {@link syncWorkTree} with nothing new to write).
 */
export async function repairWorkTree(ctx: StoreContext, snapshotDir: string, tip: string): Promise<void> {
  const committed = await blobsOf(ctx, await dirTreeAt(ctx, (await readCommitObject(ctx, tip)).tree, snapshotDir.split('/')));
  await syncWorkTree(ctx, snapshotDir, [], [], { committed, readBlob: (oid) => readBlob(ctx, oid) });
}

/** The committed snapshot directory (name → blob id) and a way to read a blob. */
export interface RepairSource {
  readonly committed: ReadonlyMap<string, string>;
  readBlob(oid: string): Promise<Uint8Array>;
}

/** The files the store writes in the snapshot directory. */
export const isManaged = (name: string): boolean => name.endsWith('.csv') || name === 'manifest.json';

/**
 * A run killed after moving the ref but before syncing left index entries of files this run does
 * not write pointing at older blobs. Bring every managed file (`*.csv`, `manifest.json`) of the
 * snapshot directory whose index entry disagrees with the commit back in line, and drop managed
 * entries the commit no longer has.
 */
async function withRepairs(index: GitIndexLike, snapshotDir: string, writes: readonly WorkTreeWrite[], removes: readonly string[], repair: RepairSource) {
  const outWrites = [...writes];
  const outRemoves = [...removes];
  const touched = new Set([...writes.map((w) => w.path), ...removes]);
  for (const [name, oid] of repair.committed) {
    const path = `${snapshotDir}/${name}`;
    if (!isManaged(name) || touched.has(path) || index.entriesMap.get(path)?.oid === oid) continue;
    outWrites.push({ path, oid, content: await repair.readBlob(oid), staged: null });
  }
  const prefix = `${snapshotDir}/`;
  for (const path of index.entriesMap.keys()) {
    const name = path.slice(prefix.length);
    if (path.startsWith(prefix) && !name.includes('/') && isManaged(name) && !repair.committed.has(name) && !touched.has(path)) outRemoves.push(path);
  }
  return { writes: outWrites, removes: outRemoves };
}

export interface IndexEntryLike {
  readonly oid: string;
  readonly size: number;
  readonly mtimeSeconds: number;
  readonly mtimeNanoseconds: number;
}

export interface GitIndexLike {
  readonly entriesMap: Map<string, IndexEntryLike>;
  has(args: { filepath: string }): boolean;
  delete(args: { filepath: string }): void;
  insert(args: { filepath: string; oid: string; stats: ExactStat }): void;
}

type ExactStat = ReturnType<typeof toExactStat>;

/** Stat with whole nanoseconds, as git records them (node's *Ms fields are rounded floats). */
export async function exactStat(fs: NodeFs, file: string) {
  return toExactStat(await fs.promises.lstat(file, { bigint: true }));
}

function toExactStat(s: import('node:fs').BigIntStats) {
  const split = (ns: bigint) => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)] as const;
  const [ctimeSeconds, ctimeNanoseconds] = split(s.ctimeNs);
  const [mtimeSeconds, mtimeNanoseconds] = split(s.mtimeNs);
  return {
    ctimeSeconds, ctimeNanoseconds, mtimeSeconds, mtimeNanoseconds,
    dev: Number(s.dev), ino: Number(s.ino), mode: Number(s.mode), uid: Number(s.uid), gid: Number(s.gid), size: Number(s.size),
  };
}

async function statMatches(fs: NodeFs, file: string, entry: IndexEntryLike): Promise<boolean> {
  try {
    const s = await exactStat(fs, file);
    return s.size === entry.size && s.mtimeSeconds === entry.mtimeSeconds && s.mtimeNanoseconds === entry.mtimeNanoseconds;
  } catch {
    return false;
  }
}

/**
 * Removes temp files a killed run (its writer is not alive) or this one left in the snapshot
 * directory, but not the ones `keep` names (staged by the commit being published).
 */
export function sweepWorkTreeTemps(fs: NodeFs, dir: string, keep: ReadonlySet<string> = new Set()): Promise<void> {
  return sweepTemps(fs, dir, workTreeTempPattern, keep);
}


