// Measured step (reference): plain isomorphic-git — add + commit of a file already in the working
// tree, or readBlob of it at HEAD — to show what the store's node:zlib blob path saves.
// node --conditions=@balkan-audit/source --import tsx store-isogit.ts --mode commit|read --repo DIR --path snapshots/bench.csv
import * as fs from 'node:fs';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchArgs } from '../harness.js';

// isomorphic-git is a dependency of the store package, not of the bench package: load the same copy.
const storePackage = fileURLToPath(new URL('../../../packages/store/package.json', import.meta.url));
const git = createRequire(storePackage)('isomorphic-git') as IsomorphicGit;

interface IsomorphicGit {
  add(args: { fs: typeof fs; dir: string; filepath: string }): Promise<void>;
  commit(args: { fs: typeof fs; dir: string; message: string; author: { name: string; email: string } }): Promise<string>;
  resolveRef(args: { fs: typeof fs; dir: string; ref: string }): Promise<string>;
  readBlob(args: { fs: typeof fs; dir: string; oid: string; filepath: string }): Promise<{ blob: Uint8Array }>;
}

const args = benchArgs({ mode: 'commit', repo: '', path: 'snapshots/bench.csv' });
const dir = args['repo']!;
const filepath = args['path']!;
if (args['mode'] === 'commit') {
  await git.add({ fs, dir, filepath });
  const author = { name: 'bench', email: 'bench@localhost' };
  process.stdout.write(`${await git.commit({ fs, dir, message: 'bench snapshot', author })}\n`);
} else {
  const oid = await git.resolveRef({ fs, dir, ref: 'HEAD' });
  const { blob } = await git.readBlob({ fs, dir, oid, filepath });
  process.stdout.write(`${blob.length} ${createHash('sha1').update(blob).digest('hex')}\n`);
}
