// Bench step: `balkan-audit compare integrations OLD NEW --format json`, exactly as the CLI runs it,
// with the change set written to a file. Prints the counts as one JSON line.
import { createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { run, type CliIo } from '@balkan-audit/reporter';

const [oldFile, newFile, out] = process.argv.slice(2) as [string, string, string];
const stdout = createWriteStream(out);
const io: CliIo = { stdout, stderr: process.stderr, env: { ...process.env, BALKAN_AUDIT_REDACTION_KEY: 'bench' }, cwd: process.cwd(), interactive: false, terminal: false };
const code = await run(['compare', 'integrations', oldFile, newFile, '--format', 'json'], io);
await new Promise<void>((done) => stdout.end(done));
if (code !== 0) throw new Error(`compare exited with ${code}`);
// The counts come first in the change set; read just its head rather than parse megabytes here.
const file = await open(out);
const head = Buffer.alloc(4096);
await file.read(head, 0, head.length, 0);
const size = (await file.stat()).size;
await file.close();
const counts = /"counts": (\{[^}]*\})/.exec(head.toString('utf8'))?.[1] ?? 'null';
console.log(JSON.stringify({ counts: JSON.parse(counts) as unknown, changeSetMB: Number((size / 1e6).toFixed(1)) }));
