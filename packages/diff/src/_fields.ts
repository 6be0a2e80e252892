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
  const before = decodeSafely(column, beforeText);
  const after = decodeSafely(column, afterText);
  if (column.type === 'json' && before.ok && after.ok) {
    return diffJson(before.value, after.value).map((c) => ({ field, path: c.path, op: c.op, before: c.before, after: c.after, volatile }));
  }
  if (column.type === 'list' && before.ok && after.ok && isList(before.value) && isList(after.value)) {
    return diffList(before.value ?? [], after.value ?? []).map((c) => ({ field, path: [], op: c.op, before: c.before, after: c.after, volatile }));
  }
  return [{ field, path: [], op: 'changed', before: before.value, after: after.value, volatile }];
}

/** A cell the schema layer could not type (it warned and kept the text) is compared as text. */
function decodeSafely(column: ColumnSchema, text: string): { ok: boolean; value: unknown } {
  try {
    return { ok: true, value: decodeCell(column, text) };
  } catch {
    return { ok: false, value: text === '' ? null : text };
  }
}

function isList(value: unknown): value is string[] | null {
  return value === null || (Array.isArray(value) && value.every((v) => typeof v === 'string'));
}
