import type * as nodeFs from 'node:fs';
import { join, relative, sep } from 'node:path';
import { stateTempFile, statePaths } from './_state.js';
import { StoreError } from './errors.js';

export type NodeFs = typeof nodeFs;

/**
 * The fs handed to isomorphic-git. It writes every file inside the git directory (loose objects,
 * refs, the index) to a temp file first and renames it into place, so a run killed mid-write never
 * leaves a truncated object, ref or index behind — isomorphic-git itself writes them in place.
 * An ENOENT from the rename (missing parent directory) is passed on, and isomorphic-git then
 * creates the directory and retries, as it does for a plain writeFile.
 */
export function atomicGitFs(fs: NodeFs, gitdir: string): NodeFs {
  const writeFile = async (path: nodeFs.PathLike | nodeFs.promises.FileHandle, data: string | Uint8Array, options?: nodeFs.WriteFileOptions) => {
    if (typeof path !== 'string' || !isInside(gitdir, path)) return fs.promises.writeFile(path, data, options as never);
    await fs.promises.mkdir(statePaths(gitdir).tmp, { recursive: true, mode: 0o700 });
    const tmp = stateTempFile(gitdir);
    try {
      // A full disk fails the write itself: the partial temp file must not stay behind either.
      await fs.promises.writeFile(tmp, data, options as never);
      await fs.promises.rename(tmp, path);
    } catch (error) {
      await fs.promises.rm(tmp, { force: true });
      throw error;
    }
  };
  const promises = { ...fs.promises, writeFile } as NodeFs['promises'];
  return { ...fs, promises } as NodeFs;
}

function isInside(parent: string, path: string): boolean {
  const rel = relative(parent, path);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..';
}

/** Writes a working-tree file through a temp name in the same directory and a rename. */
export async function writeFileAtomic(fs: NodeFs, path: string, data: Uint8Array): Promise<void> {
  await placeStaged(fs, await stageFile(fs, path, data), path);
}

/**
 * Writes `data` to the temp name of `path` (the first half of `writeFileAtomic`), so the write can
 * run while other work does; `placeStaged` renames it into place, `dropStaged` throws it away.
 */
export async function stageFile(fs: NodeFs, path: string, data: Uint8Array): Promise<string> {
  const tmp = `${path}.balkan-audit-${process.pid}.tmp`;
  try {
    await fs.promises.writeFile(tmp, data);
  } catch (error) {
    await dropStaged(fs, tmp);
    throw error;
  }
  return tmp;
}

export async function placeStaged(fs: NodeFs, tmp: string, path: string): Promise<void> {
  try {
    await fs.promises.rename(tmp, path);
  } catch (error) {
    await dropStaged(fs, tmp);
    throw error;
  }
}

export async function dropStaged(fs: NodeFs, tmp: string): Promise<void> {
  await fs.promises.rm(tmp, { force: true });
}

/** Pattern of the temp names above; a killed run may leave one, the next run sweeps it. */
export const workTreeTempPattern = /\.balkan-audit-(\d+)\.tmp$/;

export async function exists(fs: NodeFs, path: string): Promise<boolean> {
  try {
    await fs.promises.lstat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a symlink at `root/<segments…>` or on the way there (the repository root itself may be
 * one): a snapshot must never be written through a link to a folder outside the repository.
 * Missing parts are fine (they will be created as directories).
 */
export async function assertNoSymlink(fs: NodeFs, root: string, segments: readonly string[]): Promise<void> {
  let path = root;
  for (const segment of segments) {
    path = join(path, segment);
    let info: nodeFs.Stats;
    try {
      info = await fs.promises.lstat(path);
    } catch {
      return;
    }
    if (info.isSymbolicLink()) {
      const target = await fs.promises.readlink(path).catch(() => '?');
      throw new StoreError('STORE_SYMLINK', `${path} is a symbolic link (to ${target}); balkan-audit writes snapshots only into real directories inside the repository`, {
        data: { path, target },
        hint: 'replace the link with a directory, or point --dir at one',
      });
    }
  }
}
