import { normaliseCsv, parseCanonical, type CanonicalTable, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import { diffTables, resolveDiffOptions, type DiffOptions } from './diff-tables.js';
import { exportSubset, indexExport, matchExports, subsetKeysAgree, type ExportMatch } from './export-index.js';
import type { ResourceChange } from './types.js';

export interface CompareExportsOptions extends DiffOptions {
  /** Fingerprints secrets in JSON cells (`createRedactor(key)`); the same for both files. */
  readonly redactor: Redactor;
  /** The files' names as messages show them. @default { before: 'before.csv', after: 'after.csv' } */
  readonly files?: { readonly before: string; readonly after: string };
}

/**
 * Compares two exports (raw downloads or canonical snapshots) of one resource with the result of
 * `diffTables(normalise(before), normalise(after))`, but fast on large files: when both are plain
 * RFC 4180 with the same header, records are matched by key on the raw bytes (`indexExport`,
 * `matchExports`); byte-identical records are unchanged (normalising is a function of the header
 * and the bytes), and only the records that differ, appear or disappear go through the schema
 * layer and `diffTables`. Anything unusual takes the full path, so results and errors are always
 * the schema layer's. Per-cell warnings of unchanged records are not collected.
 */
export async function compareExports(before: Buffer, after: Buffer, schema: ResourceSchema, options: CompareExportsOptions): Promise<ResourceChange> {
  const files = options.files ?? { before: 'before.csv', after: 'after.csv' };
  const b = indexExport(before, schema);
  const a = b && indexExport(after, schema);
  const match = a && b && matchExports(b, a);
  if (a && b && match) {
    const normalise = (bytes: Buffer, file: string) => normaliseCsv(bytes, schema, { file, redactor: options.redactor }).catch(() => null);
    const [bt, at] = await Promise.all([normalise(exportSubset(b, match.beforeRows), files.before), normalise(exportSubset(a, match.afterRows), files.after)]);
    const change = bt && at && completeComparison({ match, tables: { before: bt, after: at } }, options);
    if (change) return change;
  }
  const [bt, at] = await Promise.all([
    parseCanonical(before, schema, { file: files.before, redactor: options.redactor }),
    parseCanonical(after, schema, { file: files.after, redactor: options.redactor }),
  ]);
  return diffTables(bt, at, resolveDiffOptions(options));
}

/** What `completeComparison` needs: the match and the normalised subsets (not the files). */
export interface MatchedExports {
  readonly match: ExportMatch;
  /** `normaliseCsv` of `exportSubset(before, match.beforeRows)` and of the after subset. */
  readonly tables: { readonly before: CanonicalTable; readonly after: CanonicalTable };
}

/**
 * The change of two matched exports: `diffTables` over the normalised subsets, with the counts of
 * the whole files. Null when the schema layer read other keys than the scanner (then take the
 * full path).
 */
export function completeComparison(input: MatchedExports, options: DiffOptions = {}): ResourceChange | null {
  const { match, tables } = input;
  if (!subsetKeysAgree(tables.before, match.beforeKeys) || !subsetKeysAgree(tables.after, match.afterKeys)) return null;
  const change = diffTables(tables.before, tables.after, resolveDiffOptions(options));
  const counts = { ...change.counts, before: match.rows.before, after: match.rows.after, unchanged: change.counts.unchanged + match.unchanged };
  return { ...change, counts };
}
