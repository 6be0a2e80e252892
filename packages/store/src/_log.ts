import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { shallowEdge, shallowError } from './_shallow.js';
import { blobAtForWalk, readCommitForWalk } from './_walk.js';
import type { CommitInfo, FileRevision } from './types.js';

export function toCommitInfo(oid: string, commit: CommitObject): CommitInfo {
  return {
    oid,
    date: new Date(commit.author.timestamp * 1000).toISOString(),
    message: commit.message,
    subject: commit.message.split('\n', 1)[0] ?? '',
    author: { name: commit.author.name, email: commit.author.email },
    parents: [...commit.parent],
  };
}

/**
 * First-parent history from `start`, newest first. With `filePath`, only commits whose blob at
 * that path differs from their first parent's (added, changed or removed). A shallow clone's
 * history ends at its edge; with `filePath`, reaching the edge is STORE_SHALLOW (whether the edge
 * commit changed the file is not known).
 */
export async function firstParentLog(ctx: StoreContext, start: string | null, filePath: readonly string[] | null, limit: number): Promise<CommitInfo[]> {
  const out: CommitInfo[] = [];
  if (out.length >= limit) return out;
  if (filePath === null) {
    const edge = await shallowEdge(ctx);
    let oid = start;
    while (oid !== null && out.length < limit) {
      const commit = await readCommitForWalk(ctx, oid);
      out.push(toCommitInfo(oid, commit));
      oid = edge.has(oid) ? null : commit.parent[0] ?? null;
    }
    return out;
  }
  for await (const revision of fileRevisions(ctx, start, filePath)) {
    out.push(revision.commit);
    if (out.length >= limit) break;
  }
  return out;
}

/**
 * The first-parent commits from `start` whose blob at `filePath` differs from their first
 * parent's, newest first, each with both blob ids; lazily, so a caller that has seen enough stops
 * the walk. One tree lookup per commit: a parent's blob id is the next commit's "after".
 */
export async function* fileRevisions(ctx: StoreContext, start: string | null, filePath: readonly string[]): AsyncGenerator<FileRevision> {
  if (start === null) return;
  const edge = await shallowEdge(ctx);
  let oid: string | null = start;
  let commit = await readCommitForWalk(ctx, start);
  let after = await blobAtForWalk(ctx, commit.tree, filePath);
  while (oid !== null) {
    if (edge.has(oid)) throw shallowError(`the history of ${filePath.join('/')}`, oid);
    const parentOid: string | null = commit.parent[0] ?? null;
    const parent = parentOid === null ? null : await readCommitForWalk(ctx, parentOid);
    const before = parent === null ? null : await blobAtForWalk(ctx, parent.tree, filePath);
    if (after !== before) yield { commit: toCommitInfo(oid, commit), blobId: after, previousBlobId: before };
    oid = parentOid;
    if (parent === null) break;
    commit = parent;
    after = before;
  }
}

/**
 * Every commit reachable from `start`, through every parent of a merge, that changed the file at
 * `filePath`, newest first by committer time with no commit before any of its children (as `git log
 * --full-history --date-order -- FILE`): the nights of a merged branch are changes of their own,
 * even those a later night undid. A merge that took the file as one of its parents had it is no
 * change of its own; one whose file matches none of them is (`previousBlobId`: its first parent's).
 *
 * Committer times alone do not order history: commits made within one second tie, and a clock set
 * behind makes a child older than its parent. So the commits are read first (each once, no trees),
 * to count each one's children; a commit is ready once all of them are out, and the newest ready
 * one comes next. The file's blob is looked up as commits come out, so a caller that stops early
 * reads no more trees than it needed. Coming to a shallow clone's edge is STORE_SHALLOW.
 */
export async function* fileHistory(ctx: StoreContext, start: string | null, filePath: readonly string[]): AsyncGenerator<FileRevision> {
  if (start === null) return;
  const edge = await shallowEdge(ctx);
  const commits = new Map<string, CommitObject>();
  const childrenLeft = new Map<string, number>();
  for (const pending = [start]; pending.length > 0;) {
    const oid = pending.pop()!;
    if (commits.has(oid)) continue;
    const commit = await readCommitForWalk(ctx, oid);
    commits.set(oid, commit);
    if (edge.has(oid)) continue;
    for (const parent of commit.parent) {
      childrenLeft.set(parent, (childrenLeft.get(parent) ?? 0) + 1);
      pending.push(parent);
    }
  }
  // Each commit's blob of the file, once read: a merge base is a parent of two commits.
  const blobs = new Map<string, string | null>();
  const blobOf = async (oid: string): Promise<string | null> => {
    let blob = blobs.get(oid);
    if (blob === undefined) {
      blob = await blobAtForWalk(ctx, commits.get(oid)!.tree, filePath);
      blobs.set(oid, blob);
    }
    return blob;
  };
  const time = (oid: string): number => commits.get(oid)!.committer.timestamp;
  // Newest last: a branch is rarely more than two lines wide, so a sorted array does.
  const ready = [start];
  while (ready.length > 0) {
    const oid = ready.pop()!;
    // Whether the edge commit changed the file is not known: its parents are not here.
    if (edge.has(oid)) throw shallowError(`the history of ${filePath.join('/')}`, oid);
    const commit = commits.get(oid)!;
    const blob = await blobOf(oid);
    const parents: Array<string | null> = [];
    for (const parent of commit.parent) {
      parents.push(await blobOf(parent));
      const left = childrenLeft.get(parent)! - 1;
      childrenLeft.set(parent, left);
      if (left > 0) continue;
      // Among equal times the later parent comes out first: a merged branch before its base.
      const at = ready.findIndex((other) => time(other) > time(parent));
      ready.splice(at === -1 ? ready.length : at, 0, parent);
    }
    const changed = parents.length === 0 ? blob !== null : !parents.includes(blob);
    if (changed) yield { commit: toCommitInfo(oid, commit), blobId: blob, previousBlobId: parents[0] ?? null };
  }
}
