// Measured step: commit one large canonical file as a snapshot resource with @balkan-audit/store.
// node --conditions=@balkan-audit/source --import tsx store-commit.ts --file F --repo DIR [--resource bench]
import { readFile } from 'node:fs/promises';
import { openSnapshotStore } from '@balkan-audit/store';
import { benchArgs } from '../harness.js';

const args = benchArgs({ file: '', repo: '', resource: 'bench' });
if (args['file'] === '' || args['repo'] === '') throw new Error('usage: store-commit.ts --file F --repo DIR');
const resource = args['resource']!;
const content = await readFile(args['file']!);
const store = await openSnapshotStore({ dir: args['repo']! });
const lock = await store.lock();
try {
  const result = await store.commitSnapshot({
    files: new Map([[resource, content]]),
    manifest: { schemaVersion: 1, tenant: null, generatedAt: new Date().toISOString(), resources: {} },
    message: 'bench snapshot',
    author: { name: 'bench', email: 'bench@localhost' },
  });
  process.stdout.write(`${result.commit}\n`);
} finally {
  await lock.release();
}
