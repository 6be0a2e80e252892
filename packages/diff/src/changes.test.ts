import { describe, expect, it } from 'vitest';
import { DiffError } from './errors.js';
import { diffTables } from './diff-tables.js';
import { hasChanges } from './change-set.js';
import { DEFAULT_EVENT_RULES, tamperedEvent } from './rules.js';
import { FIXTURES } from './_test-fixtures.js';
import { tableOf } from './_test-tables.js';

const okta = FIXTURES.integrations![1]!;
const aws = FIXTURES.integrations![0]!;

async function changesOf(resource: string, before: Record<string, string>, after: Record<string, string>) {
  const change = diffTables(await tableOf(resource, [before]), await tableOf(resource, [after]));
  return change.changed[0]?.changes ?? [];
}

describe('diffTables field changes', () => {
  it.each<[string, Record<string, string>, Record<string, string>, unknown[]]>([
    ['plain cell, typed values', okta, { ...okta, 'Reviewer Count': '3' },
      [{ field: 'Reviewer Count', path: [], op: 'changed', before: '1', after: '3', volatile: false }]],
    ['volatile cells flagged', okta, { ...okta, 'Last Run': '2021-07-27T18:00:00Z', Message: 'ok' }, [
      { field: 'Last Run', path: [], op: 'changed', before: '2021-07-26T18:00:00Z', after: '2021-07-27T18:00:00Z', volatile: true },
      { field: 'Message', path: [], op: 'changed', before: '1 error occured', after: 'ok', volatile: true },
    ]],
    ['list reordered', aws, { ...aws, 'Reviewer Precedence': 'riskmanager, manager, primaryowner' }, [
      { field: 'Reviewer Precedence', path: [], op: 'reordered', before: ['manager', 'primaryowner', 'riskmanager'], after: ['riskmanager', 'manager', 'primaryowner'], volatile: false },
    ]],
    ['list item added and removed', aws, { ...aws, 'Reviewer Precedence': 'manager, riskmanager, auditor' }, [
      { field: 'Reviewer Precedence', path: [], op: 'removed', before: 'primaryowner', after: null, volatile: false },
      { field: 'Reviewer Precedence', path: [], op: 'added', before: null, after: 'auditor', volatile: false },
    ]],
    ['JSON member added, removed, changed', { ...okta, 'Extraction Options': '{"a": 1, "b": {"c": true}}' }, { ...okta, 'Extraction Options': '{"a": 2, "d": null}' }, [
      { field: 'Extraction Options', path: ['a'], op: 'changed', before: 1, after: 2, volatile: false },
      { field: 'Extraction Options', path: ['b'], op: 'removed', before: { c: true }, after: null, volatile: false },
      { field: 'Extraction Options', path: ['d'], op: 'added', before: null, after: null, volatile: false },
    ]],
    ['a JSON cell kept as text (invalid JSON) is one whole-cell change', { ...okta, 'Extraction Options': '{"scim": false}' }, { ...okta, 'Extraction Options': '{scim: broken' }, [
      { field: 'Extraction Options', path: [], op: 'changed', before: { scim: false }, after: '{scim: broken', volatile: false },
    ]],
    ['JSON array elements matched by key', { ...okta, Metadata: '[{"key": "a", "value": "1"}, {"key": "b", "value": "2"}]' },
      { ...okta, Metadata: '[{"key": "b", "value": "3"}, {"key": "c", "value": "4"}]' }, [
        { field: 'Metadata', path: ['[key=a]'], op: 'removed', before: { key: 'a', value: '1' }, after: null, volatile: false },
        { field: 'Metadata', path: ['[key=b]', 'value'], op: 'changed', before: '2', after: '3', volatile: false },
        { field: 'Metadata', path: ['[key=c]'], op: 'added', before: null, after: { key: 'c', value: '4' }, volatile: false },
      ]],
    ['JSON key order only: no change', { ...okta, 'Extraction Options': '{"a": 1, "b": 2}' }, { ...okta, 'Extraction Options': '{ "b": 2,  "a": 1 }' }, []],
  ])('%s', async (_name, before, after, expected) => {
    expect(await changesOf('integrations', before, after)).toEqual(expected);
  });

  it('reports a rotated secret as a fingerprint change, never the secret', async () => {
    const rotated = { ...aws, Metadata: aws.Metadata!.replace('s3cr3t-one', 's3cr3t-two') };
    const [change] = await changesOf('integrations', aws, rotated);
    expect(change).toMatchObject({ field: 'Metadata', path: ['[key=client_secret]', 'value'], op: 'changed' });
    expect(String(change!.before)).toMatch(/^redacted:hmac-sha256:[0-9a-f]{12}$/);
    expect(change!.before).not.toEqual(change!.after);
  });

  it('marks fingerprints made with another key not comparable: recorded, never a rotation event', async () => {
    const before = await tableOf('integrations', [aws], { redactionKey: 'the-key-of-last-night' });
    const after = await tableOf('integrations', [{ ...aws, Status: 'inactive' }]);
    const trusted = diffTables(before, after);
    expect(trusted.events.map((e) => e.kind)).toEqual(['integration.status_changed', 'integration.secret_rotated']);
    const rekeyed = diffTables(before, after, { comparableFingerprints: false });
    expect(rekeyed.events.map((e) => e.kind)).toEqual(['integration.status_changed']);
    expect(rekeyed.changed[0]!.changes).toContainEqual(expect.objectContaining({ path: ['[key=client_secret]', 'value'], comparable: false }));
    // Only fingerprint against fingerprint is in doubt: a plain change keeps no flag.
    expect(rekeyed.changed[0]!.changes.find((c) => c.field === 'Status')).not.toHaveProperty('comparable');
    // A secret set where there was none is a change whatever the keys.
    const set = diffTables(await tableOf('integrations', [{ ...aws, Metadata: '[]' }]), await tableOf('integrations', [aws]), { comparableFingerprints: false });
    expect(set.changed[0]!.changes.every((c) => c.comparable === undefined)).toBe(true);
  });
});

describe('diffTables records', () => {
  it('compares rows on shared columns only when columns come and go, and raises one drift event', async () => {
    const columns = ['ID', 'Name', 'Status', 'Message'];
    const before = await tableOf('integrations', [okta, aws], { columns });
    const after = await tableOf('integrations', [{ ...okta, Region: 'eu' }, { ...aws, Status: 'inactive', Region: 'us' }], { columns: ['ID', 'Name', 'Status', 'Region'] });
    const change = diffTables(before, after);
    expect(change.schemaChanges).toEqual({ addedColumns: ['Region'], removedColumns: ['Message'] });
    expect(change.counts).toEqual({ before: 2, after: 2, added: 0, removed: 0, changed: 1, unchanged: 1 });
    expect(change.events.map((e) => [e.kind, e.id, e.summary])).toEqual([
      ['resource.schema_drift', null, 'integrations: export columns changed (added Region; removed Message)'],
      ['integration.status_changed', '1', 'Integration Amazon Web Services: status active → inactive'],
    ]);
  });

  it('lists added and removed records with typed values, in key order', async () => {
    const change = diffTables(
      await tableOf('campaigns', [{ ...FIXTURES.campaigns![0]!, ID: '20' }, { ...FIXTURES.campaigns![0]!, ID: '3' }]),
      await tableOf('campaigns', [{ ...FIXTURES.campaigns![0]!, ID: '100', Name: 'Big' }, { ...FIXTURES.campaigns![0]!, ID: '9', Name: 'Small' }]),
    );
    expect(change.removed.map((r) => r.id)).toEqual(['3', '20']);
    expect(change.added.map((r) => r.id)).toEqual(['9', '100']);
    expect(change.added[0]!.record).toMatchObject({ ID: '9', Name: 'Small', 'Is Published': false, 'Percentage Completed': '35.24', Escalation: '168h' });
    expect(change.events.map((e) => e.id)).toEqual(['3', '9', '20', '100']);
  });

  it.each([
    ['a generic resource with the default key', 'admins', undefined, ['ID', 'Email', 'Role'], 'ID'],
    ['a generic resource keyed by two columns', 'entitlements', ['App', 'Name'], ['App', 'Name', 'Level'], 'App'],
  ])('works for %s', async (_name, resource, key, columns, _first) => {
    const opts = { columns, ...(key ? { key } : {}) };
    const rows = [{ ID: '1', Email: 'a@x', Role: 'admin', App: 'aws', Name: 'read', Level: '1' }];
    const before = await tableOf(resource, rows, opts);
    const after = await tableOf(resource, [
      { ...rows[0]!, Role: 'owner', Level: '2' },
      { ID: '2', Email: 'b@x', Role: 'viewer', App: 'gcp', Name: 'write', Level: '1' },
    ], opts);
    const change = diffTables(before, after);
    expect(change.events.map((e) => [e.severity, e.kind])).toEqual([['low', 'record.changed'], ['medium', 'record.added']]);
    expect(change.events[1]!.id).toBe(key ? 'gcp/write' : '2');
    expect(change.events[1]!.summary).toBe(`Record ${key ? 'gcp/write' : '2'} added`);
  });

  it('caps the listed records but keeps counts and events complete', async () => {
    const rows = (n: number, status: string) => Array.from({ length: n }, (_, i) => ({ ...okta, ID: String(i + 1), Status: status }));
    const change = diffTables(await tableOf('integrations', rows(5, 'active')), await tableOf('integrations', rows(5, 'inactive')), { maxRecordsInReport: 2 });
    expect(change.changed.map((c) => c.id)).toEqual(['1', '2']);
    expect(change.counts.changed).toBe(5);
    expect(change.events).toHaveLength(5);
  });

  it.each([
    ['tables of two resources', async () => diffTables(await tableOf('labels', []), await tableOf('apps', [])), 'DIFF_RESOURCE_MISMATCH'],
    ['a negative cap', async () => diffTables(await tableOf('labels', []), await tableOf('labels', []), { maxRecordsInReport: -1 }), 'DIFF_INVALID_OPTION'],
  ])('refuses %s', async (_name, run, code) => {
    const error = await run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DiffError);
    expect(error).toMatchObject({ code });
  });
});

describe('hasChanges', () => {
  it.each([
    ['nothing changed', [okta, aws], [okta, aws], undefined, false],
    ['a record added', [okta], [okta, aws], undefined, true],
    ['a record removed', [okta, aws], [okta], undefined, true],
    ['a field changed', [okta, aws], [okta, { ...aws, Status: 'inactive' }], undefined, true],
    ['a column added, no record changed', [okta], [{ ...okta, Region: 'eu' }], ['ID', 'Name', 'Status', 'Message', 'Region'], true],
  ] as const)('%s: %s', async (_name, before, after, afterColumns, expected) => {
    const columns = ['ID', 'Name', 'Status', 'Message'];
    const change = diffTables(await tableOf('integrations', [...before], { columns }), await tableOf('integrations', [...after], { columns: afterColumns ?? columns }));
    expect(hasChanges(change)).toBe(expected);
  });

  it('does not count events alone (tamper evidence, a new key)', async () => {
    const table = await tableOf('integrations', [okta]);
    const change = diffTables(table, table);
    const tampered = tamperedEvent(DEFAULT_EVENT_RULES, { resource: 'integrations', file: 'snapshots/integrations.csv', commit: null });
    expect(hasChanges({ ...change, events: [tampered] })).toBe(false);
  });
});
