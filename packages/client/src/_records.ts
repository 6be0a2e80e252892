const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/**
 * Counts CSV records as bytes stream past, without parsing cells: a line end inside quotes belongs
 * to the cell (RFC 4180), and blank lines are not records. `""` inside a quoted cell toggles twice,
 * so it needs no special case. Works on bytes because `"`, CR and LF never occur inside a UTF-8
 * multi-byte sequence.
 */
export class RecordCounter {
  #records = 0;
  #inQuotes = false;
  #lineHasContent = false;

  push(chunk: Uint8Array): void {
    let inQuotes = this.#inQuotes;
    let content = this.#lineHasContent;
    let records = this.#records;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        inQuotes = !inQuotes;
        content = true;
      } else if (inQuotes) {
        continue;
      } else if (byte === LF) {
        if (content) records++;
        content = false;
      } else if (byte !== CR) {
        content = true;
      }
    }
    this.#inQuotes = inQuotes;
    this.#lineHasContent = content;
    this.#records = records;
  }

  /** Records seen so far, counting an unterminated last line. */
  get records(): number {
    return this.#records + (this.#lineHasContent ? 1 : 0);
  }

  /** Data records: every record but the header. */
  get dataRecords(): number {
    return Math.max(0, this.records - 1);
  }
}
