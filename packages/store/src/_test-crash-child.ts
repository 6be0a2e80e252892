// Child process for crash.test.ts: takes the run lock and commits snapshots in a loop until it is
// SIGKILLed, so the parent can check what a kill at an arbitrary point leaves behind.
import { openSnapshotStore } from './open.js';
import { manifestFor } from './_test-git.js';

const dir = process.argv[2]!;
const store = await openSnapshotStore({ dir });
await store.lock();
process.stdout.write('ready\n');
for (let i = 0; ; i++) {
  const line = `${i},${'x'.repeat(60)}\n`;
  const text = `ID,Value\n${line.repeat(100_000)}`;
  await store.commitSnapshot({ files: new Map([['apps', Buffer.from(text)], ['labels', Buffer.from(`ID\n${i}\n`)]]), manifest: manifestFor({ labels: `ID\n${i}\n` }), message: `run ${i}` });
}
