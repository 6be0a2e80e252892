import { createHash, createHmac } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRedactor } from '@balkan-audit/schema';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { checkManifestMac, manifestKey } from './mac.js';
import { serialiseManifest } from './manifest.js';
import { openSnapshotStore } from './open.js';
import type { Manifest } from './types.js';
import { verifySnapshot } from './verify.js';

afterEach(cleanTempDirs);

const KEY = 'a'.repeat(64);
const macKey = manifestKey(KEY);
const manifest: Manifest = {
  schemaVersion: 1, tenant: 'acme', generatedAt: '2025-01-01T00:00:00.000Z', redactionKeyId: createRedactor(KEY).keyId,
  resources: { labels: { status: 'ok', rows: 1, columns: ['ID'], rawSha256: null, canonicalSha256: 'bb', fetchedAt: null } },
};

describe('manifestKey', () => {
  it('MACs the canonical manifest without its mac, with a subkey that is neither the key nor its fingerprint keying', () => {
    const mac = macKey.mac(manifest);
    expect(mac).toMatch(/^[0-9a-f]{64}$/);
    expect(macKey.mac({ ...manifest, mac: 'f'.repeat(64) })).toBe(mac);
    expect(mac).not.toBe(createHmac('sha256', KEY).update(serialiseManifest(manifest)).digest('hex'));
    expect(macKey.keyId).toBe(createRedactor(KEY).keyId);
    expect(manifestKey('b'.repeat(64)).mac(manifest)).not.toBe(mac);
  });

  it.each([
    ['valid', { ...manifest, mac: macKey.mac(manifest) }],
    ['invalid', { ...manifest, tenant: 'evil', mac: macKey.mac(manifest) }],
    ['invalid', { ...manifest, resources: { labels: { ...manifest.resources['labels']!, canonicalSha256: 'cc' } }, mac: macKey.mac(manifest) }],
    ['absent', manifest],
    ['other-key', { ...manifest, redactionKeyId: '0123456789ab', mac: macKey.mac(manifest) }],
  ] as const)('%s', (status, m) => {
    expect(checkManifestMac(m, macKey)).toBe(status);
  });
});

/** Edits a snapshot file by hand and, as someone without the key would, its manifest hash and blob id too. */
function editWithManifest(dir: string, resource: string, content: string, message: string): string {
  writeFileSync(join(dir, 'snapshots', `${resource}.csv`), content);
  const path = join(dir, 'snapshots', 'manifest.json');
  const m = JSON.parse(readFileSync(path, 'utf8'));
  m.resources[resource].canonicalSha256 = createHash('sha256').update(content).digest('hex');
  m.resources[resource].blobId = git(dir, 'hash-object', `snapshots/${resource}.csv`).trim();
  writeFileSync(path, `${JSON.stringify(m, null, 2)}\n`);
  git(dir, 'commit', '-qam', message);
  return git(dir, 'rev-parse', 'HEAD').trim();
}

const night1 = { labels: 'ID,Name\n1,red\n', apps: 'ID,Name\n1,zoom\n' };
const night2 = { labels: 'ID,Name\n1,navy\n', apps: 'ID,Name\n1,zoom\n' };

describe('commitSnapshot with a macKey', () => {
  it('writes a manifest whose mac checks out; without one, a stale mac in the input is dropped', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot({ ...snapshot(night1), macKey });
    const written = (await store.readManifest())!;
    expect(written.mac).toMatch(/^[0-9a-f]{64}$/);
    expect(checkManifestMac(written, macKey)).toBe('valid');
    await store.commitSnapshot({ ...snapshot(night2), manifest: { ...snapshot(night2).manifest, mac: written.mac! } });
    expect((await store.readManifest())!.mac).toBeUndefined();
  });
});

describe('a file and its manifest hash edited together without the key', () => {
  async function edited() {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await store.commitSnapshot({ ...snapshot(night1, 'night 1'), macKey });
    await store.commitSnapshot({ ...snapshot(night2, 'night 2'), macKey });
    const edit = editWithManifest(dir, 'labels', 'ID,Name\n1,red\n', 'red again, hash and all');
    return { dir, store, edit };
  }

  it('passes the blob-id check but fails the MAC, naming the commit that changed the manifest', async () => {
    const { store, edit } = await edited();
    const m = (await store.readManifest())!;
    expect((await store.checkSnapshot(m)).tampered).toEqual([]);
    expect(await store.checkManifestMac(m, macKey)).toEqual({ status: 'invalid', commit: expect.objectContaining({ oid: edit }) });
    const verified = await verifySnapshot(store, 'HEAD', { macKey });
    expect(verified.ok).toBe(false);
    expect(verified.problems).toEqual([expect.objectContaining({ kind: 'bad-mac', path: 'snapshots/manifest.json', commit: edit })]);
  });

  it('without the key verify passes the files and says the MAC was not checked', async () => {
    const { store } = await edited();
    const verified = await verifySnapshot(store);
    expect(verified).toMatchObject({ ok: true, mac: { status: 'unchecked' } });
  });

  it('a stripped mac is found, with or without the key; a manifest from before MACs is accepted', async () => {
    const { dir, store } = await edited();
    const path = join(dir, 'snapshots', 'manifest.json');
    const { mac: _dropped, ...stripped } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, `${JSON.stringify(stripped, null, 2)}\n`);
    git(dir, 'commit', '-qam', 'no more mac');
    const strip = git(dir, 'rev-parse', 'HEAD').trim();
    const m = (await store.readManifest())!;
    for (const key of [macKey, null]) expect(await store.checkManifestMac(m, key)).toEqual({ status: 'stripped', commit: expect.objectContaining({ oid: strip }) });
    expect((await verifySnapshot(store)).problems).toEqual([expect.objectContaining({ kind: 'mac-missing', commit: strip })]);

    const legacy = await openSnapshotStore({ dir: tempDir() });
    await legacy.commitSnapshot(snapshot(night1));
    await legacy.commitSnapshot(snapshot(night2));
    expect(await legacy.checkManifestMac((await legacy.readManifest())!, macKey)).toEqual({ status: 'absent', commit: null });
  });
});
