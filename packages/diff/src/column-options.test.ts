import { describe, expect, it } from 'vitest';
import { baselineChange, diffTables, type DiffOptions } from './diff-tables.js';
import { compareExports } from './compare-exports.js';
import { resolveEventRules } from './rules.js';
import { FIXTURES } from './_test-fixtures.js';
import { tableOf, TEST_REDACTION_KEY } from './_test-tables.js';
import { createRedactor, getSchema } from '@balkan-audit/schema';

// Issue 14: a config's `volatile` and `ignore` columns, and severity `off`.
const okta = FIXTURES.integrations![1]!;
const integrations = (cells: Record<string, string>, columns?: readonly string[]) =>
  tableOf('integrations', [{ ...okta, ...cells }], columns ? { columns } : {});
const documented = getSchema('integrations').columns.map((c) => c.name);

interface Row {
  readonly options: DiffOptions;
  readonly after: Record<string, string>;
  /** Field changes as `field:volatile`. */
  readonly changes: string[];
  readonly events: string[];
  readonly drift?: { addedColumns: string[]; removedColumns: string[] };
  readonly afterColumns?: readonly string[];
}

describe('diffTables column options', () => {
  it.each<[string, Row]>([
    ['no options: an owner change is a change and an event',
      { options: {}, after: { 'Primary Owner': 'ann@example.com' }, changes: ['Primary Owner:false'], events: ['integration.owner_changed'] }],
    ['ignore: the same change is no change and no event',
      { options: { ignore: ['Primary Owner'] }, after: { 'Primary Owner': 'ann@example.com' }, changes: [], events: [] }],
    ['ignore leaves the other columns compared',
      { options: { ignore: ['Primary Owner'] }, after: { 'Primary Owner': 'ann@example.com', Status: 'inactive' }, changes: ['Status:false'], events: ['integration.status_changed'] }],
    ['volatile: recorded and flagged, no event',
      { options: { volatile: ['Status'] }, after: { Status: 'inactive' }, changes: ['Status:true'], events: [] }],
    ['volatile keeps the schema\'s own volatile columns',
      { options: { volatile: ['Reviewer Count'] }, after: { 'Last Run': '2021-07-27T18:00:00Z', 'Reviewer Count': '2' }, changes: ['Last Run:true', 'Reviewer Count:true'], events: [] }],
    ['an ignored column that appears is no schema drift',
      { options: { ignore: ['Region'] }, after: { Region: 'eu' }, afterColumns: [...documented, 'Region'], changes: [], events: [], drift: { addedColumns: [], removedColumns: [] } }],
    ['a column that appears is drift without ignore',
      { options: {}, after: { Region: 'eu' }, afterColumns: [...documented, 'Region'], changes: [], events: ['resource.schema_drift'], drift: { addedColumns: ['Region'], removedColumns: [] } }],
    ['severity off drops the kind, the change stays',
      { options: { rules: resolveEventRules({ severities: { 'integration.owner_changed': 'off' } }) }, after: { 'Primary Owner': 'ann@example.com', Status: 'inactive' }, changes: ['Status:false', 'Primary Owner:false'], events: ['integration.status_changed'] }],
    ['severity off drops schema drift',
      { options: { rules: resolveEventRules({ severities: { 'resource.schema_drift': 'off' } }) }, after: { Region: 'eu' }, afterColumns: [...documented, 'Region'], changes: [], events: [], drift: { addedColumns: ['Region'], removedColumns: [] } }],
  ])('%s', async (_name, row) => {
    const change = diffTables(await integrations({}), await integrations(row.after, row.afterColumns), row.options);
    expect(change.changed.flatMap((c) => c.changes.map((f) => `${f.field}:${f.volatile}`))).toEqual(row.changes);
    expect(change.counts.changed).toBe(row.changes.length > 0 ? 1 : 0);
    expect(change.events.map((e) => e.kind)).toEqual(row.events);
    if (row.drift) expect(change.schemaChanges).toEqual(row.drift);
  });

  it('applies to compareExports as to diffTables', async () => {
    const csv = (owner: string) => Buffer.from(`ID,Name,Status,Primary Owner\n4,Okta,active,${owner}\n`);
    const options = { redactor: createRedactor(TEST_REDACTION_KEY), ignore: ['Primary Owner'] };
    const change = await compareExports(csv('bob@example.com'), csv('ann@example.com'), getSchema('integrations'), options);
    expect(change.counts).toMatchObject({ changed: 0, unchanged: 1 });
    expect(change.events).toEqual([]);
  });

  it('severity off drops a baseline event', async () => {
    const rules = resolveEventRules({ severities: { 'resource.baseline': 'off' } });
    expect(baselineChange(await integrations({}), { rules }).events).toEqual([]);
  });

  it('refuses off for tamper evidence', () => {
    expect(() => resolveEventRules({ severities: { 'snapshot.tampered': 'off' } })).toThrow(expect.objectContaining({ code: 'DIFF_INVALID_OPTION' }));
  });
});
