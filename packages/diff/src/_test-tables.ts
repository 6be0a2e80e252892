import { createRedactor, getSchema, normaliseCsv, type CanonicalTable } from '@balkan-audit/schema';

export const TEST_REDACTION_KEY = 'diff-test-key';

/**
 * A canonical table of `resource` from records given as column → raw cell text, normalised by the
 * schema layer exactly as an export would be. Columns default to the documented ones.
 */
export async function tableOf(
  resource: string,
  records: ReadonlyArray<Readonly<Record<string, string>>>,
  options: { columns?: readonly string[]; key?: readonly string[]; redactionKey?: string } = {},
): Promise<CanonicalTable> {
  const schema = getSchema(resource, options.key ? { key: options.key } : {});
  const columns = options.columns ?? schema.columns.map((c) => c.name);
  // Every cell quoted: plain RFC 4180 that csv-parse reads back exactly.
  const encode = (cells: readonly string[]): string => cells.map((cell) => `"${cell.replaceAll('"', '""')}"`).join(',');
  const lines = [encode(columns), ...records.map((record) => encode(columns.map((c) => record[c] ?? '')))];
  return normaliseCsv(`${lines.join('\n')}\n`, schema, { file: `${resource}.csv`, redactor: createRedactor(options.redactionKey ?? TEST_REDACTION_KEY) });
}
