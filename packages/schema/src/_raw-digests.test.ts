import { describe, expect, it } from 'vitest';
import { normaliseIncremental } from './incremental.js';
import { decodeRawDigests } from './_raw-digests.js';
import { getSchema } from './schemas.js';
import { fixture, redactor } from './_test-support.js';
import type { RawDigests } from './types.js';

const digestsOf = async (input: Buffer): Promise<RawDigests> => (await normaliseIncremental(input, getSchema('integrations'), { file: 'integrations.csv', redactor, previous: null })).digests!;

describe('the digests normaliseIncremental returns', () => {
  it('hold a digest and the line length of each row, in row order', async () => {
    const { table, digests } = await normaliseIncremental(fixture('integrations'), getSchema('integrations'), { file: 'integrations.csv', redactor, previous: null });
    const read = decodeRawDigests(digests!)!;
    expect(read.rows.length).toBe(4 * 16);
    expect(Array.from(read.layout)).toEqual(table.rows.map((row) => row.line.length));
    expect(read.version).toMatch(/^raw-digests\/1;integrations;/);
  });

  it('read back for an empty table', async () => {
    expect(decodeRawDigests(await digestsOf(Buffer.from('ID,Name,Status\n')))).toMatchObject({ rows: Buffer.alloc(0), layout: new Uint32Array(0) });
  });

  it('never hold a secret value or the redaction key', async () => {
    const bytes = await digestsOf(fixture('integrations'));
    expect(fixture('integrations').toString()).toContain('fixture-s3cr3t-Zq8vK2');
    expect(bytes.includes('fixture-s3cr3t-Zq8vK2')).toBe(false);
    expect(bytes.includes('schema-tests')).toBe(false);
    expect(bytes.includes('AKIAFIXTUREPUBLIC01')).toBe(false);
  });

  it.each([
    ['empty', Buffer.alloc(0)],
    ['another file', Buffer.from('ID,Name\n1,a\n')],
    ['an unknown encoding', Buffer.from('BARD\u0009\u0000\u0000\u0000\u0002{}')],
    ['a header cut off', Buffer.from('BARD\u0002\u0000\u0000\u0001\u0000{"version"')],
    ['a header that is not JSON', Buffer.from('BARD\u0002\u0000\u0000\u0000\u0003{x}')],
    ['a header without fields', Buffer.from('BARD\u0002\u0000\u0000\u0000\u0002{}')],
  ])('are not read from %s', (_, bytes) => {
    expect(decodeRawDigests(bytes)).toBeNull();
  });

  it('are not read when cut off or padded', async () => {
    const bytes = await digestsOf(fixture('integrations'));
    for (const broken of [bytes.subarray(0, bytes.length - 1), Buffer.concat([bytes, Buffer.alloc(16)])]) expect(decodeRawDigests(broken)).toBeNull();
  });
});
