import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cutCanonical, parseCanonical, serialiseCanonical } from './canonical.js';
import { decodeCell, encodeRecord, splitRecord } from './canonical-text.js';
import { encodeRawDigests } from './_raw-digests.js';
import { DOCUMENTED_RESOURCES, getSchema } from './schemas.js';
import { chunked, fixture, normalise, redactor } from './_test-support.js';
import type { CanonicalTable, RawDigests } from './types.js';

const bytes = async (resource: string, input: string | Buffer): Promise<string> => serialiseCanonical(await normalise(resource, input)).toString('utf8');

/** Digests that carry `table`'s layout (the digests themselves do not matter to a cut). */
const digestsOf = (table: CanonicalTable): RawDigests => encodeRawDigests({ version: 'test', header: '0'.repeat(32), rows: Buffer.alloc(16 * table.rows.length) }, table);
/** Digests whose layout is `lengths`, fitting or not. */
const layoutDigests = (lengths: number[]): RawDigests => digestsOf({ rows: lengths.map((n) => ({ key: '', line: 'x'.repeat(n) })) } as unknown as CanonicalTable);

function shuffle<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  for (let i = out.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe('determinism', () => {
  it.each(DOCUMENTED_RESOURCES)('%s: row order, CRLF, a BOM and JSON key order do not change the bytes', async (resource) => {
    const [header, ...rows] = fixture(resource).toString('utf8').trimEnd().split('\n');
    const base = await bytes(resource, fixture(resource));
    for (const seed of [1, 2, 3]) {
      const variant = `\ufeff${[header, ...shuffle(rows, seed)].join('\r\n')}\r\n`;
      expect(await bytes(resource, variant)).toBe(base);
    }
  });

  it('JSON key order and spacing do not matter; array order does', async () => {
    const a = await bytes('entity-rules', 'ID,entity_filter,name,created_at,updated_at\n1,"{""b"": [1, 2], ""a"": {""y"": 1, ""x"": 2}}",n,2024-10-23T10:00:00Z,2024-10-23T11:00:00Z\n');
    const b = await bytes('entity-rules', 'ID,entity_filter,name,created_at,updated_at\n1,"{ ""a"":{""x"":2,""y"":1},""b"":[1,2] }",n,2024-10-23T12:00:00+02:00,2024-10-23T11:00:00Z\n');
    const c = await bytes('entity-rules', 'ID,entity_filter,name,created_at,updated_at\n1,"{""a"": {""x"": 2, ""y"": 1}, ""b"": [2, 1]}",n,2024-10-23T10:00:00Z,2024-10-23T11:00:00Z\n');
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('keeps long JSON numbers exactly', async () => {
    const out = await bytes('entity-rules', 'ID,entity_filter,name,created_at,updated_at\n1,"{""id"": 12345678901234567890, ""f"": 0.12345678901234567891, ""s"": ""12345678901234567890"", ""n"": 1.50}",n,2024-10-23,2024-10-23\n');
    expect(out).toContain('{""f"":0.12345678901234567891,""id"":12345678901234567890,""n"":1.5,""s"":""12345678901234567890""}');
  });
});

describe('idempotence', () => {
  it.each(DOCUMENTED_RESOURCES)('%s: normalising the canonical bytes again changes nothing', async (resource) => {
    const once = await bytes(resource, fixture(resource));
    expect(await bytes(resource, once)).toBe(once);
  });

  it.each(DOCUMENTED_RESOURCES)('%s: parseCanonical of the canonical bytes is the same table', async (resource) => {
    const table = await normalise(resource, fixture(resource));
    const parsed = await parseCanonical(serialiseCanonical(table), getSchema(resource), { file: `${resource}.csv`, redactor });
    expect(parsed.rows).toEqual(table.rows);
    expect(parsed.columns).toEqual(table.columns);
    expect(parsed.drift).toEqual(table.drift);
  });

  it.each([
    ['rows out of order', 'ID,Name,Type\n2,b,t\n1,a,t\n'],
    ['CRLF line ends', 'ID,Name,Type\r\n1,a,t\r\n'],
    ['a non-canonical header', 'ID*,Name,Type\n1,a,t\n'],
    ['columns out of order', 'Name,ID,Type\na,1,t\n'],
    ['a missing final LF', 'ID,Name,Type\n1,a,t'],
  ])('parseCanonical falls back to normalising on %s', async (_, input) => {
    const parsed = await parseCanonical(Buffer.from(input), getSchema('labels'), { file: 'labels.csv', redactor });
    expect(parsed.rows).toEqual((await normalise('labels', input)).rows);
  });

  it('parseCanonical reports the same fatal errors as normaliseCsv', async () => {
    await expect(parseCanonical(Buffer.from('ID,Name,Type\n1,a,t\n1,b,t\n'), getSchema('labels'), { file: 'labels.csv', redactor })).rejects.toMatchObject({ code: 'SCHEMA_DUPLICATE_KEY' });
  });
});

describe('cutCanonical: a committed file in chunks, cut at its layout', () => {
  const mixed = 'ID,Name,Type\n1,"é🎉, and ""quotes""",t\n2,"two\nlines",t\n3,日本語,t\n10,,t\n';

  it.each(DOCUMENTED_RESOURCES)('%s: every chunk size gives the table back', async (resource) => {
    const table = await normalise(resource, fixture(resource));
    const bytes = serialiseCanonical(table);
    for (const size of [1, 2, 3, 5, 64, bytes.length]) {
      const cut = await cutCanonical(chunked(bytes, size), getSchema(resource), { file: `${resource}.csv`, digests: digestsOf(table) });
      expect(cut?.rows).toEqual(table.rows);
      expect(cut?.columns).toEqual(table.columns);
      expect(cut?.drift).toEqual(table.drift);
    }
  });

  it('cuts multi-byte characters split between chunks, quoted commas and quoted LFs', async () => {
    const table = await normalise('labels', mixed);
    const bytes = serialiseCanonical(table);
    for (const size of [1, 2, 3, 4, 7]) {
      const cut = await cutCanonical(chunked(bytes, size), getSchema('labels'), { file: 'labels.csv', digests: digestsOf(table) });
      expect(cut?.rows).toEqual(table.rows);
    }
  });

  const three = 'ID,Name,Type\n1,a,t\n2,"b\nc",t\n3,é,t\n';
  it.each([
    ['too short a line', [4, 9, 5]],
    ['too long a line', [6, 9, 5]],
    ['one row too few', [5, 9]],
    ['one row too many', [5, 9, 5, 0]],
    ['a line end past the text', [5, 9, 50]],
    ['keys out of order (two rows as one, cut inside a quoted LF)', [5, 4, 4, 5]],
    ['an empty layout', []],
  ])('a layout with %s does not fit', async (_, lengths) => {
    expect(await cutCanonical([Buffer.from(three)], getSchema('labels'), { file: 'labels.csv', digests: layoutDigests(lengths) })).toBeNull();
  });

  it('a layout is in UTF-16 code units, so non-ASCII and astral characters cut right', async () => {
    const table = await normalise('labels', 'ID,Name,Type\n1,é🎉,t\n2,x,t\n');
    // 10 bytes, 7 code units: a layout in bytes would not fit.
    expect(await cutCanonical([serialiseCanonical(table)], getSchema('labels'), { file: 'labels.csv', digests: layoutDigests([10, 5]) })).toBeNull();
    const cut = await cutCanonical([serialiseCanonical(table)], getSchema('labels'), { file: 'labels.csv', digests: digestsOf(table) });
    expect(cut?.rows).toEqual(table.rows);
  });

  it('gives null for digests it cannot read (another format, cut off)', async () => {
    const table = await normalise('labels', mixed);
    const digests = digestsOf(table);
    for (const broken of [Buffer.from('BARD'), digests.subarray(0, digests.length - 1)]) {
      expect(await cutCanonical([serialiseCanonical(table)], getSchema('labels'), { file: 'labels.csv', digests: broken })).toBeNull();
    }
  });

  it.each([
    ['a BOM', (b: Buffer) => Buffer.concat([Buffer.from('\ufeff'), b])],
    ['a non-canonical header', (b: Buffer) => Buffer.from(b.toString().replace('ID,Name,Type', 'ID*,Name,Type'))],
    ['invalid UTF-8 inside a line', (b: Buffer) => Buffer.concat([b.subarray(0, 20), Buffer.from([0xff]), b.subarray(21)])],
    ['a cut-off character at the end', (b: Buffer) => Buffer.concat([b, Buffer.from([0xe6, 0x97])])],
    ['a missing final LF', (b: Buffer) => b.subarray(0, -1)],
    ['text after the last line', (b: Buffer) => Buffer.concat([b, Buffer.from('11,x,t\n')])],
    ['an empty file', () => Buffer.alloc(0)],
  ])('gives null (read it whole instead) for a file with %s', async (_, damage) => {
    const table = await normalise('labels', mixed);
    for (const size of [3, 1 << 16]) {
      expect(await cutCanonical(chunked(damage(serialiseCanonical(table)), size), getSchema('labels'), { file: 'labels.csv', digests: digestsOf(table) })).toBeNull();
    }
  });
});

describe('losslessness', () => {
  const cell = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r\n', ' ', 'x', 'ü', '🎉', '{') }), fc.constant(''));
  it('every kept cell survives normalise → serialise → splitRecord/decodeCell', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.array(cell, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 20 }), fc.integer({ min: 1, max: 9 }), async (records, chunkSize) => {
      const input = [encodeRecord(['ID', 'Alpha', 'Beta', 'Gamma']), ...records.map((cells, i) => encodeRecord([`r${i}`, ...cells]))].join('\r\n');
      const table = await normalise('things', `${input}\r\n`);
      const out = serialiseCanonical(table).toString('utf8');
      const parsed = await parseCanonical(Buffer.from(out), getSchema('things'), { file: 'things.csv', redactor });
      expect(parsed.rows).toEqual(table.rows);
      const streamed = await cutCanonical(chunked(out, chunkSize), getSchema('things'), { file: 'things.csv', digests: digestsOf(table) });
      expect(streamed?.rows).toEqual(table.rows);
      for (const row of table.rows) {
        const fields = splitRecord(row.line);
        const original = records[Number(row.key.slice(1))]!;
        expect(fields.slice(1).map((text, i) => decodeCell(table.columns[i + 1]!, text))).toEqual(original.map((text) => (text === '' ? null : text.replaceAll('\r\n', '\n'))));
      }
    }), { numRuns: 150 });
  });

  it.each([
    ['json', '{"a":[1,"x"]}', { a: [1, 'x'] }], ['json', 'not json', 'not json'], ['list', 'a, b, c', ['a', 'b', 'c']],
    ['boolean', 'true', true], ['boolean', 'false', false], ['decimal', '35.24', '35.24'], ['integer', '12345678901234567890', '12345678901234567890'],
    ['timestamp', '2021-07-26T18:00:00Z', '2021-07-26T18:00:00Z'], ['string', '', null], ['json', '', null],
  ] as const)('decodeCell(%s, %j) → %j', (type, text, value) => {
    expect(decodeCell({ name: 'c', type, required: false, volatile: false }, text)).toEqual(value);
  });
});
