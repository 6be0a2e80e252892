import { randomBytes } from 'node:crypto';
import { inflateRawSync, inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { deflateObject, PARALLEL_DEFLATE_MIN, SEEK_MARK } from './_deflate.js';

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

describe('deflateObject with seek points', () => {
  it.each([
    ['a small object, one point', [Buffer.from('blob 20\0'), csvLike(20)], [12]],
    ['points in both parts and at their border', [Buffer.from('blob …\0'), csvLike(300_000)], [3, 9, 70_000, 150_001, 299_000]],
    ['an object over the two-halves size', [Buffer.from('blob …\0'), csvLike(PARALLEL_DEFLATE_MIN + 5)], [1 << 20, 4 << 20, 8 << 20]],
  ])('marks each point of %s; the rest inflates from there alone', async (_, parts, points) => {
    const whole = Buffer.concat(parts);
    const deflated = await deflateObject(parts, 1, points);
    expect(inflateSync(deflated).equals(whole)).toBe(true);
    const marks: number[] = [];
    for (let at = deflated.indexOf(SEEK_MARK); at !== -1; at = deflated.indexOf(SEEK_MARK, at + 1)) marks.push(at);
    expect(marks).toHaveLength(points.length);
    for (const [i, mark] of marks.entries()) {
      // Raw, without the window of what came before, and without the adler-32 trailer.
      const rest = inflateRawSync(deflated.subarray(mark + SEEK_MARK.length, deflated.length - 4));
      expect(rest.equals(whole.subarray(points[i])), `from point ${points[i]}`).toBe(true);
    }
  });

  it('writes no mark without seek points, even where two halves meet', async () => {
    const deflated = await deflateObject([csvLike(PARALLEL_DEFLATE_MIN + 5)], 1);
    expect(deflated.includes(SEEK_MARK)).toBe(false);
  });
});
