// Measured step: read one snapshot resource back at HEAD from git objects with @balkan-audit/store.
// node --conditions=@balkan-audit/source --import tsx store-read.ts --repo DIR [--resource bench] [--ref HEAD]
import { createHash } from 'node:crypto';
import { openSnapshotStore } from '@balkan-audit/store';
import { benchArgs } from '../harness.js';

const args = benchArgs({ repo: '', resource: 'bench', ref: 'HEAD' });
if (args['repo'] === '') throw new Error('usage: store-read.ts --repo DIR');
const store = await openSnapshotStore({ dir: args['repo']!, init: false });
const content = await store.readResource(args['resource']!, args['ref']!);
if (content === null) throw new Error(`no ${args['resource']} at ${args['ref']}`);
// Print a length and a digest so the caller can check the bytes without the pipe carrying them.
process.stdout.write(`${content.length} ${createHash('sha1').update(content).digest('hex')}\n`);
