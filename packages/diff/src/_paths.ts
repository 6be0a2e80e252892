import type { JsonPath } from './types.js';

/** Members that identify an object inside an array, in order of preference. */
export const IDENTITY_MEMBERS = ['key', 'id', 'name'] as const;

/** The path segment of an identified array element: `[key=client_secret]`. */
export function identitySegment(member: string, value: string | number): string {
  return `[${member}=${String(value)}]`;
}

const SEGMENT = /^\[([^=\]]+)=(.*)\]$/s;

/** Splits `[member=value]` back into its parts, or null for an ordinary member name. */
export function parseIdentitySegment(segment: string): { member: string; value: string } | null {
  const match = SEGMENT.exec(segment);
  return match ? { member: match[1]!, value: match[2]! } : null;
}

/** Path order: element by element, indexes before names, indexes numerically, a prefix first. */
export function comparePaths(a: JsonPath, b: JsonPath): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

/** A path as people read it: `[key=client_secret].value`, `filters[0].op`. */
export function formatPath(path: JsonPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (segment.startsWith('[')) out += segment;
    else out += out === '' ? segment : `.${segment}`;
  }
  return out;
}
