import { isUtf8 } from 'node:buffer';
import { normaliseCsv, parseCanonical, type CanonicalTable, type Redactor, type ResourceSchema } from '@balkan-audit/schema';
import { scanExport, type ScannedExport } from './_raw-scan.js';
import { diffTables, resolveDiffOptions, type DiffOptions } from './diff-tables.js';
import type { ResourceChange } from './types.js';

export interface CompareExportsOptions extends DiffOptions {
  /** Fingerprints secrets in JSON cells (`createRedactor(key)`); the same for both files. */
  readonly redactor: Redactor;
  /** The files' names as messages show them. @default { before: 'before.csv', after: 'after.csv' } */
  readonly files?: { readonly before: string; readonly after: string };
}

/**
 * Compares two exports (raw downloads or canonical snapshots) of one resource, as
 * `diffTables(normalise(before), normalise(after))` would, but fast on large files: when both
 * files have the same header and are plain RFC 4180, records are matched by key on the raw
 * bytes, records with identical bytes are unchanged (normalising is a function of the header and
 * the bytes), and only the records that differ, appear or disappear go through the schema
 * layer's `normaliseCsv` and `diffTables`. Anything unusual (different headers, odd quoting, a
 * duplicate or empty key, invalid UTF-8) takes the full path, so results and errors are always
 * those of the schema layer. Per-cell warnings of unchanged records are not collected.
 */
export async function compareExports(before: Buffer, after: Buffer, schema: ResourceSchema, options: CompareExportsOptions): Promise<ResourceChange> {
  const files = options.files ?? { before: 'before.csv', after: 'after.csv' };
  const resolved = resolveDiffOptions(options);
  const quick = await quickCompare(before, after, schema, options.redactor, files);
  if (quick) {
    const { change, unchanged } = quick;
    const sub = diffTables(change.before, change.after, { rules: resolved.rules, maxRecordsInReport: resolved.maxRecordsInReport });
    return { ...sub, counts: { ...sub.counts, before: quick.rows.before, after: quick.rows.after, unchanged: sub.counts.unchanged + unchanged } };
  }
  const [b, a] = await Promise.all([
    parseCanonical(before, schema, { file: files.before, redactor: options.redactor }),
    parseCanonical(after, schema, { file: files.after, redactor: options.redactor }),
  ]);
  return diffTables(b, a, resolved);
}

interface QuickResult {
  /** Canonical tables of only the records whose bytes differ (or that exist on one side). */
  readonly change: { readonly before: CanonicalTable; readonly after: CanonicalTable };
  readonly unchanged: number;
  readonly rows: { readonly before: number; readonly after: number };
}

async function quickCompare(before: Buffer, after: Buffer, schema: ResourceSchema, redactor: Redactor, files: { before: string; after: string }): Promise<QuickResult | null> {
  if (!keyColumnsArePlain(schema) || !isUtf8(before) || !isUtf8(after)) return null;
  const keyColumns = (header: readonly string[]): number[] | null => keyIndexes(header, schema);
  const b = scanExport(before, keyColumns);
  const a = b && scanExport(after, keyColumns);
  if (!b || !a || !sameHeader(b, a)) return null;
  const index = new Map<string, number>();
  for (let i = 0; i < b.count; i++) {
    const key = b.keys[i]!;
    if (index.has(key)) return null;
    index.set(key, i);
  }
  const matched = new Uint8Array(b.count);
  const addedKeys = new Set<string>();
  const beforeRows: number[] = [];
  const afterRows: number[] = [];
  let unchanged = 0;
  for (let j = 0; j < a.count; j++) {
    const key = a.keys[j]!;
    const i = index.get(key);
    if (i === undefined) {
      if (addedKeys.has(key)) return null;
      addedKeys.add(key);
      afterRows.push(j);
      continue;
    }
    if (matched[i] === 1) return null;
    matched[i] = 1;
    if (sameBytes(b, i, a, j)) {
      unchanged++;
    } else {
      beforeRows.push(i);
      afterRows.push(j);
    }
  }
  for (let i = 0; i < b.count; i++) if (matched[i] === 0) beforeRows.push(i);
  // Release the key index before normalising the (small) remainder.
  index.clear();
  const options = (file: string) => ({ file, redactor });
  let tables: [CanonicalTable, CanonicalTable];
  try {
    tables = await Promise.all([
      normaliseCsv(subset(b, beforeRows), schema, options(files.before)),
      normaliseCsv(subset(a, afterRows), schema, options(files.after)),
    ]);
  } catch {
    // A record the scanner accepted but the schema layer refuses: let the full path report it
    // with the file's real line numbers.
    return null;
  }
  if (!sameKeys(tables[0], b, beforeRows) || !sameKeys(tables[1], a, afterRows)) return null;
  return { change: { before: tables[0], after: tables[1] }, unchanged, rows: { before: b.count, after: a.count } };
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

function sameHeader(b: ScannedExport, a: ScannedExport): boolean {
  return b.bytes.compare(a.bytes, a.headerStart, a.headerEnd, b.headerStart, b.headerEnd) === 0;
}

function sameBytes(b: ScannedExport, i: number, a: ScannedExport, j: number): boolean {
  const bs = b.starts[i]!;
  const be = b.ends[i]!;
  const as = a.starts[j]!;
  const ae = a.ends[j]!;
  return be - bs === ae - as && a.bytes.compare(b.bytes, bs, be, as, ae) === 0;
}

/** The schema layer read the same keys from those records as the scanner did. */
function sameKeys(table: CanonicalTable, scan: ScannedExport, rows: readonly number[]): boolean {
  if (table.rows.length !== rows.length) return false;
  const keys = new Set(rows.map((r) => scan.keys[r]!));
  return table.rows.every((row) => keys.has(row.key));
}

/** The header and the given records (in file order) as a small CSV for the schema layer. */
function subset(scan: ScannedExport, rows: number[]): Buffer {
  rows.sort((x, y) => x - y);
  const parts: Buffer[] = [scan.bytes.subarray(scan.headerStart, scan.headerEnd), NEWLINE];
  for (const r of rows) parts.push(scan.bytes.subarray(scan.starts[r]!, scan.ends[r]!), NEWLINE);
  return Buffer.concat(parts);
}

const NEWLINE = Buffer.from('\n');
