import git from 'isomorphic-git';
import type { CommitObject } from 'isomorphic-git';
import type { StoreContext } from './_context.js';
import { StoreError } from './errors.js';
import type { CommitSigner } from './types.js';

/**
 * Writes `commit` signed by `signer`. isomorphic-git signs only in `commit()`, which reads the
 * index (and refuses unmerged paths) where the store builds the tree from the parent commit, so
 * the payload is rendered here as git renders a commit object, signed, and handed to `writeCommit`
 * with its `gpgsig`. What was written is read back: a commit whose signature covers other bytes
 * than the object's is never returned (the ref is not moved).
 */
export async function writeSignedCommit(ctx: StoreContext, commit: CommitObject, signer: CommitSigner): Promise<string> {
  const payload = commitPayload(commit);
  let gpgsig: string;
  try {
    gpgsig = await signer.sign(payload);
  } catch (error) {
    throw new StoreError('STORE_SIGN_FAILED', `signing the snapshot commit with key ${signer.fingerprint} failed: ${(error as Error).message}; nothing was committed`, { cause: error });
  }
  const oid = await git.writeCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, commit: { ...commit, gpgsig } });
  const written = await git.readCommit({ fs: ctx.gitFs, gitdir: ctx.gitdir, oid, cache: ctx.cache });
  if (written.payload !== payload) {
    throw new StoreError('STORE_SIGN_FAILED', `the signed commit ${oid} does not hold the bytes that were signed (a bug); nothing was committed`, { data: { oid } });
  }
  return oid;
}

/** A commit object's bytes without a `gpgsig` header: what git signs and verifies. */
export function commitPayload(commit: CommitObject): string {
  const lines = [`tree ${commit.tree}`, ...commit.parent.map((p) => `parent ${p}`), `author ${person(commit.author)}`, `committer ${person(commit.committer)}`];
  return `${lines.join('\n')}\n\n${commit.message.replace(/\r/g, '').replace(/^\n+/, '').replace(/\n+$/, '')}\n`;
}

function person(p: CommitObject['author']): string {
  // Minutes west of UTC, as Date#getTimezoneOffset gives them; git writes ±HHMM east, and
  // isomorphic-git keeps a parsed "-0000" as -0.
  const east = p.timezoneOffset === 0 ? p.timezoneOffset : -p.timezoneOffset;
  const sign = (Math.sign(east) || (Object.is(east, -0) ? -1 : 1)) < 0 ? '-' : '+';
  const minutes = Math.abs(east);
  const hhmm = `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}`;
  return `${p.name} <${p.email}> ${p.timestamp} ${sign}${hhmm}`;
}
