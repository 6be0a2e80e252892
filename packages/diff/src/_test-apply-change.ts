import { formatKey, splitRecord, type CanonicalTable } from '@balkan-audit/schema';
import { decodeRecord } from './_records.js';
import { applyFieldChanges } from './_test-apply-json.js';
import type { ResourceChange } from './types.js';

/** A table's records as a change set shows them: display id → column → typed value. */
export function recordsOf(table: CanonicalTable): Map<string, Record<string, unknown>> {
  return new Map(table.rows.map((row) => [formatKey(row.key), decodeRecord(table.columns, splitRecord(row.line))]));
}

/**
 * The records of `after` rebuilt from `before` and a change computed from the two: removed records
 * dropped, changed ones patched field by field (JSON cells by path), added ones taken as listed.
 * Equal to `recordsOf(after)` exactly when the change lost nothing. Needs a complete change (no
 * `maxRecordsInReport` cap) without column changes: a change does not hold the values of a new
 * column on unchanged records.
 */
export function applyChange(before: CanonicalTable, change: ResourceChange): Map<string, Record<string, unknown>> {
  const { schemaChanges, counts } = change;
  if (schemaChanges.addedColumns.length + schemaChanges.removedColumns.length > 0 || counts.changed !== change.changed.length) {
    throw new Error(`cannot apply the change of ${change.resource}: columns changed, or it lists fewer records than it counts`);
  }
  const records = recordsOf(before);
  for (const { id } of change.removed) records.delete(id);
  for (const { id, changes } of change.changed) {
    const record = records.get(id)!;
    for (const column of before.columns) {
      const mine = changes.filter((c) => c.field === column.name);
      if (mine.length > 0) record[column.name] = applyFieldChanges(column.type, record[column.name], mine);
    }
  }
  for (const { id, record } of change.added) records.set(id, { ...record });
  return records;
}
