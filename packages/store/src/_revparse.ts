import git from 'isomorphic-git';
import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { shallowEdge, shallowError } from './_shallow.js';
import { StoreError } from './errors.js';

export interface ResolvedCommit {
  readonly oid: string;
  readonly commit: CommitObject;
}

/**
 * A revision → its commit. `HEAD` (and `@`) mean the store's branch, so reads and history follow the
 * snapshot branch even when another branch is checked out. Supports `~N` and `^N` suffixes, branch
 * and tag names (annotated tags are peeled), full refs, and full or abbreviated object ids.
 */
export async function resolveCommit(ctx: StoreContext, branchRef: string, rev: string): Promise<ResolvedCommit> {
  const match = /^(.*?)((?:[~^]\d*)*)$/.exec(rev.trim());
  const base = match?.[1] ?? '';
  const ops = match?.[2] ?? '';
  if (base === '') throw badRef(rev, 'an empty revision');
  let oid = await peelToCommit(ctx, rev, await resolveBase(ctx, branchRef, base, rev));
  for (const [, op, digits] of ops.matchAll(/([~^])(\d*)/g)) {
    const n = digits === '' || digits === undefined ? 1 : Number(digits);
    if (op === '~') {
      for (let i = 0; i < n; i++) oid = await parentOf(ctx, rev, oid, 0);
    } else if (n > 0) {
      oid = await parentOf(ctx, rev, oid, n - 1);
    }
  }
  return { oid, commit: await readCommitObject(ctx, oid) };
}

async function resolveBase(ctx: StoreContext, branchRef: string, base: string, rev: string): Promise<string> {
  const ref = base === 'HEAD' || base === '@' ? branchRef : base;
  try {
    return await git.resolveRef({ fs: ctx.gitFs, gitdir: ctx.gitdir, ref });
  } catch (error) {
    if (ref === branchRef) throw badRef(rev, `no commit on ${branchRef} yet`, error);
    if (!/^[0-9a-f]{4,40}$/i.test(base)) throw badRef(rev, 'no branch, tag or ref of that name', error);
  }
  try {
    return await git.expandOid({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid: base.toLowerCase(), cache: ctx.cache });
  } catch (error) {
    throw badRef(rev, 'no object with that id (or the abbreviation is ambiguous)', error);
  }
}

async function peelToCommit(ctx: StoreContext, rev: string, oid: string): Promise<string> {
  for (let depth = 0; depth < 10; depth++) {
    let type: string;
    try {
      ({ type } = await git.readObject({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, format: 'content', cache: ctx.cache }));
    } catch (error) {
      throw badRef(rev, `object ${oid} is missing`, error);
    }
    if (type === 'commit') return oid;
    if (type !== 'tag') throw badRef(rev, `${oid} is a ${type}, not a commit`);
    oid = (await git.readTag({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache })).tag.object;
  }
  throw badRef(rev, 'tags nested too deeply');
}

async function parentOf(ctx: StoreContext, rev: string, oid: string, index: number): Promise<string> {
  const parent = (await readCommitObject(ctx, oid)).parent[index];
  if (parent === undefined) throw badRef(rev, `commit ${oid.slice(0, 12)} has no parent #${index + 1}`);
  if ((await shallowEdge(ctx)).has(oid)) throw shallowError(`revision "${rev.slice(0, 80)}"`, oid);
  return parent;
}

export async function readCommitObject(ctx: StoreContext, oid: string): Promise<CommitObject> {
  return (await git.readCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache })).commit;
}

function badRef(rev: string, why: string, cause?: unknown): StoreError {
  return new StoreError('STORE_BAD_REF', `cannot resolve revision "${rev.slice(0, 80)}": ${why}`, { data: { ref: rev }, cause });
}
