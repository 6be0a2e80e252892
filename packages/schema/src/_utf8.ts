/**
 * A byte stream's chunks re-cut to end on character boundaries: the bytes of a UTF-8 sequence
 * split between two chunks are held back and yielded whole, before the rest of the next chunk.
 * A sequence still incomplete when the stream ends is yielded as it is, so the caller's `isUtf8`
 * check refuses it like any other invalid byte.
 */
export async function* wholeCharacters(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Buffer> {
  let held: Buffer | null = null;
  for await (const chunk of chunks) {
    let bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (held !== null) {
      const take = Math.min(bytes.length, sequenceLength(held[0]!) - held.length);
      held = Buffer.concat([held, bytes.subarray(0, take)]);
      bytes = bytes.subarray(take);
      if (held.length < sequenceLength(held[0]!)) continue;
      yield held;
      held = null;
    }
    const whole = completeLength(bytes);
    if (whole < bytes.length) held = Buffer.from(bytes.subarray(whole));
    if (whole > 0) yield bytes.subarray(0, whole);
  }
  if (held !== null) yield held;
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
