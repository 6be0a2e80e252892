/**
 * Canonical JSON text: compact, object keys sorted by UTF-16 code unit at every depth, array
 * order kept (it can mean something: reviewer precedence, rule order).
 */
export function stringifySorted(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  // A value whose keys are already in order at every depth is what JSON.stringify writes anyway (it
  // follows the same key order and skips undefined the same way), natively and in one go.
  if (inOrder(value)) return JSON.stringify(value);
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + stringifySorted(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(key)}:${stringifySorted(item)}`;
    first = false;
  }
  return `${out}}`;
}

/** True when every object inside `value` lists its keys in sorted order. */
function inOrder(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (!inOrder(value[i])) return false;
    return true;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  for (let i = 0; i < keys.length; i++) {
    if ((i > 0 && keys[i - 1]! >= keys[i]!) || !inOrder(record[keys[i]!])) return false;
  }
  return true;
}

// Marks a number literal too long for a float to hold exactly; private-use, so JSON.stringify
// leaves it unescaped and it can be found again after sorting.
const EXACT = '\ue000n:';
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * JSON.parse, except that number literals with 16 or more digits (ids beyond 2^53, long
 * fractions) keep their exact text: `exactText` turns them back into literals after
 * `stringifySorted`. Throws like JSON.parse.
 */
export function parseJson(text: string): { value: unknown; exact: boolean } {
  if (!/\d{16}/.test(text)) return { value: JSON.parse(text), exact: false };
  const marked = text.replace(STRING_OR_NUMBER, (token) => {
    if (token.charCodeAt(0) === 34) return token;
    let digits = 0;
    for (let i = 0; i < token.length && token[i] !== 'e' && token[i] !== 'E'; i++) if (token[i]! >= '0' && token[i]! <= '9') digits++;
    return digits >= 16 ? `"${EXACT}${token}"` : token;
  });
  return { value: JSON.parse(marked), exact: marked !== text };
}

/** Undoes `parseJson`'s marking in canonical JSON text. */
export function exactText(json: string): string {
  return json.replace(/"\ue000n:([-+.\deE]+)"/g, '$1');
}
