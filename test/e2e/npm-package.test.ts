import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from '../helpers/git.js';

// Issue 14: `npm pack` of the CLI is one tarball with the bundled CLI and no dependencies, and it
// installs and runs the demo in a clean prefix.
const reporter = fileURLToPath(new URL('../../apps/reporter/', import.meta.url));
let dir: string;
beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'npm-package-')); });
afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

describe('the npm package', () => {
  it('installs from its tarball into a clean prefix and runs the demo', () => {
    const tarball = join(reporter, execFileSync(process.execPath, ['scripts/pack.mjs'], { cwd: reporter, encoding: 'utf8' }).trim());
    const manifest = JSON.parse(execFileSync('tar', ['xzf', tarball, '-O', 'package/package.json'], { encoding: 'utf8' }));
    expect(manifest).toMatchObject({ name: 'balkan-audit', bin: { 'balkan-audit': './bin/balkan-audit.js' } });
    expect(manifest.dependencies).toBeUndefined();
    expect(JSON.stringify(manifest)).not.toContain('workspace:');
    expect(execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort()).toEqual([
      'package/README.md', 'package/bin/balkan-audit.js', 'package/config.schema.json', 'package/dist/bundle/_index-worker.js',
      'package/dist/bundle/cli.cjs', 'package/dist/bundle/openpgp.cjs', 'package/package.json',
    ]);

    const prefix = join(dir, 'prefix');
    const env = { PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`, HOME: dir, CI: 'true', npm_config_cache: join(dir, 'npm-cache') };
    execFileSync('npm', ['install', '--global', '--prefix', prefix, '--offline', '--no-audit', '--no-fund', tarball], { env, stdio: 'pipe' });
    const cwd = join(dir, 'work');
    execFileSync('mkdir', ['-p', cwd]);
    const out = execFileSync('balkan-audit', ['demo'], { cwd, env, encoding: 'utf8' });
    expect(out).toContain(`Open the reviewer's report: ${join(cwd, '.demo', 'reports', 'report.html')}`);
    expect(existsSync(join(cwd, '.demo', 'reports', 'report.html'))).toBe(true);
    expect(git(join(cwd, '.demo', 'repo'), 'rev-list', '--count', 'HEAD').trim()).toBe('2');
  });
});
