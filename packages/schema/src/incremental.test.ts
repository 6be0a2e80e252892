import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SCHEMA_ERROR_CODES as E } from './errors.js';
import { normaliseIncremental, type IncrementalResult } from './incremental.js';
import { decodeRawDigests } from './_raw-digests.js';
import { normaliseCsv } from './normalise.js';
import { createRedactor } from './redact.js';
import { getSchema } from './schemas.js';
import { failure, fixture, redactor } from './_test-support.js';
import { INTEGRATIONS_HEADER, integrationRecord, integrationsExport, nextNight, writeExport, type RawExport, type WriteOptions } from './_test-exports.js';
import type { CanonicalTable } from './types.js';

const schema = getSchema('integrations');
const options = { file: 'integrations.csv', redactor };

const full = (input: Buffer): Promise<CanonicalTable> => normaliseCsv(input, schema, options);
const first = (input: Buffer, key = redactor): Promise<IncrementalResult> => normaliseIncremental(input, schema, { file: 'integrations.csv', redactor: key, previous: null });
const night = async (before: Buffer, after: Buffer): Promise<IncrementalResult> => {
  const previous = await first(before);
  return normaliseIncremental(after, schema, { ...options, previous: previous.digests === null ? null : { table: previous.table, digests: previous.digests } });
};

/** The incremental result is normaliseCsv's table, and its digests are what a fresh run would write. */
async function expectSameAsFull(result: IncrementalResult, input: Buffer): Promise<void> {
  const reference = await full(input);
  expect(result.table.columns).toEqual(reference.columns);
  expect(result.table.rows).toEqual(reference.rows);
  expect(result.table.drift).toEqual(reference.drift);
  expect(reference.warnings).toEqual(expect.arrayContaining([...result.table.warnings]));
  expect(result.digests).toEqual((await first(input)).digests);
}

const base = integrationsExport(300, 1);
const write = (data: RawExport, style: WriteOptions = {}): Buffer => writeExport(data, style);
const changed = (data: RawExport, edit: (records: string[][]) => void): RawExport => {
  const records = data.records.map((r) => [...r]);
  edit(records);
  return { header: data.header, records };
};

describe('normaliseIncremental equals normaliseCsv', () => {
  it.each<[string, Buffer, Buffer, number]>([
    ['identical input: every row reused', write(base), write(base), 300],
    ['shuffled input', write(base), write(changed(base, (r) => r.reverse())), 300],
    ['one record changed', write(base), write(changed(base, (r) => { r[10] = integrationRecord(Number(r[10]![0]), 999); })), 299],
    ['a record removed and one added', write(base), write(changed(base, (r) => { r.splice(5, 1); r.push(integrationRecord(5000, 3)); })), 299],
    ['a night of changes, removals, additions', write(base), write(nextNight(base, 2)), -1],
    ['LF before, CRLF after (records keep their bytes)', write(base), write(base, { lineEnd: '\r\n' }), 300],
    ['CRLF both nights with blank lines', write(base, { lineEnd: '\r\n', blankAfter: [3, 4] }), write(nextNight(base, 3), { lineEnd: '\r\n', blankAfter: [0, 7, 8] }), -1],
    ['a BOM appears', write(base), write(base, { bom: true }), 300],
    ['every cell quoted after: all records dirty', write(base), write(base, { quoteAll: true }), 0],
    ['a changed header: full path', write(base), write({ ...base, header: INTEGRATIONS_HEADER.map((h) => h.replace('*', '')) }), 0],
    ['the docs\' sample, unchanged', fixture('integrations'), fixture('integrations'), 4],
  ])('%s', async (_, before, after, reused) => {
    const result = await night(before, after);
    await expectSameAsFull(result, after);
    if (reused >= 0) expect(result.reused).toBe(reused);
    else expect(result.reused).toBeGreaterThan(200);
  });

  it('first night: no previous, full path, digests for tomorrow', async () => {
    const input = write(base);
    const result = await first(input);
    expect(result.reused).toBe(0);
    expect(decodeRawDigests(result.digests!)!.rows.length).toBe(300 * 16);
    await expectSameAsFull(result, input);
  });

  it('three nights: the digests of an incremental night carry over', async () => {
    const one = write(base);
    const twoData = nextNight(base, 4);
    const two = await night(one, write(twoData));
    const threeInput = write(nextNight(twoData, 5));
    const three = await normaliseIncremental(threeInput, schema, { ...options, previous: { table: two.table, digests: two.digests! } });
    expect(three.reused).toBeGreaterThan(250);
    await expectSameAsFull(three, threeInput);
  });

  it('reuses the previous row objects (no copies)', async () => {
    const input = write(base);
    const previous = await first(input);
    const result = await normaliseIncremental(input, schema, { ...options, previous: { table: previous.table, digests: previous.digests! } });
    result.table.rows.forEach((row, i) => expect(row).toBe(previous.table.rows[i]));
  });

  it('a different redaction key: version mismatch, full path', async () => {
    const input = write(base);
    const previous = await first(input, createRedactor('another-key'));
    const result = await normaliseIncremental(input, schema, { ...options, previous: { table: previous.table, digests: previous.digests! } });
    expect(result.reused).toBe(0);
    expect(decodeRawDigests(previous.digests!)!.version).not.toBe(decodeRawDigests(result.digests!)!.version);
    await expectSameAsFull(result, input);
  });

  it('a dirty record keeps its line in warnings (after multi-line records, blank lines, CRLF)', async () => {
    const after = changed(base, (r) => { r[200] = integrationRecord(Number(r[200]![0]), 6); });
    const input = write(after, { lineEnd: '\r\n', blankAfter: [2, 50, 150] });
    const result = await night(write(base, { lineEnd: '\r\n' }), input);
    expect(result.reused).toBe(299);
    const reference = await full(input);
    const id = after.records[200]![0];
    const line = reference.warnings.find((w) => w.column === 'Reviewer Count' && result.table.warnings.some((x) => x.row === w.row))!;
    expect(result.table.warnings).toEqual([line]);
    expect(reference.rows.find((row) => row.key === id)).toBeDefined();
  });

  it('unreadable digests: full path, and digests to replace them', async () => {
    const input = write(base);
    const previous = await first(input);
    const result = await normaliseIncremental(input, schema, { ...options, previous: { table: previous.table, digests: Buffer.from('BARD') } });
    expect(result.reused).toBe(0);
    await expectSameAsFull(result, input);
  });

  it('returns no digests when the CSV is irregular, with the same table', async () => {
    const input = Buffer.from('ID,Name,Status\r\n1,a\rb,active\r\n');
    const result = await first(input);
    expect(result.digests).toBeNull();
    expect(result.table.rows).toEqual((await full(input)).rows);
  });
});

describe('errors are normaliseCsv\'s', () => {
  it('duplicate raw records: SCHEMA_DUPLICATE_KEY with both lines', async () => {
    const after = changed(base, (r) => { r.splice(20, 0, [...r[9]!]); });
    const input = write(after);
    const error = await failure(night(write(base), input));
    const reference = await failure(full(input));
    expect(error.code).toBe(E.duplicateKey);
    expect(error.data.lines).toEqual(reference.data.lines);
  });

  it('a dirty record duplicating a reused key: SCHEMA_DUPLICATE_KEY with both lines', async () => {
    const after = changed(base, (r) => { r.push(integrationRecord(Number(r[9]![0]), 777)); });
    const input = write(after);
    const error = await failure(night(write(base), input));
    expect(error.code).toBe(E.duplicateKey);
    expect(error.data.lines).toEqual((await failure(full(input))).data.lines);
  });

  it.each([
    ['an unbalanced quote', 'ID,Name,Status\n1,"a,active\n'],
    ['a ragged record', 'ID,Name,Status\n1,a,active\n2,b\n'],
    ['a quote inside an unquoted field', 'ID,Name,Status\n1,a"b,active\n'],
  ])('malformed CSV (%s): SCHEMA_CSV_INVALID', async (_, text) => {
    const input = Buffer.from(text);
    expect((await failure(night(write(base), input))).code).toBe(E.csvInvalid);
  });

  it('invalid UTF-8 in a changed record: SCHEMA_NOT_UTF8', async () => {
    const good = Buffer.from('ID,Name,Status\n1,a,active\n2,b,active\n');
    const bad = Buffer.concat([Buffer.from('ID,Name,Status\n1,a,active\n2,'), Buffer.from([0xff]), Buffer.from(',active\n')]);
    expect((await failure(night(good, bad))).code).toBe(E.notUtf8);
  });
});

describe('property: incremental(previous) ≡ full for random tables and edits', () => {
  const cell = fc.oneof(
    fc.constantFrom('', 'x', 'a,b', 'say "hi"', 'two\nlines', 'cr\r\nlf', ' pad ', '2024-01-02T03:04:05+01:00', 'not-a-number', '{"b":1,"a":{"password":"p"}}'),
    fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', ' ', 'é') , maxLength: 6 }),
  );
  const record = fc.tuple(fc.integer({ min: 1, max: 60 }), cell, cell, cell, cell);
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('change' as const), at: fc.nat(), record }),
    fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('add' as const), record }),
    fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
  );
  const header = ['ID', 'Name', 'Status', 'Metadata', 'Reviewer Count'];
  const toCells = ([id, ...rest]: [number, string, string, string, string]): string[] => [String(id), ...rest];

  it('same table, same error code and lines', async () => {
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(record, { minLength: 1, maxLength: 25, selector: (r) => r[0] }),
      fc.array(edit, { maxLength: 6 }),
      fc.record({ lineEnd: fc.constantFrom('\n' as const, '\r\n' as const), bom: fc.boolean(), blankAfter: fc.array(fc.nat(30), { maxLength: 3 }), quoteAll: fc.boolean() }),
      async (records, edits, style) => {
        const before = { header, records: records.map(toCells) };
        const after = changed(before, (rows) => {
          for (const e of edits) {
            if (e.kind === 'add') rows.push(toCells(e.record));
            else if (rows.length === 0) continue;
            else if (e.kind === 'change') rows[e.at % rows.length] = toCells(e.record);
            else if (e.kind === 'remove') rows.splice(e.at % rows.length, 1);
            else if (e.kind === 'duplicate') rows.push([...rows[e.at % rows.length]!]);
            else [rows[e.at % rows.length], rows[e.to % rows.length]] = [rows[e.to % rows.length]!, rows[e.at % rows.length]!];
          }
        });
        const previousInput = write(before);
        const input = write(after, style);
        const ours = await night(previousInput, input).then((r) => ({ r }), (error: { code: string; data: Record<string, unknown> }) => ({ error }));
        const reference = await full(input).then(() => null, (error: { code: string; data: Record<string, unknown> }) => error);
        if ('error' in ours) {
          expect(reference).not.toBeNull();
          expect(ours.error.code).toBe(reference!.code);
          expect(ours.error.data).toEqual(reference!.data);
        } else {
          expect(reference).toBeNull();
          await expectSameAsFull(ours.r, input);
        }
      },
    ), { numRuns: 150 });
  });
});
