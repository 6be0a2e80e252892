import { createRedactor, getSchema } from '@balkan-audit/schema';
import { describe, expect, it } from 'vitest';
import { compareExports } from './compare-exports.js';
import { exportSubset, indexExport, matchExports } from './export-index.js';

const integrations = getSchema('integrations');
const HEADER = 'ID*,Name*,Status*,Metadata';
const csv = (...lines: string[]): Buffer => Buffer.from(`${[HEADER, ...lines].join('\n')}\n`);

describe('indexExport', () => {
  it('finds records and keys, quoted cells with line breaks included', () => {
    const index = indexExport(csv('2,"Okta\nSSO",active,{}', '"10",Jira,active,"{""a"":1}"'), integrations)!;
    expect(index.count).toBe(2);
    const match = matchExports(index, indexExport(csv('10,Jira,active,"{""a"":1}"', '2,"Okta\nSSO",active,{}'), integrations)!)!;
    // "10" quoted on one side and plain on the other is the same key, but not the same bytes.
    expect(match).toMatchObject({ unchanged: 1, beforeRows: [1], afterRows: [0] });
    expect(exportSubset(index, [1]).toString()).toBe(`${HEADER}\n"10",Jira,active,"{""a"":1}"\n`);
  });

  it.each([
    ['a quote inside an unquoted cell', csv('1,Ok"ta,active,{}')],
    ['text after a closing quote', csv('1,"Okta"x,active,{}')],
    ['an unclosed quote', csv('1,"Okta,active,{}')],
    ['a record with fewer cells', csv('1,Okta,active')],
    ['an empty key', csv(',Okta,active,{}')],
    ['a key with an escaped quote', csv('"1""",Okta,active,{}')],
    ['a bare CR line end', Buffer.from(`${HEADER}\r1,Okta,active,{}\r`)],
    ['mixed line ends', Buffer.from(`${HEADER}\r\n1,Okta,active,{}\n2,Box,active,{}\r\n`)],
    ['invalid UTF-8', Buffer.concat([csv('1,Okta,active,{}'), Buffer.from([0xff])])],
    ['no key column', Buffer.from('Name,Status\nOkta,active\n')],
    ['an empty file', Buffer.alloc(0)],
  ])('declines %s (the schema layer decides)', (_name, bytes) => {
    expect(indexExport(bytes, integrations)).toBeNull();
  });

  it.each([
    ['different headers', csv('1,Okta,active,{}'), Buffer.from('ID,Name,Status,Metadata\n1,Okta,active,{}\n')],
    ['a key repeated before', csv('1,Okta,active,{}', '1,Box,active,{}'), csv('1,Okta,active,{}')],
    ['a key repeated after', csv('1,Okta,active,{}'), csv('1,Okta,active,{}', '1,Okta,inactive,{}')],
    ['a new key repeated', csv('1,Okta,active,{}'), csv('2,Okta,active,{}', '2,Box,active,{}')],
  ])('matchExports declines %s', (_name, before, after) => {
    expect(matchExports(indexExport(before, integrations)!, indexExport(after, integrations)!)).toBeNull();
  });

  it('joins composite keys (apps: Tenant ID, ID)', () => {
    const apps = getSchema('apps');
    const head = 'Tenant ID*,Tenant Name*,Tenant Status*,Tenant Created At*,ID*,Name*';
    const before = Buffer.from(`${head}\nT1,a,active,2022-01-11,x,X\nT2,b,active,2022-01-11,x,X\n`);
    const after = Buffer.from(`${head}\nT2,b,inactive,2022-01-11,x,X\nT1,a,active,2022-01-11,x,X\n`);
    expect(matchExports(indexExport(before, apps)!, indexExport(after, apps)!)).toMatchObject({
      unchanged: 1, beforeRows: [1], afterRows: [0], beforeKeys: new Set(['T2\u001fx']),
    });
  });
});

describe('compareExports', () => {
  it('counts the whole files while normalising only what differs', async () => {
    const change = await compareExports(
      csv('1,Okta,active,{}', '2,Box,active,"{""b"":1,""a"":2}"', '3,Jira,active,{}'),
      csv('3,Jira,inactive,{}', '2,Box,active,"{""a"":2,""b"":1}"', '4,Zoom,active,{}'),
      integrations, { redactor: createRedactor('k') },
    );
    expect(change.counts).toEqual({ before: 3, after: 3, added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect(change.events.map((e) => e.kind)).toEqual(['integration.removed', 'integration.status_changed', 'integration.added']);
  });
});
