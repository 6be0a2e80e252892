/**
 * A strict byte-level scanner of a raw export: where the header and each data record start and
 * end, and on which line each record starts, numbered exactly as `normaliseCsv` numbers them. It
 * accepts only input that csv-parse (with the options of `_read.ts`) reads the same way: RFC 4180
 * quoting, one line end for the whole file (LF or CRLF, the first one outside quotes, as csv-parse
 * discovers it), a constant field count, empty lines skipped. On anything else it returns null and
 * the caller uses csv-parse alone. It never decides what a cell means; csv-parse stays the parser
 * of record for every record that is parsed.
 */

const QUOTE = 34;
const COMMA = 44;
const LF = 10;
const CR = 13;

export interface RawRecords {
  /** Offset of the header record (after a BOM and leading empty lines) and of its end (no line end). */
  readonly headerStart: number;
  readonly headerEnd: number;
  /** The file's line end: `\r\n` or `\n`. */
  readonly lineEnd: Buffer;
  /** Data records, in file order (csv-parse's record order after the header). */
  readonly count: number;
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  /** 1-based line each record starts on, as `normaliseCsv` reports it in warnings and errors. */
  readonly lines: Float64Array;
}

const LF_END = Buffer.from('\n');
const CRLF_END = Buffer.from('\r\n');

/** Scans `bytes`; null when csv-parse might read them differently (it then has the last word). */
export function scanRawRecords(bytes: Buffer): RawRecords | null {
  const length = bytes.length;
  let p = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const mode = lineEndMode(bytes, p);
  if (mode === null) return null;
  const crlf = mode === 'crlf';
  const cursor = { line: 1 };
  p = skipEmptyLines(bytes, p, crlf, cursor);
  if (p >= length) return null;
  const headerStart = p;
  const headerScan = scanRecord(bytes, p, crlf, cursor);
  if (headerScan === null) return null;
  const { end: headerEnd, fields: width } = headerScan;
  // A one-column file leaves too many corner cases (a lone `""` line) to be worth it.
  if (width < 2) return null;

  let capacity = Math.max(1024, Math.ceil(length / 128));
  let starts: Float64Array = new Float64Array(capacity);
  let ends: Float64Array = new Float64Array(capacity);
  let lines: Float64Array = new Float64Array(capacity);
  let count = 0;
  p = skipEmptyLines(bytes, afterLineEnd(headerEnd, crlf, length), crlf, cursor);
  while (p < length) {
    if (count === capacity) {
      capacity *= 2;
      starts = grow(starts, capacity);
      ends = grow(ends, capacity);
      lines = grow(lines, capacity);
    }
    starts[count] = p;
    lines[count] = cursor.line;
    const scanned = scanRecord(bytes, p, crlf, cursor);
    if (scanned === null || scanned.fields !== width) return null;
    ends[count] = scanned.end;
    count++;
    p = skipEmptyLines(bytes, afterLineEnd(scanned.end, crlf, length), crlf, cursor);
  }
  return { headerStart, headerEnd, lineEnd: crlf ? CRLF_END : LF_END, count, starts, ends, lines };
}

/** csv-parse takes the first line end outside quotes for the whole file; a lone CR is refused. */
function lineEndMode(bytes: Buffer, from: number): 'lf' | 'crlf' | null {
  let quoted = false;
  for (let i = from; i < bytes.length; i++) {
    const c = bytes[i]!;
    if (c === QUOTE) quoted = !quoted;
    else if (!quoted && c === LF) return 'lf';
    else if (!quoted && c === CR) return bytes[i + 1] === LF ? 'crlf' : null;
  }
  // One record and no line end at all: either mode reads it the same.
  return 'lf';
}

function afterLineEnd(end: number, crlf: boolean, length: number): number {
  return end >= length ? length : end + (crlf ? 2 : 1);
}

/** Skips empty lines from `p`; each counts one line, as csv-parse counts it. */
function skipEmptyLines(bytes: Buffer, p: number, crlf: boolean, cursor: { line: number }): number {
  for (;;) {
    if (!crlf && bytes[p] === LF) p += 1;
    else if (crlf && bytes[p] === CR && bytes[p + 1] === LF) p += 2;
    else return p;
    cursor.line++;
  }
}

/**
 * Scans one record from `p`: returns the offset of its end (its line end, or the file's end) and
 * its field count, or null when it is not plain RFC 4180 in this file's line-end mode. Advances
 * `cursor.line` past the record and its line end: csv-parse counts every CR and every LF inside a
 * quoted field as a line of its own, and a record's line end as one.
 */
function scanRecord(bytes: Buffer, p: number, crlf: boolean, cursor: { line: number }): { end: number; fields: number } | null {
  const length = bytes.length;
  let fields = 0;
  for (;;) {
    let c: number;
    if (bytes[p] === QUOTE) {
      let q = p + 1;
      for (;;) {
        const close = bytes.indexOf(QUOTE, q);
        if (close === -1) return null;
        for (let i = q; i < close; i++) {
          const b = bytes[i]!;
          if (b === LF || b === CR) cursor.line++;
        }
        if (bytes[close + 1] === QUOTE) {
          q = close + 2;
          continue;
        }
        p = close + 1;
        break;
      }
      c = p < length ? bytes[p]! : -1;
      if (c !== COMMA && c !== -1 && !isLineEnd(bytes, p, c, crlf)) return null;
    } else {
      for (;;) {
        c = p < length ? bytes[p]! : -1;
        if (c === COMMA || c === -1) break;
        if (c === LF || c === CR) {
          if (!isLineEnd(bytes, p, c, crlf)) return null;
          break;
        }
        if (c === QUOTE) return null;
        p++;
      }
    }
    fields++;
    if (c === COMMA) {
      p++;
      continue;
    }
    if (c !== -1) cursor.line++;
    return { end: p, fields };
  }
}

function isLineEnd(bytes: Buffer, p: number, c: number, crlf: boolean): boolean {
  return crlf ? c === CR && bytes[p + 1] === LF : c === LF;
}

function grow(array: Float64Array, capacity: number): Float64Array {
  const out = new Float64Array(capacity);
  out.set(array);
  return out;
}
