import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawDigests } from '@balkan-audit/schema';
import { openDigestCache } from './digest-cache.js';

let gitdir: string;
beforeEach(async () => { gitdir = await mkdtemp(join(tmpdir(), 'digest-cache-')); });
afterEach(async () => { await rm(gitdir, { recursive: true, force: true }); });

const digests: RawDigests = { version: 'v1', header: 'ab'.repeat(16), rows: Buffer.alloc(32, 7) };
const blob = 'a'.repeat(40);

describe('openDigestCache', () => {
  it('gives back what was written for the same blob, and nothing for another', async () => {
    const cache = openDigestCache(gitdir, 'snapshots');
    await cache.write('integrations', blob, digests);
    expect(await cache.read('integrations', blob)).toEqual(digests);
    expect(await cache.read('integrations', 'b'.repeat(40))).toBeNull();
    expect(await cache.read('labels', blob)).toBeNull();
  });

  it('keeps one cache per snapshot directory', async () => {
    await openDigestCache(gitdir, 'snapshots').write('integrations', blob, digests);
    expect(await openDigestCache(gitdir, 'audit/snapshots').read('integrations', blob)).toBeNull();
  });

  it('treats a damaged file as a miss and removes it', async () => {
    const cache = openDigestCache(gitdir, 'snapshots');
    await cache.write('integrations', blob, digests);
    const [dir] = await readdir(join(gitdir, 'balkan-audit', 'cache'));
    const file = join(gitdir, 'balkan-audit', 'cache', dir!, 'integrations.digests');
    await writeFile(file, `balkan-audit-digests/1 ${blob}\nnot digests`);
    expect(await cache.read('integrations', blob)).toBeNull();
    expect(await readdir(join(gitdir, 'balkan-audit', 'cache', dir!))).toEqual([]);
  });
});
