import { isUtf8 } from 'node:buffer';
import type { CanonicalTable, ResourceSchema } from '@balkan-audit/schema';
import { cellText, scanExport } from './_raw-scan.js';

/**
 * Where the records and keys of one export are, as plain typed arrays (a worker thread can build
 * it and transfer it back without copying). From `indexExport`.
 */
export interface ExportIndex {
  /** The file's bytes (a Buffer, or a Uint8Array after a trip through postMessage). */
  readonly bytes: Uint8Array;
  readonly headerStart: number;
  readonly headerEnd: number;
  readonly count: number;
  /**
   * Four offsets per record: the byte range of the record (without its line end), then of its
   * key's content (single-column keys; unused for composite keys). Uint32Array below 4 GiB.
   */
  readonly records: Uint32Array | Float64Array;
  /** FNV-1a hash of each record's key. */
  readonly hashes: Uint32Array;
  /** Composite keys as canonical key strings; null for single-column keys. */
  readonly keys: string[] | null;
}

/** Records of two exports matched by key. From `matchExports`. */
export interface ExportMatch {
  /** Records of `before` whose bytes differ from their match, or that have no match (file order). */
  readonly beforeRows: readonly number[];
  /** Records of `after` whose bytes differ from their match, or that have no match (file order). */
  readonly afterRows: readonly number[];
  /** The keys of `beforeRows` and `afterRows`, to check the schema layer reads the same ones. */
  readonly beforeKeys: ReadonlySet<string>;
  readonly afterKeys: ReadonlySet<string>;
  /** Records with byte-identical text on both sides: unchanged whatever the normalising does. */
  readonly unchanged: number;
  readonly rows: { readonly before: number; readonly after: number };
}

/**
 * Indexes an export for `matchExports`: record boundaries and keys, found by a strict RFC 4180
 * scan of the bytes. Null when the file is anything but plain (invalid UTF-8, odd quoting, a
 * ragged record, an empty key, a key column whose canonical form is not its text): the caller
 * then normalises the file in full with the schema layer. Pure.
 */
export function indexExport(bytes: Buffer, schema: ResourceSchema): ExportIndex | null {
  if (!keyColumnsArePlain(schema) || !isUtf8(bytes)) return null;
  return scanExport(bytes, (header) => keyIndexes(header, schema));
}

/**
 * Matches the records of two indexed exports by key (a hash join, linear in the rows): counts the
 * byte-identical ones and lists the others. Null when the headers differ or a key repeats (the
 * full path then reports it).
 */
export function matchExports(before: ExportIndex, after: ExportIndex): ExportMatch | null {
  const b = asBuffer(before.bytes);
  const a = asBuffer(after.bytes);
  if (b.compare(a, after.headerStart, after.headerEnd, before.headerStart, before.headerEnd) !== 0) return null;
  let size = 1024;
  while (size < before.count * 2) size *= 2;
  const mask = size - 1;
  // Open addressing; each slot holds the hash and the record index + 1 (0 = empty), side by side.
  const table = new Int32Array(2 * size);
  const bHashes = before.hashes;
  for (let i = 0; i < before.count; i++) {
    const h = bHashes[i]! | 0;
    let slot = h & mask;
    for (let k = table[2 * slot + 1]!; k !== 0; k = table[2 * slot + 1]!) {
      if (table[2 * slot] === h && sameKey(before, b, k - 1, before, b, i)) return null;
      slot = (slot + 1) & mask;
    }
    table[2 * slot] = h;
    table[2 * slot + 1] = i + 1;
  }
  const matched = new Uint8Array(before.count);
  const addedKeys = new Set<string>();
  const beforeRows: number[] = [];
  const afterRows: number[] = [];
  const bRecords = before.records;
  const aRecords = after.records;
  const aHashes = after.hashes;
  let unchanged = 0;
  for (let j = 0; j < after.count; j++) {
    const h = aHashes[j]! | 0;
    let slot = h & mask;
    let i = -1;
    for (let k = table[2 * slot + 1]!; k !== 0; k = table[2 * slot + 1]!) {
      if (table[2 * slot] === h && sameKey(before, b, k - 1, after, a, j)) {
        i = k - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
    if (i === -1) {
      const key = keyText(after, a, j);
      if (addedKeys.has(key)) return null;
      addedKeys.add(key);
      afterRows.push(j);
    } else if (matched[i] === 1) {
      return null;
    } else {
      matched[i] = 1;
      const bs = bRecords[4 * i]!;
      const be = bRecords[4 * i + 1]!;
      const as = aRecords[4 * j]!;
      const ae = aRecords[4 * j + 1]!;
      if (be - bs === ae - as && a.compare(b, bs, be, as, ae) === 0) {
        unchanged++;
      } else {
        beforeRows.push(i);
        afterRows.push(j);
      }
    }
  }
  for (let i = 0; i < before.count; i++) if (matched[i] === 0) beforeRows.push(i);
  beforeRows.sort((x, y) => x - y);
  return {
    beforeRows,
    afterRows,
    beforeKeys: new Set(beforeRows.map((r) => keyText(before, b, r))),
    afterKeys: new Set(afterRows.map((r) => keyText(after, a, r))),
    unchanged,
    rows: { before: before.count, after: after.count },
  };
}

/** The header and the given records of an indexed export, as a small CSV for the schema layer. */
export function exportSubset(index: ExportIndex, rows: readonly number[]): Buffer {
  const bytes = asBuffer(index.bytes);
  const records = index.records;
  let size = index.headerEnd - index.headerStart + 1;
  for (const r of rows) size += records[4 * r + 1]! - records[4 * r]! + 1;
  // Never from the shared pool: the result may be transferred to a worker thread.
  const out = Buffer.allocUnsafeSlow(size);
  let at = bytes.copy(out, 0, index.headerStart, index.headerEnd);
  out[at++] = 10;
  for (const r of rows) {
    at += bytes.copy(out, at, records[4 * r]!, records[4 * r + 1]!);
    out[at++] = 10;
  }
  return out;
}

/** True when the schema layer read the same keys from a subset as the scanner did. */
export function subsetKeysAgree(table: CanonicalTable, keys: ReadonlySet<string>): boolean {
  return table.rows.length === keys.size && table.rows.every((row) => keys.has(row.key));
}

function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function sameKey(x: ExportIndex, xb: Buffer, i: number, y: ExportIndex, yb: Buffer, j: number): boolean {
  if (x.keys !== null && y.keys !== null) return x.keys[i] === y.keys[j];
  const xs = x.records[4 * i + 2]!;
  const xe = x.records[4 * i + 3]!;
  const ys = y.records[4 * j + 2]!;
  const ye = y.records[4 * j + 3]!;
  if (xe - xs !== ye - ys) return false;
  // Keys are short: a loop beats a native call here.
  for (let k = 0; k < xe - xs; k++) if (xb[xs + k] !== yb[ys + k]) return false;
  return true;
}

function keyText(index: ExportIndex, bytes: Buffer, r: number): string {
  return index.keys !== null ? index.keys[r]! : cellText(bytes, index.records[4 * r + 2]!, index.records[4 * r + 3]!, false);
}

/** Key cells are copied verbatim into canonical keys only for untyped (string) key columns. */
function keyColumnsArePlain(schema: ResourceSchema): boolean {
  if (!schema.documented) return true;
  return schema.key.every((name) => schema.columns.find((c) => c.name === name)?.type === 'string');
}

/** Header names compare as the schema layer matches them: without `*`, a BOM, extra spaces, case. */
function cleanName(name: string): string {
  return name.replace(/^\ufeff/, '').replace(/[\s*]+$/, '').replace(/\s+/g, ' ').trim().toLowerCase();
}

function keyIndexes(header: readonly string[], schema: ResourceSchema): number[] | null {
  const names = header.map(cleanName);
  const out: number[] = [];
  for (const key of schema.key) {
    const wanted = cleanName(key);
    const first = names.indexOf(wanted);
    if (first === -1 || names.indexOf(wanted, first + 1) !== -1) return null;
    out.push(first);
  }
  return out;
}
