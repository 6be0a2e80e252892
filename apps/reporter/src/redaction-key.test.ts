import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveRedactionKey } from './redaction-key.js';

let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'redaction-key-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('resolveRedactionKey', () => {
  it('prefers BALKAN_AUDIT_REDACTION_KEY', async () => {
    expect(await resolveRedactionKey({ env: { BALKAN_AUDIT_REDACTION_KEY: 'from-env' }, repoDir: dir, homeDir: dir })).toBe('from-env');
  });

  it('generates a 0600 key in the git directory once and reuses it', async () => {
    execFileSync('git', ['init', '-q', dir]);
    await mkdir(join(dir, 'snapshots'));
    const key = await resolveRedactionKey({ env: {}, repoDir: join(dir, 'snapshots'), homeDir: join(dir, 'home') });
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, '.git', 'balkan-audit', 'redaction-key');
    expect((await readFile(file, 'utf8')).trim()).toBe(key);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await resolveRedactionKey({ env: {}, repoDir: dir })).toBe(key);
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' })).toBe('');
  });

  it('agrees on one key when runs race', async () => {
    execFileSync('git', ['init', '-q', dir]);
    const keys = await Promise.all(Array.from({ length: 8 }, () => resolveRedactionKey({ env: {}, repoDir: dir })));
    expect(new Set(keys).size).toBe(1);
  });

  it('follows a .git file (worktrees, submodules)', async () => {
    await mkdir(join(dir, 'real-git'));
    await mkdir(join(dir, 'work'));
    await writeFile(join(dir, 'work', '.git'), 'gitdir: ../real-git\n');
    const key = await resolveRedactionKey({ env: {}, repoDir: join(dir, 'work') });
    expect((await readFile(join(dir, 'real-git', 'balkan-audit', 'redaction-key'), 'utf8')).trim()).toBe(key);
  });

  it('uses a per-user key outside a repository', async () => {
    const key = await resolveRedactionKey({ env: {}, homeDir: join(dir, 'home') });
    expect((await readFile(join(dir, 'home', '.config', 'balkan-audit', 'redaction-key'), 'utf8')).trim()).toBe(key);
    expect(await resolveRedactionKey({ env: { XDG_CONFIG_HOME: join(dir, 'xdg') }, homeDir: join(dir, 'home') })).not.toBe(key);
  });

  it('refuses a corrupt key file', async () => {
    await mkdir(join(dir, 'home', '.config', 'balkan-audit'), { recursive: true });
    await writeFile(join(dir, 'home', '.config', 'balkan-audit', 'redaction-key'), 'oops\n');
    await expect(resolveRedactionKey({ env: {}, homeDir: join(dir, 'home') })).rejects.toMatchObject({ code: 'REDACTION_KEY_INVALID' });
  });
});
