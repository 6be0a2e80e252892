import { decodeCell, type ColumnSchema } from '@balkan-audit/schema';
import { diffList } from './_list-diff.js';
import { diffJson } from './_json-diff.js';
import type { FieldChange } from './types.js';

/**
 * The changes between two different canonical texts of one column: JSON cells as paths, ordered
 * lists as items added / removed / reordered, anything else as one whole-cell change.
 */
export function diffCell(column: ColumnSchema, beforeText: string, afterText: string): FieldChange[] {
  const field = column.name;
  const volatile = column.volatile;
  const before = decodeCell(column, beforeText);
  const after = decodeCell(column, afterText);
  if (column.type === 'json') {
    return diffJson(before, after).map((c) => ({ field, path: c.path, op: c.op, before: c.before, after: c.after, volatile }));
  }
  if (column.type === 'list' && isList(before) && isList(after)) {
    return diffList(before ?? [], after ?? []).map((c) => ({ field, path: [], op: c.op, before: c.before, after: c.after, volatile }));
  }
  return [{ field, path: [], op: 'changed', before, after, volatile }];
}

function isList(value: unknown): value is string[] | null {
  return value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}
