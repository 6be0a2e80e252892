import type { NodeFs } from './_fs.js';

/** What every internal step needs: the raw fs, the atomic fs for isomorphic-git, the paths. */
export interface StoreContext {
  /** The caller's fs, for working-tree files and our own reads. */
  readonly fs: NodeFs;
  /** The fs handed to isomorphic-git: writes inside the git directory are temp + rename. */
  readonly gitFs: NodeFs;
  readonly dir: string;
  readonly gitdir: string;
  /** isomorphic-git's cache (parsed packfiles, the index), shared by every call of one store. */
  readonly cache: object;
}
