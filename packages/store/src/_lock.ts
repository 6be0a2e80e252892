import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NodeFs } from './_fs.js';
import { statePaths } from './_state.js';
import { StoreError } from './errors.js';
import type { LockOptions, StoreLock } from './types.js';

interface Holder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

const pollMs = 100;

export function lockPath(gitdir: string): string {
  return statePaths(gitdir).lock;
}

/**
 * Takes the run lock: O_EXCL create of `<gitdir>/balkan-audit/run.lock` holding { pid, host,
 * startedAt }. A lock left by a dead process on this host is taken over; any other holder makes
 * this fail at once (or after `timeoutMs` of polling) with STORE_LOCKED naming it.
 */
export async function acquireRunLock(fs: NodeFs, gitdir: string, options: LockOptions = {}): Promise<StoreLock> {
  const path = lockPath(gitdir);
  const deadline = Date.now() + (options.timeoutMs ?? 0);
  await fs.promises.mkdir(statePaths(gitdir).root, { recursive: true, mode: 0o700 });
  const content = `${JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') })}\n`;
  for (;;) {
    if (await tryCreate(fs, path, content)) return heldLock(fs, path, content);
    const existing = await readHolder(fs, path);
    if (existing !== null && isStale(existing.holder) && await takeOver(fs, path, existing.raw, content)) {
      return heldLock(fs, path, content);
    }
    if (Date.now() >= deadline) throw lockedError(path, existing?.holder ?? null, options.timeoutMs ?? 0);
    await sleep(Math.max(1, Math.min(pollMs, deadline - Date.now())));
  }
}

async function tryCreate(fs: NodeFs, path: string, content: string): Promise<boolean> {
  try {
    await fs.promises.writeFile(path, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw new StoreError('STORE_WRITE_FAILED', `cannot create the run lock ${path}: ${(error as Error).message}`, { data: { path }, cause: error });
  }
}

async function readHolder(fs: NodeFs, path: string): Promise<{ raw: string; holder: Holder | null } | null> {
  let raw: string;
  try {
    raw = await fs.promises.readFile(path, 'utf8');
  } catch {
    return null; // released between our create attempt and this read: just retry
  }
  try {
    const value = JSON.parse(raw) as Partial<Holder>;
    const ok = typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.startedAt === 'string';
    return { raw, holder: ok ? (value as Holder) : null };
  } catch {
    return { raw, holder: null }; // a holder killed while writing the file: not provably stale, so wait
  }
}

function isStale(holder: Holder | null): boolean {
  if (holder === null || holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Moves the stale file aside before creating ours, so two runs taking over at once cannot both
 * win. If what we moved is not the stale file we judged (another run took over first), it is put
 * back with link(), which fails rather than overwrite a newer lock.
 */
async function takeOver(fs: NodeFs, path: string, staleRaw: string, content: string): Promise<boolean> {
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await fs.promises.rename(path, aside);
  } catch {
    return false;
  }
  const moved = await fs.promises.readFile(aside, 'utf8').catch(() => '');
  if (moved !== staleRaw) {
    await fs.promises.link(aside, path).catch(() => undefined);
    await fs.promises.rm(aside, { force: true });
    return false;
  }
  await fs.promises.rm(aside, { force: true });
  return tryCreate(fs, path, content);
}

function heldLock(fs: NodeFs, path: string, content: string): StoreLock {
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      const current = await fs.promises.readFile(path, 'utf8').catch(() => null);
      if (current === content) await fs.promises.rm(path, { force: true });
    },
  };
}

function lockedError(path: string, holder: Holder | null, timeoutMs: number): StoreError {
  const who = holder === null ? 'an unknown holder' : `pid ${holder.pid} on ${holder.host} since ${holder.startedAt}`;
  const waited = timeoutMs > 0 ? ` (waited ${timeoutMs} ms)` : '';
  return new StoreError('STORE_LOCKED', `another balkan-audit run holds ${path}: ${who}${waited}; if no run is active, delete the file`, {
    data: { path, holder },
  });
}
