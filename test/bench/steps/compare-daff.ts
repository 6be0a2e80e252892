// Bench step (anchor): daff's library on the same two files, as its README uses it — csv-parse
// both files into arrays, `compareTables(…).align()`, render the highlighter diff. Prints the
// counts. A third argument names the primary key column to align on (the bench passes `ID*`);
// without it daff infers the alignment, which on shuffled files is much slower.
import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import daff from 'daff';

const [oldFile, newFile, key] = process.argv.slice(2) as [string, string, string | undefined];
const read = async (file: string): Promise<string[][]> => parse(await readFile(file), { bom: true }) as string[][];
const before = new daff.TableView(await read(oldFile));
const after = new daff.TableView(await read(newFile));
const flags = new daff.CompareFlags();
if (key) flags.addPrimaryKey(key);
const alignment = daff.compareTables(before, after, flags).align();
const output: string[][] = [];
new daff.TableDiff(alignment, flags).hilite(new daff.TableView(output));
const counts: Record<string, number> = {};
for (const row of output) counts[row[0] ?? ''] = (counts[row[0] ?? ''] ?? 0) + 1;
console.log(JSON.stringify({ added: counts['+++'] ?? 0, removed: counts['---'] ?? 0, changed: counts['->'] ?? 0 }));
