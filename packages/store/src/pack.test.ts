import * as fs from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StoreContext } from './_context.js';
import { atomicGitFs } from './_fs.js';
import { readPacked } from './_pack.js';
import { cleanTempDirs, git, gitBuffer, tempDir } from './_test-git.js';

afterEach(cleanTempDirs);
afterAll(() => {
  if (made !== null) fs.rmSync(made, { recursive: true, force: true });
});

let made: string | null = null;

/** A copy of a history by native git whose file versions pack as deep delta chains (made once). */
function historyRepo(): string {
  made ??= nativeHistory();
  const dir = tempDir();
  fs.cpSync(made, dir, { recursive: true });
  return dir;
}

function nativeHistory(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'balkan-pack-'));
  git(dir, 'init', '-q', '-b', 'main');
  const lines = Array.from({ length: 6000 }, (_, i) => `${i},row ${i},"quoted, ""text""",${(i * 7919) % 1000}`);
  for (let night = 0; night < 24; night++) {
    for (let k = 0; k < 20; k++) lines[(night * 131 + k * 977) % lines.length] = `${night}-${k},changed on night ${night}`;
    if (night % 7 === 0) lines.splice(night * 10, 3);
    writeFileSync(join(dir, 'data.csv'), `${lines.join('\n')}\n`);
    writeFileSync(join(dir, `note-${night % 3}.txt`), `night ${night}\n`);
    git(dir, 'add', '.');
    git(dir, 'commit', '-q', '-m', `night ${night}`);
  }
  git(dir, 'tag', '-a', 'v1', '-m', 'a tag');
  return dir;
}

/** Every object of the repository as git reads it: type and content, by id. */
function allObjects(dir: string): Map<string, { type: string; content: Buffer }> {
  const out = new Map<string, { type: string; content: Buffer }>();
  const bytes = gitBuffer(dir, 'cat-file', '--batch-all-objects', '--batch');
  let at = 0;
  while (at < bytes.length) {
    const lf = bytes.indexOf(10, at);
    const [oid, type, size] = bytes.toString('latin1', at, lf).split(' ');
    const start = lf + 1;
    out.set(oid!, { type: type!, content: bytes.subarray(start, start + Number(size)) });
    at = start + Number(size) + 1;
  }
  return out;
}

function contextOf(dir: string): StoreContext {
  const gitdir = join(dir, '.git');
  return { fs, gitFs: atomicGitFs(fs, gitdir), dir, gitdir, cache: {} };
}

describe('readPacked', () => {
  it.each([
    ['offset deltas', [] as string[]],
    ['reference deltas', ['-c', 'repack.useDeltaBaseOffset=false']],
  ])('reads every object of a packed repository as git does (%s)', (_, config) => {
    const dir = historyRepo();
    git(dir, ...config, 'repack', '-q', '-a', '-d', '-f', '--depth=50', '--window=50');
    git(dir, 'prune-packed');
    const deltas = git(dir, 'verify-pack', '-v', ...fs.readdirSync(join(dir, '.git', 'objects', 'pack')).filter((n) => n.endsWith('.idx')).map((n) => join(dir, '.git', 'objects', 'pack', n)));
    expect(deltas).toMatch(/chain length = [2-9]\d*:/);
    const expected = allObjects(dir);
    expect(expected.size).toBeGreaterThan(90);
    const ctx = contextOf(dir);
    // Oldest first and newest first: the kept bases serve both orders.
    for (const order of [[...expected.keys()], [...expected.keys()].reverse()]) {
      for (const oid of order) {
        const read = readPacked(ctx, oid);
        expect(read?.type, oid).toBe(expected.get(oid)!.type);
        expect(read!.content.equals(expected.get(oid)!.content), oid).toBe(true);
      }
    }
    expect(readPacked(ctx, '0'.repeat(40))).toBeNull();
  });

  it('finds nothing in a repository without packs', () => {
    const dir = tempDir();
    git(dir, 'init', '-q');
    expect(readPacked(contextOf(dir), 'a'.repeat(40))).toBeNull();
  });

  it('says which pack and offset are damaged', () => {
    const dir = historyRepo();
    git(dir, 'repack', '-q', '-a', '-d');
    const pack = fs.readdirSync(join(dir, '.git', 'objects', 'pack')).find((n) => n.endsWith('.pack'))!;
    const path = join(dir, '.git', 'objects', 'pack', pack);
    const oid = git(dir, 'rev-parse', 'HEAD:data.csv').trim();
    const bytes = fs.readFileSync(path);
    fs.chmodSync(path, 0o644);
    // Scramble the middle of the pack, where the objects' deflated data is.
    for (let i = bytes.length >> 2; i < (bytes.length >> 2) * 3; i += 7) bytes[i] = bytes[i]! ^ 0x5a;
    fs.writeFileSync(path, bytes);
    expect(() => readPacked(contextOf(dir), oid)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT_OBJECT' }));
  });
});
