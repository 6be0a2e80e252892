const LF = 10;
const QUOTE = 34;

/**
 * Finds the records of a canonical CSV text (after its header) that start with `prefix` (the key's
 * first field and its comma), chunk by chunk, without decoding the others. A record ends at an LF
 * outside quotes, so what matters is the parity of the quotes before an LF: it is counted four
 * bytes at a time, and only where it is needed (before a candidate, and at the end of each chunk);
 * the candidates themselves are found by `Buffer.indexOf` of LF + prefix.
 *
 * Every window starts at a record start. The last, incomplete record of one chunk is completed
 * from the start of the next; only that record is copied, never a chunk.
 */
export class CandidateScan {
  readonly #needle: Buffer;
  readonly #prefix: Buffer;
  #window: Buffer = Buffer.alloc(0);
  /** The last position of the window known to start a record; everything before it is done. */
  #recordStart = 0;
  /** Where the search for the next candidate resumes (≥ #recordStart). */
  #at = 0;
  /** Quote parity of `window[0, #at)`; the window starts at a record start, so 0 means "between fields". */
  #parity = 0;
  /** The record carried over from the last chunk, completed, before `window`. */
  #head: Buffer | null = null;
  #lastComplete: Buffer | null = null;

  constructor(prefix: Buffer) {
    this.#prefix = prefix;
    this.#needle = Buffer.concat([Buffer.from([LF]), prefix]);
  }

  /** Adds the next chunk of text. */
  push(chunk: Buffer): void {
    const rest = this.#window.subarray(this.#recordStart);
    this.#recordStart = 0;
    this.#at = 0;
    this.#parity = 0;
    this.#head = null;
    this.#lastComplete = null;
    if (rest.length === 0) {
      this.#window = chunk;
      return;
    }
    const end = recordEnd(chunk, 0, quoteParity(rest, 0, rest.length));
    if (end === -1) {
      // One record longer than the chunk: keep joining.
      this.#window = Buffer.concat([rest, chunk]);
      return;
    }
    this.#head = Buffer.concat([rest, chunk.subarray(0, end)]);
    this.#window = chunk.subarray(end + 1);
  }

  /**
   * The next complete candidate record (its bytes, without the LF), or null when there is none
   * more yet. A window searched to its end keeps only its incomplete last record for the next
   * chunk, and remembers the complete one before it (`lastComplete`).
   */
  next(): Buffer | null {
    const head = this.#head;
    if (head !== null) {
      this.#head = null;
      this.#lastComplete = head;
      if (head.length >= this.#prefix.length && head.compare(this.#prefix, 0, this.#prefix.length, 0, this.#prefix.length) === 0) return head;
    }
    const w = this.#window;
    for (;;) {
      const start = this.#candidateStart(w);
      if (start === -1) break;
      this.#parity ^= quoteParity(w, this.#at, start);
      this.#at = start;
      if (this.#parity !== 0) {
        // An LF inside a quoted field, followed by text that looks like the key: not a record.
        this.#parity ^= quoteParity(w, start, start + 1);
        this.#at = start + 1;
        continue;
      }
      this.#recordStart = start;
      const end = recordEnd(w, start, 0);
      if (end === -1) return null;
      this.#at = end + 1;
      this.#recordStart = end + 1;
      return w.subarray(start, end);
    }
    this.#keepLastRecord();
    return null;
  }

  /**
   * The last complete record seen in the latest chunk, once `next` searched it to its end: the
   * caller compares its key to tell whether the search is past the record sought.
   */
  lastComplete(): Buffer | null {
    return this.#lastComplete;
  }

  /** At the end of the text: what follows the last complete record (nothing, in a canonical file). */
  leftover(): Buffer {
    return this.#window.subarray(this.#recordStart);
  }

  /** The next position ≥ #at where a record could start with the prefix (after an LF, or at 0). */
  #candidateStart(w: Buffer): number {
    const needle = this.#needle;
    if (this.#at === 0 && w.length >= needle.length - 1 && w.compare(needle, 1, needle.length, 0, needle.length - 1) === 0) return 0;
    const hit = w.indexOf(needle, Math.max(0, this.#at - 1));
    return hit === -1 ? -1 : hit + 1;
  }

  /**
   * Finds the window's last record end (an LF with an even number of quotes before it), notes
   * the complete record before it, and keeps only what follows it.
   */
  #keepLastRecord(): void {
    const w = this.#window;
    const total = this.#parity ^ quoteParity(w, this.#at, w.length);
    let parityAfter = 0;
    let end = w.length;
    let lastEnd = -1;
    let previousEnd = -1;
    for (let lf = w.lastIndexOf(LF, end - 1); lf >= this.#recordStart; lf = lf === 0 ? -1 : w.lastIndexOf(LF, lf - 1)) {
      parityAfter ^= quoteParity(w, lf, end);
      end = lf;
      if ((total ^ parityAfter) !== 0) continue;
      if (lastEnd !== -1) {
        previousEnd = lf;
        break;
      }
      lastEnd = lf;
    }
    if (lastEnd === -1) return;
    this.#lastComplete = w.subarray(previousEnd === -1 ? this.#recordStart : previousEnd + 1, lastEnd);
    this.#window = w.subarray(lastEnd + 1);
    this.#recordStart = 0;
    this.#at = 0;
    this.#parity = 0;
  }
}

/**
 * The index of the LF ending the record that starts at `start` (with `parity` quotes of it
 * before `w`), or -1 when it is not in `w` yet.
 */
export function recordEnd(w: Buffer, start: number, parity: number): number {
  let from = start;
  for (let lf = w.indexOf(LF, start); lf !== -1; lf = w.indexOf(LF, lf + 1)) {
    parity ^= quoteParity(w, from, lf);
    from = lf;
    if (parity === 0) return lf;
  }
  return -1;
}

/**
 * The parity (0 or 1) of the number of quote characters in `b[from, to)`. Four bytes at a time:
 * each 32-bit word XOR 0x22222222 has a zero byte where `b` held a quote, and the exact zero-byte
 * test leaves bit 7 of that byte set; XOR-ing the masks keeps the parity of each lane.
 */
export function quoteParity(b: Buffer, from: number, to: number): number {
  let parity = 0;
  let i = from;
  const offset = b.byteOffset;
  while (i < to && ((offset + i) & 3) !== 0) parity ^= b[i++] === QUOTE ? 1 : 0;
  const words = (to - i) >>> 2;
  if (words > 0) {
    const u32 = new Uint32Array(b.buffer, offset + i, words);
    let acc = 0;
    for (let k = 0; k < words; k++) {
      const x = u32[k]! ^ 0x22222222;
      acc ^= ~(((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x | 0x7f7f7f7f);
    }
    acc = (acc >>> 7) & 0x01010101;
    acc ^= acc >>> 16;
    acc ^= acc >>> 8;
    parity ^= acc & 1;
    i += words * 4;
  }
  while (i < to) parity ^= b[i++] === QUOTE ? 1 : 0;
  return parity;
}

/**
 * Where records start in a canonical text, about every `every` bytes: for each multiple of
 * `every`, the first record start at or after it (an LF with an even number of quotes before it
 * ends the record before). Never 0 or the end of the text; the header's line is never cut.
 */
export function recordStarts(text: Buffer, every: number): number[] {
  const starts: number[] = [];
  // Quote parity of text[0, at).
  let at = 0;
  let parity = 0;
  for (let target = every; target < text.length; target += every) {
    let lf = text.indexOf(LF, Math.max(target - 1, at));
    while (lf !== -1) {
      parity ^= quoteParity(text, at, lf + 1);
      at = lf + 1;
      if (parity === 0) break;
      lf = text.indexOf(LF, at);
    }
    if (lf === -1 || at >= text.length) break;
    starts.push(at);
  }
  return starts;
}
