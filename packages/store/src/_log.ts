import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { readCommitObject } from './_revparse.js';
import { blobAt } from './_tree.js';
import type { CommitInfo } from './types.js';

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
 * that path differs from their first parent's (added, changed or removed) — one tree lookup per
 * commit, each blob id reused as the next commit's "after".
 */
export async function firstParentLog(ctx: StoreContext, start: string | null, filePath: readonly string[] | null, limit: number): Promise<CommitInfo[]> {
  const out: CommitInfo[] = [];
  let oid = start;
  let commit = oid === null ? null : await readCommitObject(ctx, oid);
  while (oid !== null && commit !== null && out.length < limit) {
    const parentOid = commit.parent[0] ?? null;
    const parent = parentOid === null ? null : await readCommitObject(ctx, parentOid);
    if (filePath === null) {
      out.push(toCommitInfo(oid, commit));
    } else {
      const after = await blobAt(ctx, commit.tree, filePath);
      const before = parent === null ? null : await blobAt(ctx, parent.tree, filePath);
      if (after !== before) out.push(toCommitInfo(oid, commit));
    }
    oid = parentOid;
    commit = parent;
  }
  return out;
}
