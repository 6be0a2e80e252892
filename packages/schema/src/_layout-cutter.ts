import { isUtf8 } from 'node:buffer';
import { splitRecord } from './csv.js';
import { compareKeys, KEY_SEPARATOR } from './keys.js';
import type { CanonicalRow } from './types.js';

/**
 * Cuts the records of a canonical file (the text after its header, in pieces as they arrive) at
 * the line lengths of its layout. A line must end on an LF, keys must come in strictly ascending
 * order, and the text must end with the last line; anything else fails the cut, and the caller
 * falls back to scanning. Rows are slices of the pieces (a line across two pieces is joined).
 */
export class LayoutCutter {
  readonly rows: CanonicalRow[];
  readonly #layout: Uint32Array;
  readonly #width: number;
  readonly #keyIndexes: readonly number[];
  readonly #simpleKey: boolean;
  #next = 0;
  /** The start of a line whose end (or LF) is in a later piece; null between lines. */
  #carry: string | null = null;
  #previous: string | null = null;
  #failed = false;

  constructor(layout: Uint32Array, width: number, keyIndexes: readonly number[]) {
    this.rows = new Array<CanonicalRow>(layout.length);
    this.#layout = layout;
    this.#width = width;
    this.#keyIndexes = keyIndexes;
    this.#simpleKey = keyIndexes.length === 1 && keyIndexes[0] === 0;
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
      if (piece.charCodeAt(missing) !== 10) return this.#fail();
      const line = this.#carry + piece.slice(0, missing);
      this.#carry = null;
      if (!this.#emit(line)) return;
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
      if (piece.charCodeAt(end) !== 10) return this.#fail();
      if (!this.#emit(piece.slice(at, end))) return;
      at = end + 1;
    }
  }

  /** The rows, or null when the layout did not fit the text. */
  finish(): CanonicalRow[] | null {
    return this.#failed || this.#carry !== null || this.#next !== this.#layout.length ? null : this.rows;
  }

  #emit(line: string): boolean {
    let key: string | null;
    if (this.#simpleKey && line.charCodeAt(0) !== 34) {
      const comma = line.indexOf(',');
      key = comma === -1 ? line : line.slice(0, comma);
    } else {
      key = keyFromFields(line, this.#width, this.#keyIndexes);
    }
    if (key === null || key === '' || (this.#previous !== null && compareKeys(this.#previous, key) >= 0)) {
      this.#fail();
      return false;
    }
    this.rows[this.#next++] = { key, line };
    this.#previous = key;
    return true;
  }

  #fail(): void {
    this.#failed = true;
  }
}

/** The key of a canonical line from its split fields; null when it does not have `width` fields. */
export function keyFromFields(line: string, width: number, keyIndexes: readonly number[]): string | null {
  const fields = splitRecord(line);
  if (fields.length !== width) return null;
  return keyIndexes.map((index) => fields[index]!).join(KEY_SEPARATOR);
}

/**
 * Decodes a byte stream chunk by chunk into strings that end on character boundaries: the bytes
 * of a character split between two chunks are held back and decoded with the next one.
 */
export class Utf8Pieces {
  #held: Buffer | null = null;

  /** The text of `chunk` (with any bytes held back before it), or null if it is not UTF-8. */
  push(chunk: Buffer): string | null {
    let head = '';
    if (this.#held !== null) {
      const held = this.#held;
      const take = Math.min(chunk.length, sequenceLength(held[0]!) - held.length);
      const joined = Buffer.concat([held, chunk.subarray(0, take)]);
      chunk = chunk.subarray(take);
      this.#held = null;
      if (joined.length < sequenceLength(joined[0]!)) {
        this.#held = joined;
        return '';
      }
      if (!isUtf8(joined)) return null;
      head = joined.toString('utf8');
    }
    const whole = completeLength(chunk);
    if (whole < chunk.length) this.#held = Buffer.from(chunk.subarray(whole));
    const body = chunk.subarray(0, whole);
    if (!isUtf8(body)) return null;
    return head + body.toString('utf8');
  }

  /** True when the stream ended on a character boundary. */
  end(): boolean {
    return this.#held === null;
  }
}

/** Bytes in the UTF-8 sequence a lead byte starts (1 for anything else: isUtf8 judges it). */
function sequenceLength(lead: number): number {
  if (lead >= 0xf0 && lead <= 0xf7) return 4;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xc0 && lead <= 0xdf) return 2;
  return 1;
}

/** The length of `bytes` without a final multi-byte sequence that is not complete yet. */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if ((byte & 0xc0) === 0x80) continue;
    return sequenceLength(byte) > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
