import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSandbox, SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor, getSchema, normaliseCsv } from '@balkan-audit/schema';
import { run } from '../cli.js';
import { captureIo, type CapturedIo } from '../_test-io.js';

const keys = { apiKeyId: 'cli-key-id-31e0aa', apiKeySecret: 'cli-key-secret-77c2d9f1' };

let sandbox: ReturnType<typeof createSandbox>;
let env: Record<string, string>;
let dir: string;

beforeEach(async () => {
  // readyAfterPolls 0 and Retry-After 0 on injected errors keep the CLI's default delays out of the test.
  sandbox = createSandbox({ ...keys, readyAfterPolls: 0 });
  const { apiUrl } = await sandbox.listen(0);
  env = { BALKANID_BASE_URL: apiUrl, BALKANID_API_KEY_ID: keys.apiKeyId, BALKANID_API_KEY_SECRET: keys.apiKeySecret };
  dir = await mkdtemp(join(tmpdir(), 'export-cli-'));
});

afterEach(async () => {
  expect(sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

/** The records the schema layer normalises from an export (the header not counted). */
async function recordsIn(csv: string, resource: string): Promise<number> {
  return (await normaliseCsv(csv, getSchema(resource), { file: `${resource}.csv`, redactor: createRedactor('export-test') })).rows.length;
}

function expectNoSecrets(io: CapturedIo): void {
  for (const secret of Object.values(keys)) expect(io.out() + io.err()).not.toContain(secret);
}

describe('balkan-audit export', () => {
  it('writes the five documented exports byte for byte and prints a summary', async () => {
    const io = captureIo({ env, cwd: dir });
    expect(await run(['export', '--out', 'exports'], io)).toBe(0);
    const out = join(dir, 'exports');
    expect((await readdir(out)).sort()).toEqual(SANDBOX_RESOURCES.map((resource) => `${resource}.csv`).sort());
    for (const resource of SANDBOX_RESOURCES) {
      expect(await readFile(join(out, `${resource}.csv`), 'utf8')).toBe(sandboxCsv(resource, 1));
    }
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^resource\s+rows\s+bytes\s+sha256\s+seconds\s+status$/);
    expect(lines).toHaveLength(6);
    const integrations = sandboxCsv('integrations', 1);
    const row = lines.find((line) => line.startsWith('integrations'))!;
    expect(row).toContain(createHash('sha256').update(integrations).digest('hex').slice(0, 12));
    expect(row).toContain(String(Buffer.byteLength(integrations)));
    expect(row).toMatch(/ ok$/);
    expect(row).toMatch(new RegExp(`^integrations\\s+${await recordsIn(integrations, 'integrations')}\\s`));
    expect(io.err()).toMatch(/^integrations: ready after 1 poll$/m);
    expect(io.err()).toMatch(/^integrations: [\d.]+ (B|kB|MB) in [\d.]+ s$/m);
    expectNoSecrets(io);
    // Raw exports hold the tenant's secrets: private files in a private directory, said once.
    expect((await stat(out)).mode & 0o777).toBe(0o700);
    for (const resource of SANDBOX_RESOURCES) expect((await stat(join(out, `${resource}.csv`))).mode & 0o777).toBe(0o600);
    expect(io.err().match(/raw exports hold the tenant's secrets/g)).toHaveLength(1);
  });

  it('exports the named resources, campaigns with the filters, and prints JSON', async () => {
    const io = captureIo({ env, cwd: dir });
    expect(await run(['export', 'campaigns', 'admins', '--out', dir, '--no-include-draft', '--json', '--concurrency', '1'], io)).toBe(0);
    const filters = { includeCompleted: true, includeDraft: false };
    expect(await readFile(join(dir, 'campaigns.csv'), 'utf8')).toBe(sandboxCsv('campaigns', 1, filters));
    const report = JSON.parse(io.out()) as { out: string; results: Array<Record<string, unknown>> };
    expect(report.out).toBe(dir);
    expect(report.results.map((result) => [result.resource, result.status])).toEqual([['campaigns', 'ok'], ['admins', 'ok']]);
    expect(report.results[0]).toMatchObject({
      file: join(dir, 'campaigns.csv'),
      sha256: createHash('sha256').update(sandboxCsv('campaigns', 1, filters)).digest('hex'),
      bytes: Buffer.byteLength(sandboxCsv('campaigns', 1, filters)),
      rows: await recordsIn(sandboxCsv('campaigns', 1, filters), 'campaigns'),
      exports: 1,
    });
  });

  it('writes an export csv-parse cannot read as served, without a row count', async () => {
    sandbox.setFaults({ only: ['apps'], malformed: true });
    const io = captureIo({ env, cwd: dir });
    expect(await run(['export', 'apps', '--out', dir, '--json'], io)).toBe(0);
    const report = JSON.parse(io.out()) as { results: Array<Record<string, unknown>> };
    expect(report.results[0]).toMatchObject({ resource: 'apps', status: 'ok', rows: null });
    expect(await readFile(join(dir, 'apps.csv'), 'utf8')).not.toBe(sandboxCsv('apps', 1));
  });

  it('writes the others, reports the failure and exits 1 when one resource fails', async () => {
    sandbox.setFaults({ only: ['labels'], serverErrors: { count: 1_000, status: 500, on: 'post', retryAfterSeconds: 0 } });
    const io = captureIo({ env, cwd: dir });
    expect(await run(['export', '--out', dir], io)).toBe(1);
    expect((await readdir(dir)).sort()).toEqual(['apps.csv', 'campaigns.csv', 'entity-rules.csv', 'integrations.csv']);
    expect(io.err()).toMatch(/^error \[EXPORT_SERVER_ERROR\] labels: \[POST\] ".*\/labels\/download-url": 500 Internal Server Error/m);
    expect(io.out()).toMatch(/^labels\s.*failed: EXPORT_SERVER_ERROR$/m);
    expect(sandbox.counters.posts.labels).toBe(5);
    expectNoSecrets(io);
  });

  it('fails with EXPORT_AUTH and the key hint on a refused key, without printing the key', async () => {
    const io = captureIo({ env: { ...env, BALKANID_API_KEY_SECRET: 'wrong-secret-0000' }, cwd: dir });
    expect(await run(['export', 'labels', '--out', dir], io)).toBe(1);
    expect(io.err()).toContain('error [EXPORT_AUTH] labels:');
    expect(io.err()).toContain('hint: check BALKANID_API_KEY_ID / BALKANID_API_KEY_SECRET');
    expect(io.out() + io.err()).not.toContain('wrong-secret-0000');
    expectNoSecrets(io);
  });

  it('takes the keys from flags too, and never prints them', async () => {
    const io = captureIo({ env: { BALKANID_BASE_URL: env.BALKANID_BASE_URL! }, cwd: dir });
    expect(await run(['export', 'apps', '--out', dir, '--api-key-id', keys.apiKeyId, '--api-key-secret', keys.apiKeySecret], io)).toBe(0);
    expect(await readFile(join(dir, 'apps.csv'), 'utf8')).toBe(sandboxCsv('apps', 1));
    expectNoSecrets(io);
  });

  it.each([
    [['export', '--out', 'x'], {}, 'CLI_MISSING_API_KEY'],
    [['export', 'Bad/Name', '--out', 'x'], undefined, 'EXPORT_INVALID_RESOURCE'],
    [['export', '--out', 'x', '--base-url', 'http://app.balkan.id'], undefined, 'EXPORT_INSECURE_URL'],
    [['export', '--out', 'x', '--concurrency', '0'], undefined, 'CLI_INVALID_OPTION'],
  ])('refuses %j with %s before any request', async (argv, overrideEnv, code) => {
    const io = captureIo({ env: overrideEnv ?? env, cwd: dir });
    expect(await run(argv, io)).toBe(1);
    expect(io.err()).toContain(`error [${code}]`);
    expect(sandbox.counters.apiRequests).toBe(0);
    expect(await readdir(dir)).toEqual([]);
  });
});
