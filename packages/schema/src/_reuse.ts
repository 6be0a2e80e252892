import { normaliseRecords } from './_normalise-core.js';
import { DIGEST_SIZE, digestWords, indexDigests } from './_raw-digests.js';
import type { RawIndex } from './_raw-index.js';
import { compareKeys } from './keys.js';
import type { NormaliseOptions } from './normalise.js';
import type { CanonicalRow, CanonicalTable, ResourceSchema } from './types.js';

export interface Reused {
  readonly table: CanonicalTable;
  /** Row digests in the merged table's order. */
  readonly digests: Buffer;
  readonly reused: number;
}

/**
 * Rows of unchanged records taken from `previous`, the changed ("dirty") records normalised from a
 * small CSV of the raw header and their raw bytes, both merged in key order. Null whenever only
 * the full path can give the authoritative answer: a previous row matched twice (duplicate raw
 * records), an error in the dirty records, a dirty key equal to a reused one.
 */
export async function reuseRows(index: RawIndex, digests: Buffer, previous: { readonly table: CanonicalTable; readonly digests: Buffer }, schema: ResourceSchema, options: NormaliseOptions): Promise<Reused | null> {
  const beforeWords = digestWords(previous.digests);
  const words = digestWords(digests);
  const lookup = indexDigests(beforeWords);
  if (lookup === null) return null;
  const before = previous.table.rows;
  const taken = new Uint8Array(before.length);
  const dirty: number[] = [];
  for (let i = 0; i < index.count; i++) {
    const j = lookup(words, i);
    if (j === -1) dirty.push(i);
    else if (taken[j] === 1) return null;
    else taken[j] = 1;
  }
  const fresh = await normaliseRecords(index, dirty, schema, options);
  if (fresh === null) return null;
  const merged = merge(before, taken, beforeWords, fresh.table.rows, (k) => dirty[fresh.order[k]!]!, words);
  if (merged === null) return null;
  return { table: { ...fresh.table, rows: merged.rows }, digests: merged.digests, reused: merged.reused };
}

/**
 * Merges the taken previous rows (already in key order) with the sorted fresh rows. Each fresh row
 * finds its place by binary search over all previous rows, so a night with few changes costs
 * O(changes · log rows) comparisons plus one pass of copying.
 */
function merge(before: readonly CanonicalRow[], taken: Uint8Array, beforeDigests: Int32Array, fresh: readonly CanonicalRow[], source: (k: number) => number, digests: Int32Array): { rows: CanonicalRow[]; digests: Buffer; reused: number } | null {
  let reused = 0;
  for (let j = 0; j < taken.length; j++) reused += taken[j]!;
  const total = reused + fresh.length;
  const rows = new Array<CanonicalRow>(total);
  const bytes = Buffer.alloc(total * DIGEST_SIZE);
  const out = new Int32Array(bytes.buffer, bytes.byteOffset, total * 4);
  let n = 0;
  let j = 0;
  const copyBefore = (until: number): void => {
    for (; j < until; j++) {
      if (taken[j] === 0) continue;
      rows[n] = before[j]!;
      copyDigest(beforeDigests, j, out, n);
      n++;
    }
  };
  for (let k = 0; k < fresh.length; k++) {
    const row = fresh[k]!;
    const at = lowerBound(before, row.key, j);
    if (at < before.length && taken[at] === 1 && before[at]!.key === row.key) return null;
    copyBefore(at);
    rows[n] = row;
    const i = source(k);
    copyDigest(digests, i, out, n);
    n++;
  }
  copyBefore(before.length);
  return { rows, digests: bytes, reused };
}

function copyDigest(from: Int32Array, i: number, to: Int32Array, n: number): void {
  const a = i * 4;
  const b = n * 4;
  to[b] = from[a]!;
  to[b + 1] = from[a + 1]!;
  to[b + 2] = from[a + 2]!;
  to[b + 3] = from[a + 3]!;
}

/** First index ≥ `from` whose key is not below `key`. */
function lowerBound(rows: readonly CanonicalRow[], key: string, from: number): number {
  let lo = from;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(rows[mid]!.key, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
