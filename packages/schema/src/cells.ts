import type { ColumnSchema } from './types.js';

/**
 * The typed value of a canonical cell: `''` → null; json → the parsed value (the raw text if it
 * is not JSON); list → its items; boolean → true/false; integer and decimal stay exact strings
 * (never floats); any other type, or a value that did not match its type, → the text.
 */
export function decodeCell(column: ColumnSchema, text: string): unknown {
  if (text === '') return null;
  switch (column.type) {
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'list':
      return text.split(',').map((item) => item.trim());
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}
