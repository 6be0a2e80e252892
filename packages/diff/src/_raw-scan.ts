/**
 * A strict scanner of CSV exports over bytes: where each record starts and ends, and its key
 * cells. It accepts only what csv-parse (the schema layer's parser) reads the same way: RFC 4180
 * quoting, LF or CRLF record ends, a constant field count. Anything else returns null, and the
 * caller falls back to the schema layer, which gives the authoritative result or error.
 */
export interface ScannedExport {
  readonly bytes: Buffer;
  /** Byte range of the header record (without its line end). */
  readonly headerStart: number;
  readonly headerEnd: number;
  readonly header: readonly string[];
  /** Byte ranges of the data records, without line ends. */
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly count: number;
  /** Canonical keys (key cells joined by U+001F), one per record. */
  readonly keys: string[];
}

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

/** Scans `bytes`; `keyColumns(header)` names the key cells' indexes, or null to give up. */
export function scanExport(bytes: Buffer, keyColumns: (header: readonly string[]) => readonly number[] | null): ScannedExport | null {
  const length = bytes.length;
  // csv-parse takes the first line end as the record delimiter for the whole file; so do we.
  const firstLf = bytes.indexOf(LF);
  const crlf = firstLf > 0 && bytes[firstLf - 1] === CR;
  let p = skipEmptyLines(bytes, 0, crlf);
  if (p >= length) return null;
  const headerStart = p;
  const header: string[] = [];
  const headerEnd = scanRecord(bytes, p, -1, null, header);
  if (headerEnd < 0) return null;
  const width = header.length;
  const keyIndexes = keyColumns(header);
  if (keyIndexes === null || keyIndexes.length === 0) return null;
  const keyOf = keyIndexes.length === 1 ? keyIndexes[0]! : -2;
  const isKey = new Uint8Array(width);
  for (const k of keyIndexes) isKey[k] = 1;

  let capacity = Math.max(1024, Math.ceil(length / 200));
  let starts: Float64Array = new Float64Array(capacity);
  let ends: Float64Array = new Float64Array(capacity);
  const keys: string[] = [];
  const cells: string[] = [];
  let count = 0;
  if (!endsWith(bytes, headerEnd, crlf)) return null;
  p = skipEmptyLines(bytes, next(bytes, headerEnd), crlf);
  while (p < length) {
    cells.length = 0;
    const end = scanRecord(bytes, p, width, isKey, cells);
    if (end < 0 || !endsWith(bytes, end, crlf)) return null;
    if (count === capacity) {
      capacity *= 2;
      starts = grow(starts, capacity);
      ends = grow(ends, capacity);
    }
    starts[count] = p;
    ends[count] = end;
    count++;
    const key = keyOf >= 0 ? cells[0]! : keyIndexes.map((k) => cellAt(cells, isKey, k)).join('\u001f');
    if (keyOf === -2 && key.split('\u001f').some((part) => part === '')) return null;
    if (key === '') return null;
    keys.push(key);
    p = skipEmptyLines(bytes, next(bytes, end), crlf);
  }
  return { bytes, headerStart, headerEnd, header, starts, ends, count, keys };
}

/** Key cells arrive in column order; pick the one for column `k`. */
function cellAt(cells: readonly string[], isKey: Uint8Array, k: number): string {
  let n = 0;
  for (let i = 0; i < k; i++) n += isKey[i]!;
  return cells[n] ?? '';
}

function grow(array: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}

/** Position after the line end that follows a record ending at `end`. */
function next(bytes: Buffer, end: number): number {
  if (bytes[end] === CR) return end + 2;
  return end + 1;
}

function skipEmptyLines(bytes: Buffer, p: number, crlf: boolean): number {
  while (p < bytes.length) {
    if (!crlf && bytes[p] === LF) p++;
    else if (crlf && bytes[p] === CR && bytes[p + 1] === LF) p += 2;
    else break;
  }
  return p;
}

/** The record ending at `end` ends the file or with the file's line end. */
function endsWith(bytes: Buffer, end: number, crlf: boolean): boolean {
  return end >= bytes.length || (crlf ? bytes[end] === CR : bytes[end] === LF);
}

/**
 * Scans one record from `p`; returns the offset of its end (the CR or LF, or the file's end), or
 * -1 when it is not plain RFC 4180 or has another width. Pushes the text of the cells marked in
 * `isKey` (all cells when `isKey` is null) to `out`.
 */
function scanRecord(bytes: Buffer, p: number, width: number, isKey: Uint8Array | null, out: string[]): number {
  const length = bytes.length;
  let field = 0;
  for (;;) {
    const wanted = isKey === null || (field < isKey.length && isKey[field] === 1);
    let c: number;
    if (bytes[p] === QUOTE) {
      const from = p + 1;
      let q = from;
      let doubled = false;
      for (;;) {
        q = bytes.indexOf(QUOTE, q);
        if (q === -1) return -1;
        if (bytes[q + 1] === QUOTE) {
          doubled = true;
          q += 2;
          continue;
        }
        break;
      }
      if (wanted) {
        const text = bytes.toString('utf8', from, q);
        if (text.includes('\r')) return -1;
        out.push(doubled ? text.replaceAll('""', '"') : text);
      }
      p = q + 1;
      c = p < length ? bytes[p]! : LF;
      if (c !== COMMA && c !== LF && c !== CR) return -1;
    } else {
      const from = p;
      for (;;) {
        c = p < length ? bytes[p]! : LF;
        if (c === COMMA || c === LF || c === CR) break;
        if (c === QUOTE) return -1;
        p++;
      }
      if (wanted) out.push(bytes.toString('utf8', from, p));
    }
    field++;
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c === CR && bytes[p + 1] !== LF) return -1;
    if (width !== -1 && field !== width) return -1;
    return p;
  }
}
