import git from 'isomorphic-git';
import type { TreeEntry } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { StoreError } from './errors.js';

const treeMode = '040000';
const blobMode = '100644';

async function readEntries(ctx: StoreContext, treeOid: string | null): Promise<TreeEntry[]> {
  if (treeOid === null) return [];
  const { tree } = await git.readTree({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid: treeOid, cache: ctx.cache });
  return tree;
}

/** The entries of the directory at `segments` under `rootTree`, or [] when it does not exist. */
export async function listDir(ctx: StoreContext, rootTree: string, segments: readonly string[]): Promise<TreeEntry[]> {
  return readEntries(ctx, await dirTreeAt(ctx, rootTree, segments));
}

/** The tree id of the directory at `segments` under `rootTree`, or null when it does not exist. */
export async function dirTreeAt(ctx: StoreContext, rootTree: string, segments: readonly string[]): Promise<string | null> {
  let oid: string | null = rootTree;
  for (const name of segments) {
    const entry: TreeEntry | undefined = (await readEntries(ctx, oid)).find((e) => e.path === name);
    if (entry === undefined || entry.type !== 'tree') return null;
    oid = entry.oid;
  }
  return oid;
}

/** The blob entries of a tree, name → blob id. */
export async function blobsOf(ctx: StoreContext, treeOid: string | null): Promise<Map<string, string>> {
  return new Map((await readEntries(ctx, treeOid)).filter((e) => e.type === 'blob').map((e) => [e.path, e.oid]));
}

/** The blob id at `segments` under `rootTree`, or null when the path is absent or not a file. */
export async function blobAt(ctx: StoreContext, rootTree: string, segments: readonly string[]): Promise<string | null> {
  const dirEntries = await listDir(ctx, rootTree, segments.slice(0, -1));
  const entry = dirEntries.find((e) => e.path === segments[segments.length - 1]);
  return entry !== undefined && entry.type === 'blob' ? entry.oid : null;
}

/**
 * A new root tree equal to `rootTree` except in the directory at `dirSegments`, where each name of
 * `changes` is set to a blob (oid) or removed (null). Only the trees on that path are rewritten;
 * everything else in the repository is carried over by id. An emptied directory disappears.
 */
export async function updateTree(ctx: StoreContext, rootTree: string | null, dirSegments: readonly string[], changes: ReadonlyMap<string, string | null>): Promise<string> {
  const oid = await updateLevel(ctx, rootTree, dirSegments, changes, '');
  return oid ?? git.writeTree({ fs: ctx.gitFs, gitdir: ctx.gitdir, tree: [] });
}

async function updateLevel(ctx: StoreContext, treeOid: string | null, segments: readonly string[], changes: ReadonlyMap<string, string | null>, at: string): Promise<string | null> {
  const entries = await readEntries(ctx, treeOid);
  const byName = new Map(entries.map((e) => [e.path, e]));
  const [head, ...rest] = segments;
  if (head === undefined) {
    for (const [name, oid] of changes) {
      const existing = byName.get(name);
      if (existing?.type === 'tree') throw new StoreError('STORE_WRITE_FAILED', `cannot write ${at}${name}: it is a directory in the parent commit`, { data: { path: `${at}${name}` } });
      if (oid === null) byName.delete(name);
      else byName.set(name, { mode: blobMode, path: name, oid, type: 'blob' });
    }
  } else {
    const existing = byName.get(head);
    if (existing !== undefined && existing.type !== 'tree') {
      throw new StoreError('STORE_WRITE_FAILED', `cannot write into ${at}${head}: it is a file in the parent commit`, { data: { path: `${at}${head}` } });
    }
    const child = await updateLevel(ctx, existing?.oid ?? null, rest, changes, `${at}${head}/`);
    if (child === existing?.oid) return treeOid;
    if (child === null) byName.delete(head);
    else byName.set(head, { mode: treeMode, path: head, oid: child, type: 'tree' });
  }
  if (byName.size === 0) return null;
  return git.writeTree({ fs: ctx.gitFs, gitdir: ctx.gitdir, tree: [...byName.values()] });
}
