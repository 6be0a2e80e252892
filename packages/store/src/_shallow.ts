import { join } from 'node:path';
import git from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { StoreError } from './errors.js';

/**
 * A shallow clone's edge: the commits `.git/shallow` lists whose parents the repository does not
 * hold (`actions/checkout` clones one commit deep unless told `fetch-depth: 0`). A walk that
 * reaches one cannot tell what came before it, so it says so (STORE_SHALLOW) rather than take it
 * for the first commit, which would make every record in it look added there. git also lists a
 * first commit reached at the clone's depth: it has no parent, nothing is missing, and it is left
 * out. Empty for a full repository.
 */
export async function shallowEdge(ctx: StoreContext): Promise<ReadonlySet<string>> {
  let text: string;
  try {
    text = await ctx.fs.promises.readFile(join(ctx.gitdir, 'shallow'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
  const listed = text.split('\n').filter((line) => /^[0-9a-f]{40}$/.test(line));
  const cut = await Promise.all(listed.map(async (oid) => {
    const { commit } = await git.readCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
    return commit.parent.length > 0;
  }));
  return new Set(listed.filter((_, i) => cut[i]));
}

/** STORE_SHALLOW: `what` needs the history before `edge`, which this shallow clone does not hold. */
export function shallowError(what: string, edge: string): StoreError {
  return new StoreError('STORE_SHALLOW', `${what} needs the history before commit ${edge.slice(0, 12)}, which this shallow clone does not hold`, {
    data: { edge },
    hint: 'fetch the whole history: git fetch --unshallow (in GitHub Actions, actions/checkout with fetch-depth: 0)',
  });
}
