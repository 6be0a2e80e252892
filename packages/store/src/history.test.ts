import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanTempDirs, git, snapshot, tempDir } from './_test-git.js';
import { testKeyPair, type TestKeyPair } from './_test-gpg.js';
import { manifestKey } from './mac.js';
import { openSnapshotStore } from './open.js';
import { openPgpSigner, openPgpVerifier } from './openpgp.js';
import type { CommitSigner, SnapshotStore } from './types.js';
import { verifySnapshot } from './verify.js';

afterEach(cleanTempDirs);

const macKey = manifestKey('c'.repeat(64));
let key: TestKeyPair;
let signer: CommitSigner;
beforeAll(async () => {
  key = await testKeyPair();
  signer = await openPgpSigner({ armoredKey: key.privateKey, passphrase: key.passphrase });
});

const author = { name: 'Nightly Audit', email: 'audit@example.com' };

/** Night `n`: labels change every night, apps every third. */
function night(n: number) {
  return { labels: `ID,Name\n1,label ${n}\n`, apps: `ID,Name\n1,app ${Math.floor(n / 3)}\n` };
}

async function nights(store: SnapshotStore, from: number, to: number, options: { signed?: boolean } = {}): Promise<void> {
  for (let n = from; n <= to; n++) {
    await store.commitSnapshot({ ...snapshot(night(n), `night ${n}`), macKey, author, ...(options.signed ? { signer } : {}) });
  }
}

function head(dir: string): string {
  return git(dir, 'rev-parse', 'HEAD').trim();
}

function commitFile(dir: string, path: string, content: string, message: string): string {
  writeFileSync(join(dir, path), content);
  git(dir, 'add', path);
  git(dir, 'commit', '-qm', message);
  return head(dir);
}

describe('verifyHistory', () => {
  it('a clean history: every snapshot commit verified, each distinct file hashed once', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await nights(store, 1, 9);
    commitFile(dir, 'NOTES.md', 'not a snapshot\n', 'notes');
    const result = await store.verifyHistory({ macKey });
    expect(result).toMatchObject({ ok: true, tip: head(dir), since: null, commits: 9, problems: [], signatures: null });
    expect(result.macs).toMatchObject({ valid: 9, invalid: 0 });
    // 9 labels files + 4 apps files (nights 1-2, 3-5, 6-8, 9): not 18.
    expect(result.filesHashed).toBe(13);
  });

  it('names a hand edit buried in history, even though a later commit put the file back', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await nights(store, 1, 3);
    const original = readFileSync(join(dir, 'snapshots', 'apps.csv'), 'utf8');
    const edit = commitFile(dir, 'snapshots/apps.csv', 'ID,Name\n1,not the app\n', 'fix a typo');
    commitFile(dir, 'snapshots/apps.csv', original, 'undo');
    await nights(store, 4, 6);
    expect((await verifySnapshot(store)).ok).toBe(true);
    const result = await store.verifyHistory({ macKey });
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([{
      kind: 'mismatch', resource: 'apps', path: 'snapshots/apps.csv', commit: edit, subject: 'fix a typo',
      expected: expect.stringMatching(/^[0-9a-f]{40}$/), actual: git(dir, 'rev-parse', `${edit}:snapshots/apps.csv`).trim(),
    }]);
  });

  it('finds the edit on a merged branch, a malformed manifest, and a file + manifest edit made without the key', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await nights(store, 1, 2);
    git(dir, 'checkout', '-qb', 'side');
    const manifestPath = join(dir, 'snapshots', 'manifest.json');
    const good = readFileSync(manifestPath, 'utf8');
    const broken = commitFile(dir, 'snapshots/manifest.json', good.replace('"schemaVersion": 1', '"schemaVersion": 2'), 'break the manifest');
    commitFile(dir, 'snapshots/manifest.json', good, 'mend it');
    // Someone without the key edits a file and its hash and blob id in the manifest.
    const content = 'ID,Name\n1,forged\n';
    writeFileSync(join(dir, 'snapshots', 'labels.csv'), content);
    git(dir, 'add', 'snapshots/labels.csv');
    const forged = JSON.parse(good);
    forged.resources.labels.canonicalSha256 = createHash('sha256').update(content).digest('hex');
    forged.resources.labels.blobId = git(dir, 'hash-object', 'snapshots/labels.csv').trim();
    const mac = commitFile(dir, 'snapshots/manifest.json', `${JSON.stringify(forged, null, 2)}\n`, 'forge labels');
    git(dir, 'checkout', '-q', 'main');
    commitFile(dir, 'NOTES.md', 'x\n', 'notes on main');
    git(dir, 'merge', '-q', '--no-ff', '-s', 'ours', '-m', 'merge side (keeping main)', 'side');
    await nights(store, 3, 3);

    const result = await store.verifyHistory({ macKey });
    expect(result.problems.map((p) => [p.commit, p.subject, p.kind, p.path])).toEqual([
      [broken, 'break the manifest', 'bad-manifest', 'snapshots/manifest.json'],
      [mac, 'forge labels', 'bad-mac', 'snapshots/manifest.json'],
    ]);
    expect(result.problems[0]!.detail).toContain('"schemaVersion" must be 1');
    // Without the key the forged pair looks consistent: nothing to name, and the MAC is counted unchecked.
    const keyless = await store.verifyHistory();
    expect(keyless.problems.map((p) => p.kind)).toEqual(['bad-manifest']);
    expect(keyless.macs.unchecked).toBeGreaterThan(0);
    expect(keyless.macs.valid).toBe(0);
    // --since leaves out what is reachable from it.
    expect((await store.verifyHistory({ macKey, since: 'side' })).problems).toEqual([]);
    expect((await store.verifyHistory({ macKey, since: broken })).problems.map((p) => p.kind)).toEqual(['bad-mac']);
    expect(await store.verifyHistory({ since: 'HEAD' })).toMatchObject({ commits: 0, problems: [] });
  });

  it('a MAC stripped in history is named', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await nights(store, 1, 2);
    const path = join(dir, 'snapshots', 'manifest.json');
    const { mac: _dropped, ...bare } = JSON.parse(readFileSync(path, 'utf8'));
    const strip = commitFile(dir, 'snapshots/manifest.json', `${JSON.stringify(bare, null, 2)}\n`, 'strip');
    await nights(store, 3, 3);
    expect((await store.verifyHistory()).problems.map((p) => [p.commit, p.kind])).toEqual([[strip, 'mac-missing']]);
  });

  it('a signed history verifies; an unsigned commit and one signed with another key are named', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    await nights(store, 1, 3, { signed: true });
    const verifier = await openPgpVerifier(key.publicKey);
    expect(await store.verifyHistory({ macKey, verifier })).toMatchObject({ ok: true, commits: 3, signatures: { good: 3, fingerprints: [signer.fingerprint] } });

    const stranger = await testKeyPair('stranger@example.com');
    await store.commitSnapshot({ ...snapshot(night(4), 'night 4 (stranger)'), macKey, author, signer: await openPgpSigner({ armoredKey: stranger.privateKey, passphrase: stranger.passphrase }) });
    const strangers = head(dir);
    const unsigned = commitFile(dir, 'snapshots/labels.csv', readFileSync(join(dir, 'snapshots', 'labels.csv'), 'utf8').replace('label 4', 'label 44'), 'slipped in');
    await nights(store, 5, 5, { signed: true });
    const result = await store.verifyHistory({ macKey, verifier });
    expect(result.problems.map((p) => [p.commit, p.kind])).toEqual([[strangers, 'bad-signature'], [unsigned, 'mismatch'], [unsigned, 'unsigned']]);
    expect(result.problems[0]!.detail).toMatch(/Could not find signing key/);
    expect(result.signatures?.good).toBe(4);
  });
});
