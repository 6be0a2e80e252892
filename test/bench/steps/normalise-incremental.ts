// Bench step: an incremental night. Loads last night's snapshot (parseCanonical) and digest cache,
// normalises tonight's export reusing unchanged rows, and serialises the canonical bytes.
import { readFile } from 'node:fs/promises';
import { createRedactor, getSchema, normaliseIncremental, parseCanonical, serialiseCanonical } from '@balkan-audit/schema';

const [file, snapshot, cache] = process.argv.slice(2) as [string, string, string];
const schema = getSchema('integrations');
const options = { file: 'integrations.csv', redactor: createRedactor('bench') };
const t0 = performance.now();
const previousTable = await parseCanonical(await readFile(snapshot), schema, options);
const previousDigests = await readFile(cache);
const input = await readFile(file);
const t1 = performance.now();
const { table, digests, reused } = await normaliseIncremental(input, schema, { ...options, previous: { table: previousTable, digests: previousDigests } });
const t2 = performance.now();
const bytes = serialiseCanonical(table);
console.log(JSON.stringify({ rows: table.rows.length, reused, digested: digests !== null, canonicalBytes: bytes.length, loadSeconds: (t1 - t0) / 1000, normaliseSeconds: (t2 - t1) / 1000 }));
