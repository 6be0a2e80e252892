import { compareKeys, decodeCell, encodeRecord, formatKey, keyOf, splitRecord, type CanonicalRow, type CanonicalTable, type ColumnSchema } from '@balkan-audit/schema';
import { applyFieldChanges } from './_apply-json.js';
import { DiffError } from './errors.js';
import type { FieldChange, ResourceChange } from './types.js';

/**
 * Rebuilds the `after` rows from `before` and a change computed from them: removed records
 * dropped, changed ones patched field by field (JSON cells by path), added ones encoded from their
 * records. Needs a complete change (no `maxRecordsInReport` cap) with no column changes, since
 * values of a new column on unchanged records are not in a change. Used to prove a change set
 * loses nothing.
 */
export function applyChange(before: CanonicalTable, change: ResourceChange): CanonicalRow[] {
  assertApplicable(before, change);
  const columns = before.columns;
  const removed = new Set(change.removed.map((entry) => entry.id));
  const changed = new Map(change.changed.map((entry) => [entry.id, entry.changes]));
  const rows: CanonicalRow[] = [];
  for (const row of before.rows) {
    const id = formatKey(row.key);
    if (removed.has(id)) continue;
    const changes = changed.get(id);
    rows.push(changes ? { key: row.key, line: patchLine(columns, row.line, changes) } : row);
  }
  for (const entry of change.added) {
    const cells = columns.map((column) => encodeCell(column, entry.record[column.name] ?? null));
    rows.push({ key: keyOf(before.schema, columns, cells), line: encodeRecord(cells) });
  }
  return rows.sort((a, b) => compareKeys(a.key, b.key));
}

function assertApplicable(before: CanonicalTable, change: ResourceChange): void {
  const { counts, schemaChanges } = change;
  if (schemaChanges.addedColumns.length + schemaChanges.removedColumns.length > 0) {
    throw new DiffError('DIFF_APPLY_SCHEMA_CHANGED', `cannot apply the change of ${change.resource}: columns were added or removed, and a change does not hold their values`, {
      data: { resource: change.resource, ...schemaChanges },
    });
  }
  if (counts.added !== change.added.length || counts.removed !== change.removed.length || counts.changed !== change.changed.length) {
    throw new DiffError('DIFF_APPLY_INCOMPLETE', `cannot apply the change of ${change.resource}: it lists fewer records than it counts (computed with maxRecordsInReport)`, {
      data: { resource: change.resource, counts },
    });
  }
  if (before.schema.resource !== change.resource) {
    throw new DiffError('DIFF_RESOURCE_MISMATCH', `cannot apply a change of ${change.resource} to a table of ${before.schema.resource}`, {
      data: { table: before.schema.resource, change: change.resource },
    });
  }
}

function patchLine(columns: readonly ColumnSchema[], line: string, changes: readonly FieldChange[]): string {
  const cells = splitRecord(line);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i]!;
    const mine = changes.filter((c) => c.field === column.name);
    if (mine.length === 0) continue;
    const value = applyFieldChanges(column.type, decodeCell(column, cells[i] ?? ''), mine);
    cells[i] = encodeCell(column, value);
  }
  return encodeRecord(cells);
}

/** The canonical text of a typed value (the inverse of `decodeCell` on canonical text). */
function encodeCell(column: ColumnSchema, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (column.type === 'json') return stringifySorted(value);
  if (column.type === 'list') return (value as string[]).join(', ');
  return String(value);
}

function stringifySorted(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stringifySorted).join(',')}]`;
  const record = value as Record<string, unknown>;
  const members = Object.keys(record).sort().filter((k) => record[k] !== undefined);
  return `{${members.map((k) => `${JSON.stringify(k)}:${stringifySorted(record[k])}`).join(',')}}`;
}
