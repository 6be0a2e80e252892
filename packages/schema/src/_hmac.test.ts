import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hmacSha256Hex } from './_hmac.js';

describe('hmacSha256Hex', () => {
  it.each([
    ['a short string key', 'k'],
    ['an empty key', ''],
    ['a 64-byte key', 'x'.repeat(64)],
    ['a key longer than a block', 'long-key-'.repeat(20)],
    ['a non-ASCII key', 'clé 🔑'],
    ['a Buffer key', Buffer.from([0, 1, 2, 255])],
  ])('equals createHmac for %s', (_, key) => {
    const ours = hmacSha256Hex(key);
    for (const message of ['', 'secret', 'ünïcödé 🎉', 'm'.repeat(5000), 'after a long one']) {
      expect(ours(message)).toBe(createHmac('sha256', key).update(message, 'utf8').digest('hex'));
    }
  });

  it('equals createHmac for any message', () => {
    const ours = hmacSha256Hex('prop-key');
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (message) => {
      expect(ours(message)).toBe(createHmac('sha256', 'prop-key').update(message, 'utf8').digest('hex'));
    }), { numRuns: 300 });
  });
});
