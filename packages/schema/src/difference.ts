import { isUtf8 } from 'node:buffer';
import { planHeader } from './_header.js';
import { joinByKey } from './_key-join.js';
import { normaliseRecords } from './_normalise-core.js';
import { indexRawRecords, type KeyColumns, type RawIndex } from './_raw-index.js';
import { KEY_SEPARATOR } from './keys.js';
import type { Redactor } from './redact.js';
import type { CanonicalTable, ResourceSchema } from './types.js';

export interface DifferenceOptions {
  /** Fingerprints secrets in JSON cells (`createRedactor(key)`); the same for both files. */
  readonly redactor: Redactor;
  /** The files' names as messages show them. @default { before: 'before.csv', after: 'after.csv' } */
  readonly files?: { readonly before: string; readonly after: string };
  /**
   * Indexes one export, with the result of `indexExport(bytes, schema)`. It is called for both
   * files before either result is awaited, so a runner can index one of them on another thread
   * (`balkan-audit compare` does).
   * @default indexExport, on this thread
   */
  readonly index?: (bytes: Buffer, schema: ResourceSchema) => ExportIndex | null | Promise<ExportIndex | null>;
}

/**
 * Where the records and key cells of one export are, from `indexExport`: `bytes` and plain
 * numbers and typed arrays, so a worker thread can build it and hand it back without a copy
 * (transfer the typed arrays; share `bytes` through a SharedArrayBuffer). Opaque otherwise.
 */
export type ExportIndex = RawIndex;

export interface NormalisedDifference {
  /** The canonical table of the records of `before` that differ from `after` or are not in it. */
  readonly before: CanonicalTable;
  /** The canonical table of the records of `after` that differ from `before` or are not in it. */
  readonly after: CanonicalTable;
  /** Records with the same key and the same bytes in both files: left out of both tables. */
  readonly identical: number;
}

/**
 * Normalises only the records that differ between two exports of one resource. A record whose
 * raw bytes are the same in both files normalises to the same row (normalising is a function of
 * the header, the redaction key and the record's bytes), so records are matched by key on the raw
 * bytes and only those that differ, appear or disappear go through csv-parse and the normaliser.
 * Null whenever that is not certain — other headers, a file the raw index declines (odd quoting, a
 * ragged record, an empty or repeated key, a typed key column, invalid UTF-8), or the normaliser
 * reading other keys than the index — and only normalising both files in full gives the answer
 * (or the error). Per-cell warnings of identical records are not collected.
 *
 * @example
 * const difference = await normaliseDifference(lastWeek, today, getSchema('integrations'), { redactor });
 */
export async function normaliseDifference(before: Buffer, after: Buffer, schema: ResourceSchema, options: DifferenceOptions): Promise<NormalisedDifference | null> {
  const index = options.index ?? indexExport;
  const [b, a] = await Promise.all([index(before, schema), index(after, schema)]);
  if (!b || !a || before.compare(after, a.headerStart, a.headerEnd, b.headerStart, b.headerEnd) !== 0) return null;
  const join = joinByKey(b, a);
  if (join === null) return null;
  const files = options.files ?? { before: 'before.csv', after: 'after.csv' };
  const [bt, at] = await Promise.all([
    normaliseRecords(b, join.before, schema, { file: files.before, redactor: options.redactor }),
    normaliseRecords(a, join.after, schema, { file: files.after, redactor: options.redactor }),
  ]);
  if (!bt || !at || !keysAgree(bt.table, b, join.before) || !keysAgree(at.table, a, join.after)) return null;
  return { before: bt.table, after: at.table, identical: join.identical };
}

/**
 * Indexes an export for `normaliseDifference`: its records, their lines and their key cells. Null
 * when only normalising the file in full can be trusted with it (see `normaliseDifference`). Pure.
 *
 * @example
 * const index = indexExport(await readFile('integrations.csv'), getSchema('integrations'));
 */
export function indexExport(bytes: Buffer, schema: ResourceSchema): ExportIndex | null {
  return isUtf8(bytes) ? indexRawRecords(bytes, plainKeyColumns(schema)) : null;
}

/** The key cells' indexes in a header; only for untyped key columns, whose cells are their canonical keys. */
function plainKeyColumns(schema: ResourceSchema): KeyColumns {
  return (header) => {
    try {
      const plan = planHeader(header, schema, 'header');
      return plan.keyIndexes.every((k) => plan.columns[k]!.type === 'string') ? plan.keyIndexes.map((k) => plan.source[k]!) : null;
    } catch {
      return null;
    }
  };
}

/** True when the normaliser read the same keys from the records as the index. */
function keysAgree(table: CanonicalTable, index: RawIndex, rows: readonly number[]): boolean {
  const keys = new Set(rows.map((r) => keyText(index, r)));
  return table.rows.length === keys.size && table.rows.every((row) => keys.has(row.key));
}

function keyText(index: RawIndex, r: number): string {
  const parts: string[] = [];
  for (let p = 0; p < index.keyParts; p++) {
    const at = 2 * (r * index.keyParts + p);
    parts.push(index.bytes.toString('utf8', index.keys![at], index.keys![at + 1]));
  }
  return parts.join(KEY_SEPARATOR);
}
