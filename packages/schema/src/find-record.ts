import { parseCanonical } from './canonical.js';
import { encodeField, encodeRecord, splitRecord } from './canonical-text.js';
import { compareKeys, KEY_SEPARATOR } from './keys.js';
import type { NormaliseOptions } from './normalise.js';
import { CandidateScan, recordEnd } from './_record-scan.js';
import type { CanonicalTable, ColumnSchema, ResourceSchema } from './types.js';

export { recordStarts } from './_record-scan.js';

/**
 * The record of `key` in a canonical file of `schema` read as `chunks`: a table of the file's
 * columns holding that one row, or no row when the file does not hold it; null when the file is not
 * canonical enough to search (another header, a key that does not lead the line) and must be parsed
 * whole. The file is never parsed whole here: lines that start with the key's first field are found
 * without decoding the others (`CandidateScan`), only those are decoded, and reading stops at the
 * record, or once a line's key sorts after it.
 */
export async function findCanonicalRecord(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, key: string, schema: ResourceSchema, options: NormaliseOptions): Promise<CanonicalTable | null> {
  const found = await findLine(chunks, key, schema, (header) => headerTable(header, schema, options));
  if (found === null) return null;
  const text = found.line === null ? `${found.header}\n` : `${found.header}\n${found.line}\n`;
  const table = await parseCanonical(Buffer.from(text, 'utf8'), schema, options);
  const rows = found.line === null ? 0 : 1;
  return table.rows.length === rows && table.rows.every((row) => row.key === key) ? table : null;
}

/** Parsed headers by schema: the versions of one file along its history nearly always share one. */
const headers = new WeakMap<ResourceSchema, Map<string, Promise<CanonicalTable>>>();

function headerTable(header: string, schema: ResourceSchema, options: NormaliseOptions): Promise<CanonicalTable> {
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
export async function findLine(chunks: AsyncIterable<Buffer> | Iterable<Buffer>, key: string, schema: ResourceSchema, parseHeader: (header: string) => Promise<CanonicalTable>): Promise<{ header: string; line: string | null } | null> {
  let head: Buffer = Buffer.alloc(0);
  let header = '';
  let columns: readonly ColumnSchema[] = [];
  let scan: CandidateScan | null = null;
  let names: readonly string[] = [];
  const order = (line: string): number => compareKeys(keyOf(schema, names, splitRecord(line)), key);
  for await (const chunk of chunks) {
    let piece = chunk;
    if (scan === null) {
      head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
      const lf = head.indexOf(10);
      if (lf === -1) continue;
      header = head.toString('utf8', 0, lf);
      columns = (await parseHeader(header)).columns;
      names = columns.map((c) => c.name);
      if (encodeRecord(names) !== header || columns.length < 2 || columns[0]!.name !== schema.key[0]) return null;
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

/** The key of a canonical line whose header names `names`. */
function keyOf(schema: ResourceSchema, names: readonly string[], cells: readonly string[]): string {
  const parts = schema.key.map((name) => {
    const index = names.indexOf(name);
    return index === -1 ? '' : (cells[index] ?? '');
  });
  return parts.length === 1 ? parts[0]! : parts.join(KEY_SEPARATOR);
}

/**
 * A canonical file kept in segments that each start at a record (the first holds the header and
 * the records after it), which its store reads one at a time: whole, or (`probe`) only far enough
 * to hold the segment's first record, or more.
 */
export interface RecordSegments {
  readonly count: number;
  read(index: number, probe: boolean): Promise<Buffer>;
}

/**
 * The record of `key` in a canonical file kept as `segments`, as `findCanonicalRecord` gives it,
 * reading little of the file: the segments' first keys are sorted, so a binary search over them
 * (a probe of each segment it visits) finds the one segment that holds the record if the file
 * does, and only that one is read whole. Null when the file cannot be searched this way (as
 * `findCanonicalRecord`, or a segment without a whole record).
 */
export async function findRecordInSegments(segments: RecordSegments, key: string, schema: ResourceSchema, options: NormaliseOptions): Promise<CanonicalTable | null> {
  const head = await segments.read(0, false);
  const lf = head.indexOf(10);
  if (lf === -1) return null;
  const names = splitRecord(head.toString('utf8', 0, lf));
  const firstKey = async (index: number): Promise<string | null> => {
    for (const probe of [true, false]) {
      const text = await segments.read(index, probe);
      const end = recordEnd(text, 0, 0);
      if (end !== -1) return keyOf(schema, names, splitRecord(text.toString('utf8', 0, end)));
    }
    return null;
  };
  // Segment `lo` starts at or before the key; segment `hi` (or the end of the file) after it.
  let lo = 0;
  let hi = segments.count;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    const first = await firstKey(mid);
    if (first === null) return null;
    if (compareKeys(first, key) <= 0) lo = mid;
    else hi = mid;
  }
  const text = lo === 0 ? head : Buffer.concat([head.subarray(0, lf + 1), await segments.read(lo, false)]);
  return findCanonicalRecord([text], key, schema, options);
}
