import { rebuildList } from './_list-diff.js';
import { comparePaths, parseIdentitySegment } from './_paths.js';
import type { FieldChange, JsonPath } from './types.js';

/**
 * Applies one column's changes to its `before` value and returns the `after` value. Order: member
 * changes, then removals (last index first), then additions (first index first), then reorders,
 * which is the order that makes `diffJson` / `diffList` output rebuild `after` exactly.
 */
export function applyFieldChanges(type: string, before: unknown, changes: readonly FieldChange[]): unknown {
  if (type === 'list' && changes.every((c) => c.path.length === 0)) return applyListChanges(before, changes);
  let root: unknown = structuredClone(before);
  const ordered = [...changes].sort((a, b) => rank(a, b));
  for (const change of ordered) root = applyAt(root, change);
  return root;
}

function applyListChanges(before: unknown, changes: readonly FieldChange[]): unknown {
  const reorder = changes.find((c) => c.op === 'reordered');
  if (reorder) return emptyAsNull(reorder.after as string[]);
  const whole = changes.find((c) => c.op === 'changed');
  if (whole) return whole.after;
  const removed = changes.filter((c) => c.op === 'removed').map((c) => c.before as string);
  const added = changes.filter((c) => c.op === 'added').map((c) => c.after as string);
  return emptyAsNull(rebuildList((before as string[] | null) ?? [], removed, added));
}

function emptyAsNull(list: string[]): string[] | null {
  return list.length === 0 ? null : list;
}

const OP_ORDER = { changed: 0, removed: 1, added: 2, reordered: 3 } as const;

function rank(a: FieldChange, b: FieldChange): number {
  const op = OP_ORDER[a.op] - OP_ORDER[b.op];
  if (op !== 0) return op;
  const byPath = comparePaths(a.path, b.path);
  // Removals from the end backwards so earlier indexes stay valid.
  return a.op === 'removed' ? -byPath : byPath;
}

function applyAt(root: unknown, change: FieldChange): unknown {
  if (change.op === 'reordered') {
    const target = resolve(root, change.path);
    const next = Array.isArray(target) && isIdentityReorder(target, change.after)
      ? reorderByIdentity(target, change.after as Array<string | number>)
      : change.after;
    return replaceAt(root, change.path, next);
  }
  if (change.path.length === 0) return change.after;
  const parent = resolve(root, change.path.slice(0, -1));
  const last = change.path[change.path.length - 1]!;
  if (Array.isArray(parent)) applyInArray(parent, last, change);
  else if (parent !== null && typeof parent === 'object') {
    if (change.op === 'removed') delete (parent as Record<string, unknown>)[String(last)];
    else (parent as Record<string, unknown>)[String(last)] = change.after;
  }
  return root;
}

function replaceAt(root: unknown, path: JsonPath, value: unknown): unknown {
  if (path.length === 0) return value;
  const parent = resolve(root, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = typeof last === 'number' ? last : indexOfIdentity(parent, last);
    if (index !== -1) parent[index] = value;
  } else if (parent !== null && typeof parent === 'object') {
    (parent as Record<string, unknown>)[String(last)] = value;
  }
  return root;
}

function applyInArray(array: unknown[], segment: string | number, change: FieldChange): void {
  if (typeof segment === 'number') {
    if (change.op === 'removed') array.splice(segment, 1);
    else array[segment] = change.after;
    return;
  }
  const index = indexOfIdentity(array, segment);
  if (change.op === 'added') array.push(change.after);
  else if (index === -1) return;
  else if (change.op === 'removed') array.splice(index, 1);
  else array[index] = change.after;
}

function indexOfIdentity(array: unknown[], segment: string): number {
  const identity = parseIdentitySegment(segment);
  return identity ? array.findIndex((e) => matchesIdentity(e, identity)) : -1;
}

/** The container at `path`, following `[member=value]` segments into arrays. */
function resolve(root: unknown, path: JsonPath): unknown {
  let node = root;
  for (const segment of path) {
    if (Array.isArray(node)) {
      if (typeof segment === 'number') node = node[segment];
      else {
        const identity = parseIdentitySegment(segment);
        node = identity ? node.find((e) => matchesIdentity(e, identity)) : undefined;
      }
    } else if (node !== null && typeof node === 'object') {
      node = (node as Record<string, unknown>)[String(segment)];
    } else {
      return undefined;
    }
  }
  return node;
}

function matchesIdentity(element: unknown, identity: { member: string; value: string }): boolean {
  if (element === null || typeof element !== 'object') return false;
  const value = (element as Record<string, unknown>)[identity.member];
  return (typeof value === 'string' || typeof value === 'number') && String(value) === identity.value;
}

/** A reorder of identified objects lists only their identities; any other reorder the whole array. */
function isIdentityReorder(target: unknown[], after: unknown): boolean {
  return target.length > 0
    && target.every((e) => e !== null && typeof e === 'object' && !Array.isArray(e))
    && Array.isArray(after) && after.every((v) => typeof v === 'string' || typeof v === 'number');
}

function reorderByIdentity(array: unknown[], order: Array<string | number>): unknown[] {
  const byId = new Map<string, unknown>();
  for (const element of array) {
    for (const member of ['key', 'id', 'name']) {
      const value = (element as Record<string, unknown> | null)?.[member];
      if (typeof value === 'string' || typeof value === 'number') byId.set(`${member}\u0000${String(value)}`, element);
    }
  }
  const member = ['key', 'id', 'name'].find((m) => order.every((v) => byId.has(`${m}\u0000${String(v)}`)));
  return member ? order.map((v) => byId.get(`${member}\u0000${String(v)}`)) : array;
}
