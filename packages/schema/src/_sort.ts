import { SCHEMA_ERROR_CODES, SchemaError } from './errors.js';
import { compareKeys, formatKey } from './keys.js';
import type { CanonicalRow, ResourceSchema } from './types.js';

/**
 * Rows in `compareKeys` order, and `order[i]`: the input index of the i-th sorted row. Sorts an
 * index array so each row's start line stays at hand for the duplicate check, which compares
 * neighbours after the sort (no map of all keys).
 */
export function sortRows(rows: CanonicalRow[], startLines: readonly number[], file: string, schema: ResourceSchema): { rows: CanonicalRow[]; order: Uint32Array } {
  const order = new Uint32Array(rows.length);
  let sorted = true;
  for (let i = 0; i < rows.length; i++) {
    order[i] = i;
    if (sorted && i > 0 && compareKeys(rows[i - 1]!.key, rows[i]!.key) >= 0) sorted = false;
  }
  if (sorted) return { rows, order };
  order.sort((a, b) => compareKeys(rows[a]!.key, rows[b]!.key) || a - b);
  const out = new Array<CanonicalRow>(rows.length);
  for (let i = 0; i < order.length; i++) {
    const row = rows[order[i]!]!;
    if (i > 0 && out[i - 1]!.key === row.key) {
      throw duplicateKey(file, schema, row.key, [startLines[order[i - 1]!]!, startLines[order[i]!]!]);
    }
    out[i] = row;
  }
  return { rows: out, order };
}

export function duplicateKey(file: string, schema: ResourceSchema, key: string, lines: [number, number]): SchemaError {
  const id = formatKey(key);
  return new SchemaError(SCHEMA_ERROR_CODES.duplicateKey, `${file} lines ${lines[0]} and ${lines[1]}: two records have the key ${schema.key.join('/')} = ${JSON.stringify(id.length > 60 ? `${id.slice(0, 60)}…` : id)}; keys must be unique`, { file, row: lines[1], lines, key: id });
}
