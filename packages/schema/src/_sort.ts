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
  if (!sortNumeric(rows, order)) order.sort((a, b) => compareKeys(rows[a]!.key, rows[b]!.key) || a - b);
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

// Beyond this a digit string may not be exact as a float.
const MAX_DIGITS = 15;
const INDEX_BITS = 2 ** 21;

/**
 * When every key is a plain decimal number (digits, no leading zero, at most 15), `compareKeys` is
 * numeric order, so the sort runs on numbers: packed with the row index into one float and sorted
 * natively when they fit (value < 2^32, under 2^21 rows), else with a numeric comparator. Equal
 * values are equal keys here, and ties keep input order as the string sort does. False: not all
 * keys are such numbers, nothing was done.
 */
function sortNumeric(rows: readonly CanonicalRow[], order: Uint32Array): boolean {
  const values = new Float64Array(rows.length);
  let max = 0;
  for (let i = 0; i < rows.length; i++) {
    const key = rows[i]!.key;
    const n = key.length;
    if (n === 0 || n > MAX_DIGITS || (n > 1 && key.charCodeAt(0) === 48)) return false;
    let value = 0;
    for (let c = 0; c < n; c++) {
      const digit = key.charCodeAt(c) - 48;
      if (digit < 0 || digit > 9) return false;
      value = value * 10 + digit;
    }
    values[i] = value;
    if (value > max) max = value;
  }
  if (max < 2 ** 32 && rows.length <= INDEX_BITS) {
    const packed = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) packed[i] = values[i]! * INDEX_BITS + i;
    packed.sort();
    for (let i = 0; i < rows.length; i++) order[i] = packed[i]! % INDEX_BITS;
    return true;
  }
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  return true;
}
