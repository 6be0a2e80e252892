import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createExportClient, type ExportClient, type ExportedContent, type ExportToMemoryOptions } from '@balkan-audit/client';
import { createSandbox, sandboxCsv } from '@balkan-audit/sandbox';
import { createRedactor } from '@balkan-audit/schema';
import { DEFAULT_EVENT_RULES } from '@balkan-audit/diff';
import type { ManifestEntry, SnapshotStore } from '@balkan-audit/store';
import { snapshotResource } from './snapshot-resource.js';
import { configSettings } from '../config/settings.js';

const keys = { apiKeyId: 'resource-key-id-5a1c', apiKeySecret: 'resource-key-secret-0b9e' };
let sandbox: ReturnType<typeof createSandbox>;
let client: ExportClient;

beforeEach(async () => {
  sandbox = createSandbox({ ...keys, readyAfterPolls: 0 });
  const { apiUrl } = await sandbox.listen(0);
  client = createExportClient({ baseUrl: apiUrl, ...keys });
});
afterEach(async () => { await sandbox.close(); });

/** Anything the short-circuit must not touch: every property access throws. */
function untouchable<T extends object>(what: string): T {
  return new Proxy({} as T, { get: (_target, key) => { throw new Error(`${what}.${String(key)} was used`); } });
}

/** The real client, recording what the nightly asked it and what it answered. */
function recording(): { client: ExportClient; calls: { options: ExportToMemoryOptions | undefined; result: ExportedContent }[] } {
  const calls: { options: ExportToMemoryOptions | undefined; result: ExportedContent }[] = [];
  return {
    calls,
    client: {
      ...client,
      exportToMemory: async (resource, options) => {
        const result = await client.exportToMemory(resource, options);
        calls.push({ options, result });
        return result;
      },
    },
  };
}

describe('snapshotResource, an export identical to the one behind HEAD', () => {
  const raw = Buffer.from(sandboxCsv('labels', 1));
  const sha256 = createHash('sha256').update(raw).digest('hex');
  const entry: ManifestEntry = {
    status: 'ok', rows: 5, columns: ['ID', 'Name'], rawSha256: sha256, rawBytes: raw.length,
    canonicalSha256: 'c'.repeat(64), fetchedAt: '2026-11-23T02:00:00.000Z',
  };
  const { rawBytes: _unrecorded, ...older } = entry;

  it.each([
    ['the manifest records its length: hashed, never assembled', entry, { bytes: raw.length, sha256 }, null],
    ['the manifest predates rawBytes: assembled, then recognised by its hash', older, undefined, raw.length],
  ])('when %s', async (_name, previous, known, contentLength) => {
    const recorder = recording();
    const outcome = await snapshotResource({
      resource: 'labels',
      settings: configSettings({}).resource('labels'),
      store: untouchable<SnapshotStore>('store'),
      headRef: 'a'.repeat(40),
      previous,
      tampered: null,
      rekeyed: false,
      client: recorder.client,
      campaigns: { includeCompleted: true, includeDraft: true },
      redactor: createRedactor('resource-test-key'),
      rules: DEFAULT_EVENT_RULES,
      allowMassDelete: false,
      fetchedAt: '2026-11-24T02:00:00.000Z',
    });
    expect(recorder.calls).toHaveLength(1);
    expect(recorder.calls[0]!.options?.known).toEqual(known);
    expect(recorder.calls[0]!.result.content?.length ?? null).toBe(contentLength);
    expect(outcome).toMatchObject({ shortCircuit: true, canonical: null, reused: 5, change: { status: 'compared' } });
    // The entry is kept whole, so the manifest (and git) do not change.
    expect(outcome.entry).toBe(previous);
  });
});
