import { normaliseCore } from './_normalise-core.js';
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
