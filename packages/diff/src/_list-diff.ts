import type { ChangeOp } from './types.js';

export interface ListChange {
  readonly op: ChangeOp;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Changes between two ordered lists (Reviewer Precedence): each item removed (`before` = the item),
 * each item added (`after` = the item), and one `reordered` change with both lists when `after`
 * is not simply `before` minus the removed items plus the added ones appended. Duplicates count.
 */
export function diffList(before: readonly string[], after: readonly string[]): ListChange[] {
  const remaining = countItems(after);
  const removed: string[] = [];
  for (const item of before) {
    if (take(remaining, item)) continue;
    removed.push(item);
  }
  const pool = countItems(before);
  const added: string[] = [];
  for (const item of after) {
    if (take(pool, item)) continue;
    added.push(item);
  }
  const changes: ListChange[] = [
    ...removed.map((item) => ({ op: 'removed' as const, before: item, after: null })),
    ...added.map((item) => ({ op: 'added' as const, before: null, after: item })),
  ];
  const rebuilt = rebuildList(before, removed, added);
  if (!sameList(rebuilt, after)) changes.push({ op: 'reordered', before: [...before], after: [...after] });
  return changes;
}

/** `before` without the first occurrence of each removed item, with the added items appended. */
export function rebuildList(before: readonly string[], removed: readonly string[], added: readonly string[]): string[] {
  const drop = countItems(removed);
  const kept = before.filter((item) => !take(drop, item));
  return [...kept, ...added];
}

function countItems(items: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

function take(counts: Map<string, number>, item: string): boolean {
  const n = counts.get(item) ?? 0;
  if (n === 0) return false;
  counts.set(item, n - 1);
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}
