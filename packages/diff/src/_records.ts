import { decodeCell, type ColumnSchema } from '@balkan-audit/schema';
import type { RecordView } from './_classify.js';

/** Column name → typed value, in column order (JSON parsed, lists as arrays, empty as null). */
export function decodeRecord(columns: readonly ColumnSchema[], cells: readonly string[]): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) record[columns[i]!.name] = decodeCell(columns[i]!, cells[i] ?? '');
  return record;
}

/** Decodes the few cells a summary needs (name, actor, the changed column) on demand. */
export function recordView(columns: readonly ColumnSchema[], cells: readonly string[]): RecordView {
  return {
    get(name: string): unknown {
      const index = columns.findIndex((c) => c.name === name);
      return index === -1 ? null : decodeCell(columns[index]!, cells[index] ?? '');
    },
  };
}
