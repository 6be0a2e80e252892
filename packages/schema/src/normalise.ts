import { normaliseCore } from './_normalise-core.js';
import { indexRawRecords } from './_raw-index.js';
import { readRecords } from './_read.js';
import type { Redactor } from './redact.js';
import type { CanonicalTable, CsvInput, ResourceSchema } from './types.js';

export interface NormaliseOptions {
  /** The file's name as messages show it (`integrations.csv`). */
  readonly file: string;
  /** Fingerprints secrets in JSON cells (`createRedactor(key)`). */
  readonly redactor: Redactor;
}

/**
 * Parses an export and returns its canonical table: columns matched to the schema, every cell
 * normalised by its column's type, secrets in JSON cells fingerprinted, rows sorted by key.
 * Throws a `SchemaError` (nothing is produced) for a missing required column, an empty or
 * duplicate key, invalid CSV or UTF-8, or an empty file; smaller problems become `warnings`.
 *
 * @example
 * const table = await normaliseCsv(createReadStream('integrations.csv'), getSchema('integrations'),
 *   { file: 'integrations.csv', redactor: createRedactor(key) });
 */
export async function normaliseCsv(input: CsvInput, schema: ResourceSchema, options: NormaliseOptions): Promise<CanonicalTable> {
  return (await normaliseCore(input, schema, options)).table;
}

/**
 * The data records of an export as csv-parse reads them (the header and empty lines not counted),
 * without normalising a cell: the raw index counts a plain file, csv-parse any other. Throws
 * `SCHEMA_CSV_INVALID` or `SCHEMA_NOT_UTF8` where csv-parse has to read the file and cannot.
 *
 * @example
 * const rows = await countRecords(await readFile('integrations.csv'), 'integrations.csv');
 */
export async function countRecords(input: Buffer, file: string): Promise<number> {
  const index = indexRawRecords(input);
  if (index !== null) return index.count;
  let records = 0;
  await readRecords(input, file, () => { records++; });
  return Math.max(0, records - 1);
}
