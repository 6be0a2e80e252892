import { describe, expect, it } from 'vitest';
import { SCHEMA_ERROR_CODES as E } from './errors.js';
import { normaliseIncremental } from './incremental.js';
import { decodeRawDigests, encodeRawDigests, type RawDigests } from './raw-digests.js';
import { getSchema } from './schemas.js';
import { failure, fixture, redactor } from './_test-support.js';

const digestsOf = async (input: Buffer): Promise<RawDigests> => (await normaliseIncremental(input, getSchema('integrations'), { file: 'integrations.csv', redactor, previous: null })).digests!;

describe('encodeRawDigests / decodeRawDigests', () => {
  it('round-trips', async () => {
    const digests = await digestsOf(fixture('integrations'));
    const decoded = decodeRawDigests(encodeRawDigests(digests));
    expect(decoded).toEqual(digests);
    expect(decoded.rows.length).toBe(4 * 16);
  });

  it('round-trips an empty table', async () => {
    const digests = await digestsOf(Buffer.from('ID,Name,Status\n'));
    expect(decodeRawDigests(encodeRawDigests(digests))).toEqual(digests);
  });

  it('never holds a secret value or the redaction key', async () => {
    const bytes = encodeRawDigests(await digestsOf(fixture('integrations')));
    expect(fixture('integrations').toString()).toContain('fixture-s3cr3t-Zq8vK2');
    expect(bytes.includes('fixture-s3cr3t-Zq8vK2')).toBe(false);
    expect(bytes.includes('schema-tests')).toBe(false);
    expect(bytes.includes('AKIAFIXTUREPUBLIC01')).toBe(false);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['another file', Buffer.from('ID,Name\n1,a\n')],
    ['an unknown encoding', Buffer.from('BARD\u0009\u0000\u0000\u0000\u0002{}')],
    ['a header cut off', Buffer.from('BARD\u0001\u0000\u0000\u0001\u0000{"version"')],
    ['a header that is not JSON', Buffer.from('BARD\u0001\u0000\u0000\u0000\u0003{x}')],
    ['a header without fields', Buffer.from('BARD\u0001\u0000\u0000\u0000\u0002{}')],
  ])('refuses %s with SCHEMA_BAD_DIGESTS', async (_, bytes) => {
    expect((await failure(Promise.resolve().then(() => decodeRawDigests(bytes)))).code).toBe(E.badDigests);
  });

  it('refuses truncated or padded row digests', async () => {
    const bytes = encodeRawDigests(await digestsOf(fixture('integrations')));
    for (const broken of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.alloc(16)])]) {
      expect((await failure(Promise.resolve().then(() => decodeRawDigests(broken)))).code).toBe(E.badDigests);
    }
  });
});
