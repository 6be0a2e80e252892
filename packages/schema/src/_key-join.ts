import type { RawIndex } from './_raw-index.js';

/** Records of two indexed exports matched by key. */
export interface KeyJoin {
  /** Records of `before` whose bytes differ from their match, or that have no match (file order). */
  readonly before: readonly number[];
  /** Records of `after` whose bytes differ from their match, or that have no match (file order). */
  readonly after: readonly number[];
  /** Matched records with byte-identical text on both sides. */
  readonly identical: number;
}

/**
 * Matches the records of two exports indexed with key cells by key (a hash join, linear in the
 * rows): counts the byte-identical pairs and lists the other records. Null when a key of `before`
 * repeats, or two records of `after` match one of `before`; two new records of `after` with one
 * key are left to the normaliser, which refuses them.
 */
export function joinByKey(before: RawIndex, after: RawIndex): KeyJoin | null {
  let size = 1024;
  while (size < before.count * 2) size *= 2;
  const mask = size - 1;
  // Open addressing; each slot holds the hash and the record index + 1 (0 = empty), side by side.
  const table = new Int32Array(2 * size);
  for (let i = 0; i < before.count; i++) {
    const h = keyHash(before, i);
    let slot = h & mask;
    for (let k = table[2 * slot + 1]!; k !== 0; k = table[2 * slot + 1]!) {
      if (table[2 * slot] === h && sameKey(before, k - 1, before, i)) return null;
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = h;
    table[2 * slot + 1] = i + 1;
  }
  const matched = new Uint8Array(before.count);
  const beforeRows: number[] = [];
  const afterRows: number[] = [];
  let identical = 0;
  for (let j = 0; j < after.count; j++) {
    const h = keyHash(after, j);
    let slot = h & mask;
    let i = -1;
    for (let k = table[2 * slot + 1]!; k !== 0; k = table[2 * slot + 1]!) {
      if (table[2 * slot] === h && sameKey(before, k - 1, after, j)) {
        i = k - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (i === -1) {
      afterRows.push(j);
    } else if (matched[i] === 1) {
      return null;
    } else {
      matched[i] = 1;
      if (sameRecord(before, i, after, j)) {
        identical++;
      } else {
        beforeRows.push(i);
        afterRows.push(j);
      }
    }
  }
  for (let i = 0; i < before.count; i++) if (matched[i] === 0) beforeRows.push(i);
  beforeRows.sort((x, y) => x - y);
  return { before: beforeRows, after: afterRows, identical };
}

/** FNV-1a over the bytes of a record's key cells, a separator after each. */
function keyHash(index: RawIndex, r: number): number {
  const { bytes, keys, keyParts } = index;
  let h = 0x811c9dc5;
  for (let at = 2 * r * keyParts, end = at + 2 * keyParts; at < end; at += 2) {
    for (let i = keys![at]!; i < keys![at + 1]!; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    h = Math.imul(h ^ 0x1f, 0x01000193);
  }
  return h | 0;
}

function sameKey(x: RawIndex, i: number, y: RawIndex, j: number): boolean {
  const xk = x.keys!;
  const yk = y.keys!;
  for (let p = 0; p < x.keyParts; p++) {
    const xs = xk[2 * (i * x.keyParts + p)]!;
    const xe = xk[2 * (i * x.keyParts + p) + 1]!;
    const ys = yk[2 * (j * y.keyParts + p)]!;
    if (xe - xs !== yk[2 * (j * y.keyParts + p) + 1]! - ys) return false;
    // Keys are short: a loop beats a native call here.
    for (let k = 0; k < xe - xs; k++) if (x.bytes[xs + k] !== y.bytes[ys + k]) return false;
  }
  return true;
}

function sameRecord(x: RawIndex, i: number, y: RawIndex, j: number): boolean {
  const xs = x.starts[i]!;
  const xe = x.ends[i]!;
  const ys = y.starts[j]!;
  const ye = y.ends[j]!;
  return xe - xs === ye - ys && x.bytes.compare(y.bytes, ys, ye, xs, xe) === 0;
}
