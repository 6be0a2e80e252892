import { createRedactor, getSchema } from '@balkan-audit/schema';
import { describe, expect, it } from 'vitest';
import { compareExports } from './compare-exports.js';
import { diffTables } from './diff-tables.js';
import { tableOf } from './_test-tables.js';

const integrations = getSchema('integrations');
const HEADER = 'ID*,Name*,Status*,Metadata';
const csv = (...lines: string[]): Buffer => Buffer.from(`${[HEADER, ...lines].join('\n')}\n`);
const redactor = createRedactor('k');

describe('compareExports', () => {
  it('counts the whole files while normalising only what differs', async () => {
    const change = await compareExports(
      csv('1,Okta,active,{}', '2,Box,active,"{""b"":1,""a"":2}"', '3,Jira,active,{}'),
      csv('3,Jira,inactive,{}', '2,Box,active,"{""a"":2,""b"":1}"', '4,Zoom,active,{}'),
      integrations, { redactor },
    );
    expect(change.counts).toEqual({ before: 3, after: 3, added: 1, removed: 1, changed: 1, unchanged: 1 });
    expect(change.events.map((e) => e.kind)).toEqual(['integration.removed', 'integration.status_changed', 'integration.added']);
  });

  it('gives what diffTables gives on the full tables when the fast route declines (other headers)', async () => {
    const before = Buffer.from('ID,Name,Status,Metadata\n1,Okta,active,{}\n2,Box,active,{}\n');
    const after = csv('1,Okta,inactive,{}', '2,Box,active,{}');
    const full = diffTables(await tableOf('integrations', [{ ID: '1', Name: 'Okta', Status: 'active', Metadata: '{}' }, { ID: '2', Name: 'Box', Status: 'active', Metadata: '{}' }], { columns: ['ID', 'Name', 'Status', 'Metadata'], redactionKey: 'k' }),
      await tableOf('integrations', [{ ID: '1', Name: 'Okta', Status: 'inactive', Metadata: '{}' }, { ID: '2', Name: 'Box', Status: 'active', Metadata: '{}' }], { columns: ['ID', 'Name', 'Status', 'Metadata'], redactionKey: 'k' }));
    expect(await compareExports(before, after, integrations, { redactor })).toEqual(full);
  });

  it('reports the schema layer\'s error, with the file\'s name', async () => {
    await expect(compareExports(csv('1,a,active,{}'), csv('1,a,active,{}', '1,b,active,{}'), integrations, { redactor, files: { before: 'old.csv', after: 'new.csv' } }))
      .rejects.toMatchObject({ code: 'SCHEMA_DUPLICATE_KEY', data: { file: 'new.csv' } });
  });

  it('applies maxRecordsInReport to the fast route too', async () => {
    const change = await compareExports(csv('1,a,active,{}', '2,b,active,{}'), csv('3,c,active,{}', '4,d,active,{}'), integrations, { redactor, maxRecordsInReport: 1 });
    expect(change.counts).toMatchObject({ added: 2, removed: 2 });
    expect([change.added.length, change.removed.length]).toEqual([1, 1]);
  });
});
