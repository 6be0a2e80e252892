import deepDiff from 'deep-diff';
import { comparePaths, IDENTITY_MEMBERS, identitySegment } from './_paths.js';
import type { ChangeOp, JsonPath } from './types.js';

/** One difference inside a JSON value. */
export interface JsonChange {
  readonly path: JsonPath;
  readonly op: ChangeOp;
  /** The value before (null when the member did not exist). */
  readonly before: unknown;
  /** The value after (null when the member no longer exists). */
  readonly after: unknown;
}

type Identified = { member: string; before: Array<string | number>; after: Array<string | number> };

/**
 * The differences between two parsed JSON values, as paths, in path order (deep-diff underneath).
 *
 * - Object members: `added` / `removed` / `changed`; member order never matters.
 * - Arrays of objects that carry an identifying member (`key`, `id`, `name`: the first present in
 *   every element of both arrays, unique within each) are matched by it, so a rotated secret is
 *   `['[key=client_secret]', 'value']` rather than "element 1 differs". An element added or
 *   removed is a change at `['[key=…]']`; when the order of the identities changed (other than new
 *   elements appended at the end in identity order) a `reordered` change at the array's path lists
 *   them, so the change always rebuilds the new value exactly.
 * - Other arrays: the same elements in another order is one `reordered` change with both arrays;
 *   otherwise element by element (`[..., 2]`), extra elements `added` / `removed`.
 *
 * @example diffJson({ a: 1 }, { a: 2, b: true })
 * // [{ path: ['a'], op: 'changed', before: 1, after: 2 }, { path: ['b'], op: 'added', before: null, after: true }]
 */
export function diffJson(before: unknown, after: unknown): JsonChange[] {
  const extra: JsonChange[] = [];
  const normalize = (parent: unknown[], key: unknown, lhs: unknown, rhs: unknown): [unknown, unknown] | undefined => {
    if (!Array.isArray(lhs) || !Array.isArray(rhs)) return undefined;
    const path = [...parent, key].slice(1) as JsonPath;
    const identified = identify(lhs, rhs);
    if (identified) {
      if (!isNaturalOrder(identified.member, identified.before, identified.after)) {
        extra.push({ path, op: 'reordered', before: identified.before, after: identified.after });
      }
      return [keyed(lhs, identified.member), keyed(rhs, identified.member)];
    }
    if (isReorder(lhs, rhs)) {
      extra.push({ path, op: 'reordered', before: lhs, after: rhs });
      return [rhs, rhs];
    }
    return undefined;
  };
  // Wrapping both values under one member lets `normalize` see the top-level value too.
  const raw = deepDiff({ $: before }, { $: after }, { normalize: normalize as never }) ?? [];
  const changes: JsonChange[] = extra;
  for (const d of raw) {
    const path = (d.path ?? []).slice(1) as JsonPath;
    switch (d.kind) {
      case 'N': changes.push({ path, op: 'added', before: null, after: d.rhs }); break;
      case 'D': changes.push({ path, op: 'removed', before: d.lhs, after: null }); break;
      case 'E': changes.push({ path, op: 'changed', before: d.lhs, after: d.rhs }); break;
      case 'A': {
        const at = [...path, d.index];
        if (d.item.kind === 'N') changes.push({ path: at, op: 'added', before: null, after: d.item.rhs });
        else if (d.item.kind === 'D') changes.push({ path: at, op: 'removed', before: d.item.lhs, after: null });
        break;
      }
    }
  }
  return changes.sort((a, b) => comparePaths(a.path, b.path));
}

function identify(lhs: unknown[], rhs: unknown[]): Identified | null {
  if (lhs.length + rhs.length === 0) return null;
  for (const member of IDENTITY_MEMBERS) {
    const before = identities(lhs, member);
    const after = before && identities(rhs, member);
    if (before && after) return { member, before, after };
  }
  return null;
}

/** The member's values if every element is an object holding a unique string or number there. */
function identities(array: unknown[], member: string): Array<string | number> | null {
  const seen = new Set<string>();
  const out: Array<string | number> = [];
  for (const element of array) {
    if (typeof element !== 'object' || element === null || Array.isArray(element)) return null;
    const value = (element as Record<string, unknown>)[member];
    if (typeof value !== 'string' && !(typeof value === 'number' && Number.isFinite(value))) return null;
    const text = String(value);
    if (seen.has(text)) return null;
    seen.add(text);
    out.push(value);
  }
  return out;
}

function keyed(array: unknown[], member: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const element of array) {
    out[identitySegment(member, (element as Record<string, string | number>)[member]!)] = element;
  }
  return out;
}

/**
 * True when `after`'s order is what you get from `before` by dropping the removed identities and
 * appending the new ones in path order (the order changes are listed and applied in): then no
 * `reordered` change is needed to rebuild `after` exactly.
 */
function isNaturalOrder(member: string, before: Array<string | number>, after: Array<string | number>): boolean {
  const afterSet = new Set(after.map(String));
  const beforeSet = new Set(before.map(String));
  const added = after.filter((v) => !beforeSet.has(String(v)))
    .sort((x, y) => comparePaths([identitySegment(member, x)], [identitySegment(member, y)]));
  const expected = [...before.filter((v) => afterSet.has(String(v))), ...added];
  return expected.length === after.length && expected.every((v, i) => String(v) === String(after[i]));
}

function isReorder(lhs: unknown[], rhs: unknown[]): boolean {
  if (lhs.length !== rhs.length || lhs.length < 2) return false;
  const a = lhs.map((v) => JSON.stringify(v));
  const b = rhs.map((v) => JSON.stringify(v));
  if (a.every((v, i) => v === b[i])) return false;
  a.sort();
  b.sort();
  return a.every((v, i) => v === b[i]);
}
