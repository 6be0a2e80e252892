import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { generateSyntheticExport } from '@balkan-audit/sandbox';
import { getSchema, indexExport } from '@balkan-audit/schema';
import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { cleanEnv, runCli, type CliRun } from '../helpers/cli.js';

// The bin runs an esbuild bundle (CommonJS, every dependency inlined); it must behave exactly like
// the tsc output it is built from.
const DIST_CLI = fileURLToPath(new URL('../../apps/reporter/dist/cli.js', import.meta.url));

/** The unbundled CLI (`dist/cli.js`, plain tsc output and the real dependencies) in a child process. */
function runUnbundled(args: readonly string[]): Promise<CliRun> {
  const code = 'const { run } = await import(process.env.DIST_CLI); process.exitCode = await run(process.argv.slice(1));';
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', code, '--', ...args], {
      env: cleanEnv({ DIST_CLI }),
    }, (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }));
  });
}

describe('the bundled CLI', () => {
  it.each([
    [['--help']],
    [['snapshot', '--help']],
    [['export', '--help']],
    [['normalise', '--help']],
    [['compare', '--help']],
    [['demo', '--help']],
    [['diff', '--help']],
    [['--version']],
    [['snapshot', '--no-such-option']],
    [['snapshott']],
  ])('prints the same as the unbundled one for %j', async (args) => {
    const [bundled, unbundled] = await Promise.all([runCli(args), runUnbundled(args)]);
    expect(bundled.stdout).toBe(unbundled.stdout);
    expect(bundled.stderr).toBe(unbundled.stderr);
    expect(bundled.code).toBe(unbundled.code);
    expect(`${bundled.stdout}${bundled.stderr}`.length).toBeGreaterThan(0);
  });
});

describe('the bundled index worker of compare', () => {
  // cli.cjs starts it as ./_index-worker.js beside itself; without it compare runs on one thread.
  const WORKER = new URL('../../apps/reporter/dist/bundle/_index-worker.js', import.meta.url);

  it('indexes shared bytes as indexExport does and hands the index back', async () => {
    const text = await buffer(generateSyntheticExport({ rows: 2000, seed: 3, variant: 'before', shuffle: true }) as Readable);
    const bytes = Buffer.from(new SharedArrayBuffer(text.length));
    text.copy(bytes);
    const schema = getSchema('integrations');
    const worker = new Worker(WORKER);
    try {
      const reply = await new Promise((resolve, reject) => {
        worker.once('message', resolve).once('error', reject);
        worker.postMessage({ bytes, schema });
      });
      const { bytes: _bytes, ...expected } = indexExport(bytes, schema)!;
      expect(reply).toEqual({ index: expected });
      expect(expected.count).toBe(2000);
    } finally {
      await worker.terminate();
    }
  });
});
