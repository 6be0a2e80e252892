import {
  compareKeys, encodeField, encodeRecord, KEY_SEPARATOR, keyOf, parseCanonical, splitRecord,
  type CanonicalTable, type ColumnSchema, type Redactor, type ResourceSchema,
} from '@balkan-audit/schema';
import type { StoreContext } from './_context.js';
import { blobChunks, readBlob } from './_objects.js';
import { CandidateScan } from './_record-scan.js';

/**
 * What zlib inflates at a time for a record lookup, so at most about this much is inflated past
 * the record. Smaller pieces cost a thread-pool round trip each.
 */
const RECORD_CHUNK = 1 << 18;

/**
 * The record of `key` in blob `oid`, a canonical file of `schema`: a table of the file's columns
 * holding that one row, or none. The file is never parsed whole: it is searched as zlib inflates
 * it for lines that start with the key's first field (`CandidateScan`), only those are decoded, and
 * the search stops at the record, or once a line's key sorts after it. The header and that one
 * line then go through `parseCanonical`. A file that is not canonical (another header, a key that
 * does not lead the line) is parsed whole instead.
 */
export async function readRecordBlob(ctx: StoreContext, oid: string, key: string, schema: ResourceSchema, redactor: Redactor, file: string): Promise<CanonicalTable> {
  const options = { file, redactor };
  const found = await findLine(blobChunks(ctx, oid, undefined, RECORD_CHUNK), key, schema, (header) => headerTable(header, schema, options));
  if (found !== null) {
    const text = found.line === null ? `${found.header}\n` : `${found.header}\n${found.line}\n`;
    const table = await parseCanonical(Buffer.from(text, 'utf8'), schema, options);
    if (table.rows.length === (found.line === null ? 0 : 1) && table.rows.every((row) => row.key === key)) return table;
  }
  const whole = await parseCanonical(await readBlob(ctx, oid), schema, options);
  return { ...whole, rows: whole.rows.filter((row) => row.key === key) };
}

/** Parsed headers by schema: the versions of one file along its history nearly always share one. */
const headers = new WeakMap<ResourceSchema, Map<string, Promise<CanonicalTable>>>();

function headerTable(header: string, schema: ResourceSchema, options: { file: string; redactor: Redactor }): Promise<CanonicalTable> {
  let known = headers.get(schema);
  if (known === undefined) headers.set(schema, known = new Map());
  let table = known.get(header);
  if (table === undefined) {
    table = parseCanonical(Buffer.from(`${header}\n`, 'utf8'), schema, options);
    if (known.size < 16) known.set(header, table);
  }
  return table;
}

/**
 * The header and the line of `key` in a canonical file's chunks (line null: not in the file), or
 * null when the file must be parsed whole.
 */
export async function findLine(chunks: AsyncIterable<Buffer>, key: string, schema: ResourceSchema, parseHeader: (header: string) => Promise<CanonicalTable>): Promise<{ header: string; line: string | null } | null> {
  let head: Buffer = Buffer.alloc(0);
  let header = '';
  let columns: readonly ColumnSchema[] = [];
  let scan: CandidateScan | null = null;
  const order = (line: string): number => compareKeys(keyOf(schema, columns, splitRecord(line)), key);
  for await (const chunk of chunks) {
    let piece = chunk;
    if (scan === null) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const lf = head.indexOf(10);
      if (lf === -1) continue;
      header = head.toString('utf8', 0, lf);
      columns = (await parseHeader(header)).columns;
      if (encodeRecord(columns.map((c) => c.name)) !== header || columns.length < 2 || columns[0]!.name !== schema.key[0]) return null;
      scan = new CandidateScan(Buffer.from(`${encodeField(key.split(KEY_SEPARATOR)[0]!)},`, 'utf8'));
      piece = head.subarray(lf + 1);
    }
    scan.push(piece);
    for (let bytes = scan.next(); bytes !== null; bytes = scan.next()) {
      const line = bytes.toString('utf8');
      const o = order(line);
      if (o === 0) return { header, line };
      if (o > 0) return { header, line: null };
    }
    // The chunk's last record sorts after the key: the record is not in the file.
    const last = scan.lastComplete();
    if (last !== null && last.length > 0 && order(last.toString('utf8')) > 0) return { header, line: null };
  }
  if (scan === null || scan.leftover().length > 0) return null;
  return { header, line: null };
}
