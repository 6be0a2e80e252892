import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
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
 * that path differs from their first parent's (added, changed or removed).
 */
export async function firstParentLog(ctx: StoreContext, start: string | null, filePath: readonly string[] | null, limit: number): Promise<CommitInfo[]> {
  const out: CommitInfo[] = [];
  if (out.length >= limit) return out;
  if (filePath === null) {
    let oid = start;
    while (oid !== null && out.length < limit) {
      const commit = await readCommitForWalk(ctx, oid);
      out.push(toCommitInfo(oid, commit));
      oid = commit.parent[0] ?? null;
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
  let oid: string | null = start;
  let commit = await readCommitForWalk(ctx, start);
  let after = await blobAtForWalk(ctx, commit.tree, filePath);
  while (oid !== null) {
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
