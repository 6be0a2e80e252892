import git from 'isomorphic-git';
import * as nodeFs from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { commitPayload } from './_sign.js';
import { cleanTempDirs, git as nativeGit, snapshot, tempDir } from './_test-git.js';
import { gpgAvailable, nativeGpg, testKeyPair, type TestKeyPair } from './_test-gpg.js';
import { openSnapshotStore } from './open.js';
import { openPgpSigner, openPgpVerifier } from './openpgp.js';

afterEach(cleanTempDirs);

let key: TestKeyPair;
let other: TestKeyPair;
beforeAll(async () => {
  [key, other] = await Promise.all([testKeyPair(), testKeyPair('someone@example.com')]);
});

async function errorOf(promise: Promise<unknown>): Promise<{ code: string; message: string; hint?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a rejection');
}

describe('signed snapshot commits', () => {
  it.skipIf(!gpgAvailable && !process.env.CI)('native git reports a good signature (verify-commit and log --show-signature), and fsck stays clean', async () => {
    const dir = tempDir();
    const store = await openSnapshotStore({ dir });
    const signer = await openPgpSigner({ armoredKey: key.privateKey, passphrase: key.passphrase });
    const author = { name: 'Nightly Audit', email: 'audit@example.com' };
    await store.commitSnapshot({ ...snapshot({ labels: 'ID\n1\n' }, 'night 1'), author, signer });
    const { commit } = await store.commitSnapshot({ ...snapshot({ labels: 'ID\n2\n' }, 'night 2\n\nwith a body\r\n'), author, signer });
    const gpg = nativeGpg(key.publicKey);
    const verified = gpg.git(dir, 'verify-commit', '-v', commit!);
    expect(verified.status).toBe(0);
    expect(verified.out).toContain(`Good signature from "Nightly Audit <audit@example.com>"`);
    const log = gpg.git(dir, 'log', '--show-signature', '--format=%H %G?');
    expect(log.out.match(/Good signature from/g)).toHaveLength(2);
    expect(log.out).toContain(`${commit} G`);
    expect(nativeGit(dir, 'fsck', '--strict', '--no-dangling')).toBe('');
    // The key that is not the signer's is refused by native git too.
    expect(nativeGpg(other.publicKey).git(dir, 'verify-commit', commit!).status).not.toBe(0);
  });

  it('the payload is the commit as git renders it, whatever the time zone', async () => {
    const dir = tempDir();
    await openSnapshotStore({ dir });
    for (const timezoneOffset of [0, -0, 60, -330, 300, -765]) {
      const person = { name: 'A', email: 'a@example.com', timestamp: 1_700_000_000, timezoneOffset };
      const commit = { tree: '4b825dc642cb6eb9a060e54bf8d69288fbee4904', parent: [], author: person, committer: person, message: '\nsubject\r\n\nbody\n\n' };
      const oid = await git.writeCommit({ fs: nodeFs, gitdir: `${dir}/.git`, commit });
      expect(commitPayload(commit)).toBe(nativeGit(dir, 'cat-file', 'commit', oid));
    }
  });
});

describe('openPgpSigner', () => {
  it.each([
    ['not a key', () => ({ armoredKey: 'hello' }), /is not an ASCII-armored OpenPGP private key/],
    ['a public key', () => ({ armoredKey: key.publicKey }), /is not an ASCII-armored OpenPGP private key/],
    ['no passphrase', () => ({ armoredKey: key.privateKey }), /is protected by a passphrase, and none was given/],
    ['a wrong passphrase', () => ({ armoredKey: key.privateKey, passphrase: 'wrong-passphrase-x' }), /could not be unlocked with the passphrase given/],
  ])('%s: STORE_BAD_SIGNING_KEY, never quoting the key or the passphrase', async (_name, options, message) => {
    const error = await errorOf(openPgpSigner({ ...options(), name: 'BALKAN_AUDIT_SIGNING_KEY' }));
    expect(error.code).toBe('STORE_BAD_SIGNING_KEY');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('BALKAN_AUDIT_SIGNING_KEY');
    const said = `${error.message} ${error.hint ?? ''}`;
    for (const secret of [key.privateKey.split('\n')[2]!, key.passphrase, 'wrong-passphrase-x']) expect(said).not.toContain(secret);
  });
});

describe('openPgpVerifier', () => {
  it('accepts the signer\'s signature, refuses another key\'s and a changed payload; a bad key is STORE_BAD_PUBLIC_KEY', async () => {
    const signer = await openPgpSigner({ armoredKey: key.privateKey, passphrase: key.passphrase });
    const signature = await signer.sign('tree x\n\nmessage\n');
    const verifier = await openPgpVerifier(key.publicKey);
    expect(verifier.fingerprints).toEqual([signer.fingerprint]);
    expect(await verifier.verify('tree x\n\nmessage\n', signature)).toEqual({ valid: true, keyId: signer.fingerprint.slice(-16) });
    expect(await verifier.verify('tree x\n\nmessage!\n', signature)).toMatchObject({ valid: false });
    expect(await (await openPgpVerifier(other.publicKey)).verify('tree x\n\nmessage\n', signature)).toMatchObject({ valid: false, reason: expect.stringContaining('Could not find signing key') });
    expect(await verifier.verify('tree x\n\nmessage\n', '-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----')).toMatchObject({ valid: false, reason: expect.stringContaining('not an OpenPGP signature') });
    expect((await errorOf(openPgpVerifier('nope'))).code).toBe('STORE_BAD_PUBLIC_KEY');
  });
});
