import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from './cli.js';
import { DEFAULT_API_KEY_SECRET } from './_options.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

function capture(): { io: { stdout: { write(t: string): boolean }; stderr: { write(t: string): boolean } }; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: { write: (t: string) => { out += t; return true; } }, stderr: { write: (t: string) => { err += t; return true; } } },
    out: () => out,
    err: () => err,
  };
}

describe('run (in process)', () => {
  it('prints the origins and env lines, logs requests without secrets, stops when told', async () => {
    const { io, out, err } = capture();
    let stop!: () => void;
    const stopSignal = new Promise<void>((resolve) => { stop = resolve; });
    const exit = run(['--night', '2', '--api-key-secret', 'cli-secret-value', '--ready-after-polls', '0'], { ...io, stopSignal });
    await expect.poll(() => out()).toContain('BALKANID_API_KEY_SECRET=cli-secret-value');
    const base = /BALKANID_BASE_URL=(\S+)/.exec(out())?.[1] ?? '';
    expect(out()).toMatch(/Storage: http:\/\/127\.0\.0\.1:\d+/);
    const answer = await fetch(`${base}/api/rest/v0/labels/download-url`, {
      method: 'POST', headers: { 'X-Api-Key-ID': 'sandbox-key-id', 'X-Api-Key-Secret': 'cli-secret-value' },
    });
    const { url } = (await answer.json()) as { url: string };
    expect((await fetch(url)).status).toBe(200);
    stop();
    expect(await exit).toBe(0);
    expect(err()).toMatch(/api +POST \/api\/rest\/v0\/labels\/download-url → 200/);
    expect(err()).toMatch(/storage GET +\/bulk-exports\/exp_[0-9a-f]+\/labels\.csv → 200/);
    expect(err()).not.toContain('cli-secret-value');
    expect(err()).not.toContain('X-Signature');
  });

  it.each([
    [['--help'], 0],
    [['--night', 'three'], 1],
    [['--night', '3'], 1],
    [['--no-such-flag'], 1],
    [['--server-errors', '1', '--server-error-status', '504'], 1],
  ])('exits %j with %s', async (argv, code) => {
    const { io } = capture();
    expect(await run(argv, { ...io, stopSignal: Promise.resolve() })).toBe(code);
  });
});

describe('balkan-sandbox (built, as a process)', () => {
  beforeAll(async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: packageDir });
  }, 120_000);

  it('starts, prints its URLs and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['bin/balkan-sandbox.js', '--unauthorized'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk; });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk; });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await expect.poll(() => out, { timeout: 10_000 }).toContain('BALKANID_API_KEY_SECRET=');
    expect(out).toContain(`BALKANID_API_KEY_SECRET=${DEFAULT_API_KEY_SECRET}`);
    const base = /BALKANID_BASE_URL=(\S+)/.exec(out)?.[1] ?? '';
    const answer = await fetch(`${base}/api/rest/v0/integrations/download-url`, { method: 'POST' });
    expect(answer.status).toBe(401);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(err).toContain('→ 401');
    expect(err).toContain('stopped');
  });
});
