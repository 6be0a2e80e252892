/**
 * The canonical text, in one place: a canonical record is RFC 4180 with a field quoted only when it
 * must be, one record per line of a canonical file (LF), keys in strictly ascending order. What
 * writes it, splits it, reads its typed values and cuts a canonical file into rows lives here.
 */
import { compareKeys, KEY_SEPARATOR } from './keys.js';
import type { CanonicalRow, ColumnSchema } from './types.js';

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * A field is quoted only when it must be (a comma, a quote, CR or LF, or a leading or trailing
 * space, which many readers would trim); quotes are doubled.
 */
export function encodeField(text: string): string {
  if (text === '') return text;
  if (needsQuotes(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

function needsQuotes(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  if (first === 32 || first === 9 || last === 32 || last === 9) return true;
  return MUST_QUOTE.test(text);
}

// A regular expression scans long cells (JSON) faster than a loop over char codes.
const MUST_QUOTE = /[,"\n\r]/;

/** The canonical CSV record (no line end) for canonical cell texts. */
export function encodeRecord(cells: readonly string[]): string {
  const out = new Array<string>(cells.length);
  for (let i = 0; i < cells.length; i++) out[i] = encodeField(cells[i]!);
  return out.join(',');
}

/**
 * The cells of one canonical record (`row.line`; it may hold line breaks inside quoted fields),
 * in the order of the table's columns. The inverse of writing a record.
 */
export function splitRecord(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const quote = line.indexOf('"', from);
        if (quote === -1) {
          value += line.slice(from);
          i = line.length;
          break;
        }
        value += line.slice(from, quote);
        if (line.charCodeAt(quote + 1) === QUOTE) {
          value += '"';
          from = quote + 2;
        } else {
          i = quote + 1;
          break;
        }
      }
      const comma = line.indexOf(',', i);
      // Anything between the closing quote and the comma is not canonical; keep it rather than drop it.
      value += comma === -1 ? line.slice(i) : line.slice(i, comma);
      fields.push(value);
      if (comma === -1) return fields;
      i = comma + 1;
    } else {
      const comma = line.indexOf(',', i);
      if (comma === -1) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

/**
 * The typed value of a canonical cell: `''` → null; json → the parsed value, or the text when the
 * normaliser kept invalid JSON as it was (with a warning); list → its items; boolean →
 * true/false; integer and decimal stay exact strings (never floats); any other type, or a value
 * that did not match its type, → the text.
 */
export function decodeCell(column: ColumnSchema, text: string): unknown {
  if (text === '') return null;
  switch (column.type) {
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    case 'list':
      return text.split(',').map((item) => item.trim());
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    default:
      return text;
  }
}

/** Index of the LF ending the record that starts at `from` (LFs inside quotes do not count); -1 if none. */
export function recordEnd(text: string, from: number): number {
  let end = text.indexOf('\n', from);
  let quotes = countQuotes(text, from, end);
  while (quotes % 2 === 1 && end !== -1) {
    const next = text.indexOf('\n', end + 1);
    if (next === -1) return -1;
    quotes += countQuotes(text, end, next);
    end = next;
  }
  return end;
}

function countQuotes(text: string, from: number, to: number): number {
  let n = 0;
  for (let q = text.indexOf('"', from); q !== -1 && q < to; q = text.indexOf('"', q + 1)) n++;
  return n;
}

/**
 * The rows of a canonical file, line by line. A line is refused (and the caller reads the file
 * the slow way) unless it has a non-empty key above the last one and, when `width` is given, that
 * many fields.
 */
export class CanonicalRows {
  readonly rows: CanonicalRow[] = [];
  readonly #keyIndexes: readonly number[];
  readonly #width: number | null;
  readonly #simpleKey: boolean;
  #previous: string | null = null;

  constructor(keyIndexes: readonly number[], width: number | null) {
    this.#keyIndexes = keyIndexes;
    this.#width = width;
    this.#simpleKey = keyIndexes.length === 1 && keyIndexes[0] === 0;
  }

  /** Adds one line (no LF); false when it is not the next canonical record. */
  add(line: string): boolean {
    if (line.charCodeAt(line.length - 1) === CR) return false;
    let key: string;
    if (this.#simpleKey && line.charCodeAt(0) !== QUOTE) {
      if (this.#width !== null && fieldCount(line) !== this.#width) return false;
      const comma = line.indexOf(',');
      key = comma === -1 ? line : line.slice(0, comma);
    } else {
      const fields = splitRecord(line);
      if (this.#width !== null && fields.length !== this.#width) return false;
      key = this.#keyIndexes.map((index) => fields[index]!).join(KEY_SEPARATOR);
    }
    if (key === '' || (this.#previous !== null && compareKeys(this.#previous, key) >= 0)) return false;
    this.rows.push({ key, line });
    this.#previous = key;
    return true;
  }
}

/** How many fields `splitRecord(line)` returns, without building them. */
function fieldCount(line: string): number {
  let n = 1;
  let i = 0;
  for (;;) {
    if (line.charCodeAt(i) === QUOTE) {
      let quote = line.indexOf('"', i + 1);
      while (quote !== -1 && line.charCodeAt(quote + 1) === QUOTE) quote = line.indexOf('"', quote + 2);
      if (quote === -1) return n;
      i = quote + 1;
    }
    const comma = line.indexOf(',', i);
    if (comma === -1) return n;
    n++;
    i = comma + 1;
  }
}

/**
 * Cuts the text of a canonical file after its header, in pieces as they arrive, at the line
 * lengths of its layout (UTF-16 code units, no LF). Each line must end on an LF and be the next
 * canonical record; the text must end with the last line. Rows are slices of the pieces (a line
 * across two pieces is joined).
 */
export class LayoutCutter {
  readonly #rows: CanonicalRows;
  readonly #layout: Uint32Array;
  #next = 0;
  /** The start of a line whose end (or LF) is in a later piece; null between lines. */
  #carry: string | null = null;
  #failed = false;

  constructor(layout: Uint32Array, rows: CanonicalRows) {
    this.#layout = layout;
    this.#rows = rows;
  }

  push(piece: string): void {
    if (this.#failed || piece === '') return;
    let at = 0;
    if (this.#carry !== null) {
      const missing = this.#layout[this.#next]! - this.#carry.length;
      if (piece.length <= missing) {
        this.#carry += piece;
        return;
      }
      const line = this.#carry + piece.slice(0, missing);
      this.#carry = null;
      if (!this.#emit(line, piece.charCodeAt(missing))) return;
      at = missing + 1;
    }
    const layout = this.#layout;
    while (at < piece.length) {
      if (this.#next === layout.length) return this.#fail();
      const end = at + layout[this.#next]!;
      if (end >= piece.length) {
        this.#carry = piece.slice(at);
        return;
      }
      if (!this.#emit(piece.slice(at, end), piece.charCodeAt(end))) return;
      at = end + 1;
    }
  }

  /** The rows, or null when the layout did not fit the text. */
  finish(): CanonicalRow[] | null {
    return this.#failed || this.#carry !== null || this.#next !== this.#layout.length ? null : this.#rows.rows;
  }

  #emit(line: string, lineEnd: number): boolean {
    if (lineEnd !== LF || !this.#rows.add(line)) {
      this.#fail();
      return false;
    }
    this.#next++;
    return true;
  }

  #fail(): void {
    this.#failed = true;
  }
}
