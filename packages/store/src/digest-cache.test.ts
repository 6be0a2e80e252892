import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import { openDigestCache } from './_digest-cache.js';

let gitdir: string;
beforeEach(async () => { gitdir = await mkdtemp(join(tmpdir(), 'digest-cache-')); });
afterEach(async () => { await rm(gitdir, { recursive: true, force: true }); });

const entry = Buffer.from('schema\'s digests, as opaque bytes\n\u0000\u00ff');
const blob = 'a'.repeat(40);

describe('openDigestCache', () => {
  it('gives back what was written for the same blob, and nothing for another', async () => {
    const cache = openDigestCache(fs, gitdir, 'snapshots');
    await cache.write('integrations', blob, entry);
    expect(await cache.read('integrations', blob)).toEqual(entry);
    expect(await cache.read('integrations', 'b'.repeat(40))).toBeNull();
    expect(await cache.read('labels', blob)).toBeNull();
  });

  it('keeps one cache per snapshot directory', async () => {
    await openDigestCache(fs, gitdir, 'snapshots').write('integrations', blob, entry);
    expect(await openDigestCache(fs, gitdir, 'audit/snapshots').read('integrations', blob)).toBeNull();
  });

  it('ignores a file from an older cache format', async () => {
    const cache = openDigestCache(fs, gitdir, 'snapshots');
    await cache.write('integrations', blob, entry);
    const [dir] = await readdir(join(gitdir, 'balkan-audit', 'cache'));
    const file = join(gitdir, 'balkan-audit', 'cache', dir!, 'integrations.digests');
    await writeFile(file, (await readFile(file)).toString('latin1').replace('balkan-audit-digests/3', 'balkan-audit-digests/2'), 'latin1');
    expect(await cache.read('integrations', blob)).toBeNull();
  });
});
