import { randomBytes } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateObject, PARALLEL_DEFLATE_MIN } from './_deflate.js';

// Compressible like a snapshot (repeated structure), with some noise so it is not trivial.
function csvLike(size: number): Buffer {
  const out = Buffer.alloc(size);
  let at = 0;
  let noise = 7;
  for (let i = 0; at < size; i++) {
    noise = (noise * 1103515245 + 12345) % 2 ** 31;
    at += out.write(`${i},name-${i % 977},"{""k"":${i * 7}}",${noise.toString(36)}\n`, at);
  }
  return out;
}

describe('deflateObject', () => {
  it.each([
    ['an empty input', [Buffer.alloc(0)]],
    ['one small part', [Buffer.from('blob 3\0abc')]],
    ['just under the two-halves size', [Buffer.from('blob …\0'), csvLike(PARALLEL_DEFLATE_MIN - 8)]],
    ['just over it, cut inside the second part', [Buffer.from('blob …\0'), csvLike(PARALLEL_DEFLATE_MIN + 1)]],
    ['a large input in three parts, cut inside the first', [csvLike(PARALLEL_DEFLATE_MIN * 2), csvLike(5), csvLike(PARALLEL_DEFLATE_MIN)]],
    ['incompressible bytes', [randomBytes(PARALLEL_DEFLATE_MIN + 12345)]],
  ])('inflates back to %s in one zlib stream', async (_, parts) => {
    // Every header level on small inputs; the level the store uses on large ones.
    const size = parts.reduce((n, part) => n + part.length, 0);
    for (const level of size < PARALLEL_DEFLATE_MIN ? [1, 4, 6, 9] : [1]) {
      const deflated = await deflateObject(parts, level);
      // inflateSync checks the adler-32 trailer and that the stream ends exactly there.
      expect(inflateSync(deflated).equals(Buffer.concat(parts))).toBe(true);
      expect((deflated[0]! * 256 + deflated[1]!) % 31).toBe(0);
    }
  });
});
