import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportClient, DOCUMENTED_EXPORTS, type ExportClientOptions, type ExportError, type ExportProgress } from '@balkan-audit/client';
import { createSandbox, SANDBOX_RESOURCES, sandboxCsv } from '@balkan-audit/sandbox';

// Acceptance of the export client (issue 2) against the real sandbox: every fault the sandbox can
// inject, and no credential in any error or in any request to object storage.
const keys = { apiKeyId: 'e2e-key-id-5d21c8', apiKeySecret: 'e2e-key-secret-a93f07be44' };
const fast = { retries: 2, retryDelayMs: { base: 1, cap: 5 }, poll: { initialDelayMs: 5, maxDelayMs: 20, deadlineMs: 5_000 } };

type Sandbox = ReturnType<typeof createSandbox>;
let sandbox: Sandbox;
let apiUrl: string;
let dir: string;

beforeEach(async () => {
  sandbox = createSandbox({ ...keys, readyAfterPolls: 1 });
  ({ apiUrl } = await sandbox.listen(0));
  dir = await mkdtemp(join(tmpdir(), 'export-e2e-'));
});

afterEach(async () => {
  // Whatever a test did, the key never went to object storage.
  expect(sandbox.counters.storageRequestsWithApiKey).toBe(0);
  await sandbox.close();
  await rm(dir, { recursive: true, force: true });
});

function client(overrides: Partial<ExportClientOptions> = {}): ReturnType<typeof createExportClient> {
  return createExportClient({ baseUrl: apiUrl, ...keys, ...fast, ...overrides });
}

async function failure(promise: Promise<unknown>): Promise<ExportError> {
  try {
    await promise;
  } catch (error) {
    expectNoSecrets(error);
    return error as ExportError;
  }
  throw new Error('expected the export to fail');
}

function expectNoSecrets(error: unknown): void {
  const seen = [String(error), (error as Error).message, (error as Error).stack ?? '', JSON.stringify(error), JSON.stringify((error as ExportError).data)].join('\n');
  for (const secret of [keys.apiKeyId, keys.apiKeySecret, 'X-Amz-Signature', 'Signature=']) expect(seen).not.toContain(secret);
}

function dataRecords(csv: string): number {
  return Math.max(0, (parse(csv, { relax_column_count: true, skip_empty_lines: true }) as unknown[]).length - 1);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

describe('exportToFile against the sandbox', () => {
  it('the sandbox serves exactly the documented exports', () => {
    expect([...SANDBOX_RESOURCES].sort()).toEqual(DOCUMENTED_EXPORTS.map((spec) => spec.resource).sort());
  });

  it.each(SANDBOX_RESOURCES)('exports %s byte for byte, with its hash', async (resource) => {
    const file = join(dir, `${resource}.csv`);
    const result = await client().exportToFile(resource, file);
    const expected = sandboxCsv(resource, 1);
    expect(await readFile(file, 'utf8')).toBe(expected);
    expect(result).toMatchObject({ resource, file, bytes: Buffer.byteLength(expected), sha256: sha256(expected), exports: 1 });
    expect(sandbox.counters.posts[resource]).toBe(1);
    expect(await readdir(dir)).toEqual([`${resource}.csv`]);
  });

  it('sends the campaigns filters', async () => {
    const file = join(dir, 'campaigns.csv');
    const filters = { includeCompleted: true, includeDraft: false };
    await client().exportToFile('campaigns', file, { campaigns: filters });
    expect(await readFile(file, 'utf8')).toBe(sandboxCsv('campaigns', 1, filters));
    expect(sandboxCsv('campaigns', 1, filters)).not.toBe(sandboxCsv('campaigns', 1));
  });

  it('exports an undocumented resource by its path segment', async () => {
    const result = await client().exportToFile('admins', join(dir, 'admins.csv'));
    expect(await readFile(result.file, 'utf8')).toBe(sandboxCsv('admins', 1));
  });

  it('writes a header-only export as it is', async () => {
    sandbox.setFaults({ empty: true });
    const result = await client().exportToFile('labels', join(dir, 'labels.csv'));
    expect((await readFile(result.file, 'utf8')).trim().split('\n')).toHaveLength(1);
  });

  it('waits through 404 polls until the export is ready', async () => {
    await sandbox.close();
    sandbox = createSandbox({ ...keys, readyAfterPolls: 3 });
    ({ apiUrl } = await sandbox.listen(0));
    const polling: number[] = [];
    const result = await client().exportToFile('integrations', join(dir, 'integrations.csv'), {
      onProgress: (event) => { if (event.type === 'polling') polling.push(event.attempt); },
    });
    expect(result.polls).toBeGreaterThanOrEqual(3);
    expect(result.polls).toBe(sandbox.counters.polls);
    expect(polling).toEqual([1, 2, 3]);
    expect(await readFile(result.file, 'utf8')).toBe(sandboxCsv('integrations', 1));
  });

  it.each(['post', 'poll', 'download'] as const)('retries a 5xx on %s, then succeeds', async (on) => {
    sandbox.setFaults({ serverErrors: { count: 2, status: 502, on } });
    const retries: ExportProgress[] = [];
    const result = await client().exportToFile('apps', join(dir, 'apps.csv'), {
      onProgress: (event) => { if (event.type === 'retry') retries.push(event); },
    });
    expect(await readFile(result.file, 'utf8')).toBe(sandboxCsv('apps', 1));
    expect(sandbox.counters.serverErrors).toBe(2);
    expect(retries.map((event) => event.type === 'retry' && event.reason)).toEqual(['502 Bad Gateway', '502 Bad Gateway']);
  });

  it('honours Retry-After on a 5xx', async () => {
    sandbox.setFaults({ serverErrors: { count: 1, on: 'post', retryAfterSeconds: 3 } });
    const slept: number[] = [];
    await client({ sleep: async (ms) => { slept.push(ms); } }).exportToFile('labels', join(dir, 'labels.csv'));
    expect(slept[0]).toBe(3_000);
  });

  it('gives up after its retries with EXPORT_SERVER_ERROR', async () => {
    sandbox.setFaults({ serverErrors: { count: 100, status: 503, on: 'post' } });
    const error = await failure(client().exportToFile('integrations', join(dir, 'integrations.csv')));
    expect(error.code).toBe('EXPORT_SERVER_ERROR');
    expect(error.status).toBe(503);
    expect(error.message).toBe(`[POST] "${apiUrl}/api/rest/v0/integrations/download-url": 503 Service Unavailable (after 3 attempts)${error.data.body ? ` — ${String(error.data.body)}` : ''}`);
    expect(sandbox.counters.posts.integrations).toBe(3);
    expect(await readdir(dir)).toEqual([]);
  });

  it.each([
    ['wrong keys', { apiKeySecret: 'not-the-secret-value' }, {}],
    ['an unauthorized answer', {}, { unauthorized: true }],
  ])('fails at once with EXPORT_AUTH on %s, without retrying', async (_name, override, faults) => {
    sandbox.setFaults(faults);
    const error = await failure(client(override).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_AUTH');
    expect(error.status).toBe(401);
    expect(error.hint).toContain('BALKANID_API_KEY_ID');
    expect(sandbox.counters.posts.labels).toBe(1);
    expect(sandbox.counters.apiRequests).toBe(1);
    expect(String(error)).not.toContain('not-the-secret-value');
  });

  it('answers an expired link with one fresh export', async () => {
    sandbox.setFaults({ expireLinks: 1 });
    const result = await client().exportToFile('entity-rules', join(dir, 'entity-rules.csv'));
    expect(result.exports).toBe(2);
    expect(sandbox.counters.posts['entity-rules']).toBe(2);
    expect(await readFile(result.file, 'utf8')).toBe(sandboxCsv('entity-rules', 1));
  });

  it('fails with EXPORT_LINK_EXPIRED when the fresh export expires too', async () => {
    sandbox.setFaults({ expireLinks: 2 });
    const error = await failure(client().exportToFile('entity-rules', join(dir, 'entity-rules.csv')));
    expect(error.code).toBe('EXPORT_LINK_EXPIRED');
    expect(sandbox.counters.posts['entity-rules']).toBe(2);
  });

  it('refuses a truncated body and leaves no file, partial or whole', async () => {
    sandbox.setFaults({ truncate: true });
    const error = await failure(client().exportToFile('integrations', join(dir, 'integrations.csv')));
    expect(error.code).toBe('EXPORT_TRUNCATED');
    expect(error.data.bytes).toBeLessThan(Buffer.byteLength(sandboxCsv('integrations', 1)));
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives up polling at the deadline with EXPORT_NOT_READY_TIMEOUT', async () => {
    sandbox.setFaults({ neverReady: true });
    const error = await failure(client({ poll: { initialDelayMs: 5, maxDelayMs: 10, deadlineMs: 150 } }).exportToFile('labels', join(dir, 'labels.csv')));
    expect(error.code).toBe('EXPORT_NOT_READY_TIMEOUT');
    expect(error.data.polls).toBeGreaterThanOrEqual(2);
    expect(error.data.waitedMs).toBeGreaterThanOrEqual(150);
    expect(sandbox.counters.downloads).toBe(0);
  });

  it('aborts while waiting between polls, at once', async () => {
    sandbox.setFaults({ neverReady: true });
    const controller = new AbortController();
    const started = Date.now();
    const error = await failure(client({ poll: { initialDelayMs: 60_000, maxDelayMs: 60_000, deadlineMs: 600_000 }, random: () => 0.99 })
      .exportToFile('labels', join(dir, 'labels.csv'), {
        signal: controller.signal,
        onProgress: (event) => { if (event.type === 'polling') setTimeout(() => controller.abort(), 20); },
      }));
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await readdir(dir)).toEqual([]);
  });

  it('aborts mid-download and removes the partial file', async () => {
    sandbox.setSynthetic({ resource: 'integrations', rows: 50_000, seed: 7, variant: 'before' });
    const controller = new AbortController();
    const error = await failure(client().exportToFile('integrations', join(dir, 'integrations.csv'), {
      signal: controller.signal,
      onProgress: (event) => { if (event.type === 'downloading') controller.abort(); },
    }));
    expect(error.code).toBe('EXPORT_ABORTED');
    expect(await readdir(dir)).toEqual([]);
  });

  it('streams a large synthetic export', async () => {
    sandbox.setSynthetic({ resource: 'integrations', rows: 20_000, seed: 3, variant: 'before' });
    const result = await client().exportToFile('integrations', join(dir, 'integrations.csv'));
    const text = await readFile(result.file, 'utf8');
    expect(result.sha256).toBe(sha256(text));
    expect(dataRecords(text)).toBe(20_000);
  });
});

describe('exportToMemory against the sandbox', () => {
  it.each(SANDBOX_RESOURCES)('holds %s byte for byte, with its hash, and writes nothing', async (resource) => {
    const result = await client().exportToMemory(resource);
    const expected = sandboxCsv(resource, 1);
    expect(result.content?.toString('utf8')).toBe(expected);
    expect(result).toMatchObject({ resource, bytes: Buffer.byteLength(expected), sha256: sha256(expected), exports: 1 });
    expect(await readdir(dir)).toEqual([]);
  });

  it('gives the same bytes and hash as exportToFile for a large synthetic export', async () => {
    sandbox.setSynthetic({ resource: 'integrations', rows: 20_000, seed: 3, variant: 'before' });
    const file = await client().exportToFile('integrations', join(dir, 'integrations.csv'));
    const memory = await client().exportToMemory('integrations');
    expect(memory.content?.equals(await readFile(file.file))).toBe(true);
    expect(memory.sha256).toBe(file.sha256);
  });

  it('answers an expired link with one fresh export', async () => {
    sandbox.setFaults({ expireLinks: 1 });
    const result = await client().exportToMemory('entity-rules');
    expect(result.exports).toBe(2);
    expect(result.content?.toString('utf8')).toBe(sandboxCsv('entity-rules', 1));
  });

  it('refuses a truncated body', async () => {
    sandbox.setFaults({ truncate: true });
    const error = await failure(client().exportToMemory('integrations'));
    expect(error.code).toBe('EXPORT_TRUNCATED');
    expect(error.data.bytes).toBeLessThan(Buffer.byteLength(sandboxCsv('integrations', 1)));
  });

  it('aborts mid-download with EXPORT_ABORTED', async () => {
    sandbox.setSynthetic({ resource: 'integrations', rows: 50_000, seed: 7, variant: 'before' });
    const controller = new AbortController();
    const error = await failure(client().exportToMemory('integrations', {
      signal: controller.signal,
      onProgress: (event) => { if (event.type === 'downloading') controller.abort(); },
    }));
    expect(error.code).toBe('EXPORT_ABORTED');
  });
});
