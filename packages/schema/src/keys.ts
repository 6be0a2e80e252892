import type { ResourceSchema } from './types.js';

/** Joins the components of a composite key (U+001F, the ASCII unit separator). */
export const KEY_SEPARATOR = '\u001f';

/**
 * The total order rows are sorted by. Composite keys compare component by component; within a
 * component, all-digit strings come first and compare numerically, others compare by UTF-16 code
 * unit. Keys equal by that rule (`01` and `1`) fall back to a plain code-unit comparison, so the
 * order is total and the same on every machine.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const byParts = a.includes(KEY_SEPARATOR) || b.includes(KEY_SEPARATOR) ? compareComposite(a, b) : compareComponent(a, b);
  if (byParts !== 0) return byParts;
  return a < b ? -1 : 1;
}

function compareComposite(a: string, b: string): number {
  const as = a.split(KEY_SEPARATOR);
  const bs = b.split(KEY_SEPARATOR);
  const n = Math.min(as.length, bs.length);
  for (let i = 0; i < n; i++) {
    const c = compareComponent(as[i]!, bs[i]!);
    if (c !== 0) return c;
  }
  return as.length - bs.length;
}

function compareComponent(a: string, b: string): number {
  const aDigits = isDigits(a);
  const bDigits = isDigits(b);
  if (aDigits !== bDigits) return aDigits ? -1 : 1;
  if (aDigits) return compareNumeric(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Numeric comparison of digit strings of any length, without converting to a float. */
function compareNumeric(a: string, b: string): number {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

function stripZeros(digits: string): string {
  let i = 0;
  while (i < digits.length - 1 && digits.charCodeAt(i) === 48) i++;
  return i === 0 ? digits : digits.slice(i);
}

/** A key as people read it: the components joined by `/` (`01XB/asana`). */
export function formatKey(key: string): string {
  return key.includes(KEY_SEPARATOR) ? key.split(KEY_SEPARATOR).join('/') : key;
}

/**
 * The key of a record written as people read it (`formatKey`: `01XB/asana` for apps), or null
 * when `text` does not have one non-empty part per key column.
 */
export function parseKey(schema: ResourceSchema, text: string): string | null {
  if (text === '') return null;
  if (schema.key.length === 1) return text;
  const parts = text.split('/');
  return parts.length === schema.key.length && parts.every((p) => p !== '') ? parts.join(KEY_SEPARATOR) : null;
}
