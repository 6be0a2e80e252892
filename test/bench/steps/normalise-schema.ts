// Bench step: normalise one export with @balkan-audit/schema and serialise the canonical bytes.
import { createReadStream } from 'node:fs';
import { createRedactor, getSchema, normaliseCsv, serialiseCanonical } from '@balkan-audit/schema';

const file = process.argv[2]!;
const table = await normaliseCsv(createReadStream(file, { highWaterMark: 1 << 20 }), getSchema('integrations'), { file: 'integrations.csv', redactor: createRedactor('bench') });
const bytes = serialiseCanonical(table);
console.log(JSON.stringify({ rows: table.rows.length, canonicalBytes: bytes.length, warnings: Object.values(table.warningCounts ?? {}).reduce((a, b) => a + b, 0) }));
