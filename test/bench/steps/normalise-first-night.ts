// Bench step: the first night (no cache): normaliseIncremental over the whole export, writing the
// canonical snapshot and the raw digest cache that the next night starts from.
import { readFile, writeFile } from 'node:fs/promises';
import { createRedactor, getSchema, normaliseIncremental, serialiseCanonical } from '@balkan-audit/schema';

const [file, snapshot, cache] = process.argv.slice(2) as [string, string, string];
const input = await readFile(file);
const started = performance.now();
const { table, digests } = await normaliseIncremental(input, getSchema('integrations'), { file: 'integrations.csv', redactor: createRedactor('bench'), previous: null });
const normaliseSeconds = (performance.now() - started) / 1000;
if (digests === null) throw new Error('the synthetic export was not digested');
await writeFile(snapshot, serialiseCanonical(table));
await writeFile(cache, digests);
console.log(JSON.stringify({ rows: table.rows.length, normaliseSeconds }));
