/**
 * A strict scanner of CSV exports over bytes: where each record starts and ends, and where its key
 * cells are. It accepts only what csv-parse (the schema layer's parser) reads the same way: RFC
 * 4180 quoting, the first line end (LF or CRLF) used throughout, a constant field count, non-empty
 * keys without escaped quotes or CR. Anything else returns null and the caller falls back to the
 * schema layer, which gives the authoritative result or error.
 */
import type { ExportIndex } from './export-index.js';

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;
const SEPARATOR = 0x1f;

/** Scans `bytes`; `keyColumns(header)` names the key cells' indexes, or null to give up. */
export function scanExport(bytes: Buffer, keyColumns: (header: readonly string[]) => readonly number[] | null): ExportIndex | null {
  const length = bytes.length;
  // csv-parse takes the first line end as the record delimiter for the whole file; so do we.
  const firstLf = bytes.indexOf(LF);
  const crlf = firstLf > 0 && bytes[firstLf - 1] === CR;
  let p = skipEmptyLines(bytes, 0, crlf);
  if (p >= length) return null;
  const headerStart = p;
  const spans: number[] = [];
  const headerEnd = scanRecord(bytes, p, -1, null, spans);
  if (headerEnd < 0 || !endsWith(bytes, headerEnd, crlf)) return null;
  const header: string[] = [];
  for (let s = 0; s < spans.length; s += 3) header.push(cellText(bytes, spans[s]!, spans[s + 1]!, spans[s + 2] === 1));
  const width = header.length;
  const keyIndexes = keyColumns(header);
  if (keyIndexes === null || keyIndexes.length === 0) return null;
  const single = keyIndexes.length === 1;
  // Spans arrive in column order; `order[n]` is the key position of the n-th key cell met.
  const isKey = new Uint8Array(width);
  for (const k of keyIndexes) isKey[k] = 1;
  const order = [...keyIndexes].sort((a, b) => a - b).map((k) => keyIndexes.indexOf(k));

  let capacity = Math.max(1024, Math.ceil(length / 200));
  // start, end, key start, key end of each record side by side: a lookup touches one cache line.
  // Offsets fit 32 bits for files under 4 GiB (half the memory of doubles).
  const wide = length >= 2 ** 32;
  let records: Offsets = wide ? new Float64Array(4 * capacity) : new Uint32Array(4 * capacity);
  let hashes = new Uint32Array(capacity);
  const keys: string[] | null = single ? null : [];
  const parts = new Array<string>(keyIndexes.length);
  let count = 0;
  p = skipEmptyLines(bytes, next(bytes, headerEnd), crlf);
  while (p < length) {
    spans.length = 0;
    const end = scanRecord(bytes, p, width, isKey, spans);
    if (end < 0 || !endsWith(bytes, end, crlf)) return null;
    if (count === capacity) {
      capacity *= 2;
      records = grow(records, 4 * capacity);
      const more = new Uint32Array(capacity);
      more.set(hashes);
      hashes = more;
    }
    const at = 4 * count;
    records[at] = p;
    records[at + 1] = end;
    if (single) {
      const s = spans[0]!;
      const e = spans[1]!;
      if (e === s || spans[2] === 1 || hasCr(bytes, s, e)) return null;
      records[at + 2] = s;
      records[at + 3] = e;
      hashes[count] = hashBytes(bytes, s, e, 0x811c9dc5);
    } else {
      let h = 0x811c9dc5;
      for (let n = 0; n < order.length; n++) {
        const s = spans[3 * n]!;
        const e = spans[3 * n + 1]!;
        if (e === s || hasCr(bytes, s, e)) return null;
        parts[order[n]!] = cellText(bytes, s, e, spans[3 * n + 2] === 1);
      }
      const key = parts.join('\u001f');
      for (let n = 0; n < key.length; n++) h = Math.imul(h ^ key.charCodeAt(n), 0x01000193);
      hashes[count] = h >>> 0;
      keys!.push(key);
    }
    count++;
    p = skipEmptyLines(bytes, next(bytes, end), crlf);
  }
  return { bytes, headerStart, headerEnd, count, records, hashes, keys };
}

/** FNV-1a over a byte range. */
function hashBytes(bytes: Buffer, s: number, e: number, seed: number): number {
  let h = seed;
  for (let i = s; i < e; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h ^ SEPARATOR) >>> 0;
}

function hasCr(bytes: Buffer, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (bytes[i] === CR) return true;
  return false;
}

/** The text of a cell from its content range (quotes already excluded). */
export function cellText(bytes: Buffer, s: number, e: number, escaped: boolean): string {
  const text = bytes.toString('utf8', s, e);
  return escaped ? text.replaceAll('""', '"') : text;
}

type Offsets = Uint32Array | Float64Array;

function grow(array: Offsets, capacity: number): Offsets {
  const out = array instanceof Uint32Array ? new Uint32Array(capacity) : new Float64Array(capacity);
  out.set(array);
  return out;
}

/** Position after the line end that follows a record ending at `end`. */
function next(bytes: Buffer, end: number): number {
  return bytes[end] === CR ? end + 2 : end + 1;
}

function skipEmptyLines(bytes: Buffer, p: number, crlf: boolean): number {
  while (p < bytes.length) {
    if (!crlf && bytes[p] === LF) p++;
    else if (crlf && bytes[p] === CR && bytes[p + 1] === LF) p += 2;
    else break;
  }
  return p;
}

/** The record ending at `end` ends the file or ends with the file's line end. */
function endsWith(bytes: Buffer, end: number, crlf: boolean): boolean {
  return end >= bytes.length || (crlf ? bytes[end] === CR : bytes[end] === LF);
}

/**
 * Scans one record from `p`; returns the offset of its end (the CR or LF, or the file's end), or
 * -1 when it is not plain RFC 4180 or has another width. For the cells marked in `isKey` (all
 * cells when null) pushes `start, end, escaped` of the content to `spans`.
 */
function scanRecord(bytes: Buffer, p: number, width: number, isKey: Uint8Array | null, spans: number[]): number {
  const length = bytes.length;
  let field = 0;
  for (;;) {
    const wanted = isKey === null || (field < isKey.length && isKey[field] === 1);
    let c: number;
    if (bytes[p] === QUOTE) {
      const from = p + 1;
      let q = from;
      let escaped = false;
      for (;;) {
        q = bytes.indexOf(QUOTE, q);
        if (q === -1) return -1;
        if (bytes[q + 1] !== QUOTE) break;
        escaped = true;
        q += 2;
      }
      if (wanted) spans.push(from, q, escaped ? 1 : 0);
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
      if (wanted) spans.push(from, p, 0);
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
