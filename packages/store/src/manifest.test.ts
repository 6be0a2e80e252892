import { describe, expect, it } from 'vitest';
import { StoreError } from './errors.js';
import { parseManifest, serialiseManifest } from './manifest.js';
import type { Manifest } from './types.js';

const manifest: Manifest = {
  tenant: 'acme',
  schemaVersion: 1,
  resources: {
    labels: { status: 'ok', rows: 2, columns: ['ID', 'Name'], rawSha256: 'aa', rawBytes: 17, canonicalSha256: 'bb', fetchedAt: '2025-01-01T00:00:00.000Z' },
    apps: { status: 'failed', rows: 0, columns: [], rawSha256: null, canonicalSha256: null, fetchedAt: null, error: { message: 'boom', code: 'EXPORT_FAILED' } },
  },
  generatedAt: '2025-01-01T00:00:00.000Z',
};

describe('serialiseManifest', () => {
  it('writes sorted keys, 2-space indent and a trailing LF', () => {
    expect(serialiseManifest(manifest).toString()).toMatchInlineSnapshot(`
      "{
        "generatedAt": "2025-01-01T00:00:00.000Z",
        "resources": {
          "apps": {
            "canonicalSha256": null,
            "columns": [],
            "error": {
              "code": "EXPORT_FAILED",
              "message": "boom"
            },
            "fetchedAt": null,
            "rawSha256": null,
            "rows": 0,
            "status": "failed"
          },
          "labels": {
            "canonicalSha256": "bb",
            "columns": [
              "ID",
              "Name"
            ],
            "fetchedAt": "2025-01-01T00:00:00.000Z",
            "rawBytes": 17,
            "rawSha256": "aa",
            "rows": 2,
            "status": "ok"
          }
        },
        "schemaVersion": 1,
        "tenant": "acme"
      }
      "
    `);
  });

  it('round-trips the redaction key id and blob ids', () => {
    const withIds: Manifest = {
      ...manifest,
      redactionKeyId: '0123456789ab',
      resources: { labels: { ...manifest.resources['labels']!, blobId: 'a'.repeat(40) } },
    };
    expect(parseManifest(serialiseManifest(withIds), 'manifest.json')).toEqual(withIds);
  });

  it('is byte-stable whatever the key order of the input, and round-trips', () => {
    const reordered = JSON.parse(JSON.stringify({ resources: manifest.resources, generatedAt: manifest.generatedAt, tenant: 'acme', schemaVersion: 1 })) as Manifest;
    expect(serialiseManifest(reordered).equals(serialiseManifest(manifest))).toBe(true);
    expect(parseManifest(serialiseManifest(manifest), 'manifest.json')).toEqual(manifest);
  });
});

describe('parseManifest', () => {
  it.each([
    ['not JSON', '{'],
    ['wrong schemaVersion', '{"schemaVersion":2,"tenant":null,"generatedAt":"x","resources":{}}'],
    ['tenant a number', '{"schemaVersion":1,"tenant":3,"generatedAt":"x","resources":{}}'],
    ['resources an array', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":[]}'],
    ['bad status', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"meh","rows":0,"columns":[],"rawSha256":null,"canonicalSha256":null,"fetchedAt":null}}}'],
    ['negative rows', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"ok","rows":-1,"columns":[],"rawSha256":null,"canonicalSha256":null,"fetchedAt":null}}}'],
    ['columns not strings', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"ok","rows":0,"columns":[1],"rawSha256":null,"canonicalSha256":null,"fetchedAt":null}}}'],
    ['rawBytes a string', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"ok","rows":0,"columns":[],"rawSha256":null,"rawBytes":"12","canonicalSha256":null,"fetchedAt":null}}}'],
    ['redactionKeyId not 12 hex', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","redactionKeyId":"secret","resources":{}}'],
    ['blobId not a blob id', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"ok","rows":0,"columns":[],"rawSha256":null,"canonicalSha256":null,"blobId":"abc","fetchedAt":null}}}'],
    ['error without message', '{"schemaVersion":1,"tenant":null,"generatedAt":"x","resources":{"a":{"status":"failed","rows":0,"columns":[],"rawSha256":null,"canonicalSha256":null,"fetchedAt":null,"error":{"code":"X"}}}}'],
  ])('rejects %s with STORE_BAD_MANIFEST naming the file', (_, text) => {
    let error: unknown;
    try {
      parseManifest(Buffer.from(text), 'snapshots/manifest.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).code).toBe('STORE_BAD_MANIFEST');
    expect((error as StoreError).data['file']).toBe('snapshots/manifest.json');
  });
});
