import { describe, expect, it } from 'vitest';
import { serialiseCanonical } from './canonical.js';
import { countRecords, normaliseCsv } from './normalise.js';
import { integrationsExport, writeExport } from './_test-exports.js';
import { SCHEMA_ERROR_CODES as E, SCHEMA_WARNING_CODES as W } from './errors.js';
import { DOCUMENTED_RESOURCES, getSchema } from './schemas.js';
import { chunked, codeOf, failure, fixture, normalise, redactor } from './_test-support.js';

const text = async (resource: string, input: string | Buffer, key?: string[]): Promise<string> => serialiseCanonical(await normalise(resource, input, key)).toString('utf8');

describe('the docs\' sample exports', () => {
  it.each(DOCUMENTED_RESOURCES)('%s normalises without warnings or drift', async (resource) => {
    const table = await normalise(resource, fixture(resource));
    expect(table.warnings).toEqual([]);
    expect(table.drift).toEqual({ extraColumns: [], missingColumns: [] });
    expect(table.rows.length).toBeGreaterThan(0);
  });

  it('campaigns: stars dropped, decimals and booleans canonical, rows sorted by ID', async () => {
    expect(await text('campaigns', fixture('campaigns'))).toBe([
      'ID,Name,Description,Status,Start Date,End Date,Percentage Completed,Is Published,Recurrence,Escalation,Escalation Date',
      '01HA02R3KH676CD9XHZAY8SCDZ,Test campaign,This is a test campaign,pending,2023-09-07,2023-09-26,35.24,false,RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=+1MO,168h,2024-05-23',
      '01HA02TFB8JBSF2BWBJBWVP696,Test Campaign 2,This is a campaign description,completed,2023-09-06,2023-09-22,100,true,,,',
      '01HA02WD9PGPJA5FV4CNGYGGNM,Test campaign 3,Some random campaign,draft,2023-09-06,2023-09-20,0,false,,,',
      '',
    ].join('\n'));
  });

  it('integrations: JSON sorted and compact, secret-typed values fingerprinted, public ones kept', async () => {
    const out = await text('integrations', fixture('integrations'));
    expect(out).not.toContain('fixture-s3cr3t-Zq8vK2');
    expect(out).toContain('AKIAFIXTUREPUBLIC01');
    expect(out).toMatch(/""type"":""secret"",""value"":""redacted:hmac-sha256:[0-9a-f]{12}""/);
    expect(out).toContain('"{""direct_configuration"":false,""scim"":false,""upload"":true}"');
  });

  it('apps: keyed by Tenant ID + ID', async () => {
    const table = await normalise('apps', fixture('apps'));
    expect(table.rows.map((row) => row.key)).toEqual(['01XB\u001fasana', '01XB\u001faws']);
  });
});

describe('header matching', () => {
  it('tolerates stars, spaces, case, a BOM and CRLF', async () => {
    const lf = 'ID,Name,Type\nx,X,t\n';
    const messy = '\ufeff id* ,NAME *,type\r\nx,X,t\r\n';
    expect(await text('labels', messy)).toBe(await text('labels', lf));
  });

  it('keeps unknown columns (appended, sorted) and reports drift', async () => {
    const table = await normalise('labels', 'Zeta,ID,Name,alpha,Type\nz,1,One,a,t\n');
    expect(table.columns.map((c) => c.name)).toEqual(['ID', 'Name', 'Type', 'Zeta', 'alpha']);
    expect(table.drift.extraColumns).toEqual(['Zeta', 'alpha']);
    expect(table.drift.missingColumns).toEqual(['Color', 'Icon', 'Background Color', 'Text Color', 'Light Background Color', 'Light Text Color', 'Dark Background Color', 'Dark Text Color']);
    expect(table.rows[0]!.line).toBe('1,One,t,z,a');
  });

  it('gives an undocumented resource a generic schema: key first, then columns by name, all strings', async () => {
    expect(await text('admins', 'Name,Email,ID\nAda,ADA@X.IO,2\nBob,b@x.io,10\n')).toBe('ID,Email,Name\n2,ADA@X.IO,Ada\n10,b@x.io,Bob\n');
    expect(await text('admins', 'Name,Email\nAda,a@x.io\n', ['Email'])).toBe('Email,Name\na@x.io,Ada\n');
  });
});

describe('fatal problems', () => {
  it.each([
    ['a required column is absent', 'labels', 'ID,Name\n1,x\n', E.missingColumn],
    ['the key column is absent', 'admins', 'Name\nx\n', E.missingColumn],
    ['a column appears twice', 'labels', 'ID,Name,Type,name\n1,a,t,b\n', E.duplicateColumn],
    ['a key cell is empty', 'labels', 'ID,Name,Type\n1,a,t\n,b,t\n', E.missingKey],
    ['a composite key part is empty', 'apps', 'Tenant ID,Tenant Name,Tenant Status,Tenant Created At,ID,Name\nT,n,active,2022-01-01,,App\n', E.missingKey],
    ['two records share a key', 'labels', 'ID,Name,Type\n1,a,t\n2,b,t\n1,c,t\n', E.duplicateKey],
    ['a quote is never closed', 'labels', 'ID,Name,Type\n1,"a,t\n2,b,t\n', E.csvInvalid],
    ['a ragged row', 'labels', 'ID,Name,Type\n1,a,t\n2,b\n', E.csvInvalid],
    ['a quote inside an unquoted field', 'labels', 'ID,Name,Type\n1,a"b,t\n', E.csvInvalid],
    ['invalid UTF-8', 'labels', Buffer.concat([Buffer.from('ID,Name,Type\n1,caf'), Buffer.from([0xe9]), Buffer.from(',t\n')]), E.notUtf8],
    ['a truncated character at the end', 'labels', Buffer.concat([Buffer.from('ID,Name,Type\n1,a,'), Buffer.from([0xe2, 0x82])]), E.notUtf8],
    ['an empty file', 'labels', '', E.emptyFile],
    ['only a BOM and blank lines', 'labels', '\ufeff\n\r\n', E.emptyFile],
  ])('%s', async (_, resource, input, code) => {
    expect(await codeOf(normalise(resource, input))).toBe(code);
  });

  it('names both lines of a duplicate key', async () => {
    const error = await failure(normalise('labels', 'ID,Name,Type\n1,a,t\n2,"multi\nline",t\n1,c,t\n'));
    expect(error.code).toBe(E.duplicateKey);
    expect(error.data.lines).toEqual([2, 5]);
    expect(error.message).toContain('lines 2 and 5');
  });

  it('keeps csv-parse\'s line number and never quotes the cells', async () => {
    const error = await failure(normalise('labels', 'ID,Name,Type\n1,a,t\n2,"hunter2,t\n'));
    expect(error.data).toMatchObject({ csvCode: 'CSV_QUOTE_NOT_CLOSED', file: 'labels.csv' });
    expect(error.message).not.toContain('hunter2');
    const ragged = await failure(normalise('labels', 'ID,Name,Type\n1,a,t\n2,b\n'));
    expect(ragged.data.row).toBe(3);
  });

  it('finds the line of an invalid byte even across chunks', async () => {
    const input = Buffer.concat([Buffer.from('ID,Name,Type\n1,a,t\n2,b,t\n3,'), Buffer.from([0xff]), Buffer.from(',t\n')]);
    const error = await failure(normalise('labels', chunked(input, 5)));
    expect(error.code).toBe(E.notUtf8);
    expect(error.data.row).toBe(4);
  });

  it('accepts a multi-byte character split between chunks', async () => {
    const input = 'ID,Name,Type\n1,€ and 😀 and é,t\n';
    expect(await text('labels', Buffer.from(input))).toBe((await normalise('labels', chunked(input, 1)).then((t) => serialiseCanonical(t).toString())));
  });
});

describe('warnings', () => {
  it.each([
    ['a required cell is empty', 'campaigns', 'ID,Name,Status,Start Date,End Date,Percentage Completed,Is Published\nc1,,draft,2023-09-06,2023-09-20,0,TRUE\n', W.requiredEmpty, 'Name', 'c1,,draft,2023-09-06,2023-09-20,0,true'],
    ['a boolean that is not one', 'campaigns', 'ID,Name,Status,Start Date,End Date,Percentage Completed,Is Published\nc1,n,draft,2023-09-06,2023-09-20,0,yes\n', W.typeMismatch, 'Is Published', 'c1,n,draft,2023-09-06,2023-09-20,0,yes'],
    ['a date in another format', 'campaigns', 'ID,Name,Status,Start Date,End Date,Percentage Completed,Is Published\nc1,n,draft,06/09/2023,2023-09-20,0,TRUE\n', W.typeMismatch, 'Start Date', 'c1,n,draft,06/09/2023,2023-09-20,0,true'],
    ['a decimal with a comma', 'campaigns', 'ID,Name,Status,Start Date,End Date,Percentage Completed,Is Published\nc1,n,draft,2023-09-06,2023-09-20," 35,5",TRUE\n', W.typeMismatch, 'Percentage Completed', 'c1,n,draft,2023-09-06,2023-09-20," 35,5",true'],
    ['a timestamp without offset', 'integrations', 'ID,Name,Status,Last Run\n1,a,active,2021-07-26T18:00:00\n', W.typeMismatch, 'Last Run', '1,a,2021-07-26T18:00:00,active'],
    ['an email without a domain', 'integrations', 'ID,Name,Status,Primary Owner\n1,a,active,jason\n', W.typeMismatch, 'Primary Owner', '1,a,active,jason'],
    ['an integer with a fraction', 'integrations', 'ID,Name,Status,Reviewer Count\n1,a,active,1.5\n', W.typeMismatch, 'Reviewer Count', '1,a,active,1.5'],
    ['a relative logo URL', 'apps', 'Tenant ID,Tenant Name,Tenant Status,Tenant Created At,ID,Name,Logo\nT,n,active,2022-01-11,a,A,logo.png\n', W.typeMismatch, 'Logo', 'T,n,active,2022-01-11,a,A,logo.png'],
    ['invalid JSON', 'integrations', 'ID,Name,Status,Metadata\n1,a,active,"{""region"": eu}"\n', W.jsonInvalid, 'Metadata', '1,a,active,"{""region"": eu}"'],
  ])('%s', async (_, resource, input, code, column, line) => {
    const table = await normalise(resource, input);
    expect(table.warnings.map((w) => [w.code, w.row, w.column])).toEqual([[code, 2, column]]);
    expect(table.warnings[0]!.message).toMatch(new RegExp(`^${resource}\\.csv line 2, column "${column}": `));
    expect(table.rows[0]!.line).toBe(line);
  });

  it('replaces an invalid JSON cell that may hold a secret by a fingerprint, and never quotes it', async () => {
    const table = await normalise('integrations', 'ID,Name,Status,Metadata\n1,a,active,"{""password"": ""hunter2"""\n');
    expect(table.warnings[0]!.code).toBe(W.jsonInvalid);
    expect(table.warnings[0]!.message).not.toContain('hunter2');
    expect(table.rows[0]!.line).toMatch(/^1,a,active,redacted:hmac-sha256:[0-9a-f]{12}$/);
    expect((await normalise('integrations', serialiseCanonical(table))).rows).toEqual(table.rows);
  });

  it('keeps the first 100 of each code and counts them all', async () => {
    const rows = Array.from({ length: 250 }, (_, i) => `${i},n,active,not-a-number`).join('\n');
    const table = await normalise('integrations', `ID,Name,Status,Reviewer Count\n${rows}\n`);
    expect(table.warnings).toHaveLength(100);
    expect(table.warningCounts).toEqual({ [W.typeMismatch]: 250 });
  });

  it('reports the line a multi-line record starts on, after blank lines', async () => {
    const table = await normalise('integrations', 'ID,Name,Status,Reviewer Count\n1,"two\nlines",active,1\n\n2,b,active,x\n');
    expect(table.warnings.map((w) => w.row)).toEqual([5]);
  });
});

describe('secrets outside declared JSON columns', () => {
  it('redacts a JSON object holding a secret in a text column, and leaves other text alone', async () => {
    const table = await normalise('admins', 'ID,Settings,Note\n1,"{""user"": ""svc"", ""password"": ""hunter2""}",my password is long\n2,"{""b"": 1, ""a"": 2}",{not json\n');
    const out = serialiseCanonical(table).toString('utf8');
    expect(out).not.toContain('hunter2');
    expect(out).toContain('{""password"":""redacted:hmac-sha256:');
    expect(out).toContain('2,{not json,"{""b"": 1, ""a"": 2}"');
    expect(out).toContain('my password is long');
    expect(serialiseCanonical(await normalise('admins', out)).toString('utf8')).toBe(out);
  });
});

describe('countRecords', () => {
  it.each([
    ['a plain export', 'ID,Name\n1,a\n"2\n2",b\n', 2],
    ['a header only', 'ID,Name\n', 0],
    ['blank lines', 'a,b\r\n\r\n1,2\r\n\r\n', 1],
    ['a one-column file (csv-parse counts it)', 'ID\n1\n2\n', 2],
    ['an empty file', '', 0],
    ['a CR inside an unquoted cell (csv-parse counts it)', 'a,b\n1,x\ry\n', 1],
  ])('%s', async (_, input, n) => {
    expect(await countRecords(Buffer.from(input), 'x.csv')).toBe(n);
  });

  it('counts what normaliseCsv normalises', async () => {
    const input = writeExport(integrationsExport(120, 3), { lineEnd: '\r\n', blankAfter: [4, 9] });
    expect(await countRecords(input, 'x.csv')).toBe((await normaliseCsv(input, getSchema('integrations'), { file: 'x.csv', redactor })).rows.length);
  });

  it('refuses what csv-parse refuses', async () => {
    await expect(countRecords(Buffer.from('a,b\n1,"x\n'), 'x.csv')).rejects.toMatchObject({ code: 'SCHEMA_CSV_INVALID' });
  });
});
