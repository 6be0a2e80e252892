import { randomBytes } from 'node:crypto';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import type { NodeFs } from './_fs.js';

/**
 * Everything balkan-audit keeps about a repository that must never be committed lives under
 * `<gitdir>/balkan-audit/`, and this module is the one place that names its parts.
 */
export function statePaths(gitdir: string) {
  const root = join(gitdir, 'balkan-audit');
  return {
    root,
    /** Half-written files; a file's name starts with its writer's pid. */
    tmp: join(root, 'tmp'),
    lock: join(root, 'run.lock'),
    redactionKey: join(root, 'redaction-key'),
    /** The last change set when no report directory was given. */
    lastRun: join(root, 'last-run'),
    /** One digest cache per snapshot directory: two audit set-ups in one repository never share one. */
    cache: (snapshotDir: string) => join(root, 'cache', createHash('sha256').update(snapshotDir).digest('hex').slice(0, 16)),
  };
}

/** A temp file name in the state directory's `tmp/`, named after this process. */
export function stateTempFile(gitdir: string): string {
  return join(statePaths(gitdir).tmp, `${process.pid}-${randomBytes(6).toString('hex')}`);
}

/**
 * Writes `data` to `path` (inside the state directory) through a temp file and a rename, so a
 * reader never sees half a file and a killed run leaves only a temp file the next run sweeps.
 */
export async function writeStateFile(fs: NodeFs, gitdir: string, path: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  await fs.promises.mkdir(statePaths(gitdir).tmp, { recursive: true, mode: 0o700 });
  await fs.promises.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = stateTempFile(gitdir);
  try {
    await fs.promises.writeFile(tmp, data, { mode });
    await fs.promises.rename(tmp, path);
  } catch (error) {
    await fs.promises.rm(tmp, { force: true });
    throw error;
  }
}

/** Removes this process's temp files (it is stopping) and killed runs' from the state directory's `tmp/`. */
export function sweepStateTemps(fs: NodeFs, gitdir: string): Promise<void> {
  return sweepTemps(fs, statePaths(gitdir).tmp, /^(\d+)-/);
}

/**
 * Removes the files of `dir` whose name holds the pid (first group of `pidIn`) of this process or
 * of a process that is gone, but not the paths `keep` names.
 */
export async function sweepTemps(fs: NodeFs, dir: string, pidIn: RegExp, keep: ReadonlySet<string> = new Set()): Promise<void> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(pidIn.exec(name)?.[1]);
    const path = join(dir, name);
    if (Number.isInteger(pid) && (pid === process.pid || !isAlive(pid)) && !keep.has(path)) await fs.promises.rm(path, { force: true });
  }
}

/** Whether a process with this pid exists (on this host). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
