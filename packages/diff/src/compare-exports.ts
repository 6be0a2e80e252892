import { normaliseDifference, parseCanonical, type DifferenceOptions, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import { diffTables, resolveDiffOptions, type DiffOptions } from './diff-tables.js';
import type { ResourceChange } from './types.js';

export interface CompareExportsOptions extends DiffOptions {
  /** Fingerprints secrets in JSON cells (`createRedactor(key)`); the same for both files. */
  readonly redactor: Redactor;
  /** The files' names as messages show them. @default { before: 'before.csv', after: 'after.csv' } */
  readonly files?: { readonly before: string; readonly after: string };
  /** Indexes one file; a runner can put one of the two on another thread. @default indexExport, on this thread */
  readonly index?: DifferenceOptions['index'];
}

/**
 * Compares two exports (raw downloads or canonical snapshots) of one resource with the result of
 * `diffTables(normalise(before), normalise(after))`, but fast on large files: the schema layer
 * normalises only the records whose bytes differ (`normaliseDifference`), and the byte-identical
 * ones count as unchanged. When that is not certain, both files are normalised in full, so results
 * and errors are always the schema layer's. Per-cell warnings of unchanged records are not collected.
 *
 * @example
 * const change = await compareExports(await readFile('old.csv'), await readFile('new.csv'), getSchema('integrations'), { redactor });
 */
export async function compareExports(before: Buffer, after: Buffer, schema: ResourceSchema, options: CompareExportsOptions): Promise<ResourceChange> {
  // Checked before the files are read; diffTables resolves the same options again.
  resolveDiffOptions(options);
  const files = options.files ?? { before: 'before.csv', after: 'after.csv' };
  const difference = await normaliseDifference(before, after, schema, { redactor: options.redactor, files, ...(options.index === undefined ? {} : { index: options.index }) });
  if (difference !== null) {
    const change = diffTables(difference.before, difference.after, options);
    const { identical } = difference;
    return { ...change, counts: { ...change.counts, before: change.counts.before + identical, after: change.counts.after + identical, unchanged: change.counts.unchanged + identical } };
  }
  const [b, a] = await Promise.all([
    parseCanonical(before, schema, { file: files.before, redactor: options.redactor }),
    parseCanonical(after, schema, { file: files.after, redactor: options.redactor }),
  ]);
  return diffTables(b, a, options);
}
