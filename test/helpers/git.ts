/** Native git, to check what isomorphic-git wrote. */
import { execFileSync } from 'node:child_process';

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
    env: { ...process.env, GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.com' },
  });
}

/** Every object in the repository (loose and packed), contents included, as one string. */
export function allObjects(cwd: string): string {
  return git(cwd, 'cat-file', '--batch-all-objects', '--batch');
}
