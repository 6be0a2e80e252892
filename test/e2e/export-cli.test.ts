import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';

// The built `balkan-audit` bin (as `pnpm exec balkan-audit` runs it) against an in-process sandbox.
const bin = fileURLToPath(new URL('../../apps/reporter/bin/balkan-audit.js', import.meta.url));
const run = promisify(execFile);
const keys = { apiKeyId: 'bin-key-id-0c41', apiKeySecret: 'bin-key-secret-e85b2d07' };

let sandbox: ReturnType<typeof createSandbox>;
let env: NodeJS.ProcessEnv;
let dir: string;

beforeEach(async () => {
  sandbox = createSandbox({ ...keys, readyAfterPolls: 0 });
  const { apiUrl } = await sandbox.listen(0);
  const { CI: _ci, ...inherited } = process.env;
  env = { ...inherited, CI: '1', BALKANID_BASE_URL: apiUrl, BALKANID_API_KEY_ID: keys.apiKeyId, BALKANID_API_KEY_SECRET: keys.apiKeySecret };
  dir = await mkdtemp(join(tmpdir(), 'export-bin-'));
});

afterEach(async () => {
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

async function exec(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env, cwd: dir });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('balkan-audit export (built bin)', () => {
  it('prints its help', async () => {
    const { code, stdout } = await exec(['export', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--include-draft');
    expect(stdout).toContain('BALKANID_API_KEY_SECRET');
  });

  it('exports every documented resource and never prints the key', async () => {
    const { code, stdout, stderr } = await exec(['export', '--out', 'out', '--json']);
    expect(code).toBe(0);
    for (const resource of SANDBOX_RESOURCES) expect(await readFile(join(dir, 'out', `${resource}.csv`), 'utf8')).toBe(sandboxCsv(resource, 1));
    const report = JSON.parse(stdout) as { results: Array<{ status: string }> };
    expect(report.results.map((result) => result.status)).toEqual(SANDBOX_RESOURCES.map(() => 'ok'));
    expect(stderr).toMatch(/^labels: ready after 1 poll$/m);
    expect(sandbox.counters.storageRequestsWithApiKey).toBe(0);
    for (const secret of Object.values(keys)) expect(stdout + stderr).not.toContain(secret);
  });

  it('exits 1 and leaves no file when the download is truncated', async () => {
    sandbox.setFaults({ truncate: true });
    const { code, stderr } = await exec(['export', 'integrations', '--out', 'out']);
    expect(code).toBe(1);
    expect(stderr).toContain('error [EXPORT_TRUNCATED] integrations:');
    expect(await readdir(join(dir, 'out'))).toEqual([]);
    for (const secret of Object.values(keys)) expect(stderr).not.toContain(secret);
  });
});
