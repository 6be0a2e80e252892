import { describe, expect, it } from 'vitest';
import { recordChanges } from './record-changes.js';
import { tableOf } from './_test-tables.js';

const okta = { ID: '4', Name: 'Okta', Status: 'active', 'Primary Owner': 'ann@example.com', Metadata: '{"tier": "gold", "region": "eu"}' };
const version = (cells: Record<string, string> | null, columns?: readonly string[]) => tableOf('integrations', cells === null ? [] : [cells], columns ? { columns } : {});

describe('recordChanges', () => {
  it('is nothing when the record is absent on both sides or did not change', async () => {
    expect(recordChanges(null, await version(null))).toBeNull();
    expect(recordChanges(await version(okta), await version(okta))).toBeNull();
  });

  it('lists the values a record arrives with, and those it is removed with', async () => {
    expect(recordChanges(null, await version({ ID: '4', Name: 'Okta', Status: 'active', 'Last Run': '2026-01-01T00:00:00Z' }))).toEqual({
      kind: 'appeared',
      changes: [
        { field: 'ID', path: [], op: 'added', before: null, after: '4', volatile: false },
        { field: 'Name', path: [], op: 'added', before: null, after: 'Okta', volatile: false },
        { field: 'Last Run', path: [], op: 'added', before: null, after: '2026-01-01T00:00:00Z', volatile: true },
        { field: 'Status', path: [], op: 'added', before: null, after: 'active', volatile: false },
      ],
    });
    const removed = recordChanges(await version(okta), await version(null));
    expect(removed?.kind).toBe('removed');
    expect(removed?.changes.find((c) => c.field === 'Metadata')).toEqual({ field: 'Metadata', path: [], op: 'removed', before: { region: 'eu', tier: 'gold' }, after: null, volatile: false });
  });

  it('gives each field change of the night, JSON paths and volatile flags included', async () => {
    const after = { ...okta, Status: 'inactive', Metadata: '{"tier": "silver", "region": "eu"}', 'Last Run': '2026-02-01T00:00:00Z' };
    expect(recordChanges(await version(okta), await version(after))).toEqual({
      kind: 'changed',
      changes: [
        { field: 'Last Run', path: [], op: 'changed', before: null, after: '2026-02-01T00:00:00Z', volatile: true },
        { field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false },
        { field: 'Metadata', path: ['tier'], op: 'changed', before: 'gold', after: 'silver', volatile: false },
      ],
    });
  });

  it('makes no change of a column added to the export unless the record has a value in it', async () => {
    const columns = ['ID', 'Name', 'Status', 'Primary Owner', 'Metadata'];
    const before = await version(okta, columns);
    expect(recordChanges(before, await version({ ...okta, Region: '' }, [...columns, 'Region']))).toBeNull();
    expect(recordChanges(before, await version({ ...okta, Region: 'eu-west-1' }, [...columns, 'Region']))).toEqual({
      kind: 'changed',
      changes: [{ field: 'Region', path: [], op: 'added', before: null, after: 'eu-west-1', volatile: false }],
    });
    expect(recordChanges(await version({ ...okta, Region: 'eu-west-1' }, [...columns, 'Region']), await version({ ...okta, Status: 'inactive' }, columns))).toEqual({
      kind: 'changed',
      changes: [
        { field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false },
        { field: 'Region', path: [], op: 'removed', before: 'eu-west-1', after: null, volatile: false },
      ],
    });
  });

  it.each([
    { name: 'an ignored column is no change, alone or beside another', options: { ignore: ['Primary Owner'] }, after: { 'Primary Owner': 'mallory@example.com' }, expected: null },
    {
      name: 'an ignored column leaves the other changes', options: { ignore: ['Primary Owner'] }, after: { 'Primary Owner': 'mallory@example.com', Status: 'inactive' },
      expected: { kind: 'changed', changes: [{ field: 'Status', path: [], op: 'changed', before: 'active', after: 'inactive', volatile: false }] },
    },
    {
      name: 'a column made volatile is flagged', options: { volatile: ['Primary Owner'] }, after: { 'Primary Owner': 'mallory@example.com' },
      expected: { kind: 'changed', changes: [{ field: 'Primary Owner', path: [], op: 'changed', before: 'ann@example.com', after: 'mallory@example.com', volatile: true }] },
    },
  ])('takes volatile and ignore as a configuration file gives them: $name', async ({ options, after, expected }) => {
    expect(recordChanges(await version(okta), await version({ ...okta, ...after }), options)).toEqual(expected);
  });

  it('flags a volatile column among the values a record arrives with, and keeps an ignored one', async () => {
    const appeared = recordChanges(null, await version(okta), { volatile: ['Status'], ignore: ['Primary Owner'] });
    expect(appeared?.changes.map((c) => `${c.field}${c.volatile ? ' (volatile)' : ''}`)).toEqual(['ID', 'Name', 'Status (volatile)', 'Primary Owner', 'Metadata']);
  });

  it('marks fingerprints made with different redaction keys as not comparable', async () => {
    const secret = { ...okta, Metadata: '{"password": "hunter2"}' };
    const before = await tableOf('integrations', [secret], { redactionKey: 'key-one' });
    const after = await tableOf('integrations', [secret], { redactionKey: 'key-two' });
    expect(recordChanges(before, after, { comparableFingerprints: false })?.changes).toEqual([
      expect.objectContaining({ field: 'Metadata', path: ['password'], comparable: false }),
    ]);
  });
});
