import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Manifest } from './types.js';

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Native Git', GIT_AUTHOR_EMAIL: 'native@example.com',
  GIT_COMMITTER_NAME: 'Native Git', GIT_COMMITTER_EMAIL: 'native@example.com',
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs native git in `cwd` and returns its stdout (trailing newline kept). */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: gitEnv, encoding: 'utf8', maxBuffer: 1 << 30 });
}

/** As `git`, with the author and committer dates set to `when` (a commit made at a given time). */
export function gitAt(when: Date, cwd: string, ...args: string[]): string {
  const date = `${Math.floor(when.getTime() / 1000)} +0000`;
  return execFileSync('git', args, { cwd, env: { ...gitEnv, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }, encoding: 'utf8' });
}

export function gitBuffer(cwd: string, ...args: string[]): Buffer {
  return execFileSync('git', args, { cwd, env: gitEnv, maxBuffer: 1 << 30 });
}

const made: string[] = [];

export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'balkan-store-'));
  made.push(dir);
  return dir;
}

export function cleanTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function manifestFor(files: Record<string, string>, generatedAt = '2025-01-01T00:00:00.000Z'): Manifest {
  const resources = Object.fromEntries(Object.entries(files).map(([name, text]) => [name, {
    status: 'ok' as const, rows: text.split('\n').length - 2, columns: (text.split('\n')[0] ?? '').split(','),
    rawSha256: null, canonicalSha256: sha256(text), fetchedAt: generatedAt,
  }]));
  return { schemaVersion: 1, tenant: 'acme', generatedAt, resources };
}

export function filesOf(files: Record<string, string>): Map<string, Buffer> {
  return new Map(Object.entries(files).map(([name, text]) => [name, Buffer.from(text)]));
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** A snapshot input for `files` with a fixed message. */
export function snapshot(files: Record<string, string>, message = 'snapshot') {
  return { files: filesOf(files), manifest: manifestFor(files), message };
}
