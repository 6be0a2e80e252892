import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { indexExport, normaliseDifference, type ExportIndex } from './difference.js';
import { normaliseCsv } from './normalise.js';
import { getSchema } from './schemas.js';
import { redactor } from './_test-support.js';
import { integrationsExport, nextNight, writeExport } from './_test-exports.js';
import type { CanonicalTable, ResourceSchema } from './types.js';

const integrations = getSchema('integrations');
const HEADER = 'ID*,Name*,Status*,Metadata';
const csv = (...lines: string[]): Buffer => Buffer.from(`${[HEADER, ...lines].join('\n')}\n`);
const notUtf8 = Buffer.concat([Buffer.from(`${HEADER}\n1,Ok`), Buffer.from([0xff]), Buffer.from('ta,active,{}\n')]);
const difference = (before: Buffer, after: Buffer, schema: ResourceSchema = integrations) => normaliseDifference(before, after, schema, { redactor });
const full = (input: Buffer, schema: ResourceSchema = integrations): Promise<CanonicalTable> => normaliseCsv(input, schema, { file: 'x.csv', redactor });

describe('normaliseDifference', () => {
  it('normalises only the records that differ; byte-identical ones are counted', async () => {
    const result = (await difference(
      csv('1,Okta,active,{}', '2,Box,active,"{""b"":1,""a"":2}"', '3,Jira,active,{}'),
      csv('3,Jira,inactive,{}', '2,Box,active,"{""b"":1,""a"":2}"', '4,Zoom,active,{}'),
    ))!;
    expect(result.identical).toBe(1);
    expect(result.before.rows.map((row) => row.key)).toEqual(['1', '3']);
    expect(result.after.rows.map((row) => row.key)).toEqual(['3', '4']);
    expect(result.after.rows[0]!.line).toBe('3,Jira,inactive,{}');
  });

  it('a record equal in meaning but not in bytes is normalised on both sides', async () => {
    const result = (await difference(csv('2,Okta,active,{}', '"10",Jira,active,{}'), csv('10,Jira,active,{}', '2,"Okta",active,{}')))!;
    expect(result.identical).toBe(0);
    expect(result.before.rows).toEqual(result.after.rows);
  });

  it('joins composite keys (apps: Tenant ID, ID)', async () => {
    const head = 'Tenant ID*,Tenant Name*,Tenant Status*,Tenant Created At*,ID*,Name*';
    const before = Buffer.from(`${head}\nT1,a,active,2022-01-11,x,X\nT2,b,active,2022-01-11,x,X\n`);
    const after = Buffer.from(`${head}\nT2,b,inactive,2022-01-11,x,X\nT1,a,active,2022-01-11,x,X\n`);
    const result = (await difference(before, after, getSchema('apps')))!;
    expect(result.identical).toBe(1);
    expect(result.after.rows.map((row) => row.key)).toEqual(['T2\u001fx']);
  });

  it('keeps each record\'s line in the file for warnings', async () => {
    const result = (await difference(csv('1,a,active,{}', '2,b,active,{}'), csv('1,a,active,{}', '', '"2\nb",,active,{}')))!;
    expect(result.after.warnings).toEqual([expect.objectContaining({ row: 4, column: 'Name', code: 'SCHEMA_REQUIRED_EMPTY' })]);
  });

  it.each([
    ['different headers', csv('1,Okta,active,{}'), Buffer.from('ID,Name,Status,Metadata\n1,Okta,active,{}\n')],
    ['a key repeated before', csv('1,Okta,active,{}', '1,Box,active,{}'), csv('1,Okta,active,{}')],
    ['two records after matching one before', csv('1,Okta,active,{}'), csv('1,Okta,active,{}', '1,Okta,inactive,{}')],
    ['a new key repeated', csv('1,Okta,active,{}'), csv('2,Okta,active,{}', '2,Box,active,{}')],
    ['a quote inside an unquoted cell', csv('1,Okta,active,{}'), csv('1,Ok"ta,active,{}')],
    ['a ragged record', csv('1,Okta,active,{}'), csv('1,Okta,active')],
    ['an empty key', csv('1,Okta,active,{}'), csv(',Okta,active,{}')],
    ['a key with an escaped quote', csv('1,Okta,active,{}'), csv('"1""",Okta,active,{}')],
    ['invalid UTF-8 in identical records', notUtf8, notUtf8],
    ['no key column', Buffer.from('Name,Status\nOkta,active\n'), Buffer.from('Name,Status\nOkta,active\n')],
  ])('gives null (normalise both files instead) for %s', async (_, before, after) => {
    expect(await difference(before, after)).toBeNull();
  });

  it('gives null for a typed key column (its cells are not their canonical keys)', async () => {
    const schema = getSchema('integrations', { key: ['Reviewer Count'] });
    const input = Buffer.from('ID,Name,Status,Reviewer Count\n1,a,active,01\n');
    expect(await difference(input, input, schema)).toBeNull();
  });

  it('takes each file\'s index from options.index, asked for both files before either is awaited', async () => {
    const [before, after] = [csv('1,Okta,active,{}', '3,Jira,active,{}'), csv('3,Jira,inactive,{}', '1,Okta,active,{}')];
    const asked: Buffer[] = [];
    let resolveFirst: (index: ExportIndex | null) => void = () => {};
    // The first file's index arrives only once the second was asked for, as from another thread.
    const index = (bytes: Buffer, schema: ResourceSchema): ExportIndex | null | Promise<ExportIndex | null> => {
      asked.push(bytes);
      if (asked.length === 1) return new Promise((resolve) => { resolveFirst = resolve; });
      resolveFirst(indexExport(asked[0]!, schema));
      return indexExport(bytes, schema);
    };
    const result = await normaliseDifference(before, after, integrations, { redactor, index });
    expect(asked).toEqual([before, after]);
    expect(result).toEqual(await difference(before, after));
    expect(result!.identical).toBe(1);
  });

  it('indexExport declines invalid UTF-8 and a typed key column', () => {
    expect(indexExport(csv('1,Okta,active,{}'), integrations)).toMatchObject({ count: 1, keyParts: 1 });
    expect(indexExport(notUtf8, integrations)).toBeNull();
    expect(indexExport(Buffer.from('ID,Reviewer Count\n1,01\n'), getSchema('integrations', { key: ['Reviewer Count'] }))).toBeNull();
  });

  it('property: full tables = the difference + identical rows present on both sides', async () => {
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 0, max: 60 }), async (seed, size) => {
      const base = integrationsExport(size, seed);
      const [before, after] = [writeExport(base), writeExport(nextNight(base, seed + 1, { change: 0.2, remove: 0.1, add: 0.1 }))];
      const result = (await difference(before, after))!;
      const [fb, fa] = [await full(before), await full(after)];
      const identical = fb.rows.filter((row) => !result.before.rows.some((r) => r.key === row.key));
      expect(result.identical).toBe(identical.length);
      expect(result.before.rows).toEqual(fb.rows.filter((row) => !identical.includes(row)));
      expect(result.after.rows).toEqual(fa.rows.filter((row) => !identical.some((r) => r.key === row.key)));
      expect(fa.rows).toEqual(expect.arrayContaining(identical));
    }), { numRuns: 40 });
  });
});
