// Bench anchor: plain csv-parse over the same file (arrays, BOM, strict column count), counting records.
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';

const parser = createReadStream(process.argv[2]!, { highWaterMark: 1 << 20 }).pipe(parse({ bom: true, relax_column_count: false }));
let records = 0;
for await (const _ of parser) records++;
console.log(JSON.stringify({ rows: records - 1 }));
