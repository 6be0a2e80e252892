import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SANDBOX_SECRETS } from '@balkan-audit/sandbox';
import { runCli } from '../helpers/cli.js';
import { allObjects, git } from '../helpers/git.js';

let cwd: string;
beforeEach(async () => { cwd = await mkdtemp(join(tmpdir(), 'demo-e2e-')); });
afterEach(async () => { await rm(cwd, { recursive: true, force: true }); });

describe('the README quick start', () => {
  it('balkan-audit --help lists the commands', async () => {
    const help = await runCli(['--help'], { cwd });
    expect(help.code).toBe(0);
    for (const command of ['snapshot', 'export', 'demo']) expect(help.stdout).toContain(command);
  });

  it('demo runs two nights into .demo/ and says what changed and where', async () => {
    const demo = await runCli(['demo'], { cwd });
    expect(demo.stderr).not.toMatch(/bug|error \[/i);
    expect(demo.code).toBe(0);
    const repo = join(cwd, '.demo', 'repo');
    expect(git(repo, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(git(repo, 'fsck', '--strict', '--no-dangling')).toBe('');
    expect(demo.stdout).toContain('Integration Jira');
    expect(demo.stdout).toContain('.demo/reports/report.json');
    const report = JSON.parse(await readFile(join(cwd, '.demo', 'reports', 'report.json'), 'utf8'));
    expect(report.summary.added).toBeGreaterThan(0);
    expect(report.summary.events.high).toBeGreaterThan(0);
    const objects = allObjects(repo);
    for (const secret of SANDBOX_SECRETS) {
      expect(objects).not.toContain(secret);
      expect(demo.stdout + demo.stderr).not.toContain(secret);
    }
  });
});
